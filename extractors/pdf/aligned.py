"""Tables printed without a full grid: a header row of short texts over lines aligned on its columns."""
from __future__ import annotations

import re
from dataclasses import dataclass

from planscope.extractors.grammar import BARE_NUMERAL_RE, HEAD_NUM_RE
from planscope.extractors.hygiene import clean_text, join_hyphen_break, one_line
from planscope.extractors.pdf.cleanup import CID_RE
from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.pdf.settings import SETTINGS as S

YEAR_RE = re.compile(r"\s*(19|20)\d\d\s*")


@dataclass
class Tbl:
    """A table among a page's items: ruled (rows as read) or aligned (``grid`` already laid out)."""

    rows: list
    bbox: tuple
    page: int
    grid: list | None = None  # (text, carried) cells already laid out (tables read from aligned text)


def clean_cell(text: str) -> str:
    """A cell's text cleaned, its line breaks kept but words hyphenated at a line end rejoined."""
    lines = [l for l in clean_text(CID_RE.sub("", text)).split("\n")]
    out: list[str] = []
    for l in lines:
        if out and re.search(r"\w-$", out[-1]) and l[:1].islower():
            out[-1] = join_hyphen_break(out[-1], l)
        else:
            out.append(l)
    return "\n".join(out)


def _header_candidates(pd: PageData, body: float) -> list[Line]:
    """Lines short enough, set no larger than body text, not ending a sentence nor a bare number."""
    return [l for l in pd.lines if len(l.text) <= S.aligned_header_chars and
            len(l.text.split()) <= S.aligned_header_words and not re.search(r"[.;:,!?]$", l.text) and
            l.size < body * S.heading_size_ratio and not BARE_NUMERAL_RE.match(l.text) and
            not HEAD_NUM_RE.match(l.text)]


def aligned_tables(pd: PageData, body: float) -> list[Tbl]:
    """Tables printed without a full grid: a row of short texts (the header) directly above lines
    that start on its columns. Wrapped lines of a cell are merged, rows start where a cell of a
    column other than the first starts, the first column's cell (a category spanning several rows)
    is carried down the rows it spans (style ``carried``), and fragments of the area that the ruled
    table finder read from partial rules or shaded boxes are folded into the one table.
    Lines used are removed from ``pd.lines``; swallowed ruled fragments from ``pd.tables``.
    A header is set no larger than body text, holds no bare number (a section number beside its
    title, over a hanging-indent layout, is not a table header), names different things (cells
    opening with the same word are labels of cards set side by side) and holds words or years,
    not amounts."""
    if len(pd.lines) < S.aligned_min_columns * (S.aligned_min_rows + 1):
        return []
    heads = _header_candidates(pd, body)
    if len(heads) < S.aligned_min_columns:
        return []
    heads.sort(key=lambda l: (l.top, l.x0))
    rows: list[list[Line]] = []
    for l in heads:
        if rows and abs(l.top - rows[-1][0].top) <= S.row_top_tol * l.size and \
                abs(l.size - rows[-1][0].size) < S.same_size:
            rows[-1].append(l)
        else:
            rows.append([l])
    out: list[Tbl] = []
    for hdr in rows:
        if len(hdr) < S.aligned_min_columns or any(l not in pd.lines for l in hdr):
            continue
        firsts = [l.text.split()[0].casefold() for l in hdr]
        if len(set(firsts)) < len(firsts):
            continue  # "Objectif 1.1 | Objectif 2.1": numbered cards side by side, not column names
        if not all(re.search(r"[^\W\d_]", l.text) or YEAR_RE.fullmatch(l.text) for l in hdr):
            continue  # amounts ("486 $"): a data row, not the header
        t = _read_aligned(pd, sorted(hdr, key=lambda l: l.x0))
        if t is not None:
            out.append(t)
    return out


def _cells(pieces: list[tuple[int, str, Line]], ncols: int) -> list[list]:
    """[column, top, bottom, texts] of each cell: wrapped lines of one column merged."""
    cells: list[list] = []
    for col in range(ncols):
        cur = None
        for c, t, l in sorted((p for p in pieces if p[0] == col), key=lambda p: p[2].top):
            if cur is not None and l.top - cur[2] <= S.cell_line_gap * l.size:
                cur[3].append(t)
                cur[2] = max(cur[2], l.bottom)
            else:
                cur = [col, l.top, l.bottom, [t]]
                cells.append(cur)
    return cells


def _grid(hdr: list[Line], cells: list[list], tops: list[float], ncols: int, size: float) -> list[list]:
    """(text, carried) rows: the header, then the cells by row; an empty first cell carries the one above."""
    grid_text: list[list[list[str]]] = [[[] for _ in range(ncols)] for _ in tops]
    for col, top, _, texts in cells:
        r = max([k for k, t in enumerate(tops) if t <= top + S.row_top_tol * size] or [0])
        grid_text[r][col].append("\n".join(texts))
    grid = [[(one_line(l.text), False) for l in hdr]]
    above = None
    for row in grid_text:
        line = []
        for col, texts in enumerate(row):
            text = clean_cell("\n".join(texts)) if texts else ""
            if col == 0:
                if text:
                    above = text
                elif above is not None:
                    line.append((above, True))
                    continue
            line.append((text, False))
        grid.append(line)
    return grid


def _read_aligned(pd: PageData, hdr: list[Line]) -> Tbl | None:
    """The table under a header row, or None when the lines below do not keep to its columns."""
    size = max(l.size for l in hdr)
    starts = [l.x0 for l in hdr]
    tol = S.align_tol * size
    htop, hbottom = min(l.top for l in hdr), max(l.bottom for l in hdr)
    pool = [(l, None) for l in pd.lines if l not in hdr] + \
        [(l, k) for k, tl in enumerate(pd.table_lines) for l in tl]
    pool = sorted((p for p in pool if p[0].top >= hbottom - S.band_slack), key=lambda p: (p[0].top, p[0].x0))
    pieces: list[tuple[int, str, Line]] = []  # (column, text, line)
    starts_at: list[tuple[int, bool]] = []  # (column, whether the piece starts on the column start)
    used: list[tuple[Line, int | None]] = []
    last = hbottom
    for l, src in pool:
        if l.top - last > S.table_end_gap * size or l.x0 < starts[0] - tol or l.size > S.aligned_max_size * size:
            break
        split = _split_columns(l, starts, tol)
        if split is None:
            break
        pieces.extend((c, t, l) for c, t, _ in split)
        starts_at.extend((c, abs(x - starts[c]) <= tol) for c, _, x in split)
        used.append((l, src))
        last = max(last, l.bottom)
    if not pieces:
        return None
    for col in range(len(starts)):  # left-aligned columns: right-aligned figures are not modelled
        marks = [ok for c, ok in starts_at if c == col]
        if marks and sum(marks) < S.aligned_share * len(marks):
            return None
    cells = _cells(pieces, len(starts))
    if max(len(c[3]) for c in cells) > S.cell_max_lines:
        return None
    # Rows start where a cell of a column other than the first starts.
    tops: list[float] = []
    for c in sorted((c for c in cells if c[0] > 0), key=lambda c: c[1]):
        if not tops or c[1] - tops[-1] > S.row_top_tol * size:
            tops.append(c[1])
    if len(tops) < S.aligned_min_rows or len({c[0] for c in cells}) < 2 or \
            sum(1 for c in cells if c[0] > 0) < S.aligned_min_rows:
        return None
    grid = _grid(hdr, cells, tops, len(starts), size)
    x1 = max(l.x1 for l, _ in used)
    bbox = (min(starts[0] - tol, min(l.x0 for l, _ in used)), htop, x1, last)
    m = S.aligned_slack
    swallowed = {k for k, (_, bb) in enumerate(pd.tables)
                 if bbox[0] - m <= (bb[0] + bb[2]) / 2 <= bbox[2] + m and bbox[1] <= (bb[1] + bb[3]) / 2 <= bbox[3]}
    if any(src is not None and src not in swallowed for _, src in used):
        return None  # text of a ruled table that stays: keep the page as it was
    gone = {id(l) for l, src in used if src is None} | {id(l) for l in hdr}
    pd.lines = [l for l in pd.lines if id(l) not in gone]
    pd.tables = [t for k, t in enumerate(pd.tables) if k not in swallowed]
    pd.table_lines = [t for k, t in enumerate(pd.table_lines) if k not in swallowed]
    return Tbl(rows=[], bbox=bbox, page=pd.pno, grid=grid)


def _split_columns(l: Line, starts: list[float], tol: float) -> list[tuple[int, str, float]] | None:
    """A line cut at column starts: [(column, text, x0)], or None when a word runs into the next
    column (running text wider than a column)."""
    words = l.words or ((l.x0, l.x1, l.text),)
    out: list[tuple[int, str, float]] = []
    for x0, x1, text in words:
        col = max(k for k, s in enumerate(starts) if s - tol <= x0) if x0 >= starts[0] - tol else 0
        if col + 1 < len(starts) and x1 > starts[col + 1] - S.aligned_slack:
            return None
        if out and out[-1][0] == col:
            out[-1] = (col, out[-1][1] + text, out[-1][2])
        elif out and out[-1][0] > col:
            return None
        else:
            out.append((col, text.strip(), x0))
    return out
