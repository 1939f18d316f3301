"""Spreadsheets (XLSX/XLSM with openpyxl, ODS with odfpy) → one table per visible sheet.

An action plan kept in a workbook is one row per action under a header row naming the columns
(axis, objective, action, owner, deadline, indicator). Each visible sheet becomes one table: the
header row is the first of its opening rows that looks like one, the rows above it (a title, a
note) become paragraphs, merged cells carry their value over the range they cover (as an HTML
rowspan does), hidden rows and sheets are skipped (what the author hid is not the plan), and
formulas count as the value the file cached when it was last saved (nothing is computed).
"""
from __future__ import annotations

import datetime as dt
import io
import warnings

from planscope.extractors.blocks import PARAGRAPH, PARTIAL, Block, BlockStyle, Extraction
from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.office.odfnodes import table_rows
from planscope.extractors.office.settings import SETTINGS
from planscope.extractors.tables import grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

HEADER_CELL_CHARS = 80  # a column name is short; a longer cell is content


class Sheet:
    """One visible sheet: its name and rows of cell texts, merged ranges carried."""

    def __init__(self, name: str, rows: list[list[tuple[str, bool]]]):
        self.name, self.rows = name, rows


# ------------------------------------------------------------------------------------- XLSX

def read_xlsx(data: bytes, ex: Extraction) -> None:
    """Visible sheets of an XLSX/XLSM workbook, cached formula values, merged cells carried."""
    import openpyxl

    # data_only: the values cached at the last save; keep_links off: external links are not followed.
    # openpyxl warns about what it does not keep (data validation, long sheet names…): not the reader's
    # business, and it would print in the middle of a command's output.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False)
    props = wb.properties
    ex.title = one_line(props.title or "") or None
    ex.author = one_line(props.creator or "") or None
    if props.created is not None:
        ex.published = props.created.date().isoformat()
    sheets, budget = [], SETTINGS.max_sheet_cells
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows, budget = _xlsx_rows(ws, budget)
        sheets.append(Sheet(ws.title, rows))
        if budget <= 0:
            ex.status = PARTIAL
            ex.warnings.append(f"more than {SETTINGS.max_sheet_cells} cells: the rest of the workbook was not read")
            break
    wb.close()
    ex.blocks = sheets_to_blocks(sheets, ex.source, ex.extractor)


def _xlsx_rows(ws, budget: int) -> tuple[list[list[tuple[str, bool]]], int]:
    nrows, ncols = ws.max_row or 0, ws.max_column or 0
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols, values_only=True), 1):
        budget -= len(row)
        if budget <= 0:
            nrows = r
            break
        for c, value in enumerate(row, 1):
            if value is not None:
                grid[(r, c)] = (cell_text(value), False)
    for rng in ws.merged_cells.ranges:
        origin = grid.get((rng.min_row, rng.min_col), ("", False))[0]
        for r in range(rng.min_row, min(rng.max_row, nrows) + 1):
            for c in range(rng.min_col, min(rng.max_col, ncols) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    grid[(r, c)] = (origin, True)
    hidden = {r for r, d in ws.row_dimensions.items() if d.hidden}
    rows = [[grid.get((r, c), ("", False)) for c in range(1, ncols + 1)] for r in range(1, nrows + 1)
            if r not in hidden]
    return rows, budget


def cell_text(value) -> str:
    """A cell value as the sheet shows it, near enough: whole numbers without ".0", dates as
    dd/mm/yyyy (French display), booleans as words."""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


# --------------------------------------------------------------------------------------- ODS

def read_ods(data: bytes, ex: Extraction) -> None:
    """Visible sheets of an ODS workbook, as odfpy reads them (displayed texts: cached values)."""
    from odf.namespaces import TABLENS
    
    from planscope.extractors.office.odfnodes import load_quietly, read_meta

    doc = load_quietly(data, ex)
    read_meta(doc, ex)
    hidden_styles = _hidden_table_styles(doc)
    sheets, budget = [], SETTINGS.max_sheet_cells
    for table in doc.spreadsheet.childNodes:
        if table.qname != (TABLENS, "table"):
            continue
        if table.getAttrNS(TABLENS, "style-name") in hidden_styles:
            continue
        rows, budget = _ods_rows(table, budget)
        sheets.append(Sheet(table.getAttrNS(TABLENS, "name") or "", rows))
        if budget <= 0:
            ex.status = PARTIAL
            ex.warnings.append(f"more than {SETTINGS.max_sheet_cells} cells: the rest of the workbook was not read")
            break
    ex.blocks = sheets_to_blocks(sheets, ex.source, ex.extractor)


def _hidden_table_styles(doc) -> set[str]:
    """Automatic table styles with ``table:display="false"``: the sheets the author hid."""
    from odf.namespaces import STYLENS, TABLENS

    out = set()
    for st in doc.automaticstyles.childNodes:
        if st.qname != (STYLENS, "style"):
            continue
        for prop in st.childNodes:
            if prop.qname == (STYLENS, "table-properties") and prop.getAttrNS(TABLENS, "display") == "false":
                out.add(st.getAttrNS(STYLENS, "name"))
    return out


def _ods_rows(table, budget: int) -> tuple[list[list[tuple[str, bool]]], int]:
    """Rows of one ODS table: repeats expanded (capped: trailing empties repeat ~a million times),
    merged ranges carried, hidden (collapsed or filtered) rows skipped."""
    from odf.namespaces import TABLENS

    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    hidden: set[int] = set()
    spans: list[tuple[int, int, int, int]] = []
    r = 0
    for row in table_rows(table):
        rep = min(_int(row.getAttrNS(TABLENS, "number-rows-repeated")), SETTINGS.max_repeat)
        cells = _ods_cells(row)
        if not any(cell[0] for cell in cells) and rep > 1:
            r += rep  # repeated empty rows: nothing to read
            continue
        for _ in range(rep):
            if row.getAttrNS(TABLENS, "visibility") in ("collapse", "filter"):
                hidden.add(r)
            c = 0
            for text, ccount, rs, cs in cells:
                for k in range(ccount):
                    if text:
                        grid[(r, c + k)] = (text, False)
                if rs > 1 or cs > 1:
                    spans.append((r, c, rs, cs))
                c += ccount
                budget -= ccount
            r += 1
            if budget <= 0:
                break
        if budget <= 0:
            break
    for r0, c0, rs, cs in spans:
        origin = grid.get((r0, c0), ("", False))[0]
        for dr in range(rs):
            for dc in range(cs):
                if dr or dc:
                    grid[(r0 + dr, c0 + dc)] = (origin, True)
    if not grid:
        return [], budget
    nrows = max(k[0] for k in grid) + 1
    ncols = max(k[1] for k in grid) + 1
    return [[grid.get((i, j), ("", False)) for j in range(ncols)] for i in range(nrows) if i not in hidden], budget


def _ods_cells(row) -> list[tuple[str, int, int, int]]:
    """(text, repeat, rowspan, colspan) of each cell of a row; covered cells are empty."""
    from odf.namespaces import TABLENS

    from planscope.extractors.office.odfnodes import odf_text

    out = []
    for cell in row.childNodes:
        if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
            continue
        rep = min(_int(cell.getAttrNS(TABLENS, "number-columns-repeated")), SETTINGS.max_repeat)
        text = ""
        if cell.qname == (TABLENS, "table-cell"):
            text = clean_text("\n".join(odf_text(p) for p in cell.childNodes
                                        if p.qname[1] in ("p", "h")))
        out.append((text, rep, _int(cell.getAttrNS(TABLENS, "number-rows-spanned")),
                    _int(cell.getAttrNS(TABLENS, "number-columns-spanned"))))
    return out


def _int(v) -> int:
    try:
        return max(1, int(v))
    except (TypeError, ValueError):
        return 1


# ------------------------------------------------------------------------------ sheets → blocks

def sheets_to_blocks(sheets: list[Sheet], source: str, extractor: str | None) -> list[Block]:
    """Each sheet's rows as one table; what stands above its header row as paragraphs. A sheet's
    name is only the blocks' path: it is a tab's short label (often abridged, or "Feuil1"), and
    the title the author wrote for the sheet stands in its first rows."""
    blocks: list[Block] = []
    table_id = 0
    for sheet in sheets:
        rows = _trim(sheet.rows)
        if not rows:
            continue
        where = f"sheet {sheet.name}"
        base = Block(kind=PARAGRAPH, text="", path=where, source=source, extractor=extractor,
                     extractor_version=EXTRACTOR_VERSION)
        h = header_row(rows)
        for r in rows[:h]:
            text = " ".join(dict.fromkeys(t for t, _ in r if t.strip()))
            blocks.append(_text_block(base, PARAGRAPH, text))
        body = rows[h:]
        header = [one_line(t) for t, _ in body[0]] if header_like([t for t, _ in body[0]]) else None
        cells, _ = grid_to_blocks(body, table_id, base, header=header)
        blocks.extend(cells)
        table_id += 1
    return blocks


def header_row(rows: list[list[tuple[str, bool]]]) -> int:
    """Index of the header row: the first of the opening rows with two or more short cells that
    fill at least half the table's width (a title or a note above it fills one cell)."""
    width = max((sum(1 for t, _ in r if t.strip()) for r in rows[: SETTINGS.header_scan_rows]), default=0)
    for i, r in enumerate(rows[: SETTINGS.header_scan_rows]):
        texts = [t for t, carried in r if not carried]
        filled = sum(1 for t in texts if t.strip())
        if filled >= 2 and filled * 2 >= width and header_like(texts):
            return i
    return 0


def header_like(texts: list[str]) -> bool:
    """Column names: two or more, each short and none a sentence. An abbreviation's point ("Réf.",
    "N°.") is no sentence end, so a cell ending in "." counts as a sentence only from three words."""
    cells = [one_line(t) for t in texts if t.strip()]
    return len(cells) >= 2 and all(len(c) <= HEADER_CELL_CHARS and not (c.endswith(".") and len(c.split()) >= 3)
                                   for c in cells)


def _trim(rows: list[list[tuple[str, bool]]]) -> list[list[tuple[str, bool]]]:
    """Empty rows dropped, and columns empty in every row."""
    rows = [r for r in rows if any(t.strip() for t, _ in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [("", False)] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c][0].strip() for r in rows)]
    return [[r[c] for c in keep] for r in rows]


def _text_block(base: Block, kind: str, text: str, level: int | None = None) -> Block:
    return Block(kind=kind, text=clean_text(text), path=base.path, level=level, style=BlockStyle(),
                 source=base.source, extractor=base.extractor, extractor_version=base.extractor_version)
