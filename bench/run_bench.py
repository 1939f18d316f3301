"""Benchmark suite (issue 9): per-stage throughput and peak RSS next to raw-library floors.

    .venv/bin/python bench/run_bench.py [--quick] [--out DIR] [--pg URL] [--only NAME,...] [--json FILE]

Builds its own inputs in DIR (default /tmp/planscope-bench; tests/plan_inputs.py): plan PDFs of
60, 240 and 500 pages (text, bullet lists, ruled tables), a 300 KB web page and a registry of 200
documents. Every measurement runs in a fresh subprocess (so peak RSS is that measurement's own);
floors are measured in the same run: pypdfium2 text, pdfplumber extract_words, bs4+lxml.

Targets printed with a verdict: end to end (extract → structure → load into SQLite) on the 60-page
PDF ≥ 25 pages/s on one core and ≥ 4× pdfplumber extract_words; 500-page PDF under 500 MB peak RSS;
a re-run over 200 unchanged documents under 5 % of the first run (inside one process, after a
warm-up flow, so Prefect's ~14 s server start is not counted); speed-up from 1 to 2 workers; records
per second into SQLite and PostgreSQL (a scratch database is created and dropped); the whole
`planscope run` command twice (fresh SQLite, then unchanged) on the 11 samples and the registry.
--quick: 60-page PDF only for extraction, 40-document registry, fewer repeats.

The generated plan PDFs flatter the extractor (one layout, few fonts): the figures on real
documents, next to raw pdfplumber in the same run, come from ``bench/bench_real.py`` (also run
here with ``--only real``).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # plan_inputs: the generated inputs, shared with the tests

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# --------------------------------------------------------------------------- child measurements


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeat: int):
    """Median wall and CPU seconds of fn() over repeat runs (fn's last result returned)."""
    walls, cpus, res = [], [], None
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        res = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), res


def _pdf_words(path: str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    n = 0
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        n += len(tp.get_text_range().split())
        tp.close()
        page.close()
    doc.close()
    return n


def child_floor_pdfium(path: str, repeat: int) -> dict:
    import pypdfium2 as pdfium

    def run():
        doc = pdfium.PdfDocument(path)
        n = len(doc)
        for i in range(n):
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        doc.close()
        return n

    wall, cpu, n = _timed(run, repeat)
    return {"units": n, "unit": "pages", "wall": wall, "cpu": cpu, "words": _pdf_words(path)}


def child_floor_plumber(path: str, repeat: int) -> dict:
    import pdfplumber

    def run():
        with pdfplumber.open(path) as pdf:
            n = len(pdf.pages)
            for page in pdf.pages:
                page.extract_words(extra_attrs=["fontname", "size"])
                page.close()
        return n

    wall, cpu, n = _timed(run, repeat)
    return {"units": n, "unit": "pages", "wall": wall, "cpu": cpu, "words": _pdf_words(path)}


def child_floor_bs4(path: str, repeat: int) -> dict:
    from bs4 import BeautifulSoup

    html = Path(path).read_text(encoding="utf-8")
    wall, cpu, text = _timed(lambda: BeautifulSoup(html, "lxml").get_text("\n", strip=True), repeat)
    return {"units": 1, "unit": "docs", "wall": wall, "cpu": cpu, "words": len(text.split())}


def child_extract_pdf(path: str, repeat: int, engine: str) -> dict:
    os.environ["PLANSCOPE_PDF_ENGINE"] = engine
    from planscope.extractors.pdf import extract_pdf

    data = Path(path).read_bytes()
    wall, cpu, ex = _timed(lambda: extract_pdf(data, Path(path).name, time_limit=3600), repeat)
    return {"units": ex.pages, "unit": "pages", "wall": wall, "cpu": cpu, "words": _pdf_words(path),
            "blocks": len(ex.blocks), "status": ex.status}


def child_extract_html(path: str, repeat: int) -> dict:
    from planscope.extractors import extract_bytes

    data = Path(path).read_bytes()
    wall, cpu, ex = _timed(lambda: extract_bytes(data, Path(path).name), repeat)
    return {"units": 1, "unit": "docs", "wall": wall, "cpu": cpu,
            "words": sum(len(b.text.split()) for b in ex.blocks), "blocks": len(ex.blocks)}


def child_e2e(path: str, repeat: int, engine: str) -> dict:
    """extract → structure → load into a fresh SQLite file; the word lists are read first."""
    os.environ["PLANSCOPE_PDF_ENGINE"] = engine
    import hashlib

    from planscope.extractors.pdf import extract_pdf
    from planscope.pipeline.load.db import make_engine, migrate
    from planscope.pipeline.load.store import load_result
    from planscope.pipeline.normalise.themes import matcher
    from planscope.pipeline.process import finish
    from planscope.pipeline.structure.plan import structure_extraction

    from planscope.pipeline.structure.verbs import starts_with_infinitive

    t = time.perf_counter()
    starts_with_infinitive(["Mettre en place un plan"])
    matcher()
    lists_load = time.perf_counter() - t
    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    tmp = tempfile.mkdtemp()
    stages: dict[str, list[float]] = {"extract": [], "structure": [], "normalise": [], "load": []}
    walls, cpus = [], []
    for k in range(repeat):
        engine_ = make_engine(f"sqlite:///{tmp}/e2e{k}.db")
        migrate(engine_)
        c0, t0 = time.process_time(), time.perf_counter()
        ex = extract_pdf(data, Path(path).name, time_limit=3600)
        t1 = time.perf_counter()
        res = structure_extraction(ex, sha)
        t2 = time.perf_counter()
        finish(res)  # titles, repeats, theme tags: what `planscope run` loads
        tn = time.perf_counter()
        load_result(engine_, f"bench://{Path(path).name}", res)
        t3 = time.perf_counter()
        walls.append(t3 - t0)
        cpus.append(time.process_time() - c0)
        for name, dt in (("extract", t1 - t0), ("structure", t2 - t1), ("normalise", tn - t2), ("load", t3 - tn)):
            stages[name].append(dt)
        engine_.dispose()
    return {"units": ex.pages, "unit": "pages", "wall": statistics.median(walls), "cpu": statistics.median(cpus),
            "words": _pdf_words(path), "records": len(res.records), "lists_load_s": lists_load,
            "stages": {k: statistics.median(v) for k, v in stages.items()}}


def child_words(path: str, repeat: int) -> dict:
    """items/s of the structurer's verb reading (data/verbs.json) and titles/s of theme tagging, on
    every block text of the plan, with the word lists' load time."""
    from planscope.extractors.pdf import extract_pdf
    from planscope.pipeline.normalise.themes import assign, matcher
    from planscope.pipeline.structure.verbs import starts_with_infinitive, verb_lists

    ex = extract_pdf(Path(path).read_bytes(), "p.pdf", time_limit=3600)
    texts = [b.text for b in ex.blocks]
    t = time.perf_counter()
    verb_lists()
    matcher()
    load = time.perf_counter() - t
    heads = sum(min(6, len(x.split())) for x in texts)
    wall_h, _, _ = _timed(lambda: starts_with_infinitive(texts), repeat)
    wall_t, _, _ = _timed(lambda: assign(texts), repeat)
    return {"units": len(texts), "unit": "items", "wall": wall_h, "cpu": wall_h, "words": heads,
            "themes_wall": wall_t, "load_s": load}


def child_load(db_url: str, path: str, copies: int) -> dict:
    """Records/s of load_result: one plan's records loaded `copies` times (distinct sources)."""
    from planscope.extractors.pdf import extract_pdf
    from planscope.pipeline.load.db import make_engine, migrate
    from planscope.pipeline.load.store import load_result
    from planscope.pipeline.process import finish
    from planscope.pipeline.structure.plan import structure_extraction

    res = finish(structure_extraction(extract_pdf(Path(path).read_bytes(), "p.pdf", time_limit=3600), "0" * 64))
    engine = make_engine(db_url)
    migrate(engine)
    load_result(engine, "bench://warm", res)  # warm-up: connection, metadata, theme lexicon
    c, t = time.process_time(), time.perf_counter()
    for k in range(copies):
        load_result(engine, f"bench://copy{k}", res)
    wall = time.perf_counter() - t
    engine.dispose()
    return {"units": copies, "unit": "docs", "wall": wall, "cpu": time.process_time() - c,
            "records": len(res.records) * copies, "words": 0}


def _prefect_env(home: str) -> None:
    os.environ.update({"PREFECT_HOME": home, "PREFECT_LOGGING_LEVEL": "WARNING",
                       "PREFECT_LOGGING_TO_API_ENABLED": "false", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                       "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
                       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"})


def child_flow(sources: str, workers: int, runs: int) -> dict:
    """run_pipeline `runs` times on one fresh SQLite database, after a warm-up flow on an empty
    registry (Prefect's server start is paid there, not in the timed runs)."""
    home = tempfile.mkdtemp(prefix="prefect-")
    _prefect_env(home)
    from planscope.flows.harvest_flow import run_pipeline

    tmp = Path(tempfile.mkdtemp())
    empty = tmp / "empty.csv"
    empty.write_text("organization,organization_type,region,url\n", encoding="utf-8")
    db = f"sqlite:///{tmp}/flow.db"
    t = time.perf_counter()
    run_pipeline(str(empty), f"sqlite:///{tmp}/warm.db", workers=1, raw_dir=str(tmp / "raw"))
    warm = time.perf_counter() - t
    times, summaries = [], []
    for _ in range(runs):
        t = time.perf_counter()
        s = run_pipeline(sources, db, workers=workers, raw_dir=str(tmp / "raw"))
        times.append(time.perf_counter() - t)
        summaries.append({k: s.get(k) for k in ("documents", "loaded", "unchanged", "plans", "records")})
    return {"units": summaries[0]["documents"], "unit": "docs", "wall": times[0], "cpu": 0.0, "words": 0,
            "runs": times, "summaries": summaries, "warmup_s": warm}


def child_flow_cluster(sources: str, workers: int) -> dict:
    """run_pipeline through DaskTaskRunner against a local Dask cluster of `workers` processes that
    was started and warmed first (imports and word lists loaded in each worker), as a team runs it
    against a standing cluster (--dask-address): the timed run pays the documents, not the start."""
    home = tempfile.mkdtemp(prefix="prefect-")
    _prefect_env(home)
    from dask.distributed import Client, LocalCluster

    from planscope.flows.harvest_flow import run_pipeline

    tmp = Path(tempfile.mkdtemp())
    empty = tmp / "empty.csv"
    empty.write_text("organization,organization_type,region,url\n", encoding="utf-8")
    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="2GiB") as cluster, Client(cluster) as client:
        client.run(lambda: __import__("planscope.flows.warm"))
        run_pipeline(str(empty), f"sqlite:///{tmp}/warm.db", raw_dir=str(tmp / "raw"),
                     dask_address=cluster.scheduler_address)
        warm = time.perf_counter() - t
        t = time.perf_counter()
        s = run_pipeline(sources, f"sqlite:///{tmp}/flow.db", workers=workers, raw_dir=str(tmp / "raw"),
                         dask_address=cluster.scheduler_address)
        wall = time.perf_counter() - t
    summary = {k: s.get(k) for k in ("documents", "loaded", "unchanged", "plans", "records")}
    return {"units": summary["documents"], "unit": "docs", "wall": wall, "cpu": 0.0, "words": 0,
            "runs": [wall], "summaries": [summary], "warmup_s": warm}


CHILDREN = {"floor_pdfium": child_floor_pdfium, "floor_plumber": child_floor_plumber, "floor_bs4": child_floor_bs4,
            "extract_pdf": child_extract_pdf, "extract_html": child_extract_html, "e2e": child_e2e,
            "words": child_words, "load": child_load, "flow": child_flow,
            "flow_cluster": child_flow_cluster}


def _child_main(argv: list[str]) -> None:
    name, args = argv[0], json.loads(argv[1])
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    out = CHILDREN[name](**args)
    out["peak_rss_mb"] = _peak_mb()
    print("@@RESULT " + json.dumps(out), flush=True)


# --------------------------------------------------------------------------- driver


def run_child(name: str, timeout: float = 3600, **args) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, __file__, "--child", name, json.dumps(args)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:g} s"}
    for line in p.stdout.splitlines():
        if line.startswith("@@RESULT "):
            return json.loads(line[len("@@RESULT "):])
    return {"error": (p.stderr.strip().splitlines() or ["no output"])[-1][:200]}


def _rate(r: dict, key: str = "units") -> float:
    return r[key] / r["wall"] if r.get("wall") else 0.0


def _pg_scratch(url: str):
    """(scratch database URL, drop function) or (None, reason)."""
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        name = f"planscope_bench_{os.getpid()}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))

        def drop():
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return make_url(url).set(database=name).render_as_string(hide_password=False), drop
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}".splitlines()[0][:150]


def cli_twice(sources: str) -> dict:
    """Wall seconds of the whole `planscope run` command, twice on one fresh SQLite database (the
    second over unchanged documents), each in a new process as a user or cron runs it."""
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect")}
    env.pop("PREFECT_API_URL", None)
    exe = str(Path(sys.executable).with_name("planscope"))
    times, outs = [], []
    for _ in range(2):
        t = time.perf_counter()
        res = subprocess.run([exe, "run", "--sources", sources, "--db", f"sqlite:///{tmp}/cli.db"], env=env,
                             capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
        outs.append(res.stdout.splitlines()[0] if res.stdout else res.stderr[-300:])
    return {"runs": times, "summaries": outs}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        _child_main(argv[1:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default="/tmp/planscope-bench")
    ap.add_argument("--pg", default=os.environ.get("PLANSCOPE_BENCH_PG", PG_DEFAULT))
    ap.add_argument("--only", default="", help="comma-separated sections: pdf,big,html,words,sql,flow,cli,workers,cluster,real")
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    only = set(filter(None, a.only.split(",")))
    want = lambda s: not only or s in only  # noqa: E731
    if "real" in only:  # real documents against raw pdfplumber (bench_real.py), then the other sections
        import bench_real

        bench_real.main(["--runs", "1" if a.quick else "3"])
        only.discard("real")
        if not only:
            return 0
    import plan_inputs as M

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [60] if a.quick else [60, 240, 500]
    for n in sizes:
        if not (out / f"plan{n}.pdf").exists():
            (out / f"plan{n}.pdf").write_bytes(M.make_plan_pdf(n))
    html = out / "page300k.html"
    if not html.exists():
        html.write_text(M.make_html(), encoding="utf-8")
    reg_n = 40 if a.quick else 200
    reg = out / f"registry{reg_n}"
    if not (reg / "sources.csv").exists():
        M.make_registry(reg, reg_n)
    rep = 1 if a.quick else 3
    p60 = str(out / "plan60.pdf")
    R: dict[str, dict] = {}
    rows: list[tuple] = []

    def row(stage, r, floor=None, floor_name="", unit_key="units", note=""):
        if "error" in r:
            rows.append((stage, "ERROR", "", "", "", "", r["error"]))
            return
        rate = _rate(r, unit_key)
        wps = r["words"] / r["wall"] if r.get("words") and r.get("wall") else None
        ratio = f"{rate / _rate(floor):.2f}× {floor_name}" if floor and "error" not in floor and _rate(floor) else ""
        rows.append((stage, f"{rate:,.1f} {r['unit'] if unit_key == 'units' else unit_key}/s",
                     f"{wps:,.0f}" if wps else "", f"{r['peak_rss_mb']:.0f}", f"{r['wall']:.2f}", ratio, note))

    if want("pdf") or want("big"):
        R["floor_pdfium"] = run_child("floor_pdfium", path=p60, repeat=rep + 2)
        R["floor_plumber"] = run_child("floor_plumber", path=p60, repeat=rep)
        row("floor: pypdfium2 get_text_range, 60 p", R["floor_pdfium"])
        row("floor: pdfplumber extract_words, 60 p", R["floor_plumber"], R["floor_pdfium"], "pdfium")
    if want("pdf"):
        for eng in ("pdfplumber", "auto"):
            R[f"extract_{eng}"] = r = run_child("extract_pdf", path=p60, repeat=rep, engine=eng)
            row(f"extract_pdf engine={eng}, 60 p", r, R["floor_plumber"], "plumber words",
                note=f"{r.get('blocks')} blocks")
        for eng in ("auto",) if a.quick else ("auto", "pdfplumber"):
            R[f"e2e_{eng}"] = r = run_child("e2e", path=p60, repeat=rep, engine=eng)
            st = r.get("stages", {})
            row(f"end to end (extract+structure+SQLite) {eng}, 60 p", r, R["floor_plumber"], "plumber words",
                note=", ".join(f"{k} {v:.2f}s" for k, v in st.items()) + f"; {r.get('records')} records"
                if st else "")
    if want("big") and not a.quick:
        for n in (240, 500):
            R[f"extract_{n}"] = r = run_child("extract_pdf", path=str(out / f"plan{n}.pdf"), repeat=1, engine="auto")
            row(f"extract_pdf engine=auto, {n} p", r, R["floor_plumber"], "plumber words")
    if want("html"):
        R["floor_bs4"] = run_child("floor_bs4", path=str(html), repeat=rep + 2)
        R["extract_html"] = run_child("extract_html", path=str(html), repeat=rep + 2)
        row("floor: bs4+lxml get_text, 300 KB page", R["floor_bs4"])
        row("extract_bytes (HTML extractor), 300 KB page", R["extract_html"], R["floor_bs4"], "bs4")
    if want("words"):
        R["words"] = r = run_child("words", path=p60, repeat=rep)
        if "error" not in r:
            rows.append(("verb list: item openings", f"{_rate(r):,.0f} items/s", f"{r['words'] / r['wall']:,.0f}",
                         f"{r['peak_rss_mb']:.0f}", f"{r['wall']:.2f}", "", f"word lists load {r['load_s']:.2f}s"))
            rows.append(("theme tagging: all block texts", f"{r['units'] / r['themes_wall']:,.0f} items/s", "", "",
                         f"{r['themes_wall']:.2f}", "", ""))
        else:
            row("word lists", r)
    if want("sql"):
        copies = 10 if a.quick else 40
        tmp = tempfile.mkdtemp()
        R["load_sqlite"] = r = run_child("load", db_url=f"sqlite:///{tmp}/load.db", path=p60, copies=copies)
        row("load_result → SQLite", r, unit_key="records", note=f"{copies} plans")
        pg, drop = _pg_scratch(a.pg)
        if pg:
            try:
                R["load_pg"] = r = run_child("load", db_url=pg, path=p60, copies=copies)
                row("load_result → PostgreSQL", r, unit_key="records", note=f"{copies} plans, scratch db dropped")
            finally:
                drop()
        else:
            rows.append(("load_result → PostgreSQL", "SKIPPED", "", "", "", "", drop))
    if want("flow"):
        R["flow"] = r = run_child("flow", sources=str(reg / "sources.csv"), workers=1, runs=2)
        if "error" not in r:
            first, second = r["runs"]
            rows.append((f"flow run 1 (fresh db), {r['units']} docs, 1 worker", f"{r['units'] / first:,.1f} docs/s",
                         "", f"{r['peak_rss_mb']:.0f}", f"{first:.2f}", "",
                         f"warm-up flow {r['warmup_s']:.1f}s; {r['summaries'][0]}"))
            rows.append((f"flow re-run (unchanged), {r['units']} docs", f"{r['units'] / second:,.1f} docs/s", "", "",
                         f"{second:.2f}", f"{second / first:.1%} of run 1", f"{r['summaries'][1]}"))
        else:
            row("flow", r)
    if want("cli"):
        for name, sources in (("11 samples", ROOT / "data" / "raw" / "samples" / "sources.csv"),
                              (f"{reg_n} docs", reg / "sources.csv")):
            R[f"cli {name}"] = r = cli_twice(str(sources))
            rows.append((f"`planscope run` twice, {name}: run 1 (fresh db)", "", "", "", f"{r['runs'][0]:.2f}", "",
                         "whole command: Prefect start, parse, load"))
            rows.append((f"`planscope run` twice, {name}: re-run (unchanged)", "", "", "", f"{r['runs'][1]:.2f}",
                         f"{r['runs'][1] / r['runs'][0]:.1%} of run 1", "database answers; Prefect not started"))
    if want("workers"):
        R["flow_w2"] = r = run_child("flow", sources=str(reg / "sources.csv"), workers=2, runs=1)
        if "error" not in r and "flow" in R and "error" not in R["flow"]:
            rows.append((f"flow run 1, {r['units']} docs, 2 workers (Dask)", f"{r['units'] / r['runs'][0]:,.1f} docs/s",
                         "", f"{r['peak_rss_mb']:.0f}", f"{r['runs'][0]:.2f}",
                         f"{R['flow']['runs'][0] / r['runs'][0]:.2f}× 1 worker", f"{r['summaries'][0]}"))
        else:
            row("flow, 2 workers", r)

    if want("cluster"):
        preg = out / "registry-pdf"
        if not (preg / "sources.csv").exists():
            M.make_registry(preg, 12 if a.quick else 24, pdf_every=1, pdf_pages=12)
        for n in (1, 2):
            R[f"cluster{n}"] = r = run_child("flow_cluster", sources=str(preg / "sources.csv"), workers=n)
            if "error" in r:
                row(f"flow on a warmed Dask cluster, {n} worker(s)", r)
                continue
            ratio = f"{R['cluster1']['wall'] / r['wall']:.2f}× 1 worker" if n == 2 and "error" not in R["cluster1"] else ""
            rows.append((f"flow, {r['units']} PDFs × 12 p, warmed Dask cluster, {n} worker(s)",
                         f"{r['units'] / r['wall']:,.2f} docs/s", "", f"{r['peak_rss_mb']:.0f}", f"{r['wall']:.2f}",
                         ratio, f"cluster start + warm-up {r['warmup_s']:.1f}s; {r['summaries'][0]['records']}"))

    w = [max(len(str(x[i])) for x in rows + [HEAD]) for i in range(len(HEAD))]
    print()
    for x in [HEAD] + rows:
        print("  ".join(str(v).ljust(w[i]) for i, v in enumerate(x)).rstrip())
    print()
    _verdicts(R, a.quick)
    if a.json:
        Path(a.json).write_text(json.dumps(R, indent=1), encoding="utf-8")
    return 0


HEAD = ("stage", "throughput", "words/s", "peak MB", "wall s", "ratio", "note")


def _verdicts(R: dict, quick: bool) -> None:
    def say(ok, text):
        print(f"[{'PASS' if ok else 'FAIL' if ok is not None else ' -- '}] {text}")

    e2e, fl = R.get("e2e_auto"), R.get("floor_plumber")
    if e2e and "error" not in e2e and fl and "error" not in fl:
        rate, cpu_rate = _rate(e2e), e2e["units"] / e2e["cpu"] if e2e.get("cpu") else 0
        say(rate >= 25, f"end to end 60 p: {rate:.1f} pages/s wall ({cpu_rate:.1f} per CPU-second) ≥ 25")
        say(rate >= 4 * _rate(fl), f"end to end 60 p: {rate / _rate(fl):.2f}× pdfplumber extract_words ≥ 4×")
    big = R.get("extract_500")
    if big and "error" not in big:
        say(big["peak_rss_mb"] < 500, f"500-page PDF: peak RSS {big['peak_rss_mb']:.0f} MB < 500 MB")
    elif not quick:
        say(None, "500-page PDF: not measured")
    f = R.get("flow")
    if f and "error" not in f:
        first, second = f["runs"]
        say(second < 0.05 * first, f"re-run over {f['units']} unchanged docs: {second / first:.1%} of the first run < 5 %")
    for k, r in R.items():
        if k.startswith("cli "):
            say(r["runs"][1] < 5, f"`planscope run` re-run over {k[4:]} unchanged: {r['runs'][1]:.1f} s "
                                  f"({r['runs'][1] / r['runs'][0]:.1%} of the first run) < 5 s")
    c1, c2 = R.get("cluster1"), R.get("cluster2")
    if c1 and c2 and "error" not in c1 and "error" not in c2:
        say(None, f"1 → 2 workers on a warmed Dask cluster: {c1['wall'] / c2['wall']:.2f}× speed-up")
    w2 = R.get("flow_w2")
    if w2 and "error" not in w2 and f and "error" not in f:
        say(None, f"1 → 2 workers: {f['runs'][0] / w2['runs'][0]:.2f}× speed-up")
    for k, name in (("load_sqlite", "SQLite"), ("load_pg", "PostgreSQL")):
        r = R.get(k)
        if r and "error" not in r:
            say(None, f"records/s into {name}: {r['records'] / r['wall']:,.0f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
