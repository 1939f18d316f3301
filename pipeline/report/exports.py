"""Analyst exports: the records with their plan and organisation, as CSV, Parquet or JSON."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

RECORDS_SQL = """
SELECT o.name AS organization, o.org_type, o.region, p.id AS plan_id, p.title AS plan_title,
       p.period_start, p.period_end, p.version, r.id AS record_id, r.level, r.label, r.number, r.title,
       r."group" AS group_name, par.title AS parent_title, r.description, r.responsible, r.deadline, r.status
FROM record r
JOIN plan p ON p.id = r.plan_id
LEFT JOIN organization o ON o.id = p.organization_id
LEFT JOIN record par ON par.id = r.parent_id
ORDER BY p.id, r.position
"""
PLANS_SQL = """
SELECT p.id AS plan_id, o.name AS organization, o.org_type, p.title, p.period_start, p.period_end, p.version,
       d.sha256, d.media_type, d.status, s.location
FROM plan p JOIN document d ON d.id = p.document_id JOIN source s ON s.id = p.source_id
LEFT JOIN organization o ON o.id = p.organization_id ORDER BY p.id
"""


# Whole-number columns that may be empty: pandas reads them as floats (2017.0) unless told otherwise.
INTEGER_COLUMNS = ("plan_id", "record_id", "period_start", "period_end", "version")


def _integers(df: pd.DataFrame) -> pd.DataFrame:
    for col in INTEGER_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def _neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading quote (OWASP, CSV injection)."""
    from planscope.pipeline.report.tables import neutralise

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def export_tables(engine: Engine, out_dir: Path, fmt: str) -> list[tuple[Path, int]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with engine.connect() as conn:
        for name, sql in (("records", RECORDS_SQL), ("plans", PLANS_SQL)):
            df = _integers(pd.read_sql_query(sql, conn))
            path = out_dir / f"{name}.{fmt}"
            if fmt == "csv":
                _neutralise_formulas(df).to_csv(path, index=False)
            elif fmt == "parquet":
                df.to_parquet(path, index=False)
            else:
                df.to_json(path, orient="records", force_ascii=False, indent=1)
            written.append((path, len(df)))
    return written
