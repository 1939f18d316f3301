"""PDF → typed blocks with pdfplumber (layout, fonts, ruled tables), pdfium as the fast engine
and the fallback.

Reading a document (``document``):

* open with the given password (empty by default); a password error gives status
  ``encrypted``; a file pdfminer cannot parse at all (or finds no page in) is read
  again as plain text with pdfium (``fallback``: status ``partial``, the reason says so);
* pages are read one at a time and closed after use, with a per-document time limit checked
  between pages (and, in the main thread, inside a page with SIGALRM: ``guard``) and a page cap:
  both end in status ``partial``; a page that raises is recorded in ``page_errors``;
* per page, by either engine (``engine_pdfium``, else ``engine_plumber``) into one page model
  (``model``): overprinted (shadow/fake-bold) characters merged, rotated or mirrored characters
  dropped, ruled tables read as grids, words split where glyphs stand a word space apart without a
  space glyph and letter-spaced text re-spaced (``words``), words grouped into line segments,
  markers and column numbers attached to their lines, vertical decorative titles dropped (``lines``);
* per document: running headers/footers, page numbers and contents pages dropped (``cleanup``),
  tables printed without a grid read (``aligned``), blocks, headings, lists, big numerals and
  bookmarks (``assemble``, ``metadata``), in reading order column by column (``layout``);
* image-only pages are OCRed with Tesseract (French) when installed (``ocr``), else reported
  (status ``needs_ocr``); ``(cid:N)`` glyphs (fonts without a Unicode map) give ``unreadable_text``.

Every tolerance is in ``settings.PdfSettings``.
"""
from __future__ import annotations

from planscope.extractors.pdf.document import ENGINE_ENV, ENGINES, engine, extract_pdf
from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.pdf.settings import SETTINGS, PdfSettings

__all__ = ["ENGINE_ENV", "ENGINES", "SETTINGS", "Line", "PageData", "PdfSettings", "engine", "extract_pdf"]
