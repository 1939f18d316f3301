"""Tables laid out with spaces (``pdftotext -layout``, fixed-width exports): columns by position.

A header line of short cells set apart by two spaces or more gives the columns' starts; the lines
under it are cut at those starts. A cell that wraps goes on in the same column on the next lines;
rows are set apart by blank lines when the table has them, else a line filling two columns or
more opens a row. The table ends at a line that crosses a column start (prose, a heading) or at a
lone line after a blank one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planscope.extractors.hygiene import join_lines

RUN_RE = re.compile(r"\S+(?: \S+)*")  # text runs: words joined by single spaces
# A rule drawn with characters ("-----", "=====", "─────") under the header or between rows: a
# border, not a row.
RULE_LINE_RE = re.compile(r"^\s*[-_=─━–—+|. ]{3,}$")


def _is_rule(line: str) -> bool:
    return len(line.strip()) >= 3 and bool(RULE_LINE_RE.match(line.rstrip()))


@dataclass(frozen=True)
class LayoutTableSettings:
    min_columns: int = 3  # two runs on a line are as often a label and its value
    max_header_cell: int = 30  # characters: a header cell names a column
    column_tolerance: int = 2  # characters a cell may start before its column
    min_rows: int = 2  # body rows a layout table needs


SETTINGS = LayoutTableSettings()


def _runs(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in RUN_RE.finditer(line)]


def header_columns(line: str, st: LayoutTableSettings = SETTINGS) -> list[int] | None:
    """Column starts when ``line`` reads as a header of a layout table, else None."""
    runs = _runs(line)
    if len(runs) < st.min_columns:
        return None
    if any(len(t) > st.max_header_cell or t.endswith((".", ",", ";", ":")) for _, _, t in runs):
        return None
    return [s for s, _, _ in runs]


def _cut(line: str, starts: list[int], st: LayoutTableSettings) -> dict[int, str] | None:
    """The runs of a body line by column, or None when a run crosses the next column's start."""
    cells: dict[int, str] = {}
    for s, e, text in _runs(line):
        k = max((c for c, start in enumerate(starts) if start <= s + st.column_tolerance), default=None)
        if k is None:
            return None
        if k + 1 < len(starts) and e > starts[k + 1] + st.column_tolerance:
            return None
        cells[k] = f"{cells[k]}  {text}" if k in cells else text
    return cells


def read_layout_table(lines: list[str], i: int, st: LayoutTableSettings = SETTINGS
                      ) -> tuple[int, list[str], list[list[str | None]]] | None:
    """(index after the table, header cells, body rows with None for empty cells) for a layout
    table whose header is ``lines[i]``, or None when the lines under it do not keep its columns."""
    starts = header_columns(lines[i], st)
    if starts is None:
        return None
    header = [t for _, _, t in _runs(lines[i])]
    j = i + 1
    while j < len(lines) and _is_rule(lines[j]):
        j += 1
    blank_rows = _blank_separated(lines, j)
    rows: list[list[list[str]]] = []
    after_blank = True
    while j < len(lines):
        line = lines[j].rstrip()
        if not line.strip():
            after_blank = True
            j += 1
            continue
        if _is_rule(line):
            j += 1
            continue
        cells = _cut(line, starts, st)
        if cells is None or (after_blank and len(cells) == 1 and rows and 0 in cells and blank_rows):
            break
        opens = not rows or (after_blank if blank_rows else len(cells) >= 2)
        if opens:
            rows.append([[] for _ in starts])
        for k, text in cells.items():
            rows[-1][k].append(text)
        after_blank = False
        j += 1
    if len(rows) < st.min_rows:
        return None
    while j > i + 1 and not lines[j - 1].strip():
        j -= 1
    body = [[join_lines(parts) or None for parts in row] for row in rows]
    return j, header, body


def _blank_separated(lines: list[str], j: int) -> bool:
    """Whether the table sets its rows apart with blank lines: a blank line among its first rows."""
    seen_text = 0
    for line in lines[j:j + 12]:
        if line.strip():
            seen_text += 1
        elif seen_text >= 1:
            return True
    return False
