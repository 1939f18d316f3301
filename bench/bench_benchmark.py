"""Time `planscope benchmark` and the analyst views on the synthetic database (SQLite and PostgreSQL).

    .venv/bin/python tests/synthetic_db.py --db sqlite:////tmp/synth.db
    .venv/bin/python bench/bench_benchmark.py --db sqlite:////tmp/synth.db \
        --db postgresql://postgres@127.0.0.1:5432/planscope_bench [--build]

--build (re)creates each database first. Each figure is the median of --repeat runs after one
warm-up run (the warm-up, which pays for imports and cold caches, is reported as "first").
The target is the organisation of plan 1; peers by type, by region and a list of 5 names.
Target: every benchmark under 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from planscope.pipeline.load.db import make_engine, migrate  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, float]:
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return first, statistics.median(runs)


def bench(url: str, repeat: int = 3) -> list[dict]:
    from planscope.pipeline.report.benchmark import benchmark

    engine = make_engine(url)
    migrate(engine)
    with engine.connect() as conn:
        target, region = conn.execute(text("SELECT o.name, o.region FROM organization o JOIN plan p "
                                           "ON p.organization_id = o.id ORDER BY p.id LIMIT 1")).one()
        others = conn.execute(text("SELECT name FROM organization ORDER BY id LIMIT 6 OFFSET 1")).scalars().all()
        plan_id = conn.execute(text("SELECT min(id) FROM plan")).scalar_one()
    dialect = engine.dialect.name
    cases = [
        ("benchmark --peers type", lambda: benchmark(engine, target, peers="type")),
        ("benchmark --peers region", lambda: benchmark(engine, target, peers="region")),
        ("benchmark --peers <5 names>", lambda: benchmark(engine, target, peers=",".join(others[:5]))),
        ("benchmark --peers all", lambda: benchmark(engine, target, peers="all")),
    ]
    queries = [
        ("v_action: count(*)", "SELECT count(*) FROM v_action", {}),
        ("v_action: one organisation", "SELECT * FROM v_action WHERE organization = :o", {"o": target}),
        ("v_action: 1,000 rows with themes", "SELECT action_id, themes, indicators FROM v_action "
                                             "ORDER BY action_id LIMIT 1000", {}),
        ("v_action: all rows", "SELECT * FROM v_action", {}),
        ("v_theme_coverage: one plan", "SELECT * FROM v_theme_coverage WHERE plan_id = :p", {"p": plan_id}),
        ("v_theme_coverage: mean share per theme", "SELECT theme_code, avg(action_share) FROM v_theme_coverage "
                                                   "GROUP BY theme_code", {}),
    ]
    if dialect == "postgresql":
        queries.append(("search_records('eau potable')", "SELECT count(*) FROM search_records('eau potable')", {}))

    def run_query(sql, params):
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    out = []
    for name, fn in cases:
        first, med = _time(fn, repeat)
        out.append({"db": dialect, "case": name, "first_s": round(first, 3), "median_s": round(med, 3)})
    for name, sql, params in queries:
        first, med = _time(lambda: run_query(sql, params), repeat)
        out.append({"db": dialect, "case": name, "first_s": round(first, 3), "median_s": round(med, 3)})
    rep = benchmark(engine, target, peers="type")
    out.append({"db": dialect, "case": f"(peers by type: {rep['peer_group']['count']}; peer actions compared: "
                                       f"{rep['similarity']['peer_actions_considered']})",
                "first_s": None, "median_s": None})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", action="append", required=True, help="database URL (repeatable)")
    ap.add_argument("--build", action="store_true", help="build the synthetic database first")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from planscope.pipeline.report.tables import table

    rows = []
    for url in args.db:
        if args.build:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
            from synthetic_db import build
            print(build(url), file=sys.stderr)
        rows += bench(url, args.repeat)
    print(table(rows, ["db", "case", "first_s", "median_s"], width=100))
    slow = [r for r in rows if r["case"].startswith("benchmark") and r["median_s"] and r["median_s"] >= 2.0]
    if slow:
        print(f"\nover the 2 s target: {', '.join(r['db'] + ' ' + r['case'] for r in slow)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
