"""Main-content detection: our DOM walk against trafilatura, on the dev corpus (scored) and on the
robustness pages (agreement only: they have no gold).

    .venv/bin/python bench/compare_trafilatura.py [--dev DIR --gold DIR] [--robustness DIR]

Variants, each run through the same structurer and scored with shared/eval/score.py:
  ours          extract_html on the page (selector + furniture stripping + DOM walk)
  traf-html     trafilatura.extract(output_format="html", tables, formatting) → our walk on its output
  traf-recall   same with favor_recall=True
  traf-txt      trafilatura plain text → the text extractor
  ours-nosel    our walk with the main selectors disabled (body + furniture stripping only), i.e. what
                pages without <main>/<article> get
  ours-trafnode our walk on the DOM node that best covers trafilatura's text (the "fallback signal")
Also per variant: characters kept, interface strings leaked (menu, fermer, commentaire...), and
seconds. trafilatura is a bench-only dependency (pip install trafilatura==2.3.1).
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

LEAKS = re.compile(r"\b(menu|fermer|rechercher|facebook|twitter|linkedin|partager|commentaires?|cookies?|"
                   r"newsletter|accueil|nous joindre|plan du site|haut de page)\b", re.I)


def _traf(data: bytes, fmt: str, recall: bool = False) -> str:
    import trafilatura

    return trafilatura.extract(data, output_format=fmt, include_tables=True, include_formatting=True,
                               include_links=False, include_comments=False, favor_recall=recall) or ""


def _ours_nosel(data: bytes, name: str):
    import planscope.extractors.html as H

    saved = H._main_candidates
    H._main_candidates = lambda el: []
    try:
        return H.extract_html(data, name)
    finally:
        H._main_candidates = saved


def _ours_trafnode(data: bytes, name: str):
    """Our walk rooted at the smallest element holding most of trafilatura's words."""
    import planscope.extractors.html as H

    ttext = _traf(data, "txt")
    words = set(re.findall(r"\w{4,}", ttext.lower()))
    if not words:
        return H.extract_html(data, name)
    saved = H._find_main

    def pick(soup, tags):
        best, best_score = None, -1.0
        for el in tags:
            if H._gone(el) or el.name in ("html", "head"):
                continue
            ew = set(re.findall(r"\w{4,}", el.get_text(" ").lower()))
            if not ew:
                continue
            inter = len(ew & words)
            score = inter / len(words) - 0.5 * len(ew - words) / max(1, len(ew))  # cover, but not much more
            if score > best_score:
                best, best_score = el, score
        return best or saved(soup, tags)

    H._find_main = pick
    try:
        return H.extract_html(data, name)
    finally:
        H._find_main = saved


def run_variant(variant: str, data: bytes, name: str):
    from planscope.extractors import extract_bytes
    from planscope.extractors.html import extract_html
    from planscope.extractors.text import extract_text

    if variant == "ours":
        return extract_bytes(data, name)
    if variant == "traf-html":
        return extract_html(_traf(data, "html").encode(), name)
    if variant == "traf-recall":
        return extract_html(_traf(data, "html", recall=True).encode(), name)
    if variant == "traf-txt":
        return extract_text(_traf(data, "txt").encode(), name)
    if variant == "ours-nosel":
        return _ours_nosel(data, name)
    if variant == "ours-trafnode":
        return _ours_trafnode(data, name)
    raise ValueError(variant)


VARIANTS = ("ours", "traf-html", "traf-recall", "traf-txt", "ours-nosel", "ours-trafnode")


def score_dev(dev: Path, gold: Path) -> None:
    import hashlib

    from planscope.pipeline.structure.plan import structure_extraction

    pages = sorted(dev.glob("*.html"))
    print(f"dev corpus: {len(pages)} HTML pages scored against {gold}\n")
    print(f"{'variant':14} {'record F1':>9} {'axis':>6} {'orient':>6} {'action':>6} {'chars':>7} {'leaks':>5} "
          f"{'secs':>6}")
    for variant in VARIANTS:
        with tempfile.TemporaryDirectory() as pred, tempfile.TemporaryDirectory() as g:
            chars = leaks = 0
            secs = 0.0
            for p in pages:
                data = p.read_bytes()
                t = time.monotonic()
                ex = run_variant(variant, data, p.name)
                secs += time.monotonic() - t
                text = "\n".join(b.text for b in ex.blocks)
                chars += len(text)
                leaks += len(LEAKS.findall(text))
                res = structure_extraction(ex, hashlib.sha256(data).hexdigest())
                Path(pred, p.name + ".json").write_text(json.dumps(res.to_dict(), ensure_ascii=False))
                gp = gold / (p.name + ".json")
                Path(g, gp.name).write_bytes(gp.read_bytes())
            out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", g, "--pred", pred,
                                  "--json", str(Path(pred) / "_fig.json")], capture_output=True, text=True).stdout
            f1 = re.search(r"overall record F1 ([\d.]+)", out).group(1)
            lv = {m.group(1): m.group(2) for m in re.finditer(r"^(axis|orientation|action)\s+P [\d.]+\s+R [\d.]+\s+"
                                                              r"F1 ([\d.]+)", out, re.M)}
            print(f"{variant:14} {f1:>9} {lv.get('axis', '-'):>6} {lv.get('orientation', '-'):>6} "
                  f"{lv.get('action', '-'):>6} {chars:>7} {leaks:>5} {secs:>6.2f}")


def agreement(robust: Path) -> None:
    """Robustness pages: how much of trafilatura's main text our blocks hold, and the reverse."""
    from planscope.extractors import extract_bytes

    print("\nrobustness pages: word overlap between our blocks and trafilatura's text\n")
    print(f"{'file':56} {'ours':>7} {'traf':>7} {'traf⊂ours':>9} {'ours⊂traf':>9} {'t_ours':>6} {'t_traf':>6}")
    tot = []
    for p in sorted(robust.glob("*.html")):
        data = p.read_bytes()
        t = time.monotonic()
        ex = extract_bytes(data, p.name)
        t1 = time.monotonic() - t
        ours = "\n".join(b.text for b in ex.blocks)
        t = time.monotonic()
        try:
            traf = _traf(data, "txt") if ex.media_type == "text/html" and ex.status == "ok" else ""
        except Exception as exc:  # noqa: BLE001 - report, go on
            traf = ""
            print(f"  trafilatura raised {type(exc).__name__} on {p.name}")
        t2 = time.monotonic() - t
        ow, tw = set(re.findall(r"\w{4,}", ours.lower())), set(re.findall(r"\w{4,}", traf.lower()))
        rec = len(ow & tw) / len(tw) if tw else float("nan")
        prec = len(ow & tw) / len(ow) if ow else float("nan")
        if tw and ow:
            tot.append((rec, prec))
        print(f"{p.name[:56]:56} {len(ours):>7} {len(traf):>7} {rec:>9.2f} {prec:>9.2f} {t1:>6.2f} {t2:>6.2f}")
    if tot:
        print(f"\nmean: trafilatura's words found in ours {sum(r for r, _ in tot) / len(tot):.2f}; "
              f"our words found in trafilatura's {sum(p for _, p in tot) / len(tot):.2f} ({len(tot)} pages)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev", type=Path, default=SHARED / "corpus" / "dev" / "docs")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "dev" / "gold")
    ap.add_argument("--robustness", type=Path, default=SHARED / "corpus" / "robustness" / "html")
    ap.add_argument("--no-robustness", action="store_true")
    args = ap.parse_args(argv)
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: pip install trafilatura==2.3.1")
        return 2
    print(f"trafilatura {trafilatura.__version__}")
    score_dev(args.dev, args.gold)
    if not args.no_robustness:
        agreement(args.robustness)
    return 0


if __name__ == "__main__":
    sys.exit(main())
