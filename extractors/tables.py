"""Table grids shared by the extractors: merged cells carried, header named, cells as blocks."""
from __future__ import annotations

import dataclasses

from planscope.extractors.blocks import TABLE_CELL, Block, TableRef
from planscope.extractors.hygiene import one_line


def carry_merged(rows: list[list[str | None]]) -> list[list[tuple[str, bool]]]:
    """Fill merged (None) cells: a row with a single value spans the row; otherwise a
    None in a leading column repeats the value above it (a rowspan).

    Returns (text, carried) pairs so that a consumer can tell an origin cell from a copy.
    """
    out: list[list[tuple[str, bool]]] = []
    prev: list[tuple[str, bool]] | None = None
    for row in rows:
        values = [c for c in row if c not in (None, "")]
        if len(values) <= 1 and len(row) > 1:
            text = values[0] if values else ""
            out.append([(text, False)] + [(text, True)] * (len(row) - 1))
            prev = None  # a full-width row closes every rowspan above it
            continue
        filled: list[tuple[str, bool]] = []
        leading = True
        for i, cell in enumerate(row):
            if cell is None and leading and prev is not None and i < len(prev):
                filled.append((prev[i][0], True))
            else:
                leading = leading and cell is None
                filled.append((cell or "", False))
        out.append(filled)
        prev = filled
    return out


def looks_like_header(row: list[str]) -> bool:
    """A header row: every cell short, at least two non-empty, none ending a sentence."""
    cells = [c for c in row if c]
    return len(cells) >= 2 and all(len(c) <= 80 and not c.rstrip().endswith(".") for c in cells)


def grid_to_blocks(grid: list[list[tuple[str, bool]]], table_id: int, base: Block,
                   header: list[str] | None = None) -> tuple[list[Block], list[str] | None]:
    """Turn a filled grid into one block per cell, naming each cell's column header.

    A row equal to the header (repeated on a continuation page) is marked as header again.
    Full-width rows (one value spanning the row) become one block with colspan.
    """
    blocks: list[Block] = []
    for r, row in enumerate(grid):
        texts = [t for t, _ in row]
        if header is None and looks_like_header(texts):
            header = [one_line(t) for t in texts]
            is_header = True
        else:
            is_header = header is not None and [one_line(t) for t in texts] == header
        if len(row) > 1 and all(c for _, c in row[1:]) and not row[0][1]:
            if row[0][0].strip():
                blocks.append(_cell(base, row[0][0], table_id, r, 0, len(row), False, is_header, None))
            continue
        for c, (text, carried) in enumerate(row):
            if not text.strip():
                continue
            col_header = header[c] if header and c < len(header) and not is_header else None
            blocks.append(_cell(base, text, table_id, r, c, 1, carried, is_header, col_header))
    return blocks, header


def _cell(base: Block, text: str, table_id: int, row: int, col: int, colspan: int,
          carried: bool, is_header: bool, header: str | None) -> Block:
    style = dataclasses.replace(base.style)
    if carried:
        style.carried = True
    return Block(kind=TABLE_CELL, text=text.strip(), page=base.page, bbox=base.bbox, path=base.path,
                 table=TableRef(table_id=table_id, row=row, col=col, colspan=colspan,
                                is_header=is_header, header=header),
                 style=style, source=base.source, extractor=base.extractor,
                 extractor_version=base.extractor_version)
