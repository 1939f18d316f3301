"""Ruled tables on a page read with pdfium: pdfplumber's own ``TableFinder`` (same algorithm and
settings) fed with pdfium's edges, and cell texts built from pdfium's words as ``Table.extract``
builds them from chars."""
from __future__ import annotations

import re
from bisect import bisect_left

from planscope.extractors.pdf.model import keep_table
from planscope.extractors.pdf.pdfium_text import PdfiumText
from planscope.extractors.pdf.settings import SETTINGS as S

RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew and Arabic


class _TablePage:
    """The part of a pdfplumber Page that TableFinder and Table.extract read."""

    def __init__(self, bbox, edges, chars):
        self.bbox = bbox
        self.edges = edges
        self.chars = chars


def find_tables(tx: PdfiumText, words: list[dict], edges: list[dict], bbox) -> list[tuple[list, tuple]]:
    """pdfplumber's TableFinder (default settings) on pdfium edges; chars only for words in the
    area the candidate tables cover; tables ``keep_table`` accepts, as (rows, bbox)."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(_TablePage(bbox, edges, []), TableSettings.resolve(None))
    if not finder.tables:
        return []
    boxes = [t.bbox for t in finder.tables]
    m = S.table_near
    near = [w for w in words if any(b[0] - m <= w["x1"] and w["x0"] <= b[2] + m and
                                    b[1] - m <= (w["top"] + w["bottom"]) / 2 <= b[3] + m for b in boxes)]
    out = []
    for t in finder.tables:
        rows = _extract(t, near, tx)
        if keep_table(rows):
            out.append((rows, tuple(t.bbox)))
    return out


def _extract(table, words: list[dict], tx: PdfiumText) -> list[list[str | None]]:
    """pdfplumber's Table.extract() (default arguments). Each word goes to the cell holding its
    middle and the cell text is built as extract_text builds it; when a word crosses a cell's edge
    (dense columns set closer than a space), or the script runs right to left, the table is read
    char by char as pdfplumber does."""
    if any(RTL_RE.search(w["text"]) for w in words):
        return _extract_chars(table, words, tx)
    out = []
    for row in _cell_contents(table, words):
        for cell, ws in zip(row[0], row[1]):
            if ws and any(w["x0"] < cell[0] - S.edge_tol or w["x1"] > cell[2] + S.edge_tol for w in ws):
                return _extract_chars(table, words, tx)
        out.append([None if cell is None else _cell_text(ws, tx) if ws else "" for cell, ws in zip(*row)])
    return out


def _extract_chars(table, words: list[dict], tx: PdfiumText) -> list[list[str | None]]:
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


def _cell_text(ws: list[dict], tx: PdfiumText) -> str:
    """Lines clustered on their top (pdfplumber's y_tolerance), words left to right, joined with a
    space where pdfplumber would start a new word: a real space glyph or a gap over x_tolerance."""
    ws = sorted(ws, key=lambda w: w["top"])
    lines: list[list[dict]] = []
    last = None
    for w in ws:
        if last is None or w["top"] > last + S.y_tolerance:
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
            spaced = any(c.isspace() and not (c == " " and tx.generated(a["_span"][1] + k))
                         for k, c in enumerate(gap_text))
            parts.append((" " if spaced or b["x0"] > a["x1"] + S.x_tolerance or b["x0"] < a["x0"] else "") + b["text"])
        texts.append("".join(parts))
    return "\n".join(texts)
