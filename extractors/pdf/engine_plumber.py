"""One page read with pdfplumber (pdfminer's layout): glyphs on the page, at the page's main
angle, de-duplicated, made into words; ruled tables found by pdfplumber's TableFinder.

The reference reader: every page pdfium's path (engine_pdfium) does not model comes here.
"""
from __future__ import annotations

from collections import Counter

from planscope.extractors.pdf.lines import finish_page
from planscope.extractors.pdf.model import PageData, dedupe, keep_table, matrix_angle
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.pdf.words import split_wide_gaps

_IDENTITY = (1, 0, 0, 1, 0, 0)


def char_angle(ch: dict) -> int | None:
    """Baseline direction of a pdfplumber char (0, 90, 180, 270); None if mirrored or skewed."""
    return matrix_angle(*(ch.get("matrix") or _IDENTITY)[:4])


def rotate_char(ch: dict, angle: int, w: float, h: float) -> dict:
    """Coordinates of a char on a page turned so that text of this angle reads left to right."""
    pts = [(ch["x0"], ch["top"]), (ch["x1"], ch["bottom"])]
    if angle == 90:
        pts = [(h - t, x) for x, t in pts]
    elif angle == 270:
        pts = [(t, w - x) for x, t in pts]
    else:
        pts = [(w - x, h - t) for x, t in pts]
    xs, ts = [p[0] for p in pts], [p[1] for p in pts]
    out = dict(ch)
    out.update(x0=min(xs), x1=max(xs), top=min(ts), bottom=max(ts), doctop=min(ts), upright=True,
               matrix=_IDENTITY)
    return out


def _on_page(chars: list[dict], bbox) -> list[dict]:
    """Chars whose middle lies on the page (within ``page_margin``)."""
    x0b, topb, x1b, botb = bbox
    m = S.page_margin
    return [ch for ch in chars if x0b - m <= (ch["x0"] + ch["x1"]) / 2 <= x1b + m and
            topb - m <= (ch["top"] + ch["bottom"]) / 2 <= botb + m]


def visible(page):
    """The page as a viewer shows it: cropped to its crop box when that is smaller than the page
    (pdfplumber itself reads the whole media box; the rest is printer's marks and slug lines)."""
    x0, top, x1, bottom = page.bbox
    c = page.cropbox
    box = (max(x0, c[0]), max(top, c[1]), min(x1, c[2]), min(bottom, c[3]))
    if box[2] <= box[0] or box[3] <= box[1] or all(abs(u - v) <= S.box_eps for u, v in zip(box, page.bbox)):
        return page
    return page.crop(box, strict=False)


def _main_angle(chars: list[dict], angles: list) -> tuple[int, Counter]:
    """The angle most of the page's visible text runs at when it is not upright (else 0), and the
    count of visible chars per angle."""
    counts = Counter(a for a, ch in zip(angles, chars) if ch.get("text", " ").strip())
    if counts:
        top_angle, cnt = counts.most_common(1)[0]
        if top_angle not in (0, None) and cnt * 2 > sum(counts.values()):
            return top_angle, counts
    return 0, counts


def _ruled_tables(page, kept: list[dict], pd: PageData) -> list:
    """pdfplumber's tables on the page (on the kept chars only) that ``keep_table`` accepts, into
    ``pd.tables``; their boxes."""
    boxes = []
    ids = {id(ch) for ch in kept}
    fp = page.filter(lambda o: o.get("object_type") != "char" or id(o) in ids)
    for t in fp.find_tables():
        rows = t.extract()
        if keep_table(rows):
            pd.tables.append((rows, tuple(t.bbox)))
            boxes.append(t.bbox)
    return boxes


def read_page(page, pno: int) -> PageData:
    """Characters → (filtered) words → line segments; ruled tables → grids.

    Text at a minority angle (rotated margin titles), mirrored text and text outside the
    page are dropped; a page whose text mostly runs at 90/180/270 degrees is turned.
    """
    import pdfplumber.utils as pu

    pd = PageData(pno=pno, width=float(page.width), height=float(page.height))
    page = visible(page)
    chars = _on_page(dedupe(page.chars), page.bbox)
    angles = [0 if (m := ch.get("matrix")) is not None and m[1] == 0 and m[2] == 0 and m[0] > 0 and m[3] > 0
              else char_angle(ch) for ch in chars]  # upright glyphs (nearly all) tested inline: hot loop
    rot, counts = _main_angle(chars, angles)
    kept = [ch for a, ch in zip(angles, chars) if a == rot or (a is None and not ch.get("text", " ").strip())]
    pd.dropped_rotated = sum(n for a, n in counts.items() if a != rot)
    if rot:
        w, h = pd.width, pd.height
        kept = [rotate_char(ch, rot, w, h) for ch in kept]
        if rot in (90, 270):
            pd.width, pd.height = h, w
    words = pu.extract_words(kept, return_chars=True, x_tolerance=S.x_tolerance, y_tolerance=S.y_tolerance,
                             keep_blank_chars=False, use_text_flow=False,
                             extra_attrs=["fontname", "size", "non_stroking_color"]) if kept else []
    words = split_wide_gaps(words)
    table_boxes = _ruled_tables(page, kept, pd) if words and not rot and (page.rects or page.lines) else []
    order = {id(ch): k for k, ch in enumerate(kept)}

    def space_between(a: dict, b: dict) -> bool | None:
        ia, ib = order.get(id(a["chars"][-1])), order.get(id(b["chars"][0]))
        if ia is None or ib is None or not 0 < ib - ia <= S.space_lookahead:
            return None
        return any(not kept[i].get("text", " ").strip() for i in range(ia + 1, ib))

    for a, b in zip(words, words[1:]):  # as the pdfium engine marks them: a space glyph between
        if a["chars"] and b["chars"] and space_between(a, b):
            b["_spaced_after"] = a

    def has_images() -> bool:
        try:
            return bool(page.images)
        except Exception:
            return False

    finish_page(pd, words, table_boxes, lambda w: w["chars"], space_between, has_images)
    return pd
