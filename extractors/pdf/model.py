"""The page model both PDF engines fill: words as pdfplumber-style dicts, ``Line`` and ``PageData``,
and the rules on them that do not depend on the engine (overprint de-duplication, the upright-text
test, whether a ruled table is worth keeping, colours)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from planscope.extractors.pdf.settings import SETTINGS as S


COLOR_DIGITS = 3  # colour components are compared rounded to this many decimals


@dataclass
class Line:
    """A run of words on one row, not crossing a wide gap (so never two columns)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    color: tuple | None
    page: int
    chars: int = 0
    words: tuple = ()  # (x0, x1, text with the space before it) of each word, for column splits
    number: str | None = None  # an outline number set in a column of its own before the text (the text opens with it)


@dataclass
class PageData:
    """One page as read by either engine: its lines, ruled tables and what was dropped."""

    pno: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[list, tuple]] = field(default_factory=list)  # (rows, bbox)
    table_lines: list[list] = field(default_factory=list)  # the lines of each ruled table's words
    image_only: bool = False
    ocr: bool = False
    text_chars: int = 0  # characters of the text layer outside ruled tables (before any OCR)
    dropped_rotated: int = 0
    dropped_vertical: int = 0


def dedupe(items: list[dict], tol: float = S.dedupe_tol) -> list[dict]:
    """Drop overprinted copies (shadow or fake-bold text) of glyphs or words: the same text, font
    size and position within ``tol`` points of one already kept. Blank glyphs are all kept.
    Linear time (grid lookup)."""
    seen: set[tuple] = set()
    kinds: set[tuple] = set()  # (text, size) kept so far: a first one needs no neighbourhood look-up
    out = []
    for it in items:
        t = it.get("text", "")
        if not t.strip():
            out.append(it)
            continue
        gx, gy = int(it["x0"] // tol), int(it["top"] // tol)
        sz = round(it.get("size", 0))
        if (t, sz) in kinds:
            if any((t, sz, gx + i, gy + j) in seen for i in (-1, 0, 1) for j in (-1, 0, 1)):
                continue
        else:
            kinds.add((t, sz))
        seen.add((t, sz, gx, gy))
        out.append(it)
    return out


def matrix_angle(a: float, b: float, c: float, d: float) -> int | None:
    """Baseline direction of a glyph matrix in degrees (0, 90, 180, 270); None if mirrored or skewed."""
    if b == 0 and c == 0 and a > 0 and d > 0:
        return 0
    if a * d - b * c <= 0:
        return None
    ang = math.degrees(math.atan2(b, a)) % 360
    near = round(ang / 90) * 90 % 360
    return near if min(abs(ang - near), 360 - abs(ang - near)) <= S.skew_deg else None


def is_upright(a: float, b: float, c: float, d: float) -> bool:
    """Whether text with this matrix reads left to right, unrotated and unmirrored."""
    return matrix_angle(a, b, c, d) == 0


def inside(w: dict, boxes) -> bool:
    """Whether a word's middle lies in one of the boxes (x0, top, x1, bottom)."""
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def keep_table(rows: list | None) -> bool:
    """Whether a ruled table's cells make a table: enough rows and columns, and filled cells spread
    over at least two rows and two columns (a framed paragraph or a one-row banner is not one)."""
    filled = [(r, c) for r, row in enumerate(rows or []) for c, v in enumerate(row) if v and v.strip()]
    return bool(rows) and len(rows) >= S.table_min_rows and max(len(r) for r in rows) >= S.table_min_cols and \
        len(filled) >= S.table_min_filled and len({c for _, c in filled}) >= S.table_min_cols and \
        len({r for r, _ in filled}) >= S.table_min_rows


def to_rgb(c: tuple | None) -> tuple | None:
    """A pdfminer colour (gray, RGB or CMYK components) as RGB, like pdfium reports fill colours."""
    if c is None:
        return None
    if len(c) == 1:
        return (c[0],) * 3
    if len(c) == 4:
        k = 1 - c[3]
        return tuple(round((1 - v) * k, COLOR_DIGITS) for v in c[:3])
    return c


def norm_color(c) -> tuple | None:
    """A colour as a tuple of components rounded to 3 decimals (None when it is not one)."""
    if isinstance(c, (list, tuple)):
        try:
            return tuple(round(float(v), COLOR_DIGITS) for v in c)
        except (TypeError, ValueError):
            return None
    if isinstance(c, (int, float)):
        return (round(float(c), COLOR_DIGITS),)
    return None
