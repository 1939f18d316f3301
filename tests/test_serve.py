"""`planscope serve`: a real Datasette server on 127.0.0.1, started by the command line, queried over
HTTP, on SQLite and on PostgreSQL (served from a read-only SQLite snapshot)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from planscope.cli.main import main as cli
from planscope.pipeline.load.db import make_engine, migrate
from planscope.pipeline.load.store import OrgInfo, load_result

PLANSCOPE = Path(sys.executable).parent / "planscope"
SAMPLE_DOCS = [("003_820aabac6aeefe41.txt", "MRC de Bellechasse", "mrc", "Chaudière-Appalaches"),
               ("001_a15fe024465434f4.txt", "Ville de Bécancour", "ville", "Centre-du-Québec"),
               ("002_5983b16d3af4e8d6.txt", "Ville de La Louvière", "commune", "Wallonie")]


@pytest.fixture(scope="module")
def sample_results(samples):
    from planscope.pipeline.process import process_file

    return [(name, process_file(samples / name), org, typ, region) for name, org, typ, region in SAMPLE_DOCS]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db_url, sample_results, tmp_path):
    """`planscope serve` on a loaded database: (base URL, process, stderr file, db_url)."""
    engine = make_engine(db_url)
    migrate(engine)
    for name, result, org, typ, region in sample_results:
        load_result(engine, name, result, OrgInfo(name=org, org_type=typ, region=region))
    engine.dispose()
    port = _free_port()
    err = tmp_path / "serve.err"
    proc = subprocess.Popen([str(PLANSCOPE), "serve", "--db", db_url, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=err.open("w"), env={**os.environ, "TMPDIR": str(tmp_path)})
    base = f"http://127.0.0.1:{port}/planscope"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(base + ".json", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"planscope serve did not answer: {err.read_text()}")
        time.sleep(0.3)
    yield base, proc, err, db_url
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _get(url: str, **params) -> dict:
    r = httpx.get(url, params=params, timeout=30)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.json()


def test_serve_facets_queries_search_read_only(served, tmp_path):
    base, proc, err, db_url = served
    said = err.read_text(encoding="utf-8")
    assert "instantané SQLite en lecture seule" in said and ("PostgreSQL" in said) == db_url.startswith("postgresql")
    assert "http://127.0.0.1:" in said
    # facets on the actions: organisation, region, theme (labels), period
    d = _get(base + "/v_action.json", _size=5)
    facets = d["facet_results"]
    assert {"organization", "region", "theme_labels", "period"} <= set(facets)
    orgs = {f["value"]: f["count"] for f in facets["organization"]["results"]}
    assert {"MRC de Bellechasse", "Ville de Bécancour", "Ville de La Louvière"} == set(orgs)
    assert "Ressources humaines" in {f["value"] for f in facets["theme_labels"]["results"]}
    assert {"2021–2025", "période inconnue"} <= {f["value"] for f in facets["period"]["results"]}
    # … and the level on every record
    d = _get(base + "/v_record.json", _size=0)
    assert {f["value"] for f in d["facet_results"]["level"]["results"]} == {"axe", "orientation", "action"}
    # filtering by a facet value
    d = _get(base + "/v_action.json", organization="MRC de Bellechasse", _size=100, _shape="objects")
    assert d["rows"] and all(r["organization"] == "MRC de Bellechasse" for r in d["rows"])
    # full-text search on titles, accents folded
    rows = _get(base + "/v_action.json", _search="developpement", _shape="array")
    assert rows and all("développement" in r["title"].lower() for r in rows)
    rows = _get(base + "/record.json", _search="budget", _shape="array")
    assert "Adopter un budget et un PTI responsable" in {r["title"] for r in rows}
    # canned queries
    rows = _get(base + "/actions_par_theme.json", theme="rh", _shape="array")
    assert rows and {r["organization"] for r in rows} <= set(orgs)
    assert _get(base + "/actions_par_theme.json", theme="Ressources humaines", _shape="array") == rows
    regions = _get(base + "/plans_par_region.json", _shape="array")
    assert {r["region"] for r in regions} == {"Chaudière-Appalaches", "Centre-du-Québec", "Wallonie"}
    assert isinstance(_get(base + "/plans_finissant_cette_annee.json", _shape="array"), list)
    # French metadata
    meta = _get(base.rsplit("/", 1)[0] + "/-/metadata.json")
    tables = meta["databases"]["planscope"]["tables"]
    assert tables["v_action"]["title"] == "Actions" and "organisation" in tables["v_action"]["description"]
    assert tables["document"]["units"]["size"] == "byte"
    # read-only: no statement but SELECT, and the snapshot is immutable
    r = httpx.get(base + ".json", params={"sql": "delete from record"}, timeout=30)
    assert r.status_code == 400
    dbs = _get(base.rsplit("/", 1)[0] + "/-/databases.json")
    assert [(x["name"], x["is_mutable"]) for x in dbs] == [("planscope", False)]
    # stopping removes the snapshot
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert not list(tmp_path.glob("planscope-serve-*"))
    assert "serve arrêté" in err.read_text(encoding="utf-8")


def test_serve_missing_database_is_one_line(tmp_path):
    res = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'absent.db'}"])
    assert res.exit_code != 0 and "does not exist" in res.output and len(res.output.strip().splitlines()) == 1
