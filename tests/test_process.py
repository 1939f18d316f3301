"""pipeline.process: `planscope extract` and `planscope run` give the same records for the same bytes."""
from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import create_engine, text

from planscope.models.records import Record
from planscope.pipeline.normalise.records import normalise_records

PLAN = """Plan d'action 2024-2027 de la Ville de Val-Joli

Axe 1 : L'environnement
Objectif 1.1 : Réduire les déchets
- Action : Installer des bacs de compostage dans les parcs
- Action : Organiser une collecte de l'ampoule usagée
Axe 2 : La mobilité
Objectif 2.1 : Favoriser le vélo
- Action : Aménager une piste cyclable sur la rue principale
"""


def _cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscope", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_extract_json_and_database_rows_are_the_same_records(db_url, tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    (tmp_path / "sources.csv").write_text("organization,url\nVille de Val-Joli,plan.txt\n", encoding="utf-8")
    res = _cli("extract", str(doc), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    records = json.loads((tmp_path / "out" / "plan.txt.json").read_text(encoding="utf-8"))["records"]
    assert records and all("’" in r["title"] or "'" not in r["title"] for r in records)  # normalised in JSON too
    res = _cli("run", "--sources", str(tmp_path / "sources.csv"), "--db", db_url, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    engine = create_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(text("SELECT r.key, r.level, r.title, p.key FROM record r LEFT JOIN record p "
                              "ON p.id = r.parent_id ORDER BY r.position")).all()
        themes = c.execute(text("SELECT r.key, t.theme_code FROM record_theme t JOIN record r ON r.id = t.record_id"
                                " ORDER BY r.key, t.theme_code")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(r["id"], r["level"], r["title"], r["parent"]) for r in records]
    assert sorted((r["id"], t["code"]) for r in records for t in r.get("themes", [])) == sorted(map(tuple, themes))
    assert themes  # compost, cycling: tagged in the JSON and in the database alike


def _rec(id_, level, title, parent=None):
    return Record(id=id_, level=level, title=title, parent=parent)


def test_a_heading_repeated_after_a_page_break_is_one_record():
    recs = [_rec("a", "axis", "Mobilité"), _rec("o1", "orientation", "Vélo", "a"),
            _rec("a2", "axis", "MOBILITÉ"), _rec("o2", "orientation", "Marche", "a2")]
    kept = normalise_records(recs)
    assert [r.id for r in kept] == ["a", "o1", "o2"] and kept[2].parent == "a"


def test_same_axes_in_two_tables_stay_apart():
    """Objectives then measures, each table listing the same axes: a repeat with other siblings
    between is a distinct part, not a continuation (it was merged, and its children re-parented)."""
    recs = [_rec("a", "axis", "Énergie"), _rec("b", "axis", "Déchets"),
            _rec("a2", "axis", "Énergie"), _rec("x", "action", "Isoler l'école", "a2")]
    kept = normalise_records(recs)
    assert [r.id for r in kept] == ["a", "b", "a2", "x"] and kept[3].parent == "a2"
    assert kept[3].title == "Isoler l’école"
