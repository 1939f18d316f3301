"""Reprocessing by rules version: a lexicon edit re-extracts the documents loaded under the old rules;
only the document whose records change gets a new plan version, the other only its new fingerprint.

The edit is made in a copy of the code (pipeline, extractors, models, flows) that `planscope run`
runs from, so the fingerprint is computed from the edited files exactly as in production."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "reprocess"  # a.txt labels its actions "Initiative", b.txt "Action"


def _run(code: Path, reg: Path, db: str, *extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "PREFECT_HOME": str(code.parent / "prefect")}
    env.pop("PLANSCOPE_RULES_FINGERPRINT", None)
    res = subprocess.run([sys.executable, "-m", "planscope.cli.main", "run", "--sources", str(reg), "--db", db,
                          "--format", "json", *extra], cwd=code, env=env, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    return json.loads(res.stdout)


def _plans(db: str) -> list[tuple]:
    engine = create_engine(db)
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(text(
            "SELECT s.location, p.version, p.is_current, d.rules_fingerprint, "
            "(SELECT count(*) FROM record r WHERE r.plan_id = p.id AND r.level = 'action') "
            "FROM plan p JOIN source s ON s.id = p.source_id JOIN document d ON d.id = p.document_id "
            "ORDER BY s.location, p.version"))]
    engine.dispose()
    return rows


def test_a_lexicon_edit_reextracts_and_versions_only_the_changed_plan(tmp_path):
    code = tmp_path / "code"
    # the installed layout: the checkout's folders as subpackages of planscope
    shutil.copytree(ROOT / "planscope", code / "planscope", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("pipeline", "extractors", "models", "flows"):
        shutil.copytree(ROOT / folder, code / "planscope" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("a.txt", "b.txt"):
        shutil.copy(DOCS / name, tmp_path / name)
    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url\nVille de Val-Joli,a.txt\nMunicipalité de Mont-Clair,b.txt\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'plans.db'}"

    first = _run(code, reg, db)
    assert (first["loaded"], first["unchanged"], first["reextracted"]) == (2, 0, 0)
    fp1 = first["rules_fingerprint"]
    assert _plans(db) == [("a.txt", 1, True, fp1, 6), ("b.txt", 1, True, fp1, 6)]

    lexicon = code / "planscope" / "pipeline" / "data" / "lexicon.json"
    data = json.loads(lexicon.read_text(encoding="utf-8"))
    data["levels"]["action"].remove("initiative")  # a.txt's actions lose their label
    lexicon.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    second = _run(code, reg, db)
    fp2 = second["rules_fingerprint"]
    assert fp2 != fp1
    assert (second["loaded"], second["reextracted"], second["new_versions"], second["unchanged"]) == (2, 2, 1, 0)
    # a.txt: a new version, current; b.txt: same records, so the same plan, under the new fingerprint
    assert _plans(db) == [("a.txt", 1, False, fp2, 6), ("a.txt", 2, True, fp2, 0), ("b.txt", 1, True, fp2, 6)]

    third = _run(code, reg, db)  # nothing to parse: the database answers, Prefect is not started
    assert (third["loaded"], third["unchanged"], third["prefect_started"]) == (0, 2, False)
    assert second["prefect_started"] is True

    forced = _run(code, reg, db, "--reprocess")
    assert (forced["loaded"], forced["reextracted"], forced["new_versions"]) == (2, 2, 0)
    assert len(_plans(db)) == 3


def test_fingerprint_covers_code_and_rule_data_and_can_be_overridden(monkeypatch):
    from planscope.pipeline.load.fingerprint import ENV, rule_files, rules_fingerprint

    names = {n for n, _ in rule_files()}
    assert {"pipeline/data/lexicon.json", "pipeline/data/themes.json", "extractors/pdf/document.py",
            "pipeline/structure/levels.py", "pipeline/structure/plan.py"} <= names
    fp = rules_fingerprint()
    assert len(fp) == 64 and fp == rules_fingerprint()
    monkeypatch.setenv(ENV, "my-rules-2027")
    assert rules_fingerprint() == "my-rules-2027"
