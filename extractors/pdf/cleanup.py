"""Page furniture dropped across the document: running headers/footers and page numbers (the
same text in the same band on most pages), table-of-contents lines and pages, (cid:N) glyphs."""
from __future__ import annotations

import math
import re
from collections import Counter

from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.grammar import CONTENTS_LINE_RE as TOC_LINE_RE
from planscope.extractors.grammar import PAGE_NUMBER_RE
from planscope.extractors.pdf.settings import SETTINGS as S

CID_RE = re.compile(r"\(cid:\d+\)")
TOC_TITLE_RE = re.compile(r"^\s*(table des mati[eè]res|sommaire|contents|table of contents|index)\s*$", re.I)


def cid_ratio(text: str) -> float:
    """Share of the text made of (cid:N) placeholders (glyphs without Unicode)."""
    if not text:
        return 0.0
    return sum(len(m) for m in CID_RE.findall(text)) / len(text)


def _norm_furniture(text: str) -> str:
    """A running text with its numbers blanked, so that "Page 3" and "Page 4" compare equal."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.strip().lower()))


def _band(line: Line, pd: PageData) -> str | None:
    """"top" or "bottom" when the line lies in the page's header or footer band."""
    if line.bottom <= pd.height * S.furniture_band:
        return "top"
    if line.top >= pd.height * (1 - S.furniture_band):
        return "bottom"
    return None


def _repeated(pages: list[PageData]) -> set[tuple[str, str]]:
    """(normalised text, band) of the texts found in a band on most pages."""
    with_text = [p for p in pages if p.lines]
    if len(with_text) < S.furniture_min_pages:
        return set()
    counts: Counter = Counter()
    for pd in with_text:
        counts.update({(_norm_furniture(l.text), b) for l in pd.lines if (b := _band(l, pd))})
    need = max(S.furniture_min_repeat, math.ceil(len(with_text) * S.furniture_share))
    return {k for k, c in counts.items() if c >= need}


def drop_furniture(pages: list[PageData]) -> list[str]:
    """Running headers/footers: the same text in the same band on most pages; page numbers in a band.
    Returns the running texts dropped (they often name the publisher and the plan)."""
    repeated = _repeated(pages)
    running: list[str] = []
    for pd in pages:
        kept = []
        for l in pd.lines:
            b = _band(l, pd)
            if b and ((_norm_furniture(l.text), b) in repeated or PAGE_NUMBER_RE.match(l.text)):
                if (_norm_furniture(l.text), b) in repeated and l.text not in running:
                    running.append(l.text)
                continue
            kept.append(l)
        pd.lines = kept
    return running


def drop_toc(pages: list[PageData]) -> list[int]:
    """Table-of-contents lines ("Title ....... 12") and the contents title are dropped; a page
    made of them is reported as a contents page."""
    dropped = []
    for pd in pages:
        if not pd.lines:
            continue
        toc = [l for l in pd.lines if TOC_LINE_RE.match(l.text)]
        if len(toc) < S.toc_min_lines:
            continue
        content = [l for l in pd.lines if not PAGE_NUMBER_RE.match(l.text)]
        ids = {id(l) for l in toc}
        if len(toc) >= S.toc_page_share * len(content) or any(TOC_TITLE_RE.match(l.text) for l in pd.lines):
            # The entries and the title go; what else the page holds (a cover's organisation and
            # plan title above the contents) stays.
            pd.lines = [l for l in pd.lines if id(l) not in ids and not TOC_TITLE_RE.match(l.text)]
            dropped.append(pd.pno)
        else:
            pd.lines = [l for l in pd.lines if id(l) not in ids]
    return dropped
