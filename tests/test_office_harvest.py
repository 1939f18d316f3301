"""A municipal page linking to a Word plan and a spreadsheet plan, served on 127.0.0.1, harvested
and loaded by the real flow into SQLite and PostgreSQL: both documents land in the database with
their records, the legacy .doc beside them as unsupported with its reason."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from httpfaults import serve_folder
from office_factory import encrypt, legacy_ole, render
from office_plans import sheet_plan, word_plan
from planscope.extractors.office import container as C

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Plan d'actions</title></head>
<body><main><h1>Documents du plan d'actions</h1>
<ul><li><a href="docs/plan-actions.docx">Plan d'actions (Word)</a></li>
<li><a href="docs/tableau-actions.xlsx">Tableau des actions (Excel)</a></li>
<li><a href="docs/ancien.doc">Ancienne version (Word 97)</a></li></ul></main></body></html>"""


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def office_site(tmp_path):
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "plans.html").write_text(PAGE, encoding="utf-8")
    (site / "docs" / "plan-actions.docx").write_bytes(render(word_plan()))
    (site / "docs" / "tableau-actions.xlsx").write_bytes(render(sheet_plan()))
    (site / "docs" / "ancien.doc").write_bytes(legacy_ole(encrypt(render(word_plan()), "x"), "WordDocument"))

    with serve_folder(site) as url:
        yield url


@pytest.mark.parametrize("db", ["sqlite_url", pytest.param("pg_url", marks=pytest.mark.postgres)])
def test_page_linking_to_docx_and_xlsx_plans_is_harvested_and_loaded(prefect_harness, db, request, tmp_path,
                                                                     office_site):
    db_url = request.getfixturevalue(db)
    from planscope.flows.harvest_flow import run_pipeline
    from planscope.models.schema import Document, Plan, RecordRow, Source
    from planscope.pipeline.load.db import make_engine
    from sqlalchemy.orm import Session

    reg = tmp_path / "sources.csv"
    reg.write_text(f"organization,url\nCommune d'Exemple,{office_site}/plans.html\n", encoding="utf-8")
    kw = dict(raw_dir=str(tmp_path / "raw"), allowed_hosts=["127.0.0.1"], delay=0.0)
    summary = run_pipeline(str(reg), db_url, **kw)
    assert summary["harvest"]["new"] == 4  # the page and its three documents
    with Session(make_engine(db_url)) as s:
        docs = {loc.rsplit("/", 1)[-1]: d for d, loc in s.execute(
            select(Document, Source.location).join(Source, Source.id == Document.source_id))}
        assert docs["plan-actions.docx"].media_type == C.DOCX and docs["plan-actions.docx"].status == "ok"
        assert docs["tableau-actions.xlsx"].media_type == C.XLSX and docs["tableau-actions.xlsx"].status == "ok"
        assert docs["ancien.doc"].status == "unsupported" and "Word 97" in docs["ancien.doc"].error
        for name in ("plan-actions.docx", "tableau-actions.xlsx"):
            d = docs[name]
            assert d.is_plan
            plan = s.scalars(select(Plan).where(Plan.document_id == d.id)).one()
            levels = [r.level for r in s.scalars(select(RecordRow).where(RecordRow.plan_id == plan.id))]
            assert levels.count("axis") == 2 and levels.count("orientation") == 4 and levels.count("action") == 12
    again = run_pipeline(str(reg), db_url, **kw)  # idempotent: nothing new, nothing reloaded
    assert again["loaded"] == 0 and again["harvest"]["documents_stored"] == 0
