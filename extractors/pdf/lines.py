"""Words → lines: rows on one baseline, cut into segments at wide gaps (so columns stay apart),
list markers and column numbers set apart joined to their line, decorative vertical titles dropped.
``finish_page`` is the last step of reading a page, the same for both engines."""
from __future__ import annotations

import re
from collections import Counter

from planscope.extractors.grammar import (BARE_NUMERAL_RE, ITEM_TEXT_START_RE, ITEM_TITLE_START_RE, LIST_NUM_RE,
                                          OUTLINE_NUM_RE, is_pdf_bullet)
from planscope.extractors.pdf.model import COLOR_DIGITS, Line, PageData, inside, norm_color
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.pdf.words import looks_letter_spaced, respace

BOLD_FONT_RE = re.compile(r"bold|heavy|black|demi|semib|extrab|ultrab|,b$|-b$", re.I)
_BOLD_CACHE: dict[str, bool] = {}


def finish_page(pd: PageData, words: list[dict], table_boxes: list, glyphs_of, space_between, has_images) -> None:
    """The end of reading a page, whatever the engine: words inside ruled tables grouped per table
    (``pd.table_lines``), the others cleared of vertical decorative titles and grouped into
    ``pd.lines``; a page with almost no text and no table is image-only when ``has_images()``."""
    pno = pd.pno
    pd.table_lines = [group_lines([w for w in words if inside(w, [bb])], pno, glyphs_of, space_between)
                      for bb in table_boxes]
    words = [w for w in words if not inside(w, table_boxes)]
    words, pd.dropped_vertical = drop_vertical_chains(words)
    pd.lines = group_lines(words, pno, glyphs_of, space_between)
    nchars = pd.text_chars = sum(len(w["text"]) for w in words)
    if nchars < S.min_chars_per_page and not table_boxes:
        pd.image_only = has_images()


def drop_vertical_chains(words: list[dict]) -> tuple[list[dict], int]:
    """Drop decorative titles printed one letter per line ("P", "L", "A", "N", ... stacked)."""
    singles = [i for i, w in enumerate(words) if len(w["text"].strip()) == 1]
    if len(singles) < S.vertical_chain_min:
        return words, 0

    def lonely(w) -> bool:  # no other word on its row close by
        cy = (w["top"] + w["bottom"]) / 2
        for o in words:
            if o is w or not (o["top"] <= cy <= o["bottom"]):
                continue
            gap = max(o["x0"] - w["x1"], w["x0"] - o["x1"])
            if gap < S.vertical_lonely_gap * max(w["size"], 1):
                return False
        return True

    cand = sorted((i for i in singles if lonely(words[i])), key=lambda i: words[i]["top"])
    drop: set[int] = set()
    used: set[int] = set()
    for i in cand:
        if i in used:
            continue
        chain = [i]
        for j in cand:
            if j in used or j in chain:
                continue
            a, b = words[chain[-1]], words[j]
            size = max(a["size"], 1)
            dx = abs((a["x0"] + a["x1"]) / 2 - (b["x0"] + b["x1"]) / 2)
            dy = b["top"] - a["top"]
            if dx <= S.vertical_dx * size and S.vertical_dy_min * size <= dy <= S.vertical_dy_max * size:
                chain.append(j)
        used.update(chain)
        letters = sum(words[k]["text"].strip().isalpha() for k in chain)
        if len(chain) >= S.vertical_chain_min and letters >= S.vertical_chain_letters:
            drop.update(chain)
    if not drop:
        return words, 0
    return [w for k, w in enumerate(words) if k not in drop], len(drop)


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words (sorted by baseline) → rows of words whose bottoms are within the baseline tolerance."""
    rows: list[list[dict]] = []
    for w in words:
        placed = False
        for row in reversed(rows[-S.row_lookback:]):
            a = row[0]
            tol = max(S.row_baseline_min, S.row_baseline_tol * min(a["size"], w["size"]))
            if abs(a["bottom"] - w["bottom"]) <= tol:
                row.append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
    return rows


def group_lines(words: list[dict], pno: int, glyphs_of=None, space_between=None) -> list[Line]:
    """Words → rows (same baseline) → segments (split at wide gaps) → Line.

    ``glyphs_of(word)`` gives a word's glyphs (dicts with text, x0, x1, size) and
    ``space_between(a, b)`` whether a space glyph stands between two words (None: unknown); with
    them, a segment that looks letter-spaced has its word boundaries rebuilt from glyph gaps.
    """
    words = [w for w in words if w["text"].strip()]
    words.sort(key=lambda w: w["bottom"])
    rows = _attach_bullets(_rows(words))
    starts: list | None = None  # run starts of the page, measured when a number first needs them
    out: list[Line] = []
    for k, row in enumerate(rows):
        row.sort(key=lambda w: w["x0"])
        seg = [row[0]]
        segs = []
        for w in row[1:]:
            prev = seg[-1]
            gap = w["x0"] - prev["x1"]
            marker = len(seg) == 1 and (is_pdf_bullet(prev["text"]) or bool(LIST_NUM_RE.match(prev["text"] + " x")))
            if len(seg) == 1 and _column_number(prev, w, gap) and \
                    _in_columns(prev, w, k, starts := starts if starts is not None else _segment_starts(rows),
                                prev is row[0]):
                prev["_colnum"] = True  # an outline number set in a column of its own: Line.number
                seg.append(w)
            elif len(seg) == 1 and _big_numeral_beside(prev, w, gap):
                segs.append(seg)  # a big numeral (in a box) beside its title: attached later as its number
                seg = [w]
            elif gap > S.segment_gap * min(prev["size"], w["size"]) and \
                    not (marker and gap < S.marker_gap * w["size"]):
                segs.append(seg)
                seg = [w]
            else:
                seg.append(w)
        segs.append(seg)
        for seg in segs:
            if glyphs_of is not None and len(seg) > 1 and looks_letter_spaced(seg, space_between):
                seg = respace(seg, glyphs_of, space_between)
            out.append(make_line(seg, pno))
    return out


def _is_bullet_word(w: dict) -> bool:
    """A word that is one bullet glyph."""
    return is_pdf_bullet(w["text"].strip())


def _is_number_word(w: dict) -> bool:
    """A word that is only an outline number."""
    return bool(OUTLINE_NUM_RE.fullmatch(w["text"].strip()))


def _is_marker_word(w: dict) -> bool:
    """A word that is a list marker: a bullet or an outline number."""
    return _is_bullet_word(w) or _is_number_word(w)


def _column_number(num: dict, w: dict, gap: float) -> bool:
    """Whether ``num``, the first word of a segment, is an outline number set in a column of its own
    just left of the text that starts with ``w`` (so the item's number, not a word of the text): a
    gap wider than any word space but within reach, text (not another figure) after it, and a number
    set about the text's size: not a superscript, nor a big numeral (those are attached to the block
    beside them by the block builder)."""
    if not _is_number_word(num) or not ITEM_TEXT_START_RE.match(w["text"]):
        return False
    if not re.search(r"[.)°]$", num["text"]) and not ITEM_TITLE_START_RE.match(w["text"]):
        return False  # "2 kk", "1 n": a bare figure before a lowercase word is an index or a quantity
    size = max(min(num["size"], w["size"]), 1)
    if not S.number_min_ratio * w["size"] <= num["size"] < S.big_numeral_ratio * w["size"]:
        return False
    return S.number_column_gap * size < gap <= S.number_reach * w["size"]


def _segment_starts(rows: list[list[dict]]) -> list[tuple[int, dict]]:
    """(row index, word) of the words that open a run of text: a row's first word, a word after a
    wide gap, and the text after an outline number set a column gap before it."""
    out = []
    for k, row in enumerate(rows):
        row.sort(key=lambda w: w["x0"])
        for j, w in enumerate(row):
            if j == 0:
                out.append((k, w))
                continue
            prev = row[j - 1]
            gap = w["x0"] - prev["x1"]
            if gap > S.segment_gap * min(prev["size"], w["size"]) or \
                    (j == 1 and _column_number(prev, w, gap)):
                out.append((k, w))
    return out


def _in_columns(num: dict, w: dict, k: int, starts: list[tuple[int, dict]], row_first: bool) -> bool:
    """Whether a number and the text after it stand in columns: the number opens its row, or on
    some other row a run of text starts where it starts (a column's margin, or another number: left-
    or right-aligned); and on some other row a run of text starts where the text starts (its wrapped
    line, another item's text, the body text). Words spread apart by justification line up with nothing."""
    tol = S.column_align_tol * max(min(num["size"], w["size"]), 1)
    num_col, txt_col = row_first, False
    for j, s in starts:
        if j == k:
            continue
        if not num_col and (abs(s["x0"] - num["x0"]) <= tol or
                            (abs(s["x1"] - num["x1"]) <= tol and _is_number_word(s))):
            num_col = True
        if not txt_col and abs(s["x0"] - w["x0"]) <= tol:
            txt_col = True
        if num_col and txt_col:
            return True
    return False


def _big_numeral_beside(num: dict, w: dict, gap: float) -> bool:
    """A big standalone numeral followed, past more than a word space, by smaller text on the same
    row (a number in a box beside a title whose last line shares its bottom): two segments."""
    small = max(min(num["size"], w["size"]), 1)
    return num["size"] >= S.big_numeral_ratio * w["size"] and gap > S.number_column_gap * small and \
        bool(BARE_NUMERAL_RE.match(num["text"]))


def _marker_target(rows: list[list[dict]], k: int, drop: set[int]) -> int | None:
    """The row a lone marker (row k) belongs to: text just right of it that it overlaps vertically,
    the nearest by middle; None when there is none."""
    b = rows[k][0]
    number = not _is_bullet_word(b)
    mid = (b["top"] + b["bottom"]) / 2
    best = None
    for j in range(max(0, k - S.bullet_rows), min(len(rows), k + S.bullet_rows + 1)):
        if j == k or j in drop or (len(rows[j]) == 1 and _is_marker_word(rows[j][0])):
            continue
        right = [w for w in rows[j] if w["x0"] >= b["x1"] - S.bullet_slack]
        if not right:
            continue
        first = min(right, key=lambda w: w["x0"])
        if first["x0"] - b["x1"] > S.bullet_reach * first["size"] or _is_marker_word(first):
            continue
        if number and not _column_number(b, first, first["x0"] - b["x1"]):
            continue  # a superscript (an alinea number, a footnote call) or a big numeral
        if any(b["x0"] <= w["x1"] and w["x0"] < first["x0"] and w is not first for w in rows[j]):
            continue  # something already stands between the bullet and the text
        overlap = min(b["bottom"], first["bottom"]) - max(b["top"], first["top"])
        if overlap < S.bullet_overlap * min(b["bottom"] - b["top"], first["bottom"] - first["top"]):
            continue
        dist = abs(mid - (first["top"] + first["bottom"]) / 2)
        if best is None or dist < best[0]:
            best = (dist, j)
    return None if best is None else best[1]


def _attach_bullets(rows: list[list[dict]]) -> list[list[dict]]:
    """A row holding only a bullet glyph or an outline number, set on its own baseline (raised or
    lowered, often in a symbol font or another size) just left of a line of text that it overlaps
    vertically, joins that line's row: it is the line's list marker (or number), not a paragraph of
    its own. A number much bigger than the text is left to the block builder's numerals."""
    if not any(len(r) == 1 and _is_marker_word(r[0]) for r in rows):
        return rows
    drop: set[int] = set()
    for k, row in enumerate(rows):
        if len(row) != 1 or not _is_marker_word(row[0]):
            continue
        j = _marker_target(rows, k, drop)
        if j is not None:
            rows[j].append(row[0])
            drop.add(k)
    return [r for k, r in enumerate(rows) if k not in drop]


def is_bold(fontname: str) -> bool:
    """Whether a font name says bold (or heavier)."""
    b = _BOLD_CACHE.get(fontname)
    if b is None:
        b = _BOLD_CACHE[fontname] = bool(BOLD_FONT_RE.search(fontname or ""))
    return b


def make_line(ws: list[dict], pno: int) -> Line:
    """A segment's words as a Line: text (words glued where ``_glue`` or a tiny gap without a space
    glyph says), box, and the
    size, weight and colour that cover most of its characters; a first word marked ``_colnum`` is
    the line's outline number (``Line.number``)."""
    parts = [ws[0]["text"]]
    for a, b in zip(ws, ws[1:]):
        glue = b.get("_glue")
        if glue is None:
            # A space glyph of the file between the two (``_spaced_after``, set by either engine)
            # is a word space however close the glyph boxes set them.
            glue = b["x0"] - a["x1"] < S.glue_gap_em * min(a["size"], b["size"]) and b.get("_spaced_after") is not a
        parts.append(("" if glue else " ") + b["text"])
    boxes = tuple((w["x0"], w["x1"], t) for w, t in zip(ws, parts))
    weights: dict = {}
    bold = 0
    colors: dict = {}
    for w in ws:  # insertion-ordered dicts: most_common() ties resolve as Counter's did
        k = len(w["text"])
        sz = round(w["size"], 1)
        weights[sz] = weights.get(sz, 0) + k
        fn = w.get("fontname", "")
        b = _BOLD_CACHE.get(fn)
        bold += k if (is_bold(fn) if b is None else b) else 0
        c = w.get("non_stroking_color")
        c = c if type(c) is tuple and len(c) == 3 and all(type(v) is float and round(v, COLOR_DIGITS) == v for v in c) \
            else norm_color(c)
        colors[c] = colors.get(c, 0) + k
    weights, colors = Counter(weights), Counter(colors)
    n = sum(weights.values()) or 1
    return Line(text="".join(parts), x0=min(w["x0"] for w in ws), top=min(w["top"] for w in ws),
                x1=max(w["x1"] for w in ws), bottom=max(w["bottom"] for w in ws),
                size=weights.most_common(1)[0][0], bold=bold * 2 > n, color=colors.most_common(1)[0][0],
                page=pno, chars=n, words=boxes, number=ws[0]["text"].strip() if ws[0].get("_colnum") and len(ws) > 1 else None)
