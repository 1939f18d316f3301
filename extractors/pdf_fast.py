"""pdfium fast path for one PDF page: the same words, lines and ruled tables as the pdfplumber path
in extractors/pdf.py, at a fraction of the cost.

pdfplumber parses every page with pdfminer (pure Python, ~100 ms a page); pdfium reads a page's
text in ~1 ms. This module builds pdfplumber-compatible *words* straight from pdfium's text page:

* the page text comes in one ``FPDFText_GetText`` call; words are its whitespace-separated runs,
  so only two character boxes per word are asked for (first and last char, "loose" boxes, which
  are pdfminer's boxes: advance width × font ascent/descent) instead of one per character;
* a space pdfium *generated* (no space glyph in the file) only splits words across a gap wider
  than pdfplumber's ``x_tolerance`` (3 pt) or ``WORD_GAP_EM`` of the font size, as pdf.py's
  pdfplumber reading does; two text objects inside one run are split at such a gap too;
* a line that looks letter-spaced gets its words rebuilt from the boxes of its own glyphs
  (pdf._respace), the only place where every char box of a word is read;
* font name, size, fill colour and matrix are read once per text object; a word spanning two
  objects is split where those attributes change (pdfplumber's ``extra_attrs`` rule);
* overprinted copies (same word, size and position within 1 pt) are dropped, as ``_dedupe`` does;
* ruled tables: path objects are turned into pdfplumber's line/rect/curve *edges*, and only a page
  with a line or rect goes through pdfplumber's own ``TableFinder`` (same algorithm and settings),
  fed with these edges and with character dicts built for the words inside the table area only.

Whatever this path does not model returns ``None`` and the page is read by pdfplumber instead:
rotated/mirrored/skewed text, a rotated page or one whose media box does not start at 0,0 or
differs from its crop box, text pdfium could not map to Unicode (pdfminer's ``(cid:N)``), and a
text layer whose character indices do not line up with its text (surrogate pairs).
"""
from __future__ import annotations

import ctypes
import math
import re
from ctypes import byref, c_double, c_float, c_int, c_uint, c_ushort, c_void_p

import pypdfium2 as pdfium

from planscope.extractors.pdf import SPACE_LOOKAHEAD, WORD_GAP_EM, split_word, wide_gap_cuts  # word spacing shared with pdf.py

X_TOL = 3.0  # pdfplumber extract_words x_tolerance used by extractors/pdf.py
EDGE_TOL = 1.0  # points a word may overhang its table cell and still be read as a whole
RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew and Arabic
_WORD = re.compile(r"\S+")


def _get(name: str, argtypes, restype):
    from pypdfium2_raw import bindings

    f = bindings._libs["pdfium"][name]  # a fresh function pointer: our own prototype
    f.argtypes, f.restype = argtypes, restype
    return f


# Light prototypes (plain pointers as ints): the generated bindings wrap every handle in a typed
# pointer object, which costs more than the call itself.
_LoadPage = _get("FPDFText_LoadPage", (c_void_p,), c_void_p)
_ClosePage = _get("FPDFText_ClosePage", (c_void_p,), None)
_CountChars = _get("FPDFText_CountChars", (c_void_p,), c_int)
_GetText = _get("FPDFText_GetText", (c_void_p, c_int, c_int, c_void_p), c_int)
_GetUnicode = _get("FPDFText_GetUnicode", (c_void_p, c_int), c_uint)
_LooseBox = _get("FPDFText_GetLooseCharBox", (c_void_p, c_int, c_void_p), c_int)
_TextObj = _get("FPDFText_GetTextObject", (c_void_p, c_int), c_void_p)
_IsGenerated = _get("FPDFText_IsGenerated", (c_void_p, c_int), c_int)
_MapError = _get("FPDFText_HasUnicodeMapError", (c_void_p, c_int), c_int)
_FontSize = _get("FPDFText_GetFontSize", (c_void_p, c_int), c_double)
_FontInfo = _get("FPDFText_GetFontInfo", (c_void_p, c_int, c_void_p, c_uint, c_void_p), c_uint)
_FillColor = _get("FPDFText_GetFillColor", (c_void_p, c_int, c_void_p, c_void_p, c_void_p, c_void_p), c_int)
_CharMatrix = _get("FPDFText_GetMatrix", (c_void_p, c_int, c_void_p), c_int)
_CountObjects = _get("FPDFPage_CountObjects", (c_void_p,), c_int)
_GetObject = _get("FPDFPage_GetObject", (c_void_p, c_int), c_void_p)
_ObjType = _get("FPDFPageObj_GetType", (c_void_p,), c_int)
_ObjMatrix = _get("FPDFPageObj_GetMatrix", (c_void_p, c_void_p), c_int)
_FormCount = _get("FPDFFormObj_CountObjects", (c_void_p,), c_int)
_FormObject = _get("FPDFFormObj_GetObject", (c_void_p, c_uint), c_void_p)
_SegCount = _get("FPDFPath_CountSegments", (c_void_p,), c_int)
_Seg = _get("FPDFPath_GetPathSegment", (c_void_p, c_int), c_void_p)
_SegPoint = _get("FPDFPathSegment_GetPoint", (c_void_p, c_void_p, c_void_p), c_int)
_SegType = _get("FPDFPathSegment_GetType", (c_void_p,), c_int)
_SegClose = _get("FPDFPathSegment_GetClose", (c_void_p,), c_int)
_DrawMode = _get("FPDFPath_GetDrawMode", (c_void_p, c_void_p, c_void_p), c_int)

_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIER, _MOVETO = 0, 1, 2


class _Rect(ctypes.Structure):
    _fields_ = [("left", c_float), ("top", c_float), ("right", c_float), ("bottom", c_float)]


class _Matrix(ctypes.Structure):
    _fields_ = [("a", c_float), ("b", c_float), ("c", c_float), ("d", c_float), ("e", c_float), ("f", c_float)]


def open_document(data: bytes, password: str = ""):
    """A pdfium document for the fast path, or None (the caller then uses pdfplumber only)."""
    try:
        return pdfium.PdfDocument(data, password=password or None)
    except Exception:
        return None


class _NotModelled(Exception):
    """This page needs the pdfplumber path."""


# --------------------------------------------------------------------------- page objects


def _mul(m, n):
    """m then n (PDF row-vector convention): the matrix of m's space in n's parent space."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(handle, count, get, matrix, depth, out, images):
    mat = _Matrix()
    for k in range(count(handle)):
        obj = get(handle, k)
        t = _ObjType(obj)
        if t == _PATH:
            _ObjMatrix(obj, byref(mat))
            m = (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)
            out.append((obj, _mul(m, matrix) if matrix is not None else m))
        elif t == _IMAGE:
            images[0] += 1
        elif t == _FORM and depth < 8:
            _ObjMatrix(obj, byref(mat))
            m = (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)
            _walk(obj, _FormCount, _FormObject, _mul(m, matrix) if matrix is not None else m, depth + 1, out,
                  images)


def page_graphics(page_raw, height: float) -> tuple[list[dict], list[dict], list[dict], int]:
    """(lines, rects, curves, image count) as pdfplumber/pdfminer would list them (top-based)."""
    paths: list = []
    images = [0]
    _walk(page_raw, _CountObjects, _GetObject, None, 0, paths, images)
    lines, rects, curves = [], [], []
    fx, fy = c_float(), c_float()
    for obj, m in paths:
        a, b, c, d, e, f = m
        n = _SegCount(obj)
        subs: list[tuple[list, str, bool]] = []
        pts: list = []
        shape = ""
        closed = False
        for s in range(n):
            seg = _Seg(obj, s)
            _SegPoint(seg, byref(fx), byref(fy))
            x, y = fx.value, fy.value
            # Rounded: pdfium's float32 must not turn a horizontal rule into a slanted one.
            pt = (round(a * x + c * y + e, 3), round(height - (b * x + d * y + f), 3))
            typ = _SegType(seg)
            if typ == _MOVETO:
                if pts:
                    subs.append((pts, shape, closed))
                pts, shape, closed = [pt], "m", False
            else:
                if not pts:
                    pts, shape = [pt], "m"
                    continue
                pts.append(pt)
                shape += "l" if typ == _LINETO else "c"
            if _SegClose(seg):
                closed = True
        if pts:
            subs.append((pts, shape, closed))
        for pts, shape, closed in subs:
            _classify(pts, shape + ("h" if closed else ""), lines, rects, curves)
    for o in lines + rects + curves:
        o["y0"], o["y1"] = height - o["bottom"], height - o["top"]
    return lines, rects, curves, images[0]


def _near(a: float, b: float) -> bool:
    return abs(a - b) < 1e-3


def _same(p, q) -> bool:
    return _near(p[0], q[0]) and _near(p[1], q[1])


def _bbox_obj(kind: str, pts: list) -> dict:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "pts": pts}


def _classify(pts, shape, lines, rects, curves) -> None:
    """pdfminer's rule: "ml" is a line; an axis-aligned "mlllh"/"mllll" box is a rect; else a curve."""
    if len(pts) < 2:
        return
    if shape.endswith("h") and len(pts) >= 3 and _same(pts[-1], pts[0]):
        # pdfium spells "re" / "... h" with an explicit line back to the start, pdfminer does not.
        pts, shape = pts[:-1], shape[:-2] + "h"
    if shape in ("ml", "mlh"):
        lines.append(_bbox_obj("line", pts[:2]))
        return
    if shape in ("mlllh", "mllll", "mlll"):
        p = pts[:4] if shape != "mllll" else pts[:4]
        closes = shape == "mlllh" or (len(pts) >= 5 and _same(pts[4], pts[0]))
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p
        q = _near
        axis = (q(x0, x1) and q(y1, y2) and q(x2, x3) and q(y3, y0)) or \
            (q(y0, y1) and q(x1, x2) and q(y2, y3) and q(x3, x0))
        if closes and axis:
            rects.append(_bbox_obj("rect", p))
            return
    curves.append(_bbox_obj("curve", pts if not shape.endswith("h") else pts + [pts[0]]))


def graphics_to_edges(lines, rects, curves) -> list[dict]:
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    return [line_to_edge(l) for l in lines] + [e for r in rects for e in rect_to_edges(r)] + \
        [e for c in curves for e in curve_to_edges(c)]


# --------------------------------------------------------------------------- text


class _Text:
    """One pdfium text page: text, boxes and per-object attributes, asked lazily."""

    def __init__(self, page_raw, height: float):
        self.tp = _LoadPage(page_raw)
        if not self.tp:
            raise _NotModelled("no text page")
        self.h = height
        self.n = _CountChars(self.tp)
        buf = (c_ushort * (self.n + 1))()
        got = _GetText(self.tp, 0, self.n, buf) if self.n else 0
        text = bytes(buf)[: 2 * max(0, got - 1)].decode("utf-16-le", "replace") if got else ""
        if len(text) != self.n:
            text = "".join(chr(_GetUnicode(self.tp, i) or 0xFFFD) for i in range(self.n))
        # pdfium reports a hyphen that ends a line as U+FFFE ("soft hyphen here"); the file has "-".
        self.text = text.replace("\ufffe", "-")
        self.rect = _Rect()
        self._rp = byref(self.rect)
        self.attrs: dict[int, tuple] = {}

    def close(self):
        if self.tp:
            _ClosePage(self.tp)
            self.tp = None

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of char i, pdfminer-like (loose box), top-based."""
        _LooseBox(self.tp, i, self._rp)
        r = self.rect
        return r.left, self.h - r.top, r.right, self.h - r.bottom

    def attr(self, i: int) -> tuple:
        """(object id, fontname, size, colour) of char i's text object; raises _NotModelled when
        the object's text is not upright or has no Unicode mapping."""
        obj = _TextObj(self.tp, i) or 0
        a = self.attrs.get(obj)
        if a is not None:
            return a
        m = _Matrix()
        _CharMatrix(self.tp, i, byref(m))
        upright = _upright(m.a, m.b, m.c, m.d)
        if _MapError(self.tp, i):
            raise _NotModelled("text without Unicode mapping")
        # pdfminer's size is the char box height: the font size times the vertical scale.
        size = _FontSize(self.tp, i) * math.hypot(m.c, m.d)
        buf = ctypes.create_string_buffer(256)
        flags = c_int()
        nb = _FontInfo(self.tp, i, buf, 256, byref(flags))
        name = buf.raw[: max(0, nb - 1)].decode("utf-8", "replace") if nb else ""
        r, g, b, al = c_uint(), c_uint(), c_uint(), c_uint()
        _FillColor(self.tp, i, byref(r), byref(g), byref(b), byref(al))
        # pdfium gives RGB whatever the colour space (pdfminer gives the space's components).
        color = (round(r.value / 255, 3), round(g.value / 255, 3), round(b.value / 255, 3))
        a = self.attrs[obj] = (obj, name, size, color, upright)
        return a

    def char_dicts(self, start: int, end: int, index: bool = False) -> list[dict]:
        """pdfplumber-like char dicts for chars [start, end) (skipping generated ones); with
        ``index``, each dict holds its char index as ``_i``."""
        out = []
        for i in range(start, end):
            t = self.text[i]
            if t in "\r\n" or (t == " " and _IsGenerated(self.tp, i)):
                continue
            x0, top, x1, bottom = self.box(i)
            _, name, size, color, _ = self.attr(i)
            top = bottom - size
            out.append({"object_type": "char", "text": t, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                        "doctop": top, "width": x1 - x0, "height": bottom - top, "size": size,
                        "fontname": name, "non_stroking_color": color, "upright": True,
                        "matrix": (1, 0, 0, 1, x0, bottom)})
            if index:
                out[-1]["_i"] = i
        return out


def _upright(a, b, c, d) -> bool:
    if b == 0 and c == 0:
        return a > 0 and d > 0
    if a * d - b * c <= 0:
        return False
    ang = math.degrees(math.atan2(b, a)) % 360
    return min(ang, 360 - ang) <= 5


def words_of(tx: _Text) -> list[dict]:
    """Words (pdfplumber extract_words dicts with fontname, size, non_stroking_color)."""
    text = tx.text
    words: list[dict] = []
    prev = None  # the previous run's last word dict, its last char index
    tx.rotated = tx.upright = 0
    for m in _WORD.finditer(text):
        s, e = m.start(), m.end()
        runs = _split_attrs(tx, s, e)
        for k, (rs, re_, attr) in enumerate(runs):
            if not attr[4]:  # rotated/mirrored text: dropped (counted), as pdf._read_page does
                tx.rotated += re_ - rs
                continue
            tx.upright += re_ - rs
            x0, _, x1, bottom = tx.box(rs)
            if re_ - 1 != rs:
                _, _, x1, b2 = tx.box(re_ - 1)
                bottom = max(bottom, b2)
            top = bottom - attr[2]
            w = {"text": text[rs:re_], "x0": x0, "x1": x1, "top": top, "bottom": bottom, "upright": True,
                 "fontname": attr[1], "size": attr[2], "non_stroking_color": attr[3], "_obj": attr[0],
                 "_span": (rs, re_)}
            if k == 0 and prev is not None and s - prev["_span"][1] == 1 and text[s - 1] == " " and \
                    _IsGenerated(tx.tp, s - 1) and _joins(prev, w):
                _merge(prev, w)
                continue
            if k > 0 and prev is not None and _joins(prev, w, same_run=True):
                _merge(prev, w)
                continue
            words.append(w)
            prev = w
    if any("_wide" in w for w in words):
        words = _split_wide(tx, words)
    return words


def _split_wide(tx: _Text, words: list[dict]) -> list[dict]:
    """Words merged across a gap wider than ``WORD_GAP_EM`` are cut where pdf.wide_gap_cuts cuts
    pdfplumber's words (same glyph boxes, same rule); only these words' char boxes are read."""
    out = []
    for w in words:
        if not w.pop("_wide", False):
            out.append(w)
            continue
        chars = tx.char_dicts(*w["_span"], index=True)
        cuts, letter = wide_gap_cuts(chars)
        if letter:
            w["_letter"] = letter
        if not cuts:
            out.append(w)
            continue
        for part, lo, hi in zip(split_word(w, chars, cuts), [0] + cuts, cuts + [len(chars)]):
            part["_span"] = (chars[lo]["_i"], chars[hi - 1]["_i"] + 1)
            part["top"] = part["bottom"] - w["size"]
            out.append(part)
    return out


def _joins(a: dict, b: dict, same_run: bool = False) -> bool:
    """Whether pdfplumber would put b's first char in a's word (no whitespace glyph between)."""
    if (a["fontname"], a["size"], a["non_stroking_color"]) != (b["fontname"], b["size"], b["non_stroking_color"]):
        return False
    if b["x0"] < a["x0"] or b["x0"] > a["x1"] + X_TOL:
        return False
    return abs(b["top"] - a["top"]) <= X_TOL


def _space_between(tx: _Text, a: dict, b: dict) -> bool | None:
    """Whether a space glyph of the file (not one pdfium generated) stands between words a and b in
    content order; None when they are not close in content order."""
    ia, ib = a["_span"][1], b["_span"][0]
    if not 0 <= ib - ia <= SPACE_LOOKAHEAD:
        return None
    return any(tx.text[i].isspace() and not _IsGenerated(tx.tp, i) for i in range(ia, ib))


def _merge(a: dict, b: dict) -> None:
    if b["x0"] - a["x1"] > WORD_GAP_EM * a["size"]:
        a["_wide"] = True  # a gap that may be a word space: pdf.wide_gap_cuts decides on the glyphs
    a["text"] += b["text"]
    a["x1"] = max(a["x1"], b["x1"])
    a["top"] = min(a["top"], b["top"])
    a["bottom"] = max(a["bottom"], b["bottom"])
    a["_span"] = (a["_span"][0], b["_span"][1])


def _split_attrs(tx: _Text, s: int, e: int) -> list[tuple[int, int, tuple]]:
    """[start, end) runs of one whitespace-free run with one text object each."""
    first = tx.attr(s)
    if e - s == 1:
        return [(s, e, first)]
    last = tx.attr(e - 1)
    if last[0] == first[0]:
        return [(s, e, first)]
    runs = []
    start, cur = s, first
    for i in range(s + 1, e):
        a = tx.attr(i)
        if a[0] != cur[0]:
            runs.append((start, i, cur))
            start, cur = i, a
    runs.append((start, e, cur))
    return runs


def _dedupe_words(words: list[dict], tol: float = 1.0) -> list[dict]:
    """Overprinted copies (shadow, fake bold): same text and size within tol points of a kept word."""
    seen: dict[tuple, list] = {}
    out = []
    for w in words:
        gx, gy = int(w["x0"] // tol), int(w["top"] // tol)
        key = (w["text"], round(w["size"]))
        cells = seen.get(key)
        if cells is None:
            seen[key] = [(gx, gy)]
        elif any(abs(gx - x) <= 1 and abs(gy - y) <= 1 for x, y in cells):
            continue
        else:
            cells.append((gx, gy))
        out.append(w)
    return out


# --------------------------------------------------------------------------- tables


class _TablePage:
    """The part of a pdfplumber Page that TableFinder and Table.extract read."""

    def __init__(self, bbox, edges, chars):
        self.bbox = bbox
        self.edges = edges
        self.chars = chars


def find_tables(tx: _Text, words: list[dict], edges: list[dict], bbox) -> list[tuple[list, tuple]]:
    """pdfplumber's TableFinder (default settings) on pdfium edges; chars only for words in the
    area the candidate tables cover."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(_TablePage(bbox, edges, []), TableSettings.resolve(None))
    if not finder.tables:
        return []
    boxes = [t.bbox for t in finder.tables]
    near = [w for w in words if any(b[0] - 2 <= w["x1"] and w["x0"] <= b[2] + 2 and
                                    b[1] - 2 <= (w["top"] + w["bottom"]) / 2 <= b[3] + 2 for b in boxes)]
    out = []
    for t in finder.tables:
        rows = _extract(t, near, tx)
        filled = [(r, c) for r, row in enumerate(rows or []) for c, v in enumerate(row) if v and v.strip()]
        if rows and len(rows) >= 2 and max(len(r) for r in rows) >= 2 and len(filled) >= 3 and \
                len({c for _, c in filled}) >= 2 and len({r for r, _ in filled}) >= 2:
            out.append((rows, tuple(t.bbox)))
    return out


def _extract(table, words: list[dict], tx: _Text) -> list[list[str | None]]:
    """pdfplumber's Table.extract() (default arguments). Each word goes to the cell holding its
    middle and the cell text is built as extract_text builds it; when a word crosses a cell's edge
    (dense columns set closer than a space), or the script runs right to left, the table is read
    char by char as pdfplumber does."""
    if any(RTL_RE.search(w["text"]) for w in words):
        return _extract_chars(table, words, tx)
    out = []
    for row in _cell_contents(table, words):
        for cell, ws in zip(row[0], row[1]):
            if ws and any(w["x0"] < cell[0] - EDGE_TOL or w["x1"] > cell[2] + EDGE_TOL for w in ws):
                return _extract_chars(table, words, tx)
        out.append([None if cell is None else _cell_text(ws, tx) if ws else "" for cell, ws in zip(*row)])
    return out


def _extract_chars(table, words: list[dict], tx: _Text) -> list[list[str | None]]:
    """Table.extract() on the words' chars: same char-in-cell rule and same cell text as pdfplumber."""
    from pdfplumber.utils import extract_text

    chars: list[dict] = []
    for w in words:
        s, e = w["_span"]
        while e < tx.n and tx.text[e].isspace() and tx.text[e] not in "\r\n":
            e += 1  # the space glyphs after the word (generated ones are skipped)
        chars.extend(tx.char_dicts(s, e))
    return [[None if cell is None else extract_text(cc) if cc else "" for cell, cc in zip(*row)]
            for row in _cell_contents(table, chars)]


def _cell_contents(table, objs: list[dict]):
    """For each table row: (its cells, the objects whose middle lies in each cell, in page order).
    Objects are bucketed by their vertical middle instead of tested against every row."""
    from bisect import bisect_left

    mids = sorted(((o["top"] + o["bottom"]) / 2, (o["x0"] + o["x1"]) / 2, k) for k, o in enumerate(objs))
    vs = [m[0] for m in mids]
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        lo, hi = bisect_left(vs, top), bisect_left(vs, bottom)
        in_row = sorted((m for m in mids[lo:hi] if x0 <= m[1] < x1), key=lambda m: m[2])
        contents = [None if cell is None else
                    [objs[m[2]] for m in in_row if cell[0] <= m[1] < cell[2] and cell[1] <= m[0] < cell[3]]
                    for cell in row.cells]
        yield row.cells, contents


def _cell_text(ws: list[dict], tx: _Text) -> str:
    """Lines clustered on their top (pdfplumber's y_tolerance), words left to right, joined with a
    space where pdfplumber would start a new word: a real space glyph or a gap over x_tolerance."""
    ws = sorted(ws, key=lambda w: w["top"])
    lines: list[list[dict]] = []
    last = None
    for w in ws:
        if last is None or w["top"] > last + X_TOL:
            lines.append([w])
        else:
            lines[-1].append(w)
        last = w["top"]
    texts = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        parts = [line[0]["text"]]
        for a, b in zip(line, line[1:]):
            gap_text = tx.text[a["_span"][1]:b["_span"][0]] if a["_span"][1] <= b["_span"][0] else " "
            spaced = any(c.isspace() and not (c == " " and _IsGenerated(tx.tp, a["_span"][1] + k))
                         for k, c in enumerate(gap_text))
            parts.append((" " if spaced or b["x0"] > a["x1"] + X_TOL or b["x0"] < a["x0"] else "") + b["text"])
        texts.append("".join(parts))
    return "\n".join(texts)


# --------------------------------------------------------------------------- one page


def read_page(doc, index: int, pno: int):
    """PageData for page index (0-based) read with pdfium, or None when the page needs pdfplumber."""
    from planscope.extractors import pdf as P

    page = doc[index]
    tx = None
    try:
        if page.get_rotation() % 360:
            return None
        mb = page.get_mediabox()
        cb = page.get_cropbox()
        if abs(mb[0]) > 0.01 or abs(mb[1]) > 0.01 or any(abs(u - v) > 0.01 for u, v in zip(mb, cb)):
            return None
        width, height = mb[2] - mb[0], mb[3] - mb[1]
        pd = P.PageData(pno=pno, width=float(width), height=float(height))
        tx = _Text(page.raw, height)
        try:
            words = words_of(tx)
        except _NotModelled:
            return None
        if tx.rotated > tx.upright:
            return None  # a page turned on its side: pdfplumber's path turns it
        pd.dropped_rotated = tx.rotated
        if any(w["x0"] < -1 or w["x1"] > width + 1 or w["top"] < -1 or w["bottom"] > height + 1 for w in words):
            return None  # text crossing the page edge: pdfplumber drops it char by char
        words = _dedupe_words(words)
        lines = rects = curves = None
        table_boxes = []
        images = None
        if words:
            lines, rects, curves, images = page_graphics(page.raw, height)
            if lines or rects:
                try:
                    pd.tables = find_tables(tx, words, graphics_to_edges(lines, rects, curves),
                                            (0.0, 0.0, float(width), float(height)))
                except _NotModelled:
                    return None
                table_boxes = [bb for _, bb in pd.tables]
        glyphs_of = lambda w: tx.char_dicts(*w["_span"])  # noqa: E731
        space_between = lambda a, b: _space_between(tx, a, b)  # noqa: E731
        pd.table_lines = [P._group_lines([w for w in words if P._inside(w, [bb])], pno, glyphs_of, space_between)
                          for bb in table_boxes]
        words = [w for w in words if not P._inside(w, table_boxes)]
        words, pd.dropped_vertical = P._drop_vertical_chains(words)
        pd.lines = P._group_lines(words, pno, glyphs_of, space_between)
        nchars = sum(len(w["text"]) for w in words)
        if nchars < P.MIN_CHARS_PER_PAGE and not table_boxes:
            if images is None:
                images = page_graphics(page.raw, height)[3]
            pd.image_only = bool(images)
        return pd
    finally:
        if tx is not None:
            tx.close()
        page.close()


def has_ruling(page_raw, height: float) -> bool:
    """Cheap table-candidate test: a path that pdfminer would list as a line or a rect."""
    lines, rects, _, _ = page_graphics(page_raw, height)
    return bool(lines or rects)
