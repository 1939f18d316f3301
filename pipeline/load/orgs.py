"""Import a reference list of organisations (e.g. the Québec répertoire des municipalités).

Reads a CSV whose header names, in any case and with or without accents, one of the aliases
below (the répertoire's own short names — mcode, munnom, mdes, mpopul, regadm — included).
Each row becomes an organisation identity through pipeline.normalise.org_identity
("Bellechasse" with désignation "MRC" → "MRC de Bellechasse", key mrc:bellechasse), so rows
already created by loading plans are completed, not duplicated. The list is authoritative for
org_type, region, population and code: they are overwritten when they differ; a name already
in the database is kept. Importing the same file twice changes nothing.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from planscope.models.schema import Organization

from planscope.pipeline.structure.lexicon import fold
from planscope.pipeline.normalise.records import org_identity

ALIASES = {
    "code": ["code geographique", "code géographique", "mcode", "code", "code municipal", "cod_geo", "code_geo"],
    "name": ["nom", "munnom", "nom de la municipalite", "municipalite", "nom officiel", "name"],
    "designation": ["designation", "mdes", "type", "statut", "org_type"],
    "mrc": ["mrc", "mrc de rattachement", "nom de la mrc", "mrc_nom"],
    "region": ["region administrative", "regadm", "region", "nom de la region"],
    "population": ["population", "mpopul", "pop", "population totale"],
}
# désignation (folded) → (word that names the kind in a display name, org_type)
DESIGNATIONS = {
    "ville": ("Ville", "ville"), "v": ("Ville", "ville"), "cite": ("Cité", "ville"),
    "municipalite": ("Municipalité", "municipalité"), "m": ("Municipalité", "municipalité"),
    "paroisse": ("Paroisse", "municipalité"), "p": ("Paroisse", "municipalité"),
    "village": ("Village", "municipalité"), "vl": ("Village", "municipalité"),
    "canton": ("Canton", "municipalité"), "ct": ("Canton", "municipalité"),
    "cantons unis": ("Cantons-Unis", "municipalité"), "cantons-unis": ("Cantons-Unis", "municipalité"),
    "cu": ("Cantons-Unis", "municipalité"),
    "mrc": ("MRC", "mrc"), "municipalite regionale de comte": ("MRC", "mrc"),
    "agglomeration": ("Agglomération", "agglomération"),
    "communaute metropolitaine": ("Communauté métropolitaine", "agglomération"),
    "commune": ("Commune", "commune"), "arrondissement": ("Arrondissement", "arrondissement"),
}


class ImportErrorCSV(ValueError):
    pass


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"rows": self.rows, "inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped}


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _population(value: str | None) -> int | None:
    digits = re.sub(r"[^\d]", "", (value or "").split(",")[0].split(".")[0]) if value else ""
    return int(digits) if digits else None


def _region(value: str | None) -> str | None:
    """"Chaudière-Appalaches (12)" and "12 - Chaudière-Appalaches" → "Chaudière-Appalaches"."""
    if not value:
        return None
    value = re.sub(r"\s*\(\d+\)\s*$", "", value)
    return re.sub(r"^\d+\s*[-–]\s*", "", value).strip() or None


def read_reference(path: Path | str) -> list[dict]:
    """Rows of {name, org_type, region, population, code} from a répertoire-like CSV."""
    text = _decode(Path(path).read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ImportErrorCSV(f"{path}: empty file")
    folded = [fold(h).strip().replace("_", " ") for h in header]
    cols: dict[str, int] = {}
    for key, names in ALIASES.items():
        for name in names:
            name = fold(name).replace("_", " ")
            if name in folded:
                cols[key] = folded.index(name)
                break
    if "name" not in cols:
        raise ImportErrorCSV(f"{path}: no name column (expected one of: {', '.join(ALIASES['name'])}); "
                             f"header is {header}")
    out = []
    for line in reader:
        if not any(c.strip() for c in line):
            continue
        get = lambda k: (line[cols[k]].strip() if k in cols and cols[k] < len(line) else "") or None  # noqa: E731
        name = get("name")
        if not name:
            continue
        designation = get("designation")
        word, org_type = DESIGNATIONS.get(fold(designation or "").strip(), (None, None))
        full = name
        if word and not fold(name).startswith(fold(word)):
            full = f"{word} {name}"
        out.append({"name": full, "org_type": org_type or (fold(designation) if designation else None),
                    "region": _region(get("region")), "population": _population(get("population")), "code": get("code"),
                    "mrc": get("mrc")})
    return out


def import_organizations(engine: Engine, path: Path | str) -> ImportReport:
    """Upsert the reference list in one transaction (bulk insert for new rows)."""
    rows = read_reference(path)
    report = ImportReport(rows=len(rows))
    with Session(engine) as s, s.begin():
        existing = {o.key: o for o in s.execute(select(Organization.id, Organization.key, Organization.name,
                                                       Organization.org_type, Organization.region,
                                                       Organization.population, Organization.code))}
        new: dict[str, dict] = {}
        for row in rows:
            display, typ, key = org_identity(row["name"], row["org_type"])
            values = {"org_type": typ or row["org_type"], "region": row["region"], "population": row["population"],
                      "code": row["code"]}
            values = {k: v for k, v in values.items() if v is not None}
            if key in new:  # the same body twice in the file: the last row wins
                new[key].update(values)
                continue
            org = existing.get(key)
            if org is None:
                new[key] = {"name": display, "key": key, **values}
                continue
            changed = {k: v for k, v in values.items() if getattr(org, k) != v}
            if changed:
                s.execute(update(Organization).where(Organization.id == org.id).values(**changed))
                report.updated += 1
            else:
                report.unchanged += 1
        if new:
            s.execute(insert(Organization), [{"org_type": None, "region": None, "population": None, "code": None,
                                              **v} for v in new.values()])
            report.inserted = len(new)
    return report
