"""The command line: every command has help and is documented; extract writes the exchange format."""
from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from planscope.cli.main import main

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_command_has_help_and_is_documented():
    runner = CliRunner()
    readme = README.read_text(encoding="utf-8")
    assert runner.invoke(main, ["--help"]).exit_code == 0
    for name, cmd in main.commands.items():
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0, name
        assert (cmd.help or "").strip(), f"{name} has no help text"
        assert re.search(rf"planscope {re.escape(name)}\b", readme), f"{name} is not documented in README.md"


def test_extract_writes_exchange_format(samples, tmp_path):
    res = CliRunner().invoke(main, ["extract", str(samples / "003_820aabac6aeefe41.txt"), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "003_820aabac6aeefe41.txt.json").read_text(encoding="utf-8"))
    assert data["is_plan"] is True and data["organization"] == "MRC de Bellechasse"
    assert data["period"] == [2021, 2025]
    rec = data["records"][1]
    assert rec["level"] == "action" and rec["label"] == "Axe d’intervention" and rec["number"] == "1"
    assert rec["title"] == "Formation du Comité d’optimisation" and rec["parent"] == "r1"


def test_extract_bad_file_one_line_error_others_go_on(samples, tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(bad), str(samples / "000_585ef5ec16e0f7e4.txt"),
                                    str(tmp_path / "missing.html"), "--out", str(out)])
    assert res.exit_code == 1
    errors = [l for l in res.stderr.splitlines() if "empty.pdf" in l or "missing.html" in l]
    assert len(errors) == 2 and all(len(l) < 200 for l in errors)
    assert (out / "000_585ef5ec16e0f7e4.txt.json").exists()


def test_query_and_stats_formats(sqlite_url, samples):
    runner = CliRunner()
    from planscope.pipeline.load.db import make_engine, migrate
    from planscope.pipeline.load.store import load_result
    from planscope.pipeline.process import process_file

    engine = make_engine(sqlite_url)
    migrate(engine)
    load_result(engine, "d", process_file(samples / "drummondville-planification-2017-2022.html"))
    res = runner.invoke(main, ["stats", "--db", sqlite_url, "--format", "json"])
    data = json.loads(res.output)
    assert {k: data[k] for k in ("organizations", "documents", "plans", "axis", "orientation", "action")} == \
        {"organizations": 1, "documents": 1, "plans": 1, "axis": 3, "orientation": 17, "action": 0}
    res = runner.invoke(main, ["query", "select level, count(*) as n from record group by level order by level",
                               "--db", sqlite_url, "--format", "csv"])
    assert res.output.splitlines() == ["level,n", "axis,3", "orientation,17"]
