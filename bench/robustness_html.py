"""HTML robustness: every page of a folder through the HTML route, each in its own subprocess
(timeout + address-space limit), then hostile generated pages and a throughput figure.

    .venv/bin/python bench/robustness_html.py [DIR ...] [--timeout 60] [--mem-gib 2] [--no-synthetic]

Prints file, status, blocks, chars, U+FFFD count, mojibake count, encoding, seconds. Default
directory: ../shared/corpus/robustness/html beside the checkout. Exit code 1 if any page crashed,
hung, ran out of memory or raised (a traceback instead of a status).
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

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = str(ROOT.parent / "shared" / "corpus" / "robustness" / "html")

CHILD = r"""
import json, re, sys, time, traceback
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€|Â[\u0080-\u00bf]|Ä[\u0080-\u00bf]|Å[\u0080-\u00bf\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u2018-\u203a]")
from planscope.extractors import extract_bytes
from planscope.extractors.charset import decode_html_ex
from planscope.extractors.sniff import sniff, HTML
path = sys.argv[1]
data = open(path, "rb").read() if path != "-" else sys.stdin.buffer.read()
t = time.monotonic()
try:
    ex = extract_bytes(data, path.rsplit("/", 1)[-1])
    status, reason, warnings = ex.status, ex.reason, ex.warnings
    text = "\n".join(b.text for b in ex.blocks)
    blocks = len(ex.blocks)
except Exception as exc:
    status, reason, warnings, text, blocks = "EXCEPTION", traceback.format_exc(limit=-3), [], "", 0
secs = time.monotonic() - t
enc = ""
if sniff(data) == HTML:
    enc = decode_html_ex(data)[1]
print("@@RESULT@@" + json.dumps({"status": status, "blocks": blocks, "chars": len(text),
      "fffd": text.count("\ufffd"), "mojibake": len(MOJIBAKE.findall(text)), "encoding": enc,
      "reason": reason, "warnings": warnings, "seconds": round(secs, 3)}))
"""


def _limit(mem_bytes: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        os.setsid()
    return apply


def run_one(path: str, timeout: float, mem_bytes: int, stdin: bytes | None = None) -> dict:
    t = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, timeout=timeout,
                           input=stdin, preexec_fn=_limit(mem_bytes), cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": "HANG", "blocks": 0, "chars": 0, "fffd": 0, "mojibake": 0, "encoding": "",
                "seconds": round(time.monotonic() - t, 1), "reason": f"killed after {timeout:g} s"}
    out = p.stdout.decode("utf-8", "replace")
    for line in out.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@"):])
    err = (p.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
    status = "MEMORY" if "MemoryError" in err else "CRASH"
    return {"status": status, "blocks": 0, "chars": 0, "fffd": 0, "mojibake": 0, "encoding": "",
            "seconds": round(time.monotonic() - t, 1), "reason": f"exit {p.returncode}: {err}"[:200]}


def synthetic_pages() -> dict[str, bytes]:
    """Hostile pages built here: huge, deeply nested, entity tricks, control characters, lies."""
    para = "<p>Améliorer la qualité de vie des résidents par des actions concrètes et mesurables.</p>\n"
    pages = {
        "gen-3mb.html": ("<html><body><main><h1>Plan d'action</h1>"
                         + "<h2>Axe</h2><ul><li>Action à réaliser</li></ul>" + para * 36000
                         + "</main></body></html>").encode(),
        "gen-nested-100k-div.html": ("<html><body><main><h1>Plan</h1>" + "<div>" * 100_000 + "<p>fond</p>"
                                     + "</div>" * 100_000 + "<p>après</p></main></body></html>").encode(),
        "gen-nested-20k-ul.html": ("<html><body><main>" + "<ul><li>niveau" * 20_000 + "</li></ul>" * 20_000
                                   + "</main></body></html>").encode(),
        "gen-nested-50k-span.html": ("<html><body><p>" + "<span>" * 50_000 + "x" + "</span>" * 50_000
                                     + "</p></body></html>").encode(),
        "gen-billion-laughs.xhtml": (
            '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                      for i in range(1, 10))
            + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
              '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a &lol9; b &xxe; c</p></body></html>').encode(),
        "gen-control-chars.html": ("<html><body><main><h1>Plan\x01\x02</h1><p>Objectif\x0b : agir\x1f"
                                   + "</p>" + para * 5 + "</main></body></html>").encode(),
        "gen-utf8-declared-cp1252.html": ('<html><head><meta charset="utf-8"></head><body><main>'
                                          + para * 5 + "</main></body></html>").encode("cp1252"),
        "gen-gb2312-declared-utf8.html": ('<html><head><meta charset="gb2312"></head><body><main><p>'
                                          + "城市发展规划和行动计划" * 30 + "</p></main></body></html>").encode(),
        "gen-huge-colspan.html": ('<html><body><table><tr><td colspan="100000" rowspan="100000">x</td></tr>'
                                  "</table></body></html>").encode(),
    }
    return pages


def throughput(seconds: float = 10.0) -> tuple[float, int]:
    """Pages per second on a generated ~300 KB municipal-plan page, in this process."""
    sys.path.insert(0, str(ROOT))
    from planscope.extractors.html import extract_html

    parts = ["<html><head><meta charset='utf-8'><title>Plan</title></head><body>",
             "<header><nav><ul>" + "<li><a href='/x'>Menu</a></li>" * 40 + "</ul></nav></header><main>"]
    k = 0
    while sum(map(len, parts)) < 300_000:
        k += 1
        parts.append(f"<h2>Axe {k} : Développement durable</h2><p><strong>Objectif :</strong> réduire les "
                     "émissions de la ville de 30 % d'ici 2030.</p><ol>"
                     + "".join(f"<li>Action {k}.{j} : planter des arbres dans le quartier {j}</li>"
                               for j in range(1, 8))
                     + "</ol><table><tr><th>Action</th><th>Échéance</th></tr><tr><td rowspan=2>Verdir"
                     "</td><td>2026</td></tr><tr><td>2027</td></tr></table>")
    parts.append("</main><footer>© Ville</footer></body></html>")
    page = "".join(parts).encode()
    n, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < seconds:
        extract_html(page, "bench.html")
        n += 1
    return n / (time.monotonic() - t0), len(page)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="*", default=[DEFAULT_DIR])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--mem-gib", type=float, default=2)
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--json", help="also write the rows to this JSON file")
    args = ap.parse_args(argv)
    mem = int(args.mem_gib * 1024 ** 3)
    jobs: list[tuple[str, str, bytes | None]] = [(f.name, str(f), None) for d in args.dirs
                                                 for f in sorted(Path(d).iterdir()) if f.is_file()]
    if not args.no_synthetic:
        jobs += [(name, "-", data) for name, data in synthetic_pages().items()]
    print(f"{'file':56} {'status':11} {'blocks':>6} {'chars':>7} {'fffd':>5} {'mojib':>5} {'encoding':12} "
          f"{'secs':>6}  reason / warnings")
    rows = []
    for name, path, stdin in jobs:
        r = run_one(path, args.timeout, mem, stdin)
        r["file"] = name
        rows.append(r)
        note = (r.get("reason") or "; ".join(r.get("warnings") or [])).replace("\n", " ")[:90]
        print(f"{name[:56]:56} {r['status']:11} {r['blocks']:>6} {r['chars']:>7} {r['fffd']:>5} {r['mojibake']:>5} "
              f"{(r['encoding'] or '-')[:12]:12} {r['seconds']:>6}  {note}", flush=True)
    counts = Counter(r["status"] for r in rows)
    print("\nstatus counts: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    if not args.no_synthetic:
        pps, size = throughput()
        print(f"throughput: {pps:.1f} pages/s on a generated {size // 1024} KB page "
              f"({pps * size / 1e6:.1f} MB/s, one core)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    bad = {"HANG", "CRASH", "MEMORY", "EXCEPTION"}
    return 1 if any(r["status"] in bad for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
