"""Every limit of the Office readers in one frozen dataclass (as the PDF reader's ``PdfSettings``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeSettings:
    # Archive guard, checked on the central directory before any library opens the archive.
    max_entries: int = 10_000  # a real document holds tens to a few thousand parts
    max_total_uncompressed: int = 300 * 1024 * 1024  # the sum of declared entry sizes
    max_entry_ratio: float = 200.0  # XML deflates 5-30x; zeros deflate ~1000x (a bomb's signature)
    ratio_min_size: int = 1024 * 1024  # the ratio is judged only on entries inflating beyond this
    inflate_chunk: int = 1024 * 1024  # bytes read at a time while checking that entries inflate as declared
    max_content_types: int = 1024 * 1024  # [Content_Types].xml / mimetype read for sniffing, at most
    # Spreadsheets
    # cells read over all sheets; beyond, the rest is cut (status partial). A plan's workbook holds a
    # few thousand; half a million keeps a hostile one to seconds (bench/robustness_office.py)
    max_sheet_cells: int = 500_000
    max_repeat: int = 1000  # ODS repeated rows/columns expanded, at most (trailing empties repeat ~1M times)
    header_scan_rows: int = 15  # rows searched for a sheet's header row
    # Word/ODT tables
    max_table_cells: int = 200_000


SETTINGS = OfficeSettings()
