"""Comparing plans: reference-list import, analyst views, full-text search, the benchmark report
(table, JSON, CSV, self-contained HTML), on SQLite and PostgreSQL. No Prefect."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planscope.pipeline.report.benchmark import benchmark
from planscope.pipeline.report.benchmark_text import render_rows, render_table
from planscope.pipeline.load.db import make_engine, migrate
from planscope.pipeline.report.html import render_html

from sample_plans import load_samples, process_samples

ROOT = Path(__file__).resolve().parent.parent
REPERTOIRE = ROOT / "tests" / "fixtures" / "repertoire_sample.csv"
REPORT_KEYS = {"target", "peer_group", "levels", "practices", "themes", "theme_gaps", "theme_matrix", "plan_age",
               "similar_actions", "similarity"}


@pytest.fixture(scope="module")
def sample_results(samples):
    return process_samples(samples)


_load = load_samples


# -- reference list ------------------------------------------------------------
def _import_twice(url):
    from planscope.pipeline.load.orgs import import_organizations

    engine = make_engine(url)
    migrate(engine)
    first = import_organizations(engine, REPERTOIRE)
    assert first.rows == 12 and first.inserted == 12 and first.updated == 0
    with engine.connect() as conn:
        before = conn.exec_driver_sql("select key, name, org_type, region, population, code from organization "
                                      "order by key").all()
    second = import_organizations(engine, REPERTOIRE)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 12)
    with engine.connect() as conn:
        after = conn.exec_driver_sql("select key, name, org_type, region, population, code from organization "
                                     "order by key").all()
    assert before == after
    rows = {r.key: r for r in after}
    assert rows["mrc:bellechasse"].name == "MRC de Bellechasse"
    assert rows["mrc:bellechasse"].region == "Chaudière-Appalaches" and rows["mrc:bellechasse"].population == 52140
    assert rows["ville:drummondville"].code == "49058"
    return engine


def test_orgs_import_is_idempotent(db_url):
    _import_twice(db_url)


def test_orgs_import_completes_orgs_created_by_loading(sqlite_url, sample_results):
    from planscope.pipeline.load.orgs import import_organizations

    engine = _load(sqlite_url, sample_results[:1])
    rep = import_organizations(engine, REPERTOIRE)
    assert rep.inserted == 11 and rep.updated == 1  # Bellechasse existed: population and code added
    with engine.connect() as conn:
        n, pop = conn.exec_driver_sql("select count(*), max(population) from organization "
                                      "where key = 'mrc:bellechasse'").one()
    assert (n, pop) == (1, 52140)


# -- views and search ----------------------------------------------------------
def _check_views(engine):
    with engine.connect() as conn:
        actions = conn.exec_driver_sql("select count(*) from record where level = 'action'").scalar_one()
        rows = conn.exec_driver_sql("select * from v_action order by action_id").mappings().all()
        cov = conn.exec_driver_sql("select * from v_theme_coverage order by plan_id, theme_code").mappings().all()
    assert len(rows) == actions == 85
    pti = next(r for r in rows if r["title"] == "Adopter un budget et un PTI responsable")
    assert pti["organization"] == "Ville de Bécancour" and "finances" in pti["themes"]
    assert pti["orientation"] and pti["axis"]
    assert any(r["indicators"] for r in rows)
    assert all(r["themes"] is None or "." not in r["themes"] for r in rows)
    assert cov and {"plan_id", "theme_code", "records", "actions", "plan_actions", "action_share"} <= set(cov[0])
    bell = [r for r in cov if r["organization"] == "MRC de Bellechasse"]
    assert {r["theme_code"] for r in bell} >= {"services"}
    assert all(0 <= (r["action_share"] or 0) <= 1 for r in cov)


def test_views_sqlite(sqlite_url, sample_results):
    _check_views(_load(sqlite_url, sample_results))


@pytest.mark.postgres
def test_views_and_french_search_postgres(pg_url, sample_results):
    engine = _load(pg_url, sample_results)
    _check_views(engine)
    with engine.connect() as conn:
        idx = conn.exec_driver_sql("select indexdef from pg_indexes where indexname = 'ix_record_title_fts'"
                                   ).scalar_one()
        hits = conn.exec_driver_sql("select title from search_records('budgets responsables')").scalars().all()
        plan = conn.exec_driver_sql("explain select id from record where to_tsvector('french', title) "
                                    "@@ websearch_to_tsquery('french', 'budget')").scalars().all()
    assert "gin" in idx and "french" in idx
    assert "Adopter un budget et un PTI responsable" in hits  # French stemming: budgets → budget
    assert plan


# -- benchmark on the sample corpus ----------------------------------------------
def test_benchmark_mrc_falls_back_to_all_and_says_so(sqlite_url, sample_results, tmp_path):
    engine = _load(sqlite_url, sample_results)
    rep = benchmark(engine, "MRC de Bellechasse", peers="type", year=2026)
    assert set(rep) == REPORT_KEYS
    g = rep["peer_group"]
    assert g["fallback"] is True and g["basis"] == "all" and g["count"] == 2
    assert "Aucune autre organisation avec un plan de type « mrc »" in g["message"]
    assert "Ville de Bécancour" in g["message"] and "Ville de La Louvière" in g["message"]
    assert rep["target"]["plan"]["period_start"] == 2021 and rep["target"]["plan"]["age_years"] == 5
    assert [r["level"] for r in rep["levels"]] == ["axis", "orientation", "action"]
    assert rep["levels"][2]["target"] == 7
    assert "services" not in rep["theme_gaps"]["missing_in_target"]
    json.loads(json.dumps(rep))  # JSON-ready
    for s in rep["similar_actions"]:
        scores = [m["score"] for m in s["matches"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
    assert any(s["matches"] for s in rep["similar_actions"])
    text = render_table(rep)
    assert "NOTE : Aucune autre organisation" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    rows = list(csv.DictReader(io.StringIO("\n".join(
        ["section,item,target,peers,detail"] + [",".join(json.dumps(str(v)) for v in r.values())
                                                  for r in render_rows(rep)]))))
    assert {r["section"] for r in rows} >= {"level", "practice", "theme", "peer_group"}
    html = render_html(rep)
    assert html.startswith("<!DOCTYPE html>") and 'class="heat"' in html and "<style>" in html
    low = html.lower()
    assert "<script" not in low and " src=" not in low and "<link" not in low and "href=" not in low
    assert "Aucune autre organisation" in html


def test_benchmark_cli_all_formats(sqlite_url, sample_results, tmp_path):
    from planscope.cli.main import main

    _load(sqlite_url, sample_results)
    cli = main
    runner = CliRunner()
    res = runner.invoke(cli, ["benchmark", "MRC de Bellechasse", "--peers", "type", "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    assert "Comparaison faite avec les 2 autres organisations" in " ".join(res.output.split())
    res = runner.invoke(cli, ["benchmark", "Bellechasse (MRC)", "--format", "json", "--db", sqlite_url])
    assert res.exit_code == 0 and json.loads(res.stdout)["target"]["organization"] == "MRC de Bellechasse"
    out = tmp_path / "b.html"
    res = runner.invoke(cli, ["benchmark", "Bécancour", "--peers", "La Louvière,Nulle-Part", "--format", "html",
                              "--out", str(out), "--db", sqlite_url])
    assert res.exit_code == 0 and 'class="heat"' in out.read_text(encoding="utf-8")
    res = runner.invoke(cli, ["benchmark", "Bécancour", "--peers", "La Louvière", "--format", "csv",
                              "--db", sqlite_url])
    assert res.exit_code == 0 and res.stdout.startswith("section,item,target,peers,detail")
    res = runner.invoke(cli, ["benchmark", "Ville de Nulle-Part", "--db", sqlite_url])
    assert res.exit_code != 0 and "aucune organisation ne correspond seule à « Ville de Nulle-Part »" in res.output
    assert len(res.output.strip().splitlines()) == 1
    for args in (["orgs", "--help"], ["orgs", "import", "--help"], ["themes", "list"], ["benchmark", "--help"]):
        assert runner.invoke(cli, args).exit_code == 0, args
    res = runner.invoke(cli, ["orgs", "import", str(REPERTOIRE), "--db", sqlite_url, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["inserted"] == 10  # Bellechasse and Bécancour existed
    res = runner.invoke(cli, ["themes", "tag", "--db", sqlite_url, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["theme_rows"] == 0  # untagged records stay untagged


# -- benchmark on a small synthetic database (both dialects) ---------------------
def _synthetic(url):
    from synthetic_db import build

    build(url, plans=40, actions=2400, seed=3)
    engine = make_engine(url)
    with engine.connect() as conn:
        target, typ, region = conn.exec_driver_sql(
            "select name, org_type, region from organization where id = 1").one()
        same_type = conn.exec_driver_sql("select count(*) from organization where org_type = "
                                         f"'{typ}' and id <> 1").scalar_one()
        names = conn.exec_driver_sql("select name from organization where id in (2, 3)").scalars().all()
    rep = benchmark(engine, target, peers="type", min_peers=1, max_peer_actions=200, max_similarity_peers=5)
    assert rep["peer_group"]["count"] == same_type and not rep["peer_group"]["fallback"]
    assert all(p["org_type"] == typ for p in rep["peer_group"]["peers"])
    assert rep["similarity"]["peers_compared"] == min(5, same_type)
    assert rep["similarity"]["peer_actions_considered"] <= 200
    assert sum(r["target"] for r in rep["levels"]) > 0
    assert all(0 <= (r["target"] or 0) <= 1 for r in rep["practices"])
    assert len(rep["theme_matrix"]["shares"]) == same_type + 1
    rep = benchmark(engine, target, peers="region", min_peers=100)
    assert rep["peer_group"]["fallback"] and rep["peer_group"]["count"] == 39
    rep = benchmark(engine, target, peers=",".join(names))
    assert rep["peer_group"]["basis"] == "list" and rep["peer_group"]["count"] == 2
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from v_action").scalar_one() == 2400
        assert conn.exec_driver_sql("select count(distinct plan_id) from v_theme_coverage").scalar_one() == 40


def test_benchmark_synthetic(db_url):
    _synthetic(db_url)
