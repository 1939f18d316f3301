"""PDF extraction on real documents, next to raw pdfplumber in the same run (issue 17).

    .venv/bin/python bench/bench_real.py [--runs 3] [--all] [--corpus ../shared/corpus] [--out DIR] [--json FILE]

Inputs are distinct real pages, never repeated ones (the extractor reads each distinct text once,
so repeated pages would flatter it):

- ``joined``: six real documents of ``real/docs`` and ``robustness/pdf`` joined in one PDF of 234
  distinct pages (pypdfium2 ``import_pages``; the list is ``JOINED`` below, as in issue 17);
- one row per document: the documents the issue names (``DOCS``), or with ``--all`` every PDF of
  ``real/docs`` and ``robustness/pdf`` that raw pdfplumber reads;
- ``twice``: the 234 pages twice (468 pages), for peak memory only (its pages repeat).

Each measurement is a whole process, start-up included, as a user runs it: ``planscope extract
FILE --out DIR`` against a raw pdfplumber script (``extract_words`` + ``extract_tables`` on every
page, ``page.close()`` after each), the two interleaved in each run. Printed per input: pages,
min / median / max seconds of each over the runs, the ratio of the medians (pdfplumber / planscope,
above 1 = planscope faster) and planscope's peak RSS. One more in-process run per input splits
planscope's time into start-up imports, PDF extraction and the rest (structure, normalise,
JSON). Timings on a shared machine are
noisy: trust same-run ratios first.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
JOINED = ["robustness/pdf/pdfplumber__chelsea_pdta.pdf",
          "real/docs/lenybernard__getignecollectif__p3_padd_appro.pdf",
          "robustness/pdf/commune-prilly__Rapport_Assemble__e_citoyenne_VersionDigitale.pdf",
          "robustness/pdf/myMairie__JOURNAL-AU-FIL-DES-LISIERES-3-1.pdf",
          "robustness/pdf/BoussoleMunicipale__Respect_Citoyens_-_Plateforme_Electorale_2025.pdf",
          "robustness/pdf/commune-prilly__analyse-financiere-ucv-2023.pdf"]
DOCS = JOINED + ["robustness/pdf/pdf.js__freeculture.pdf",
                 "robustness/pdf/pdfplumber__federal-register-2020-17221.pdf",
                 "robustness/pdf/sample-files__GeoTopo-komprimiert.pdf"]
TIMEOUT = 900  # seconds for one whole-process measurement

RAW_PLUMBER = """
import sys, pdfplumber
n = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.extract_tables()
        page.close()
        n += 1
print(n)
"""

SPLIT = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from planscope.extractors import extract_bytes
from planscope.pipeline.process import finish
from planscope.pipeline.structure.plan import structure_extraction
t1 = time.perf_counter()
data = Path(sys.argv[1]).read_bytes()
ex = extract_bytes(data, Path(sys.argv[1]).name)
t2 = time.perf_counter()
res = finish(structure_extraction(ex))
json.dumps(res.to_dict(), ensure_ascii=False)
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "extract": t2 - t1, "structure": t4 - t2,
                  "pages": ex.pages, "status": ex.status, "ocr": sum(1 for r in ex.ocr if r["ocr"])}))
"""


def _timed_rss(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, the process's own peak RSS in MB, stdout), with os.wait4 on this child only."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile(mode="w+") as out:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=str(ROOT))
        deadline = t + TIMEOUT
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                return float("nan"), float("nan"), ""
            time.sleep(0.01)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return wall, ru.ru_maxrss / 1024, out.read()


def planscope_cmd(path: Path, out_dir: Path) -> list[str]:
    return [str(Path(sys.executable).with_name("planscope")), "extract", str(path), "--out", str(out_dir)]


def plumber_cmd(path: Path) -> list[str]:
    return [sys.executable, "-c", RAW_PLUMBER, str(path)]


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def join(paths: list[Path], dest: Path, times: int = 1) -> Path:
    """The documents' pages in one PDF (``times`` copies of the whole, for the memory check)."""
    import pypdfium2 as pdfium

    if not dest.exists():
        out = pdfium.PdfDocument.new()
        for _ in range(times):
            for p in paths:
                src = pdfium.PdfDocument(str(p))
                out.import_pages(src)
                src.close()
        out.save(str(dest))
        out.close()
    return dest


def readable(path: Path) -> bool:
    """Whether raw pdfplumber reads the file to its end (the comparison needs both sides)."""
    wall, _, out = _timed_rss(plumber_cmd(path))
    return wall == wall and out.strip().isdigit() and int(out.strip()) > 0


def measure(path: Path, runs: int, tmp: Path) -> dict:
    """min / median / max of both sides over ``runs`` interleaved runs, and one split run."""
    ours, raw, rss = [], [], []
    for k in range(runs):
        order = [("ours", planscope_cmd(path, tmp)), ("raw", plumber_cmd(path))]
        for side, cmd in order if k % 2 == 0 else order[::-1]:  # alternate who runs first
            wall, peak, _ = _timed_rss(cmd)
            (ours if side == "ours" else raw).append(wall)
            if side == "ours":
                rss.append(peak)
    _, _, out = _timed_rss([sys.executable, "-c", SPLIT, str(path)])
    try:
        split = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        split = {}
    return {"pages": page_count(path), "ours": ours, "raw": raw, "rss": max(rss), "split": split}


def _mmm(xs: list[float]) -> str:
    return f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"


def report(rows: dict[str, dict]) -> None:
    head = ("input", "pages", "planscope s (min/med/max)", "pdfplumber s (min/med/max)", "ratio", "peak MB",
            "split: imports + extract + rest")
    lines = [head]
    for name, r in rows.items():
        mo, mr = statistics.median(r["ours"]), statistics.median(r["raw"])
        s = r["split"]
        split = (f"{s['imports']:.2f} + {s['extract']:.2f} + {s['structure']:.2f}"
                 f"{' (OCR ' + str(s['ocr']) + ' p)' if s.get('ocr') else ''}") if s else ""
        lines.append((name, str(r["pages"]), _mmm(r["ours"]), _mmm(r["raw"]), f"{mr / mo:.2f}×",
                      f"{r['rss']:.0f}", split))
    w = [max(len(x[i]) for x in lines) for i in range(len(head))]
    for x in lines:
        print("  ".join(v.ljust(w[i]) for i, v in enumerate(x)).rstrip())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--all", action="store_true", help="every PDF of real/docs and robustness/pdf raw pdfplumber reads")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "planscope-bench-real")
    ap.add_argument("--only", default="", help="comma-separated: joined,docs,twice")
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    only = set(filter(None, a.only.split(",")))
    want = lambda s: not only or s in only  # noqa: E731
    if not a.corpus.is_dir():
        print(f"corpus {a.corpus} not found; give it with --corpus", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-real-"))
    rows: dict[str, dict] = {}
    six = [a.corpus / p for p in JOINED]
    if want("joined"):
        joined = join(six, a.out / "joined234.pdf")
        rows["joined: 6 real documents, distinct pages"] = measure(joined, a.runs, tmp)
    if want("docs"):
        if a.all:
            docs = sorted((a.corpus / "real" / "docs").glob("*.pdf")) + sorted((a.corpus / "robustness" / "pdf").glob("*.pdf"))
            docs = [p for p in docs if readable(p)]
        else:
            docs = [a.corpus / p for p in DOCS]
        per = {p.name: measure(p, a.runs, tmp) for p in docs}
        rows.update(per)
        ours = [statistics.median(r["ours"]) for r in per.values()]
        raw = [statistics.median(r["raw"]) for r in per.values()]
        pages = sum(r["pages"] for r in per.values())
        print(f"overall, {len(per)} documents one by one: {pages} pages, planscope {sum(ours):.1f} s "
              f"({pages / sum(ours):.1f} pages/s), pdfplumber {sum(raw):.1f} s ({pages / sum(raw):.1f} pages/s), "
              f"ratio {sum(raw) / sum(ours):.2f}× (sum of medians)")
    if want("twice"):
        twice = join(six, a.out / "twice468.pdf", times=2)
        peaks = [_timed_rss(planscope_cmd(twice, tmp))[1] for _ in range(a.runs)]
        print(f"twice: the 234 pages twice ({page_count(twice)} pages, repeated): planscope extract peak RSS "
              f"{_mmm(peaks)} MB (min / median / max)")
        rows_twice = {"peak_rss_mb": peaks}
    else:
        rows_twice = {}
    print()
    report(rows)
    if a.json:
        Path(a.json).write_text(json.dumps({"rows": rows, "twice": rows_twice}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
