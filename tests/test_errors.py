"""Expected failures end as one line naming the thing, with a non-zero exit; --debug shows the traceback."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from planscope.cli.main import main

UNREACHABLE = "postgresql://127.0.0.1:1/x"


def _one_line(res, *needles: str) -> str:
    assert res.exit_code != 0, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1, res.output
    assert "Traceback" not in res.output
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def registry(tmp_path, samples):
    (tmp_path / "doc.txt").write_bytes((samples / "003_820aabac6aeefe41.txt").read_bytes())
    reg = tmp_path / "ok.csv"
    reg.write_text("organization,url\nMRC de Bellechasse,doc.txt\n", encoding="utf-8")
    return reg


@pytest.mark.parametrize("command", ["run", "harvest"])
def test_bad_registry_names_the_file_and_line(tmp_path, sqlite_url, command):
    bad = tmp_path / "bad.csv"
    bad.write_text("organization,url\nX,ftp://example.org/p.pdf\n", encoding="utf-8")
    _one_line(CliRunner().invoke(main, [command, "--sources", str(bad), "--db", sqlite_url]),
              "bad.csv, line 2", "bad scheme")


@pytest.mark.parametrize("command", ["run", "harvest"])
def test_missing_registry_file(tmp_path, sqlite_url, command):
    _one_line(CliRunner().invoke(main, [command, "--sources", str(tmp_path / "nope.csv"), "--db", sqlite_url]),
              "nope.csv", "does not exist")


@pytest.mark.parametrize("args", [["run", "--sources", "REG"], ["harvest", "--sources", "REG"], ["stats"],
                                  ["query", "select 1"], ["export"], ["migrate-db"], ["benchmark", "X"],
                                  ["themes", "tag"]])
def test_unreachable_database(registry, args):
    args = [str(registry) if a == "REG" else a for a in args]
    _one_line(CliRunner().invoke(main, args + ["--db", UNREACHABLE]), "cannot reach database", "127.0.0.1:1")


def test_read_only_sqlite_database(registry, sqlite_url):
    assert CliRunner().invoke(main, ["migrate-db", "--db", sqlite_url]).exit_code == 0
    path = sqlite_url[len("sqlite:///"):]
    ro = f"sqlite:///file:{path}?mode=ro&uri=true"
    for args in (["run", "--sources", str(registry)], ["themes", "tag"], ["orgs", "import", str(registry)]):
        _one_line(CliRunner().invoke(main, args + ["--db", ro]), "read-only")
    res = CliRunner().invoke(main, ["stats", "--db", ro, "--format", "json"])  # reading is fine
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("args", [["stats"], ["query", "select 1"], ["export"], ["benchmark", "X"]])
def test_read_only_commands_never_create_a_database(tmp_path, args):
    db = tmp_path / "mistyped.db"
    _one_line(CliRunner().invoke(main, args + ["--db", f"sqlite:///{db}"]), str(db), "does not exist")
    assert not db.exists()


def test_stats_on_a_missing_postgres_database(pg_url):
    missing = pg_url + "_nope"
    _one_line(CliRunner().invoke(main, ["stats", "--db", missing]), "does not exist")


def test_debug_shows_the_traceback(tmp_path, sqlite_url):
    res = CliRunner().invoke(main, ["--debug", "run", "--sources", str(tmp_path / "nope.csv"), "--db", sqlite_url])
    assert res.exit_code != 0 and res.exception is not None and not isinstance(res.exception, SystemExit)


def test_extract_names_a_folder_and_a_missing_file_and_goes_on(tmp_path, samples):
    good = samples / "003_820aabac6aeefe41.txt"
    res = CliRunner().invoke(main, ["extract", str(tmp_path), str(tmp_path / "gone.pdf"), str(good),
                                    "--out", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert f"{tmp_path}: is a folder" in res.output and "gone.pdf: cannot read" in res.output
    assert "Traceback" not in res.output
    assert (tmp_path / "out" / f"{good.name}.json").exists()


def test_harvest_allow_host_reaches_a_loopback_server_only_when_allowed(tmp_path, sqlite_url, samples):
    import json

    from httpfaults import serve_folder

    with serve_folder(samples) as url:
        reg = tmp_path / "web.csv"
        reg.write_text(f"organization,url\nMRC de Bellechasse,{url}/"
                       "003_820aabac6aeefe41.txt\n", encoding="utf-8")
        base = ["harvest", "--sources", str(reg), "--db", sqlite_url, "--raw", str(tmp_path / "raw"),
                "--delay", "0", "--format", "json"]
        refused = json.loads(CliRunner().invoke(main, base).stdout)
        assert refused["counts"]["error"] == 1 and refused["documents_stored"] == 0
        res = CliRunner().invoke(main, base + ["--allow-host", "127.0.0.1"])
        assert res.exit_code == 0, res.output
        allowed = json.loads(res.stdout)
        assert allowed["counts"]["new"] == 1 and allowed["documents_stored"] == 1
