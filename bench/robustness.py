"""Run the extractor on every robustness file, each in its own subprocess with a timeout and
an address-space limit, and print file → status, blocks, pages, seconds, reason.

    .venv/bin/python bench/robustness.py [DIR ...] [--timeout 60] [--mem-gib 2]

Default directory: ../shared/corpus/robustness/pdf (beside the checkout). Exit code 1 if any file crashed,
hung or ran out of memory (i.e. gave no recorded status).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

DEFAULT_DIR = str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "robustness" / "pdf")

CHILD = r"""
import json, sys, time
t = time.monotonic()
from planscope.extractors import extract_bytes
path = sys.argv[1]
data = open(path, "rb").read()
ex = extract_bytes(data, path.rsplit("/", 1)[-1])
print("@@RESULT@@" + json.dumps({"status": ex.status, "blocks": len(ex.blocks), "pages": ex.pages,
      "reason": ex.reason, "page_errors": len(ex.page_errors), "seconds": round(time.monotonic() - t, 2)}))
"""


def _limit(mem_bytes: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        os.setsid()
    return apply


def run_one(path: Path, timeout: float, mem_bytes: int) -> dict:
    t = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                           timeout=timeout, preexec_fn=_limit(mem_bytes),
                           cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return {"status": "HANG", "blocks": 0, "pages": None, "seconds": round(time.monotonic() - t, 1),
                "reason": f"killed after {timeout:g} s"}
    for line in p.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@"):])
    err = (p.stderr.strip().splitlines() or ["no output"])[-1]
    return {"status": "CRASH", "blocks": 0, "pages": None, "seconds": round(time.monotonic() - t, 1),
            "reason": f"exit {p.returncode}: {err}"[:200]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="*", default=[DEFAULT_DIR])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--mem-gib", type=float, default=2)
    ap.add_argument("--json", help="also write the rows to this JSON file")
    args = ap.parse_args(argv)
    files = sorted(f for d in args.dirs for f in Path(d).iterdir() if f.is_file())
    rows = []
    print(f"{'file':58} {'status':15} {'blocks':>6} {'pages':>6} {'secs':>6}  reason")
    for f in files:
        r = run_one(f, args.timeout, int(args.mem_gib * 1024 ** 3))
        r["file"] = f.name
        rows.append(r)
        reason = (r.get("reason") or "").replace("\n", " ")[:110]
        print(f"{f.name[:58]:58} {r['status']:15} {r['blocks']:>6} {str(r['pages']):>6} {r['seconds']:>6}  {reason}",
              flush=True)
    counts = Counter(r["status"] for r in rows)
    print("\nstatus counts: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 1 if counts.get("HANG") or counts.get("CRASH") else 0


if __name__ == "__main__":
    sys.exit(main())
