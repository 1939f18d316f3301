"""A run killed with SIGKILL mid-load leaves a consistent database; the next run completes it,
and the result equals an uninterrupted run: nothing duplicated, nothing lost."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PLANSCOPE = str(Path(sys.executable).parent / "planscope")


def _registry(tmp_path: Path, samples: Path, copies: int = 3) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    rows = ["organization,url"]
    for k in range(copies):
        for p in sorted(samples.iterdir()):
            if p.suffix in (".txt", ".html", ".pdf"):
                target = docs / f"{k}-{p.name}"
                shutil.copy(p, target)
                rows.append(f",{target.name}")
    reg = docs / "sources.csv"
    reg.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return reg


def _content(db: Path) -> tuple:
    """The database's content without surrogate ids or timestamps."""
    con = sqlite3.connect(db)
    try:
        docs = sorted(con.execute("select s.location, d.sha256, d.status from document d "
                                  "join source s on s.id = d.source_id").fetchall())
        recs = sorted(con.execute(
            "select s.location, p.version, r.key, r.level, r.title, coalesce(par.key, '') from record r "
            "join plan p on p.id = r.plan_id join source s on s.id = p.source_id "
            "left join record par on par.id = r.parent_id").fetchall())
        orgs = sorted(con.execute("select key from organization").fetchall())
        orphans = con.execute("select count(*) from plan p left join record r on r.plan_id = p.id "
                              "where r.id is null").fetchone()[0]
    finally:
        con.close()
    return docs, recs, orgs, orphans


def _count_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(db, timeout=1)
        try:
            return con.execute("select count(*) from document").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_load_then_rerun_equals_uninterrupted(tmp_path, samples):
    reg = _registry(tmp_path, samples)
    env = {**os.environ, "PLANSCOPE_DOC_TIMEOUT": "120"}
    ref_db, db = tmp_path / "ref.db", tmp_path / "killed.db"
    subprocess.run([PLANSCOPE, "run", "--sources", str(reg), "--db", f"sqlite:///{ref_db}"], check=True, env=env,
                   capture_output=True, timeout=600)
    proc = subprocess.Popen([PLANSCOPE, "run", "--sources", str(reg), "--db", f"sqlite:///{db}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    total = len(reg.read_text().splitlines()) - 1
    while time.monotonic() < deadline and _count_documents(db) < 3:
        time.sleep(0.05)
    loaded_when_killed = _count_documents(db)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert 3 <= loaded_when_killed < total, "the kill must land mid-load"
    docs, recs, _, orphans = _content(db)
    assert orphans == 0  # every loaded plan has its records: one transaction per document
    subprocess.run([PLANSCOPE, "run", "--sources", str(reg), "--db", f"sqlite:///{db}"], check=True, env=env,
                   capture_output=True, timeout=600)
    assert _content(db) == _content(ref_db)
