"""CSV plan tables: recognised from the bytes, read as one table.

Text is CSV when, split by one delimiter (``;``, tab or ``,``), its lines form a consistent table:
two or more columns, nearly every row the same width, one of its first rows reading as a header. A
``.csv``/``.tsv`` name lowers the bar (two rows suffice); without it the table must be wider and
every row regular, so that prose with commas or semicolons stays text.
"""
from __future__ import annotations

import csv
import io
from collections import Counter

from planscope.extractors.blocks import UNSUPPORTED, Extraction
from planscope.extractors.office.sheets import Sheet, header_like, sheets_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-csv"

DELIMITERS = (";", "\t", ",")
SAMPLE_CHARS = 64 * 1024  # the start of the file judged for sniffing
SAMPLE_ROWS = 200
NAMED_MIN_ROWS, NAMED_REGULAR = 2, 0.9  # a file named .csv: rows of the modal width, at least
BARE_MIN_ROWS, BARE_MIN_COLS, BARE_REGULAR = 3, 3, 1.0  # unnamed text: stricter
HEADER_ROWS = 5  # a title row or two may stand above the header
MAX_FIELD = 100_000  # a quoted field longer than this is not a table cell


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: what spreadsheet programs write in France."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a sample cut inside a character
            return data[: exc.start].decode("utf-8")
        return data.decode("cp1252", errors="replace")


def _rows(text: str, delimiter: str, limit: int | None = None) -> list[list[str]] | None:
    csv.field_size_limit(MAX_FIELD)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(c.strip() for c in row):
                rows.append(row)
            if limit and len(rows) >= limit:
                break
        return rows
    except csv.Error:
        return None


def dialect(text: str, named: bool) -> str | None:
    """The delimiter that makes ``text`` a consistent table, or None."""
    sample = text[:SAMPLE_CHARS]
    if len(text) > SAMPLE_CHARS:  # the sample's last line is probably cut
        sample = sample[: sample.rfind("\n") + 1] or sample
    min_rows, regular, min_cols = (NAMED_MIN_ROWS, NAMED_REGULAR, 2) if named else \
        (BARE_MIN_ROWS, BARE_REGULAR, BARE_MIN_COLS)
    best = None
    for d in DELIMITERS:
        if d not in sample:
            continue
        rows = _rows(sample, d, SAMPLE_ROWS)
        if not rows or len(rows) < min_rows:
            continue
        width, n = Counter(len(r) for r in rows).most_common(1)[0]
        if width < min_cols or n < regular * len(rows):
            continue
        if not any(sum(1 for c in r if c.strip()) >= 2 and header_like(r)
                   for r in rows[:HEADER_ROWS]):
            continue
        if best is None or width > best[1]:
            best = (d, width)
    return best[0] if best else None


def looks_like_csv(data: bytes, lname: str = "") -> bool:
    """Whether text bytes are a CSV table (the name only lowers the bar, see the module)."""
    text = decode_bytes(data[: SAMPLE_CHARS * 2])
    return dialect(text, lname.endswith((".csv", ".tsv"))) is not None


def extract_csv(data: bytes, source: str) -> Extraction:
    """One table of the whole file, its delimiter sniffed (a .csv name assumed: it was sniffed)."""
    ex = Extraction(source=source, media_type="text/csv", extractor=NAME, extractor_version=EXTRACTOR_VERSION)
    text = decode_bytes(data)
    d = dialect(text, True) or ";"
    rows = _rows(text, d) or []
    ex.blocks = sheets_to_blocks([Sheet("", [[(c.strip(), False) for c in r] for r in rows])],
                                 ex.source, ex.extractor)
    if not ex.blocks:
        ex.status, ex.reason = UNSUPPORTED, "CSV file without any value"
    return ex
