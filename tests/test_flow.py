"""The Prefect flow runs end to end under Prefect's test harness; a second run changes nothing."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_loads_every_sample_and_is_idempotent(prefect_harness, sqlite_url, samples):
    from planscope.flows.harvest_flow import run_pipeline
    from planscope.pipeline.load.db import make_engine
    from planscope.pipeline.load.store import stats

    first = run_pipeline(str(samples / "sources.csv"), sqlite_url)
    assert first["documents"] == 11 and first["loaded"] == 11 and not first["failures"]
    counts = stats(make_engine(sqlite_url))
    assert counts["documents"] == 11 and counts["plans"] == 9
    second = run_pipeline(str(samples / "sources.csv"), sqlite_url)
    assert second["loaded"] == 0 and second["unchanged"] == 11
    assert stats(make_engine(sqlite_url)) == counts


def test_flow_records_a_bad_document_and_goes_on(prefect_harness, sqlite_url, tmp_path, samples):
    from planscope.flows.harvest_flow import run_pipeline
    from planscope.pipeline.load.db import make_engine
    from planscope.pipeline.load.store import stats

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")
    (tmp_path / "ok.txt").write_bytes((samples / "003_820aabac6aeefe41.txt").read_bytes())
    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url\nMRC de Bellechasse,ok.txt\nVille de Nulle-Part,broken.pdf\n", encoding="utf-8")
    summary = run_pipeline(str(reg), sqlite_url)
    assert summary["loaded"] == 2 and len(summary["failures"]) == 1
    assert summary["failures"][0]["source"] == "broken.pdf" and summary["failures"][0]["reason"]
    counts = stats(make_engine(sqlite_url))
    assert counts["plans"] == 1 and sum(counts["statuses"].values()) == 2


@pytest.fixture
def sample_site(samples):
    """The sample corpus served over HTTP on 127.0.0.1 (a real server, loopback only)."""
    from httpfaults import serve_folder

    with serve_folder(samples) as url:
        yield url


def test_flow_harvests_web_sources_then_skips_them_when_unchanged(prefect_harness, sqlite_url, tmp_path,
                                                                   sample_site):
    from planscope.flows.harvest_flow import run_pipeline
    from planscope.pipeline.load.db import make_engine
    from planscope.pipeline.load.store import stats

    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url,organization_type\n"
                   f"Ville de Bécancour,{sample_site}/becancour-plan-100-jours.html,ville\n"
                   f"MRC de Bellechasse,{sample_site}/bellechasse-planification-2021-2025.pdf,mrc\n",
                   encoding="utf-8")
    kw = dict(raw_dir=str(tmp_path / "raw"), allowed_hosts=["127.0.0.1"], delay=0.0)
    first = run_pipeline(str(reg), sqlite_url, **kw)
    # the page, its linked PDF (followed one level deep) and the Bellechasse PDF
    assert first["loaded"] == 3 and not first["failures"], first
    assert first["harvest"]["new"] == 3
    counts = stats(make_engine(sqlite_url))
    assert counts["plans"] == 3 and counts["action"] == 27 * 2 + 7
    second = run_pipeline(str(reg), sqlite_url, **kw)
    assert second["loaded"] == 0 and second["unchanged"] == 3
    assert second["harvest"]["documents_stored"] == 0
    assert stats(make_engine(sqlite_url)) == counts


def test_flow_extracts_through_dask_workers(prefect_harness, sqlite_url, tmp_path, samples):
    from planscope.flows.harvest_flow import run_pipeline
    from planscope.pipeline.load.db import make_engine
    from planscope.pipeline.load.store import stats

    reg = tmp_path / "sources.csv"
    names = ["003_820aabac6aeefe41.txt", "drummondville-planification-2017-2022.html", "becancour-plan-100-jours.pdf"]
    reg.write_text("organization,url\n" + "".join(f",{samples / n}\n" for n in names), encoding="utf-8")
    summary = run_pipeline(str(reg), sqlite_url, workers=2)
    assert summary["loaded"] == 3 and not summary["failures"]
    assert stats(make_engine(sqlite_url))["plans"] == 3


def test_run_exits_non_zero_when_every_document_failed_and_its_counts_add_up(prefect_harness, sqlite_url,
                                                                              tmp_path):
    import json

    from click.testing import CliRunner

    from planscope.cli.main import main

    for name in ("b1.pdf", "b2.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage " + name.encode())
    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url\nA,b1.pdf\nB,b2.pdf\nC,missing.pdf\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["run", "--sources", str(reg), "--db", sqlite_url, "--format", "json"])
    assert res.exit_code == 1, res.output
    s = json.loads(res.stdout)
    assert s["documents"] == 3 == s["loaded"] + s["unchanged"] + s["not_loaded"]
    assert (s["loaded"], s["loaded_ok"], s["not_loaded"], len(s["failures"])) == (2, 0, 1, 3)
    res = CliRunner().invoke(main, ["run", "--sources", str(reg), "--db", sqlite_url])
    assert res.stdout.startswith("3 documents: 0 loaded, 2 unchanged, 1 not loaded")


def test_run_exits_non_zero_when_any_document_failed(prefect_harness, sqlite_url, tmp_path, samples):
    import json

    from click.testing import CliRunner

    from planscope.cli.main import main

    (tmp_path / "ok.txt").write_bytes((samples / "003_820aabac6aeefe41.txt").read_bytes())
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")
    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url\nMRC de Bellechasse,ok.txt\nX,bad.pdf\nY,gone.pdf\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["run", "--sources", str(reg), "--db", sqlite_url, "--format", "json"])
    assert res.exit_code == 1, res.output
    s = json.loads(res.stdout)
    assert s["documents"] == 3 == s["loaded"] + s["restored"] + s["unchanged"] + s["not_loaded"]
    assert (s["loaded"], s["loaded_ok"], s["not_loaded"]) == (2, 1, 1)
    assert sorted(f["source"] for f in s["failures"]) == ["bad.pdf", "gone.pdf"]
    (tmp_path / "gone.pdf").write_bytes((samples / "003_820aabac6aeefe41.txt").read_bytes())
    (tmp_path / "bad.pdf").unlink()
    reg.write_text("organization,url\nMRC de Bellechasse,ok.txt\nY,gone.pdf\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["run", "--sources", str(reg), "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("2 documents: 1 loaded, 1 unchanged")


def test_documents_are_dealt_into_batches_that_keep_every_worker_busy():
    from planscope.flows.harvest_flow import BATCHES_PER_WORKER, MAX_BATCH, batches

    todo = list(range(200))
    one = batches(todo, 1)
    assert len(one) == 200 // MAX_BATCH and sorted(sum(one, [])) == todo
    two = batches(todo, 2)
    assert len(two) == 2 * BATCHES_PER_WORKER and sorted(sum(two, [])) == todo
    assert max(map(len, two)) - min(map(len, two)) <= 1
    assert batches(todo[:3], 2) == [[0], [1], [2]] and batches([], 2) == []
