"""Clean stops of `planscope run`: Ctrl-C (SIGINT to the process group) ends it within 5 s with one
line and nothing half-loaded; after SIGKILL no process of the command outlives it."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import session_stats

ROOT = Path(__file__).resolve().parent.parent
PLANSCOPE = str(Path(sys.executable).with_name("planscope"))


def _session_members(sid: int) -> list[int]:
    """Live (non-zombie) processes of session sid, from /proc."""
    return [pid for pid, fields in session_stats(sid).items() if fields[0] != "Z"]


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("select count(*) from document").fetchone()[0]
    except sqlite3.Error:
        return 0


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """`planscope run` over the 11 samples in a session of its own, once it has loaded a document and
    is parsing the next ones."""
    db = tmp_path / "plans.db"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([PLANSCOPE, "run", "--db", f"sqlite:///{db}"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while _documents(db) < 1:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"run ended or stalled before loading a document: {proc.communicate()}")
        time.sleep(0.2)
    return proc, db


def _wait_no_members(sid: int, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_ctrl_c_stops_run_within_5_s_with_one_line_and_nothing_half_loaded(tmp_path):
    proc, db = _start(tmp_path)
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - t0
    assert took < 5, took
    assert proc.returncode == 130
    lines = [ln for ln in (out + err).splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("planscope run: stopped"), out + err
    assert _wait_no_members(proc.pid) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        # every loaded plan document has its plan and its records: no document is half there
        assert conn.execute("select count(*) from document d where d.is_plan and not exists (select 1 from plan p "
                            "join record r on r.plan_id = p.id where p.document_id = d.id)").fetchone()[0] == 0
    # a second run finishes the job and the database is the one a single run makes
    res = subprocess.run([PLANSCOPE, "run", "--db", f"sqlite:///{db}", "--format", "json"], cwd=ROOT, text=True,
                         capture_output=True, env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")},
                         timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    s = json.loads(res.stdout)
    assert s["documents"] == 11 and s["loaded"] + s["unchanged"] == 11 and s["plans"] == 9


def test_no_process_outlives_a_killed_run(tmp_path):
    proc, _ = _start(tmp_path)
    assert len(_session_members(proc.pid)) >= 2  # the command and its parsing processes
    proc.kill()
    proc.communicate(timeout=30)
    assert _wait_no_members(proc.pid) == [], "processes outlived the killed command"
