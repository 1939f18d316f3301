"""Throughput of the PDF extractor: pages per second on the dev PDFs and on generated documents.

    .venv/bin/python bench/bench_pdf.py [PDF ...]

Without arguments it times the dev-corpus PDFs (when /work/shared is present) and a generated
40-page text document and a 10-page table document (needs reportlab). Runs sequentially.
"""
from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from planscope.extractors.pdf import extract_pdf  # noqa: E402

DEV = "/work/shared/corpus/dev/docs/*.pdf"


def generated() -> list[tuple[str, bytes]]:
    try:
        import pdf_factory as F
    except ImportError:
        return []

    def page(n):
        def draw(c):
            F.text(c, 72, 30, "Plan stratégique — en-tête courant", size=8)
            F.text(c, 72, 70, f"Section {n}", F.BOLD, 14)
            top = 100
            for _ in range(6):
                top = F.lines(c, 72, top, F.wrap(F.LOREM * 2, 90)) + 8
            F.text(c, 290, 810, f"Page {n}", size=8)
        return draw

    rows = [["No", "Action", "Responsable", "Échéance"]] + \
        [[str(i), f"Action {i} du plan", "Service", str(2024 + i % 4)] for i in range(1, 300)]
    return [("generated-text-40p.pdf", F.build([page(n) for n in range(1, 41)])),
            ("generated-table.pdf", F.table_pdf(rows, repeat_rows=1))]


def main(argv: list[str]) -> None:
    docs = [(Path(p).name, Path(p).read_bytes()) for p in (argv or sorted(glob.glob(DEV)))] + \
        ([] if argv else generated())
    total_pages = total_secs = 0.0
    print(f"{'document':45} {'pages':>5} {'blocks':>6} {'secs':>7} {'pages/s':>8}  status")
    for name, data in docs:
        t = time.perf_counter()
        ex = extract_pdf(data, name)
        dt = time.perf_counter() - t
        pages = ex.pages or 0
        total_pages += pages
        total_secs += dt
        print(f"{name[:45]:45} {pages:>5} {len(ex.blocks):>6} {dt:>7.2f} {pages / dt if dt else 0:>8.1f}  {ex.status}")
    if total_secs:
        print(f"{'total':45} {int(total_pages):>5} {'':>6} {total_secs:>7.2f} {total_pages / total_secs:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
