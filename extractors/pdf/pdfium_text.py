"""A page's text read with pdfium as pdfplumber-compatible words.

* the page text comes in one ``FPDFText_GetText`` call; words are its whitespace-separated runs,
  so only two character boxes per word are asked for (first and last char, "loose" boxes, which
  are pdfminer's boxes: advance width × font ascent/descent) instead of one per character;
* a space pdfium *generated* (no space glyph in the file) only splits words across a gap wider
  than pdfplumber's ``x_tolerance`` or ``word_gap_em`` of the font size, as the pdfplumber engine
  does; two text objects inside one run are split at such a gap too;
* font name, size, fill colour and matrix are read once per text object; a word spanning two
  objects is split where those attributes change (pdfplumber's ``extra_attrs`` rule).
"""
from __future__ import annotations

import ctypes
import math
import re
from ctypes import byref, c_int, c_uint, c_ushort

from planscope.extractors.pdf import pdfium_api as api
from planscope.extractors.pdf.model import COLOR_DIGITS, is_upright
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.pdf.words import split_word, wide_gap_cuts

_WORD = re.compile(r"\S+")
FONT_NAME_BYTES = 256  # buffer for a font name
CHANNEL_MAX = 255  # pdfium gives colour channels as bytes


class PdfiumText:
    """One pdfium text page: text, boxes and per-object attributes, asked lazily; ``rotated`` and
    ``upright`` count the characters of each kind once ``words_of`` has read it."""

    def __init__(self, page_raw, height: float):
        self.tp = api.LoadPage(page_raw)
        if not self.tp:
            raise api.NotModelled("no text page")
        self.h = height
        self.n = api.CountChars(self.tp)
        buf = (c_ushort * (self.n + 1))()
        got = api.GetText(self.tp, 0, self.n, buf) if self.n else 0
        text = bytes(buf)[: 2 * max(0, got - 1)].decode("utf-16-le", "replace") if got else ""
        if len(text) != self.n:
            text = "".join(chr(api.GetUnicode(self.tp, i) or 0xFFFD) for i in range(self.n))
        # pdfium reports a hyphen that ends a line as U+FFFE ("soft hyphen here"); the file has "-".
        self.text = text.replace("\ufffe", "-")
        self.rect = api.Rect()
        self._rp = byref(self.rect)
        self.attrs: dict[int, tuple] = {}
        self.rotated = self.upright = 0

    def close(self):
        if self.tp:
            api.ClosePage(self.tp)
            self.tp = None

    def generated(self, i: int) -> bool:
        """Whether char i is a space pdfium generated (no glyph in the file)."""
        return bool(api.IsGenerated(self.tp, i))

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of char i, pdfminer-like (loose box), top-based."""
        api.LooseBox(self.tp, i, self._rp)
        r = self.rect
        return r.left, self.h - r.top, r.right, self.h - r.bottom

    def attr(self, i: int) -> tuple:
        """(object id, fontname, size, colour, upright) of char i's text object; raises NotModelled
        when the object's text has no Unicode mapping."""
        obj = api.TextObj(self.tp, i) or 0
        a = self.attrs.get(obj)
        if a is not None:
            return a
        m = api.Matrix()
        api.CharMatrix(self.tp, i, byref(m))
        upright = is_upright(m.a, m.b, m.c, m.d)
        if api.MapError(self.tp, i):
            raise api.NotModelled("text without Unicode mapping")
        # pdfminer's size is the char box height: the font size times the vertical scale.
        size = api.FontSize(self.tp, i) * math.hypot(m.c, m.d)
        buf = ctypes.create_string_buffer(FONT_NAME_BYTES)
        flags = c_int()
        nb = api.FontInfo(self.tp, i, buf, FONT_NAME_BYTES, byref(flags))
        name = buf.raw[: max(0, nb - 1)].decode("utf-8", "replace") if nb else ""
        r, g, b, al = c_uint(), c_uint(), c_uint(), c_uint()
        api.FillColor(self.tp, i, byref(r), byref(g), byref(b), byref(al))
        # pdfium gives RGB whatever the colour space (pdfminer gives the space's components).
        color = tuple(round(v.value / CHANNEL_MAX, COLOR_DIGITS) for v in (r, g, b))
        a = self.attrs[obj] = (obj, name, size, color, upright)
        return a

    def char_dicts(self, start: int, end: int, index: bool = False) -> list[dict]:
        """pdfplumber-like char dicts for chars [start, end) (skipping generated ones); with
        ``index``, each dict holds its char index as ``_i``."""
        out = []
        for i in range(start, end):
            t = self.text[i]
            if t in "\r\n" or (t == " " and self.generated(i)):
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


def words_of(tx: PdfiumText) -> list[dict]:
    """Words (pdfplumber extract_words dicts with fontname, size, non_stroking_color); rotated or
    mirrored text is dropped and counted in ``tx.rotated``."""
    text = tx.text
    words: list[dict] = []
    prev = None  # the previous run's last word dict, its last char index
    tx.rotated = tx.upright = 0
    for m in _WORD.finditer(text):
        s, e = m.start(), m.end()
        runs = _split_attrs(tx, s, e)
        for k, (rs, re_, attr) in enumerate(runs):
            if not attr[4]:  # rotated/mirrored text: dropped (counted), as the pdfplumber engine does
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
            if k == 0 and prev is not None and s - prev["_span"][1] == 1 and text[s - 1] == " ":
                if tx.generated(s - 1):
                    if _joins(prev, w):
                        _merge(prev, w)
                        continue
                else:
                    # A space glyph of the file right after the previous word: a word space, however
                    # close pdfium's glyph boxes set the two words (make_line would glue them).
                    w["_spaced_after"] = prev
            if k > 0 and prev is not None and _joins(prev, w):
                _merge(prev, w)
                continue
            words.append(w)
            prev = w
    if any("_wide" in w for w in words):
        words = _split_wide(tx, words)
    return words


def _split_wide(tx: PdfiumText, words: list[dict]) -> list[dict]:
    """Words merged across a gap wider than ``word_gap_em`` are cut where ``wide_gap_cuts`` cuts
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


def _joins(a: dict, b: dict) -> bool:
    """Whether pdfplumber would put b's first char in a's word (no whitespace glyph between)."""
    if (a["fontname"], a["size"], a["non_stroking_color"]) != (b["fontname"], b["size"], b["non_stroking_color"]):
        return False
    if b["x0"] < a["x0"] or b["x0"] > a["x1"] + S.x_tolerance:
        return False
    return abs(b["top"] - a["top"]) <= S.x_tolerance


def space_between(tx: PdfiumText, a: dict, b: dict) -> bool | None:
    """Whether a space glyph of the file (not one pdfium generated) stands between words a and b in
    content order; None when they are not close in content order."""
    ia, ib = a["_span"][1], b["_span"][0]
    if not 0 <= ib - ia <= S.space_lookahead:
        return None
    return any(tx.text[i].isspace() and not tx.generated(i) for i in range(ia, ib))


def _merge(a: dict, b: dict) -> None:
    """Word b appended to word a."""
    if b["x0"] - a["x1"] > S.word_gap_em * a["size"]:
        a["_wide"] = True  # a gap that may be a word space: wide_gap_cuts decides on the glyphs
    a["text"] += b["text"]
    a["x1"] = max(a["x1"], b["x1"])
    a["top"] = min(a["top"], b["top"])
    a["bottom"] = max(a["bottom"], b["bottom"])
    a["_span"] = (a["_span"][0], b["_span"][1])


def _split_attrs(tx: PdfiumText, s: int, e: int) -> list[tuple[int, int, tuple]]:
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
