"""`planscope schedule` against a real Prefect server on 127.0.0.1: scheduled runs fire, complete
and load the database; stopping the command stops the server it started, even after SIGKILL."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PLANSCOPE = Path(sys.executable).parent / "planscope"


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PLANSCOPE_DOC_TIMEOUT="120")
    return env


def _post(url: str, body: dict):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _scheduled_runs(api: str, state: str) -> list[dict]:
    try:
        runs = _post(f"{api}/flow_runs/filter",
                     {"limit": 50, "flow_runs": {"state": {"type": {"any_": [state]}}}})
    except OSError:
        return []
    return [r for r in runs if r.get("deployment_id") and r.get("auto_scheduled")]


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from document").fetchone()[0]
    except sqlite3.Error:
        return 0


def _server_children(pid: int) -> list:
    import psutil

    try:
        return [p for p in psutil.Process(pid).children(recursive=True)
                if "server" in p.cmdline() and "start" in p.cmdline()]
    except psutil.NoSuchProcess:
        return []


def _gone(procs: list, timeout: float) -> bool:
    import psutil

    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not alive


def test_schedule_starts_a_server_and_scheduled_runs_complete_and_load(tmp_path, samples):
    from planscope.flows.local_server import free_port

    (tmp_path / "doc.txt").write_bytes((samples / "003_820aabac6aeefe41.txt").read_bytes())
    reg = tmp_path / "sources.csv"
    reg.write_text("organization,url\nMRC de Bellechasse,doc.txt\n", encoding="utf-8")
    db = tmp_path / "planscope.db"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    log = open(tmp_path / "schedule.log", "wb")
    proc = subprocess.Popen([str(PLANSCOPE), "schedule", "--interval", "5", "--sources", str(reg),
                             "--db", f"sqlite:///{db}", "--port", str(port)], env=_env(tmp_path / "home"),
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    servers = []
    try:
        deadline = time.monotonic() + 300
        completed = []
        while time.monotonic() < deadline and proc.poll() is None:
            servers = servers or _server_children(proc.pid)
            completed = _scheduled_runs(api, "COMPLETED")
            if completed and _documents(db):
                break
            time.sleep(2)
        output = (tmp_path / "schedule.log").read_text(errors="replace")
        assert proc.poll() is None, f"schedule exited early:\n{output[-3000:]}"
        assert completed, f"no scheduled run completed ({len(_scheduled_runs(api, 'FAILED'))} failed, " \
                          f"{len(_scheduled_runs(api, 'CRASHED'))} crashed); {_documents(db)} documents\n{output[-3000:]}"
        assert _documents(db) == 1
        assert "Prefect server started on http://127.0.0.1:" in output
        assert "Cannot schedule flows on an ephemeral server" not in output
        assert servers, "the Prefect server is not a child of the command"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        log.close()
    assert _gone(servers, 30), "the Prefect server outlived `planscope schedule`"


def test_local_server_dies_with_its_parent_even_after_sigkill(tmp_path):
    """The server is started with PR_SET_PDEATHSIG: killing the parent with SIGKILL stops it."""
    import psutil

    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from planscope.flows.local_server import local_server\n"
        "with local_server() as api:\n"
        "    print(api, flush=True)\n"
        "    time.sleep(600)\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], env=_env(tmp_path / "home"), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    servers = []
    try:
        api = proc.stdout.readline().strip()
        assert api.startswith("http://127.0.0.1:"), api
        servers = _server_children(proc.pid)
        assert servers
        proc.kill()
        proc.wait(10)
        assert _gone(servers, 30), "the Prefect server survived the SIGKILL of its parent"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for p in servers:  # never leave one behind, even when the test fails
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
