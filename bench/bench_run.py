"""Benchmark of `planscope run` (issue 17): fixed costs and workers, whole commands, same run.

    .venv/bin/python bench/bench_run.py [--out DIR] [--docs 200] [--repeat 3] [--only NAME,...]

Inputs, built in DIR (default /tmp/planscope-bench-run) by tests/plan_inputs.py, deterministic:
a registry of 200 distinct documents (180 small text plans and 20 four-page PDF plans, each for
another town) and a one-page plan PDF. Measured, each run a new process on a fresh SQLite file, the
modes interleaved round by round so that the machine's other work spreads over all of them:

  plain    the same work in one plain Python process: for each document sha256, process_bytes,
           load_result (no Prefect, no isolation) — the floor `run` is compared with;
  w1, w2   `planscope run --workers 1` / `--workers 2` (Prefect flow; Dask for 2), whole command;
  samples  `planscope run` over the 11 bundled samples, and the seconds its documents took inside
           it (the sum of the batches' time, reported by the flow);
  extract1 `planscope extract` of the one-page plan (whole process).

Prints min / median / max per mode, the CPU seconds of all the processes each command started
(sampled from /proc: on a busy machine two workers cannot be faster than one, but their CPU shows
whether the second worker adds work), the ratios w1/w2 and w1/plain, the load average before each
run, and whether the databases of plain, w1 and w2 hold the same records (level, number, title,
parent, per source). The machine is shared: read the ratios of one run, and repeat.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # plan_inputs, procs: shared with the tests
from procs import session_stats  # noqa: E402
PLANSCOPE = str(Path(sys.executable).parent / "planscope")

PLAIN = r"""
import sys, time
from pathlib import Path
t = time.perf_counter()
from planscope.pipeline.load.db import make_engine, migrate
from planscope.pipeline.load.runplan import read_entries, sha256_file
from planscope.pipeline.load.store import OrgInfo, load_result
from planscope.pipeline.process import process_bytes
engine = make_engine(sys.argv[2]); migrate(engine)
for e in read_entries(sys.argv[1]):
    p = Path(e.path)
    r = process_bytes(p.read_bytes(), p.name, sha256_file(e.path))
    load_result(engine, e.location, r, OrgInfo(name=e.organization, org_type=e.organization_type,
                region=e.region, population=e.population), size=p.stat().st_size)
"""


def build(out: Path, docs: int) -> dict[str, Path]:
    from plan_inputs import make_plan_pdf, make_registry

    out.mkdir(parents=True, exist_ok=True)
    reg = out / f"registry{docs}" / "sources.csv"
    if not reg.exists():
        make_registry(reg.parent, docs)
    one = out / "plan1.pdf"
    if not one.exists():
        one.write_bytes(make_plan_pdf(1))
    return {"registry": reg, "plan1": one, "samples": ROOT / "data/raw/samples/sources.csv"}


def _session_cpu(sid: int, seen: dict[int, float]) -> None:
    """CPU seconds (user + system) of every live process of session sid, from /proc, into seen."""
    tick = os.sysconf("SC_CLK_TCK")
    for pid, fields in session_stats(sid).items():
        seen[pid] = max(seen.get(pid, 0.0), (int(fields[11]) + int(fields[12])) / tick)


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str, float]:
    """Wall seconds, stdout and the CPU seconds of the command and every process it started (its
    session, sampled every 0.1 s: Dask workers, parsing servers and children included)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT),
                         start_new_session=True)
    seen: dict[int, float] = {}
    while p.poll() is None:
        _session_cpu(p.pid, seen)
        time.sleep(0.1)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err[-2000:]}")
    return wall, out, sum(seen.values())


def records(db: Path) -> str:
    """A digest of every current record (source, level, number, title, parent's number and title)."""
    import sqlite3

    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT s.location, r.level, coalesce(r.number,''), r.title, coalesce(p.number,''), coalesce(p.title,'')"
        " FROM record r JOIN plan pl ON pl.id = r.plan_id AND pl.is_current JOIN source s ON s.id = pl.source_id"
        " LEFT JOIN record p ON p.id = r.parent_id").fetchall()
    con.close()
    return f"{len(rows)} records, sha256 {hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]}"


def run_mode(name: str, inputs: dict, work: Path, k: int, env: dict) -> tuple[float, float, dict]:
    db = work / f"{name}-{k}.db"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    if name == "plain":
        wall, _, cpu = timed([sys.executable, "-c", PLAIN, str(inputs["registry"]), url], env)
        return wall, cpu, {"db": db}
    if name in ("w1", "w2"):
        wall, out, cpu = timed([PLANSCOPE, "run", "--sources", str(inputs["registry"]), "--db", url,
                                "--workers", name[1], "--format", "json"], env)
        return wall, cpu, {"db": db, "summary": json.loads(out)}
    if name == "samples":
        wall, out, cpu = timed([PLANSCOPE, "run", "--sources", str(inputs["samples"]), "--db", url,
                                "--format", "json"], env)
        return wall, cpu, {"summary": json.loads(out)}
    if name == "extract1":
        wall, _, cpu = timed([PLANSCOPE, "extract", str(inputs["plan1"]), "--out", str(work / "extract1")], env)
        return wall, cpu, {}
    raise SystemExit(f"unknown mode {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/tmp/planscope-bench-run")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="plain,w1,w2,samples,extract1")
    a = ap.parse_args()
    out = Path(a.out)
    inputs = build(out, a.docs)
    work = out / "work"
    work.mkdir(exist_ok=True)
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect"), OMP_NUM_THREADS="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    # Prefect creates and migrates its database in a new PREFECT_HOME once (~20 s): not a run's cost.
    subprocess.run([sys.executable, "-c", "from planscope.flows.local_server import in_process_server\n"
                    "with in_process_server(): pass"], env=env, check=True, cwd=str(ROOT))
    modes = [m for m in a.only.split(",") if m]
    times: dict[str, list[float]] = {m: [] for m in modes}
    cpus: dict[str, list[float]] = {m: [] for m in modes}
    last: dict[str, dict] = {}
    loads = []
    for k in range(a.repeat):
        order = modes if k % 2 == 0 else modes[::-1]  # alternate so that no mode always runs first
        for m in order:
            loads.append(os.getloadavg()[0])
            wall, cpu, info = run_mode(m, inputs, work, k, env)
            times[m].append(wall)
            cpus[m].append(cpu)
            last[m] = info
            print(f"round {k + 1} {m}: {wall:.1f} s, {cpu:.1f} CPU s (load {loads[-1]:.1f})", file=sys.stderr,
                  flush=True)
    print(f"\n{a.docs} documents ({inputs['registry']}), {a.repeat} runs each, "
          f"load average before a run {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores\n")
    print("| mode | min s | median s | max s | CPU s (median, all processes) |\n| --- | --- | --- | --- | --- |")
    for m in modes:
        t = times[m]
        print(f"| {m} | {min(t):.1f} | {statistics.median(t):.1f} | {max(t):.1f} | {statistics.median(cpus[m]):.1f} |")
    med = {m: statistics.median(t) for m, t in times.items()}
    if "w1" in med and "w2" in med:
        print(f"\nw1 / w2 (speed-up of 2 workers): {med['w1'] / med['w2']:.2f}× (median); "
              f"best pair {min(times['w1']) / min(times['w2']):.2f}×")
    if "w1" in med and "plain" in med:
        print(f"w1 / plain process: {med['w1'] / med['plain']:.2f}× (median)")
    if "samples" in last:
        s = last["samples"]["summary"]
        print(f"samples: {s['documents']} documents, {s.get('document_seconds', '?')} s of documents in a "
              f"{s['seconds']} s run")
    dbs = {m: records(last[m]["db"]) for m in ("plain", "w1", "w2") if m in last}
    for m, digest in dbs.items():
        print(f"database {m}: {digest}")
    if len(set(dbs.values())) > 1:
        print("DIFFERENT records between modes")


if __name__ == "__main__":
    main()
