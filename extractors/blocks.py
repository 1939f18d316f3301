"""Typed blocks: the contract between the extractors and the structurer.

Every extractor turns bytes into an :class:`Extraction` holding a list of
:class:`Block` in reading order, each with its provenance (page + bbox for
PDF, element path for HTML, line number for text) and the extractor's name
and version.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE_CELL = "table_cell"

# Document statuses shared by every stage, the database and the CLI.
OK = "ok"
PARTIAL = "partial"
NEEDS_OCR = "needs_ocr"
ENCRYPTED = "encrypted"
UNREADABLE_TEXT = "unreadable_text"
UNSUPPORTED = "unsupported"
FAILED = "failed"
STATUSES = (OK, PARTIAL, NEEDS_OCR, ENCRYPTED, UNREADABLE_TEXT, UNSUPPORTED, FAILED)


@dataclass
class TableRef:
    """Where a table cell sits: table id, row, column and spans."""

    table_id: int
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    is_header: bool = False
    header: str | None = None  # the text of this column's header cell


@dataclass
class BlockStyle:
    """How a block is set, as far as its extractor knows: the structurer ranks headings by it."""

    font_size: float | None = None  # PDF: points, of the block's first line
    bold: bool | None = None  # PDF: measured (True/False); HTML and text: True when the whole block is bold
    color: tuple | None = None  # PDF: fill colour of the first line (RGB, or the colour space's components)
    tag: str | None = None  # HTML: the element's name
    css_class: str | None = None  # HTML: its class attribute (first 80 characters)
    label: bool = False  # HTML: the block opens with a bold label ("Objectif : …")
    lead: str | None = None  # ... whose text is this ("Objectif")
    title_run: str | None = None  # HTML: a bold run the block opens with, then a line break: its title
    carried: bool = False  # table cell: text carried down from the merged cell above
    ocr: bool = False  # PDF: read from the page image by OCR
    outline: bool = False  # PDF: a bookmark entry made it a heading
    fallback: str | None = None  # PDF: read as plain text by this fallback reader ("pdfium")

    def to_dict(self) -> dict[str, Any]:
        """The fields that differ from their default (``css_class`` as ``class``)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v != f.default:
                out["class" if f.name == "css_class" else f.name] = v
        return out


@dataclass
class Block:
    kind: str
    text: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    path: str | None = None  # DOM path (HTML) or "line N" (text)
    level: int | None = None  # heading level, 1 = broadest
    list_depth: int | None = None  # 0 = top-level list
    list_id: int | None = None  # items of one list share an id
    marker: str | None = None  # bullet glyph or numbering as printed ("•", "1.", "a)")
    ordered: bool | None = None
    table: TableRef | None = None
    style: BlockStyle = field(default_factory=BlockStyle)
    source: str | None = None
    extractor: str | None = None
    extractor_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["style"] = self.style.to_dict()
        return {k: v for k, v in d.items() if v not in (None, {}, [])}


@dataclass
class Link:
    url: str
    text: str
    media_type: str | None = None


@dataclass
class Extraction:
    """What an extractor returns for one document."""

    source: str
    media_type: str
    blocks: list[Block] = field(default_factory=list)
    status: str = OK
    reason: str | None = None
    title: str | None = None  # document title (HTML <title>, PDF metadata)
    author: str | None = None  # PDF metadata author, when present
    published: str | None = None  # publication date, "YYYY-MM-DD" or "YYYY" (PDF CreationDate, HTML meta)
    pages: int | None = None
    page_errors: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Texts outside the main content that name the publisher (site name, banner, metadata).
    context: list[str] = field(default_factory=list)
    # Where the site files the page: its breadcrumb trail, home and current page left out
    # ("Actualités", "Offres d'emploi"), read before the trail is stripped as furniture.
    filed_under: list[str] = field(default_factory=list)
    # PDF: each image-only page, whether it was OCR'd and why ({"page", "ocr", "reason", "chars"}).
    ocr: list[dict] = field(default_factory=list)
    extractor: str | None = None
    extractor_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "blocks"}
        d["blocks"] = [b.to_dict() for b in self.blocks]
        return d
