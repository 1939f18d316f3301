"""PDF → typed blocks with pdfplumber (layout, fonts, ruled tables); pdfium as a fallback.

Reading a document:

* open with the given password (empty by default); a password error gives status
  ``encrypted``; a file pdfminer cannot parse at all (or finds no page in) is read
  again as plain text with pdfium (status ``partial``, the reason says so);
* pages are read one at a time and closed after use (pdfplumber caches ~6 MB a page),
  with a per-document time limit checked between pages (and, in the main thread,
  inside a page with SIGALRM) and a ``MAX_PAGES`` cap: both end in status ``partial``;
* a page that raises is recorded in ``page_errors`` and the other pages are kept;
* per page: overprinted (shadow/fake-bold) characters merged, rotated or mirrored
  characters dropped, vertical one-letter-per-line decorative titles dropped, ruled
  tables read as grids, words split where glyphs stand a word space apart without a space glyph
  (``WORD_GAP_EM``), words grouped into line segments (a wide gap splits a row into segments, so
  columns stay apart), a letter-spaced or small-caps segment re-spaced from its glyph gaps, a
  bullet set on its own baseline beside a line made that line's marker, an outline number standing in
  a column left of a line (on its row or its own baseline) made that line's ordered marker
  (``Line.number``), a big numeral beside a title cut from the title's row, segments grouped into
  blocks; a table printed without a full grid (a header row of short texts over aligned columns)
  read as one table;
* per document: running headers/footers and page numbers (the same text in the same
  band on most pages) dropped, table-of-contents pages (dotted leaders + page numbers)
  dropped, headings found from size/weight/colour relative to body text, numbering and
  the outline (bookmarks), list items from bullet glyphs or numbering, a big standalone
  numeral (or section letter) attached to the title beside it, blocks put in reading order (column by
  column), a table continuing on the next page kept as one table;
* image-only pages are OCRed with Tesseract (French) when the binary and the ``fra``
  language are installed, else reported (status ``needs_ocr``);
* ``(cid:N)`` glyphs (fonts without a Unicode map) give status ``unreadable_text``.
"""
from __future__ import annotations

import io
import math
import re
import signal
import threading
import time
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from planscope.extractors.blocks import (ENCRYPTED, FAILED, HEADING, LIST_ITEM, NEEDS_OCR, PARAGRAPH, PARTIAL, UNREADABLE_TEXT,
                     Block, Extraction)
from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.tables import carry_merged, grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-pdf"

# Cost bounds.
MAX_PAGES = 2000  # pages beyond this are not read (status partial)
TIME_LIMIT = 45.0  # seconds per document; checked between pages (status partial)
OCR_DPI = 300

# Layout thresholds (points unless said otherwise).
ROW_BASELINE_TOL = 0.3  # × font size: words whose bottoms differ less sit on one row
SEGMENT_GAP = 2.0  # × font size: a wider horizontal gap splits a row into segments (columns)
PARA_GAP_FACTOR = 0.9  # × font size: a wider vertical gap between lines starts a new block
MIN_GUTTER = 8.0  # a column gutter is at least this wide
COLUMN_MIN_WIDTH = 0.2  # × page width: each side of a column cut holds text this wide
HEADING_SIZE_RATIO = 1.15  # a block this much larger than body text is a heading
HEADING_MAX_CHARS = 200
BIG_NUMERAL_RATIO = 1.6  # × body size: a standalone number this large is an item number
FURNITURE_BAND = 0.1  # top/bottom share of the page where running headers/footers live
FURNITURE_MIN_PAGES = 3
FURNITURE_SHARE = 0.4  # share of pages a running header must appear on
VERTICAL_CHAIN_MIN = 4  # one-letter lines stacked this many times are decorative
MIN_CHARS_PER_PAGE = 20  # fewer characters on a page with images → scanned
CID_UNREADABLE = 0.3  # share of the text made of (cid:N) placeholders
TOC_MIN_LINES = 3
TOC_PAGE_SHARE = 0.5
# Word spacing from glyph geometry (× font size, "em").
WORD_GAP_EM = 0.15  # a wider gap between two glyphs is a word space even without a space glyph: kerning
#                     never opens a letter pair that far, while tightly set words sit ~0.2 em apart (and
#                     pdfium starts generating a space from ~0.14 em)
LETTER_SPACED_SHORT = 0.6  # share of 1-3 character fragments that makes a line look letter-spaced
LETTER_SPACED_ALL_SHORT = 0.8  # ... or this share without two single letters side by side
LETTER_SPACED_NEAR = 0.6  # two fragments closer than this (em) may belong to one letter-spaced word
LETTER_SPACED_WORD = 2.0  # in a letter-spaced line a word gap is at least this × the letter gap ...
SMALL_CAPS_RATIO = 1.08  # an initial this much larger than the letters after it is a small-caps initial
SPACE_LOOKAHEAD = 8  # glyphs (in content order) searched between two fragments for a space glyph
BULLET_REACH = 6.0  # × size: a lone bullet glyph this far left of a line's start is that line's marker
BULLET_OVERLAP = 0.5  # ... when their boxes share this much of the smaller height (the bullet may be
#                        raised, lowered or bigger, so its baseline differs, but it sits beside the line)
NUMBER_COLUMN_GAP = 1.0  # × size: an outline number this far left of its text (wider than any word space, even
#                          justified) is set in a column of its own: it is the item's number, a list marker
NUMBER_MIN_RATIO = 0.85  # × text size: a smaller number is a superscript or subscript (alinea, footnote call,
#                          index in a formula), not an item number
COLUMN_ALIGN_TOL = 0.3  # × size: runs of text starting this close in x stand in one column
NUMBER_REACH = 6.0  # × size: ... up to this far (further, the number belongs to something else: a table column)

# Tables printed without a grid: a header row of short texts above text aligned on its columns.
ALIGNED_HEADER_MAX_CHARS = 40  # a column header is short ...
ALIGNED_HEADER_MAX_WORDS = 4  # ... and has few words
ALIGN_TOL = 1.5  # × header size: a cell's text may start this far left of its column header
CELL_LINE_GAP = 0.6  # × size: wrapped lines of one cell are closer than this (rows are set further apart)
TABLE_END_GAP = 4.0  # × size: a vertical gap this wide below the last row ends the table
ROW_TOP_TOL = 0.5  # × size: cells whose first lines' tops differ less start the same row
CELL_MAX_LINES = 5  # more lines in one cell: columns of running text, not a table
ALIGNED_MIN_ROWS = 2
ALIGNED_SHARE = 0.8  # share of a column's lines that start on the column's start
ALIGNED_MIN_COLUMNS = 3  # two aligned columns are as often a label/value list or cards side by side

BULLET_CHARS = "•◦▪▫■□●○◆◇♦❖✓✔✗✘➢➤►▶▸‣⁃∙·–—-*>»"
_BULLET_CLASS = rf"[{re.escape(BULLET_CHARS)}\uf000-\uf8ff\U000f0000-\U000ffffd]|\(cid:\d+\)"
BULLET_RE = re.compile(rf"^\s*({_BULLET_CLASS})\s*(?=\S)")
LIST_NUM_RE = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\(?[A-Z]\)|\d{1,2}°)\s+(?=\S)")
HEAD_NUM_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
ITEM_START_RE = re.compile(r"^(?:(?:[A-ZÀ-Ý][a-zà-ÿ'’\-]+|[A-ZÀ-Ý'’\-]{2,})(?:\s+(?:d['’]|de\s+)?[a-zà-ÿA-ZÀ-Ý'’\-]+)?\s+"
                           r"(?:n[°º]\s*)?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVX]{1,4})|\d{1,2}(?:\.\d{1,2})+)"
                           r"\s*(?:[.:)\-–—]\s*)?(?=[A-ZÀ-Ý«])")
# A token that is only an outline number: 1, 1.2, 1.2.3, 1-2, 1), (1), 1°, a), A., IV, IV., M1, A1.2 (a lone
# I, V or X needs its point: bare, it is as often a variable in a formula).
OUTLINE_NUM_RE = re.compile(r"\(?(?:\d{1,2}(?:[.\-]\d{1,2}){0,3}[.)°]?|[a-zA-Z][.)]|[IVX]{2,5}[.)]?|[ivx]{1,4}[.)]|"
                            r"[A-Z]{1,3}\d{1,2}(?:\.\d{1,2}){0,2}[.)]?)")
ITEM_TEXT_START_RE = re.compile(r"[^\W\d_]|[«\"“‘'(]")  # an item's text opens with a letter or a quote ...
ITEM_TITLE_START_RE = re.compile(r"[«\"“‘'(\s]*[A-ZÀ-Ý]")  # ... a capital after a number without . or ): a title
BIG_LETTER_RE = re.compile(r"^\s*([A-Z])\.?\s*$")  # a lettered section (A, B, C) set big in a box beside its title
BARE_NUMERAL_RE = re.compile(r"^\s*(\d{1,3}|[IVXLC]{1,5})\.?\s*$")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:page|p\.|pg\.?)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*"
                            r"(?:(?:/|sur|of|de)\s*\d{1,4})?\s*[-–—]?\s*$", re.I)
TOC_LINE_RE = re.compile(r"^(?P<title>.*?\S)\s*(?:[.·…_‥]\s*){3,}\s*(?P<page>\d{1,4}|[ivxlc]{1,6})$", re.I)
TOC_TITLE_RE = re.compile(r"^\s*(table des mati[eè]res|sommaire|contents|table of contents|index)\s*$", re.I)
BOLD_FONT_RE = re.compile(r"bold|heavy|black|demi|semib|extrab|ultrab|,b$|-b$", re.I)
KEEP_HYPHEN_PREFIXES = {"sous", "porte", "arrière", "avant", "après", "demi", "semi", "mi", "non", "quasi", "ex",
                        "vice", "grand", "grande", "petit", "petite", "belle", "beau", "saint", "sainte", "st",
                        "ste", "nord", "sud", "est", "ouest", "contre", "entre", "haut", "basse", "bas", "mise",
                        "peut", "c'est", "c’est", "au", "rez", "bien", "mal", "plus", "moins"}


@dataclass
class Line:
    """A run of words on one row, not crossing a wide gap (so never two columns)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    color: tuple | None
    page: int
    chars: int = 0
    words: tuple = ()  # (x0, x1, text with the space before it) of each word, for column splits
    number: str | None = None  # an outline number set in a column of its own before the text (the text opens with it)


@dataclass
class PageData:
    pno: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[list, tuple]] = field(default_factory=list)  # (rows, bbox)
    table_lines: list[list] = field(default_factory=list)  # the lines of each ruled table's words
    image_only: bool = False
    ocr: bool = False
    dropped_rotated: int = 0
    dropped_vertical: int = 0


class _PageTimeout(Exception):
    pass


# --------------------------------------------------------------------------- entry point


def extract_pdf(data: bytes, source: str, password: str = "", *, time_limit: float | None = None,
                max_pages: int | None = None, ocr: bool = True) -> Extraction:
    """Bytes of a PDF → blocks in reading order and a status; never raises for bad input."""
    limit = TIME_LIMIT if time_limit is None else time_limit
    cap = MAX_PAGES if max_pages is None else max_pages
    deadline = time.monotonic() + limit
    ex = Extraction(source=source, media_type="application/pdf", extractor=NAME,
                    extractor_version=EXTRACTOR_VERSION)
    try:
        return _extract(data, source, password, deadline, limit, cap, ocr, ex)
    except RecursionError:
        ex.blocks = []
        ex.status, ex.reason = FAILED, "document structure nested too deeply (recursion limit)"
    except MemoryError:
        ex.blocks = []
        ex.status, ex.reason = FAILED, "out of memory while reading the PDF"
    except _PageTimeout:
        ex.blocks = []
        ex.status, ex.reason = FAILED, f"time limit of {limit:g} s reached while opening the PDF"
    except Exception as exc:  # a last safety net: a status, never a traceback
        ex.blocks = []
        ex.status, ex.reason = FAILED, f"unreadable PDF: {_exc_msg(exc)}"[:300]
    return ex


def _extract(data, source, password, deadline, limit, cap, ocr, ex: Extraction) -> Extraction:
    import pdfplumber

    try:
        with _alarm(deadline):
            pdf = pdfplumber.open(io.BytesIO(data), password=password)
    except _PageTimeout:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        msg = _exc_msg(exc)
        if _is_password_error(exc, msg):
            ex.status = ENCRYPTED
            ex.reason = ("encrypted PDF: wrong password" if password else
                         "encrypted PDF: a password is required (the empty password was refused)")
            return ex
        if "crypt" in msg.lower() or "encrypt" in msg.lower():
            if _pdfium_fallback(data, password, ex, deadline, cap, f"encryption not supported by pdfminer ({msg})"):
                return ex
            ex.status, ex.reason = ENCRYPTED, f"encrypted PDF the parser cannot decrypt: {msg}"[:300]
            return ex
        if _pdfium_fallback(data, password, ex, deadline, cap, f"layout parser failed ({msg})"):
            return ex
        ex.status, ex.reason = FAILED, f"unreadable PDF: {msg}"[:300]
        return ex
    fast = None
    try:
        try:
            meta = pdf.metadata or {}
        except Exception:
            meta = {}
        ex.title = _meta_str(meta.get("Title"))
        ex.author = _meta_str(meta.get("Author"))
        ex.published = _pdf_date(meta.get("CreationDate")) or _pdf_date(meta.get("ModDate"))
        try:
            with _alarm(deadline):
                n = len(pdf.pages)
        except _PageTimeout:
            raise
        except Exception as exc:
            if _pdfium_fallback(data, password, ex, deadline, cap, f"page tree unreadable ({_exc_msg(exc)})"):
                return ex
            ex.status, ex.reason = FAILED, f"page tree unreadable: {_exc_msg(exc)}"[:300]
            return ex
        if n == 0:
            if _pdfium_fallback(data, password, ex, deadline, cap, "pdfminer found no page"):
                return ex
            ex.status, ex.reason = FAILED, "no pages found"
            return ex
        ex.pages = n
        outline = _outline(pdf)
        fast = _fast_document(data, password, n)
        pages: list[PageData] = []
        timed_out_at = None
        for i in range(min(n, cap)):
            if i and time.monotonic() > deadline:
                timed_out_at = i
                break
            page = None
            try:
                page = pdf.pages[i]
                if fast is not None:
                    page.planscope_fast = (fast, i)
                with _alarm(deadline):
                    pages.append(_read_page(page, i + 1))
            except _PageTimeout:
                timed_out_at = i
                break
            except Exception as exc:
                if isinstance(exc.args[0] if exc.args else None, _PageTimeout):  # wrapped by pdfplumber
                    timed_out_at = i
                    break
                ex.page_errors.append(f"page {i + 1}: {_exc_msg(exc)}"[:200])
            finally:
                if page is not None:
                    try:
                        page.close()
                    except Exception:
                        pass
    finally:
        try:
            pdf.stream.close() if pdf.stream is not None else None
        except Exception:
            pass
        if fast is not None:
            try:
                fast.close()
            except Exception:
                pass
    # OCR of image-only pages.
    scanned = [p for p in pages if p.image_only]
    ocr_note = None
    if scanned:
        ocr_note = _ocr_pages(data, password, scanned, deadline) if ocr else "OCR disabled"
    text = " ".join(l.text for p in pages for l in p.lines)
    ratio = _cid_ratio(text)
    if text and ratio > CID_UNREADABLE:
        ex.status = UNREADABLE_TEXT
        ex.reason = f"fonts without a Unicode mapping: {ratio:.0%} of the text comes out as (cid:N)"
        return ex
    if ratio:
        ex.warnings.append(f"{ratio:.1%} of the text is (cid:N) glyphs without Unicode, dropped")
    running = _drop_furniture(pages)
    ex.context.extend(t for t in running[:MAX_RUNNING_CONTEXT] if any(ch.isalpha() for ch in t))
    toc = _drop_toc(pages)
    if toc:
        ex.warnings.append(f"table of contents dropped on page(s) {', '.join(map(str, toc))}")
    dropped = sum(p.dropped_rotated for p in pages), sum(p.dropped_vertical for p in pages)
    if dropped[0] or dropped[1]:
        ex.warnings.append(f"{dropped[0]} rotated/mirrored and {dropped[1]} vertical decorative characters dropped")
    ex.blocks = _to_blocks(pages, source, outline)
    # Status.
    still_scanned = [p.pno for p in pages if p.image_only and not p.ocr]
    reasons = []
    if timed_out_at is not None:
        reasons.append(f"time limit of {limit:g} s reached: pages {timed_out_at + 1}-{n} not read")
    elif n > cap:
        reasons.append(f"only the first {cap} of {n} pages read (page cap)")
    if ex.page_errors:
        reasons.append(f"{len(ex.page_errors)} page(s) failed: {ex.page_errors[0]}")
    if still_scanned:
        note = f"{len(still_scanned)} image-only page(s) without text layer ({ocr_note})"
        if not ex.blocks or len(still_scanned) * 2 >= len(pages):
            reasons.append(note)
        else:
            ex.warnings.append(note + f": pages {', '.join(map(str, still_scanned[:20]))}")
    if not ex.blocks:
        if still_scanned and not ex.page_errors:
            ex.status = NEEDS_OCR
            ex.reason = f"{len(still_scanned)} image-only page(s) and no text layer: OCR needed ({ocr_note})"
        elif ex.page_errors and not pages:
            ex.status, ex.reason = FAILED, f"every page failed: {ex.page_errors[0]}"[:300]
        elif timed_out_at is not None:
            ex.status, ex.reason = PARTIAL, "; ".join(reasons)
        elif dropped[0] or dropped[1]:
            ex.status = FAILED
            ex.reason = (f"no upright text: {dropped[0]} rotated/mirrored and {dropped[1]} vertical "
                         "characters were dropped as decoration")
        else:
            ex.status, ex.reason = FAILED, "no text found on any page"
    elif reasons:
        ex.status, ex.reason = PARTIAL, "; ".join(reasons)[:300]
    return ex


def _exc_msg(exc: BaseException) -> str:
    inner = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], BaseException) else None
    e = inner or exc
    return f"{type(e).__name__}: {e}".replace("\n", " ")[:300]


def _is_password_error(exc: BaseException, msg: str) -> bool:
    try:
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover
        PDFPasswordIncorrect = ()  # type: ignore
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return isinstance(exc, PDFPasswordIncorrect) or isinstance(inner, PDFPasswordIncorrect) or \
        "password" in msg.lower()


def _pdf_date(value) -> str | None:
    """PDF date "D:20251128091400-05'00" → "2025-11-28" (None when it does not read as a date)."""
    m = re.match(r"^(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?", _meta_str(value) or "")
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def _meta_str(value) -> str | None:
    try:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "ignore")
        return clean_text(value) if isinstance(value, str) and value.strip() else None
    except Exception:
        return None


@contextmanager
def _alarm(deadline: float):
    """Interrupt a single slow page at the deadline (main thread, no other SIGALRM user only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if usable:
        try:
            usable = signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        except Exception:
            usable = False
    if not usable:
        yield
        return

    def _raise(signum, frame):
        raise _PageTimeout()

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        remaining = 0.05
    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------- pdfium fallback


def _pdfium_fallback(data: bytes, password: str, ex: Extraction, deadline: float, cap: int, why: str) -> bool:
    """Plain text per page with pdfium when pdfminer cannot read the file; True if it gave a result."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover
        return False
    try:
        doc = pdfium.PdfDocument(data, password=password or None)
    except Exception as exc:
        if "password" in str(exc).lower():
            ex.status = ENCRYPTED
            ex.reason = f"encrypted PDF: a password is required ({why})"[:300]
            return True
        return False
    try:
        n = len(doc)
        if n <= 0:
            return False
        ex.pages = n
        blocks: list[Block] = []
        images = 0
        done = 0
        for i in range(min(n, cap)):
            if time.monotonic() > deadline:
                break
            try:
                page = doc[i]
                try:
                    tp = page.get_textpage()
                    text = tp.get_text_range()
                    tp.close()
                    if len(text.strip()) < MIN_CHARS_PER_PAGE:
                        images += any(True for _ in page.get_objects(filter=[3], max_depth=2))
                finally:
                    page.close()
            except Exception as exc:
                ex.page_errors.append(f"page {i + 1}: {_exc_msg(exc)}"[:200])
                continue
            done += 1
            for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
                para = _join_lines([l.strip() for l in para.split("\n") if l.strip()])
                para = clean_text(_CID_RE.sub("", para))
                if para:
                    blocks.append(Block(kind=PARAGRAPH, text=para, page=i + 1, source=ex.source, extractor=NAME,
                                        extractor_version=EXTRACTOR_VERSION, style={"fallback": "pdfium"}))
    except Exception:
        return False
    finally:
        try:
            doc.close()
        except Exception:
            pass
    ex.blocks = blocks
    ex.warnings.append(f"read with pdfium as plain text: {why}")
    if blocks:
        ex.status = PARTIAL
        ex.reason = f"{why}; plain text of {done} of {n} page(s) read with pdfium, no layout"[:300]
    elif images:
        ex.status = NEEDS_OCR
        ex.reason = f"{images} image-only page(s) and no text layer: OCR needed ({why})"[:300]
    else:
        ex.status = FAILED
        ex.reason = f"{why}; pdfium found {n} page(s) but no text"[:300]
    return True


# --------------------------------------------------------------------------- engine

ENGINE_ENV = "PLANSCOPE_PDF_ENGINE"
ENGINES = ("auto", "pdfplumber")


def engine() -> str:
    """``auto`` (default): pdfium reads text and finds table candidates, pdfplumber's table finder
    runs on pdfium's ruling lines and pdfplumber reads only the pages pdfium's path does not
    model; ``pdfplumber``: every page with pdfplumber (the reference, ~10x slower)."""
    import os

    e = os.environ.get(ENGINE_ENV, "auto").strip().lower() or "auto"
    return e if e in ENGINES else "auto"


def _fast_document(data: bytes, password: str, n: int):
    if engine() != "auto":
        return None
    try:
        from planscope.extractors.pdf_fast import open_document
    except Exception:  # pragma: no cover - pypdfium2 missing or incompatible
        return None
    doc = open_document(data, password)
    if doc is not None and len(doc) != n:  # the two parsers disagree on the page tree: trust pdfminer
        doc.close()
        return None
    return doc


# --------------------------------------------------------------------------- one page


def _is_bold(fontname: str) -> bool:
    return bool(BOLD_FONT_RE.search(fontname or ""))


def _char_angle(ch) -> int | None:
    """Baseline direction of a char in degrees (0, 90, 180, 270); None if mirrored or skewed."""
    a, b, c, d = (ch.get("matrix") or (1, 0, 0, 1, 0, 0))[:4]
    if a * d - b * c <= 0:
        return None
    ang = math.degrees(math.atan2(b, a)) % 360
    near = round(ang / 90) * 90 % 360
    return near if min(abs(ang - near), 360 - abs(ang - near)) <= 5 else None


def _rotate_char(ch: dict, angle: int, w: float, h: float) -> dict:
    """Coordinates of a char on a page turned so that text of this angle reads left to right."""
    pts = [(ch["x0"], ch["top"]), (ch["x1"], ch["bottom"])]
    if angle == 90:
        pts = [(h - t, x) for x, t in pts]
    elif angle == 270:
        pts = [(t, w - x) for x, t in pts]
    else:
        pts = [(w - x, h - t) for x, t in pts]
    xs, ts = [p[0] for p in pts], [p[1] for p in pts]
    out = dict(ch)
    out.update(x0=min(xs), x1=max(xs), top=min(ts), bottom=max(ts), doctop=min(ts), upright=True,
               matrix=(1, 0, 0, 1, 0, 0))
    return out


def _read_page(page, pno: int) -> PageData:
    """Characters → (filtered) words → line segments; ruled tables → grids.

    Text at a minority angle (rotated margin titles), mirrored text and text outside the
    page are dropped; a page whose text mostly runs at 90/180/270 degrees is turned.
    With the fast engine (see ``engine()``) pdfium reads the page and pdfplumber only reads the
    pages pdfium's path does not model (extractors/pdf_fast.py says which).
    """
    fast = getattr(page, "planscope_fast", None)
    if fast is not None:
        from planscope.extractors.pdf_fast import read_page

        try:
            pd = read_page(fast[0], fast[1], pno)
        except _PageTimeout:
            raise
        except Exception:  # a page the fast path trips on is read by pdfplumber
            pd = None
        if pd is not None:
            return pd
        pd = _read_page_plumber(page, pno)
        for l in pd.lines:  # colours as pdfium gives them, so that pages of both paths compare
            l.color = _rgb(l.color)
        return pd
    return _read_page_plumber(page, pno)


def _rgb(c: tuple | None) -> tuple | None:
    """A pdfminer colour (gray, RGB or CMYK components) as RGB, like pdfium reports fill colours."""
    if c is None:
        return None
    if len(c) == 1:
        return (c[0],) * 3
    if len(c) == 4:
        k = 1 - c[3]
        return tuple(round((1 - v) * k, 3) for v in c[:3])
    return c


def _read_page_plumber(page, pno: int) -> PageData:
    import pdfplumber.utils as pu

    x0b, topb, x1b, botb = page.bbox
    pd = PageData(pno=pno, width=float(page.width), height=float(page.height))
    dp = page
    chars = [ch for ch in _dedupe(dp.chars) if x0b - 1 <= (ch["x0"] + ch["x1"]) / 2 <= x1b + 1 and
             topb - 1 <= (ch["top"] + ch["bottom"]) / 2 <= botb + 1]
    char_angles = [0 if (m := ch.get("matrix")) is not None and m[1] == 0 and m[2] == 0 and m[0] > 0 and m[3] > 0
                   else _char_angle(ch) for ch in chars]
    angles = Counter(a for a, ch in zip(char_angles, chars) if ch.get("text", " ").strip())
    rot = 0
    if angles:
        top_angle, cnt = angles.most_common(1)[0]
        if top_angle not in (0, None) and cnt * 2 > sum(angles.values()):
            rot = top_angle
    kept = [ch for a, ch in zip(char_angles, chars) if a == rot or (a is None and not ch.get("text", " ").strip())]
    pd.dropped_rotated = sum(n for a, n in angles.items() if a != rot)
    if rot:
        w, h = pd.width, pd.height
        kept = [_rotate_char(ch, rot, w - 0, h - 0) for ch in kept]
        if rot in (90, 270):
            pd.width, pd.height = h, w
    words = pu.extract_words(kept, return_chars=True, x_tolerance=3, y_tolerance=3, keep_blank_chars=False,
                             use_text_flow=False, extra_attrs=["fontname", "size", "non_stroking_color"]) \
        if kept else []
    words = _split_wide_gaps(words)
    table_boxes = []
    if words and not rot and (page.rects or page.lines):
        ids = {id(ch) for ch in kept}
        fp = dp.filter(lambda o: o.get("object_type") != "char" or id(o) in ids)
        for t in fp.find_tables():
            rows = t.extract()
            filled = [(r, c) for r, row in enumerate(rows or []) for c, v in enumerate(row) if v and v.strip()]
            if rows and len(rows) >= 2 and max(len(r) for r in rows) >= 2 and len(filled) >= 3 and \
                    len({c for _, c in filled}) >= 2 and len({r for r, _ in filled}) >= 2:
                pd.tables.append((rows, tuple(t.bbox)))
                table_boxes.append(t.bbox)
    order = {id(ch): k for k, ch in enumerate(kept)}

    def space_between(a: dict, b: dict) -> bool | None:
        ia, ib = order.get(id(a["chars"][-1])), order.get(id(b["chars"][0]))
        if ia is None or ib is None or not 0 < ib - ia <= SPACE_LOOKAHEAD:
            return None
        return any(not kept[i].get("text", " ").strip() for i in range(ia + 1, ib))

    def glyphs_of(w: dict) -> list:
        return w["chars"]

    pd.table_lines = [_group_lines([w for w in words if _inside(w, [bb])], pno, glyphs_of, space_between)
                      for bb in table_boxes]
    words = [w for w in words if not _inside(w, table_boxes)]
    words, pd.dropped_vertical = _drop_vertical_chains(words)
    pd.lines = _group_lines(words, pno, glyphs_of, space_between)
    nchars = sum(len(w["text"]) for w in words)
    if nchars < MIN_CHARS_PER_PAGE and not table_boxes:
        try:
            pd.image_only = bool(page.images)
        except Exception:
            pd.image_only = False
    return pd


def wide_gap_cuts(chars: list[dict]) -> tuple[list[int], float]:
    """(indices k where a word's glyphs split into two words, the word's letter gap in em).

    The letter gap is the word's lower median glyph gap (0 in plain text, more in tracked,
    justified or letter-spaced text); the word splits where a gap exceeds it by more than
    ``WORD_GAP_EM``: words set without space glyphs and tightly kerned come out run together under
    pdfplumber's 3-point ``x_tolerance`` ("Dynamiseretdiversifier"). Only measured (else 0.0) when
    some gap is wider than ``WORD_GAP_EM``, which is all the fast path can see cheaply."""
    if len(chars) < 2:
        return [], 0.0
    gaps = [chars[k]["x0"] - chars[k - 1]["x1"] for k in range(1, len(chars))]
    size = max(chars[0].get("size") or 0, 1)
    if max(gaps) <= WORD_GAP_EM * size:
        return [], 0.0
    letter = sorted(max(0.0, g) for g in gaps)[(len(gaps) - 1) // 2]
    return [k for k, g in enumerate(gaps, 1) if g > letter + WORD_GAP_EM * size], letter / size


def split_word(w: dict, chars: list[dict], cuts: list[int]) -> list[dict]:
    """Word w cut before the given glyph indices; each part keeps w's attributes."""
    out = []
    for lo, hi in zip([0] + cuts, cuts + [len(chars)]):
        part = chars[lo:hi]
        nw = dict(w)
        nw.update(text="".join(c["text"] for c in part), x0=min(c["x0"] for c in part),
                  x1=max(c["x1"] for c in part), top=min(c["top"] for c in part),
                  bottom=max(c["bottom"] for c in part))
        if "chars" in w:
            nw["chars"] = part
        if "doctop" in w:
            nw["doctop"] = w["doctop"] - w["top"] + nw["top"]
        out.append(nw)
    return out


def _split_wide_gaps(words: list[dict]) -> list[dict]:
    """pdfplumber words (``return_chars``) split where ``wide_gap_cuts`` says."""
    out = []
    for w in words:
        cuts, letter = wide_gap_cuts(w["chars"])
        if letter:
            w["_letter"] = letter
        if cuts:
            out.extend(split_word(w, w["chars"], cuts))
        else:
            out.append(w)
    return out


def _dedupe(chars: list[dict], tol: float = 1.0) -> list[dict]:
    """Drop overprinted copies (shadow or fake-bold text): the same glyph, font size and
    position within ``tol`` points of a glyph already kept. Linear time (grid lookup)."""
    seen: set[tuple] = set()
    out = []
    for ch in chars:
        t = ch.get("text", "")
        if not t.strip():
            out.append(ch)
            continue
        gx, gy = int(ch["x0"] // tol), int(ch["top"] // tol)
        sz = round(ch.get("size", 0))
        if any((t, sz, gx + i, gy + j) in seen for i in (-1, 0, 1) for j in (-1, 0, 1)):
            continue
        seen.add((t, sz, gx, gy))
        out.append(ch)
    return out


def _inside(w, boxes) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _drop_vertical_chains(words: list[dict]) -> tuple[list[dict], int]:
    """Drop decorative titles printed one letter per line ("P", "L", "A", "N", ... stacked)."""
    singles = [i for i, w in enumerate(words) if len(w["text"].strip()) == 1]
    if len(singles) < VERTICAL_CHAIN_MIN:
        return words, 0

    def lonely(w) -> bool:  # no other word on its row close by
        cy = (w["top"] + w["bottom"]) / 2
        for o in words:
            if o is w or not (o["top"] <= cy <= o["bottom"]):
                continue
            gap = max(o["x0"] - w["x1"], w["x0"] - o["x1"])
            if gap < 2.5 * max(w["size"], 1):
                return False
        return True

    cand = sorted((i for i in singles if lonely(words[i])), key=lambda i: words[i]["top"])
    drop: set[int] = set()
    used: set[int] = set()
    for i in cand:
        if i in used:
            continue
        chain = [i]
        for j in cand:
            if j in used or j in chain:
                continue
            a, b = words[chain[-1]], words[j]
            size = max(a["size"], 1)
            dx = abs((a["x0"] + a["x1"]) / 2 - (b["x0"] + b["x1"]) / 2)
            dy = b["top"] - a["top"]
            if dx <= 0.6 * size and 0.5 * size <= dy <= 2.2 * size:
                chain.append(j)
        used.update(chain)
        letters = sum(words[k]["text"].strip().isalpha() for k in chain)
        if len(chain) >= VERTICAL_CHAIN_MIN and letters >= 3:
            drop.update(chain)
    if not drop:
        return words, 0
    return [w for k, w in enumerate(words) if k not in drop], len(drop)


def _color(c) -> tuple | None:
    if isinstance(c, (list, tuple)):
        try:
            return tuple(round(float(v), 3) for v in c)
        except (TypeError, ValueError):
            return None
    if isinstance(c, (int, float)):
        return (round(float(c), 3),)
    return None


def _group_lines(words: list[dict], pno: int, glyphs_of=None, space_between=None) -> list[Line]:
    """Words → rows (same baseline) → segments (split at wide gaps) → Line.

    ``glyphs_of(word)`` gives a word's glyphs (dicts with text, x0, x1, size) and
    ``space_between(a, b)`` whether a space glyph stands between two words (None: unknown); with
    them, a segment that looks letter-spaced has its word boundaries rebuilt from glyph gaps.
    """
    words = [w for w in words if w["text"].strip()]
    words.sort(key=lambda w: w["bottom"])
    rows: list[list[dict]] = []
    for w in words:
        placed = False
        for row in reversed(rows[-6:]):
            a = row[0]
            tol = max(1.5, ROW_BASELINE_TOL * min(a["size"], w["size"]))
            if abs(a["bottom"] - w["bottom"]) <= tol:
                row.append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
    rows = _attach_bullets(rows)
    starts: list | None = None  # run starts of the page, measured when a number first needs them
    out: list[Line] = []
    for k, row in enumerate(rows):
        row.sort(key=lambda w: w["x0"])
        seg = [row[0]]
        segs = []
        for w in row[1:]:
            prev = seg[-1]
            gap = w["x0"] - prev["x1"]
            marker = len(seg) == 1 and (bool(re.fullmatch(_BULLET_CLASS, prev["text"])) or
                                        bool(LIST_NUM_RE.match(prev["text"] + " x")))
            if len(seg) == 1 and _column_number(prev, w, gap) and \
                    _in_columns(prev, w, k, starts := starts if starts is not None else _segment_starts(rows),
                                prev is row[0]):
                prev["_colnum"] = True
                seg.append(w)
            elif len(seg) == 1 and _big_numeral_beside(prev, w, gap):
                segs.append(seg)  # a big numeral (in a box) beside its title: attached later as its number
                seg = [w]
            elif gap > SEGMENT_GAP * min(prev["size"], w["size"]) and not (marker and gap < 6 * w["size"]):
                segs.append(seg)
                seg = [w]
            else:
                seg.append(w)
        segs.append(seg)
        for seg in segs:
            if glyphs_of is not None and len(seg) > 1 and _looks_letter_spaced(seg, space_between):
                seg = _respace(seg, glyphs_of, space_between)
            out.append(_make_line(seg, pno))
    return out


def _is_bullet_word(w: dict) -> bool:
    return bool(re.fullmatch(_BULLET_CLASS, w["text"].strip()))


def _is_number_word(w: dict) -> bool:
    return bool(OUTLINE_NUM_RE.fullmatch(w["text"].strip()))


def _is_marker_word(w: dict) -> bool:
    return _is_bullet_word(w) or _is_number_word(w)


def _column_number(num: dict, w: dict, gap: float) -> bool:
    """Whether ``num``, the first word of a segment, is an outline number set in a column of its own
    just left of the text that starts with ``w`` (so the item's number, not a word of the text): a
    gap wider than any word space but within reach, text (not another figure) after it, and a number
    set about the text's size: not a superscript, nor a big numeral (those are attached to the block
    beside them by ``_attach_numerals``)."""
    if not _is_number_word(num) or not ITEM_TEXT_START_RE.match(w["text"]):
        return False
    if not re.search(r"[.)°]$", num["text"]) and not ITEM_TITLE_START_RE.match(w["text"]):
        return False  # "2 kk", "1 n": a bare figure before a lowercase word is an index or a quantity
    size = max(min(num["size"], w["size"]), 1)
    if not NUMBER_MIN_RATIO * w["size"] <= num["size"] < BIG_NUMERAL_RATIO * w["size"]:
        return False
    return NUMBER_COLUMN_GAP * size < gap <= NUMBER_REACH * w["size"]


def _segment_starts(rows: list[list[dict]]) -> list[tuple[int, dict]]:
    """(row index, word) of the words that open a run of text: a row's first word, a word after a
    wide gap, and the text after an outline number set a column gap before it."""
    out = []
    for k, row in enumerate(rows):
        row.sort(key=lambda w: w["x0"])
        for j, w in enumerate(row):
            if j == 0:
                out.append((k, w))
                continue
            prev = row[j - 1]
            gap = w["x0"] - prev["x1"]
            if gap > SEGMENT_GAP * min(prev["size"], w["size"]) or \
                    (j == 1 and _column_number(prev, w, gap)):
                out.append((k, w))
    return out


def _in_columns(num: dict, w: dict, k: int, starts: list[tuple[int, dict]], row_first: bool) -> bool:
    """Whether a number and the text after it stand in columns: the number opens its row, or on
    some other row a run of text starts where it starts (a column's margin, or another number: left-
    or right-aligned); and on some other row a run of text starts where the text starts (its wrapped
    line, another item's text, the body text). Words spread apart by justification line up with nothing."""
    tol = COLUMN_ALIGN_TOL * max(min(num["size"], w["size"]), 1)
    num_col, txt_col = row_first, False
    for j, s in starts:
        if j == k:
            continue
        if not num_col and (abs(s["x0"] - num["x0"]) <= tol or
                            (abs(s["x1"] - num["x1"]) <= tol and _is_number_word(s))):
            num_col = True
        if not txt_col and abs(s["x0"] - w["x0"]) <= tol:
            txt_col = True
        if num_col and txt_col:
            return True
    return False


def _big_numeral_beside(num: dict, w: dict, gap: float) -> bool:
    """A big standalone numeral followed, past more than a word space, by smaller text on the same
    row (a number in a box beside a title whose last line shares its bottom): two segments."""
    small = max(min(num["size"], w["size"]), 1)
    return num["size"] >= BIG_NUMERAL_RATIO * w["size"] and gap > NUMBER_COLUMN_GAP * small and \
        bool(BARE_NUMERAL_RE.match(num["text"]))


def _attach_bullets(rows: list[list[dict]]) -> list[list[dict]]:
    """A row holding only a bullet glyph or an outline number, set on its own baseline (raised or
    lowered, often in a symbol font or another size) just left of a line of text that it overlaps
    vertically, joins that line's row: it is the line's list marker (or number), not a paragraph of
    its own. A number much bigger than the text is left to ``_attach_numerals``."""
    if not any(len(r) == 1 and _is_marker_word(r[0]) for r in rows):
        return rows
    drop: set[int] = set()
    for k, row in enumerate(rows):
        if len(row) != 1 or not _is_marker_word(row[0]):
            continue
        b = row[0]
        number = not _is_bullet_word(b)
        mid = (b["top"] + b["bottom"]) / 2
        best = None
        for j in range(max(0, k - 3), min(len(rows), k + 4)):
            if j == k or j in drop or (len(rows[j]) == 1 and _is_marker_word(rows[j][0])):
                continue
            right = [w for w in rows[j] if w["x0"] >= b["x1"] - 0.5]
            if not right:
                continue
            first = min(right, key=lambda w: w["x0"])
            if first["x0"] - b["x1"] > BULLET_REACH * first["size"] or _is_marker_word(first):
                continue
            if number and not _column_number(b, first, first["x0"] - b["x1"]):
                continue  # a superscript (an alinea number, a footnote call) or a big numeral
            if any(b["x0"] <= w["x1"] and w["x0"] < first["x0"] and w is not first for w in rows[j]):
                continue  # something already stands between the bullet and the text
            overlap = min(b["bottom"], first["bottom"]) - max(b["top"], first["top"])
            if overlap < BULLET_OVERLAP * min(b["bottom"] - b["top"], first["bottom"] - first["top"]):
                continue
            dist = abs(mid - (first["top"] + first["bottom"]) / 2)
            if best is None or dist < best[0]:
                best = (dist, j)
        if best is not None:
            rows[best[1]].append(b)
            drop.add(k)
    return [r for k, r in enumerate(rows) if k not in drop]


def _looks_letter_spaced(seg: list[dict], space_between) -> bool:
    """Cheap test on a segment's words: many 1-3 character fragments (spaced-out letters cut into
    pieces by the word builder), a word whose letters were measured apart (``_letter``), or a
    one-letter initial glued to smaller capitals (small caps)."""
    if any(w.get("_letter", 0) >= WORD_GAP_EM for w in seg):
        return True  # a word whose own letters stand a word space apart
    n = len(seg)
    lens = [len(w["text"]) for w in seg]
    if n >= 3:
        short = sum(l <= 3 for l in lens)
        if short >= LETTER_SPACED_ALL_SHORT * n:
            return True
        if short >= LETTER_SPACED_SHORT * n:
            for a, b in zip(seg, seg[1:]):
                if len(a["text"]) == len(b["text"]) == 1 and a["text"].isalnum() and b["text"].isalnum() and \
                        b["x0"] - a["x1"] < LETTER_SPACED_NEAR * max(a["size"], b["size"]):
                    return True
    for a, b in zip(seg, seg[1:]):
        if len(a["text"]) != 1 and len(b["text"]) != 1:
            continue
        big, small = max(a["size"], b["size"]), min(a["size"], b["size"])
        if big < SMALL_CAPS_RATIO * small or b["x0"] - a["x1"] >= LETTER_SPACED_NEAR * big:
            continue
        if not (a["text"] + b["text"]).replace("'", "").replace("’", "").isupper():
            continue
        if space_between is None or not space_between(a, b):
            return True
    return False


def _respace(seg: list[dict], glyphs_of, space_between) -> list[dict]:
    """Word boundaries of a letter-spaced segment rebuilt from its glyph gaps.

    The letter gap is the median gap between neighbouring glyphs; a word boundary is a space glyph
    or a gap clearly wider than the letter gap (twice it, and at least ``WORD_GAP_EM`` more). The
    segment comes back as pieces (one per word part of one original word, so fonts and sizes keep
    their weight); ``_glue`` says whether a piece continues the previous piece's word.
    """
    glyphs: list[tuple[int, dict]] = []
    for t, w in enumerate(seg):
        for g in glyphs_of(w) or []:
            if g.get("text", " ").strip():
                glyphs.append((t, g))
    if len(glyphs) < 2:
        return seg
    gaps: list[float] = []
    spaced: list[bool] = []
    for (ta, a), (tb, b) in zip(glyphs, glyphs[1:]):
        em = max(a.get("size", 1), b.get("size", 1), 1)
        gaps.append((b["x0"] - a["x1"]) / em)
        spaced.append(ta != tb and bool(space_between and space_between(seg[ta], seg[tb])))
    inner = sorted(max(0.0, g) for g, sp in zip(gaps, spaced) if not sp)
    letter = inner[(len(inner) - 1) // 2] if inner else 0.0
    word_gap = max(LETTER_SPACED_WORD * letter, letter + WORD_GAP_EM)
    pieces: list[dict] = []
    cur: list[dict] = [glyphs[0][1]]
    cur_t, glue = glyphs[0][0], None
    for k in range(1, len(glyphs)):
        t, g = glyphs[k]
        boundary = spaced[k - 1] or gaps[k - 1] >= word_gap or (t != cur_t and gaps[k - 1] < -0.5)
        if boundary or t != cur_t:
            pieces.append(_piece(seg[cur_t], cur, glue))
            cur, cur_t, glue = [g], t, not boundary
        else:
            cur.append(g)
    pieces.append(_piece(seg[cur_t], cur, glue))
    return pieces


def _piece(w: dict, glyphs: list[dict], glue: bool | None) -> dict:
    p = {k: v for k, v in w.items() if k not in ("chars", "_span")}
    p.update(text="".join(g["text"] for g in glyphs), x0=min(g["x0"] for g in glyphs),
             x1=max(g["x1"] for g in glyphs))
    if glue is not None:
        p["_glue"] = glue
    return p


_BOLD_CACHE: dict[str, bool] = {}


def _make_line(ws: list[dict], pno: int) -> Line:
    parts = [ws[0]["text"]]
    for a, b in zip(ws, ws[1:]):
        glue = b.get("_glue")
        if glue is None:
            glue = b["x0"] - a["x1"] < 0.1 * min(a["size"], b["size"])
        parts.append(("" if glue else " ") + b["text"])
    boxes = tuple((w["x0"], w["x1"], t) for w, t in zip(ws, parts))
    weights: dict = {}
    bold = 0
    colors: dict = {}
    for w in ws:  # insertion-ordered dicts: most_common() ties resolve as Counter's did
        k = len(w["text"])
        sz = round(w["size"], 1)
        weights[sz] = weights.get(sz, 0) + k
        fn = w.get("fontname", "")
        b = _BOLD_CACHE.get(fn)
        if b is None:
            b = _BOLD_CACHE[fn] = _is_bold(fn)
        bold += k if b else 0
        c = w.get("non_stroking_color")
        c = c if type(c) is tuple and len(c) == 3 and all(type(v) is float and round(v, 3) == v for v in c) \
            else _color(c)
        colors[c] = colors.get(c, 0) + k
    weights, colors = Counter(weights), Counter(colors)
    n = sum(weights.values()) or 1
    return Line(text="".join(parts), x0=min(w["x0"] for w in ws), top=min(w["top"] for w in ws),
                x1=max(w["x1"] for w in ws), bottom=max(w["bottom"] for w in ws),
                size=weights.most_common(1)[0][0], bold=bold * 2 > n, color=colors.most_common(1)[0][0],
                page=pno, chars=n, words=boxes, number=ws[0]["text"].strip() if ws[0].get("_colnum") and len(ws) > 1
                else None)


# --------------------------------------------------------------------------- OCR

_OCR_STATE: dict[str, object] = {}


def ocr_available() -> tuple[bool, str]:
    """Whether Tesseract with French is usable, and why not."""
    if "ok" not in _OCR_STATE:
        import shutil
        ok, why = False, ""
        if not shutil.which("tesseract"):
            why = "the tesseract binary is not installed"
        else:
            try:
                import pytesseract
                langs = pytesseract.get_languages(config="")
                ok = "fra" in langs
                why = "" if ok else "tesseract has no French (fra) language data"
            except Exception as exc:  # pragma: no cover
                why = f"tesseract unusable: {exc}"
        _OCR_STATE["ok"], _OCR_STATE["why"] = ok, why
    return bool(_OCR_STATE["ok"]), str(_OCR_STATE["why"])


def _ocr_pages(data: bytes, password: str, pages: list[PageData], deadline: float) -> str:
    ok, why = ocr_available()
    if not ok:
        return f"OCR unavailable: {why}"
    try:
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(data, password=password or None)
    except Exception as exc:
        return f"OCR failed: cannot render ({_exc_msg(exc)})"
    done = 0
    try:
        for pd in pages:
            remaining = deadline - time.monotonic()
            if remaining <= 1:
                break
            try:
                lines = ocr_page_lines(doc, pd.pno, timeout=remaining)
            except Exception:
                continue
            if lines:
                pd.lines, pd.ocr, pd.image_only = lines, True, False
                done += 1
    finally:
        doc.close()
    return f"{done} of {len(pages)} page(s) OCRed with tesseract (fra)"


def ocr_page_lines(doc, pno: int, timeout: float = 60) -> list[Line]:
    """Render one page with pdfium and read it with Tesseract (French); lines in PDF points."""
    import pytesseract

    page = doc[pno - 1]
    try:
        scale = OCR_DPI / 72
        img = page.render(scale=scale).to_pil()
    finally:
        page.close()
    d = pytesseract.image_to_data(img, lang="fra", output_type=pytesseract.Output.DICT, timeout=max(1, int(timeout)))
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(d["text"]):
        if word and word.strip() and float(d["conf"][i]) >= 0:
            groups.setdefault((d["block_num"][i], d["par_num"][i], d["line_num"][i]), []).append(i)
    lines = []
    for idx in groups.values():
        idx.sort(key=lambda i: d["left"][i])
        x0 = min(d["left"][i] for i in idx) / scale
        top = min(d["top"][i] for i in idx) / scale
        x1 = max(d["left"][i] + d["width"][i] for i in idx) / scale
        bottom = max(d["top"][i] + d["height"][i] for i in idx) / scale
        text = " ".join(d["text"][i].strip() for i in idx)
        lines.append(Line(text=text, x0=x0, top=top, x1=x1, bottom=bottom, size=round(bottom - top, 1), bold=False,
                          color=None, page=pno, chars=len(text)))
    return lines


# --------------------------------------------------------------------------- document level

_CID_RE = re.compile(r"\(cid:\d+\)")


def _cid_ratio(text: str) -> float:
    if not text:
        return 0.0
    return sum(len(m) for m in _CID_RE.findall(text)) / len(text)


def _norm_furniture(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.strip().lower()))


def _band(line: Line, pd: PageData) -> str | None:
    if line.bottom <= pd.height * FURNITURE_BAND:
        return "top"
    if line.top >= pd.height * (1 - FURNITURE_BAND):
        return "bottom"
    return None


MAX_RUNNING_CONTEXT = 4  # running headers kept as publisher context (title, body, period)


def _drop_furniture(pages: list[PageData]) -> list[str]:
    """Running headers/footers: the same text in the same band on most pages; page numbers in a band.
    Returns the running texts dropped (they often name the publisher and the plan)."""
    with_text = [p for p in pages if p.lines]
    repeated: set[tuple[str, str]] = set()
    if len(with_text) >= FURNITURE_MIN_PAGES:
        counts: Counter = Counter()
        for pd in with_text:
            counts.update({(_norm_furniture(l.text), b) for l in pd.lines if (b := _band(l, pd))})
        need = max(2, math.ceil(len(with_text) * FURNITURE_SHARE))
        repeated = {k for k, c in counts.items() if c >= need}
    running: list[str] = []
    for pd in pages:
        kept = []
        for l in pd.lines:
            b = _band(l, pd)
            if b and ((_norm_furniture(l.text), b) in repeated or PAGE_NUMBER_RE.match(l.text)):
                if (_norm_furniture(l.text), b) in repeated and l.text not in running:
                    running.append(l.text)
                continue
            kept.append(l)
        pd.lines = kept
    return running


def _drop_toc(pages: list[PageData]) -> list[int]:
    """Table-of-contents lines ("Title ....... 12") and the contents title are dropped; a page
    made of them is reported as a contents page."""
    dropped = []
    for pd in pages:
        if not pd.lines:
            continue
        toc = [l for l in pd.lines if TOC_LINE_RE.match(l.text)]
        if len(toc) < TOC_MIN_LINES:
            continue
        content = [l for l in pd.lines if not PAGE_NUMBER_RE.match(l.text)]
        if len(toc) >= TOC_PAGE_SHARE * len(content) or any(TOC_TITLE_RE.match(l.text) for l in pd.lines):
            # The entries and the title go; what else the page holds (a cover's organisation and
            # plan title above the contents) stays.
            ids = {id(l) for l in toc}
            pd.lines = [l for l in pd.lines if id(l) not in ids and not TOC_TITLE_RE.match(l.text)]
            dropped.append(pd.pno)
        else:
            ids = {id(l) for l in toc}
            pd.lines = [l for l in pd.lines if id(l) not in ids]
    return dropped


def _outline(pdf) -> list[tuple[int, str, int | None]]:
    """(level, title, page number or None) of the document outline (bookmarks)."""
    try:
        doc = pdf.doc
        pageno = {}
        for i, p in enumerate(pdf.pages[:MAX_PAGES]):
            pageno[p.page_obj.pageid] = i + 1
        out = []
        for item in doc.get_outlines():
            level, title, dest, action = item[0], item[1], item[2], item[3]
            if not title:
                continue
            title = one_line(clean_text(title if isinstance(title, str) else str(title)))
            out.append((int(level), title, _dest_page(doc, dest, action, pageno)))
            if len(out) > 5000:
                break
        return out
    except Exception:
        return []


def _dest_page(doc, dest, action, pageno) -> int | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    try:
        if dest is None and action is not None:
            action = resolve1(action)
            if isinstance(action, dict):
                dest = action.get("D")
        dest = resolve1(dest)
        if isinstance(dest, (bytes, str, PSLiteral)):
            name = dest.name if isinstance(dest, PSLiteral) else dest
            dest = resolve1(doc.get_dest(name))
        if isinstance(dest, dict):
            dest = resolve1(dest.get("D"))
        if isinstance(dest, list) and dest:
            ref = dest[0]
            objid = getattr(ref, "objid", None)
            if objid in pageno:
                return pageno[objid]
    except Exception:
        return None
    return None


@dataclass
class _Blk:
    lines: list[Line]
    kind: str = PARAGRAPH
    marker: str | None = None
    ordered: bool | None = None
    text_x0: float = 0.0
    number: str | None = None  # an attached big numeral
    colnum: bool = False  # the marker is an outline number set in a column of its own (Line.number)

    @property
    def bbox(self):
        return (min(l.x0 for l in self.lines), min(l.top for l in self.lines),
                max(l.x1 for l in self.lines), max(l.bottom for l in self.lines))

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return _join_lines([l.text for l in self.lines])


@dataclass
class _Tbl:
    rows: list
    bbox: tuple
    page: int
    grid: list | None = None  # (text, carried) cells already laid out (tables read from aligned text)


def _marker(text: str) -> tuple[str | None, bool, str]:
    """(marker, ordered, rest) when the text opens a list item."""
    m = BULLET_RE.match(text)
    if m:
        mk = m.group(1)
        return ("•" if mk.startswith("(cid:") else mk), False, text[m.end():]
    m = LIST_NUM_RE.match(text)
    if m:
        return m.group(1), True, text[m.end():]
    return None, False, text


def _body_style(pages: list[PageData]) -> tuple[float, tuple | None, bool]:
    sizes: Counter = Counter()
    for pd in pages:
        for l in pd.lines:
            sizes[round(l.size * 2) / 2] += l.chars or len(l.text)
    if not sizes:
        return 10.0, None, False
    body = sizes.most_common(1)[0][0]
    colors: Counter = Counter()
    bold = Counter()
    for pd in pages:
        for l in pd.lines:
            if abs(l.size - body) < 0.6:
                colors[l.color] += l.chars
                bold[l.bold] += l.chars
    return body, colors.most_common(1)[0][0] if colors else None, bold.most_common(1)[0][0] if bold else False


def _group_blocks(lines: list[Line]) -> list[_Blk]:
    """Lines of one page → blocks: same style, close below, overlapping horizontally."""
    lines = sorted(lines, key=lambda l: (l.top, l.x0))
    blocks: list[_Blk] = []
    for l in lines:
        marker, ordered, _ = _marker(l.text)
        if l.number:
            marker, ordered = l.number, True
        target = None
        # A line that opens with a label and its number ("Action 1.1.2 Soutenir…", "AXE 2 – …") or
        # an outline number ("1.2 Titre") starts an item of its own, even set tight under the last.
        if marker is None and not BARE_NUMERAL_RE.match(l.text) and not ITEM_START_RE.match(l.text):
            for b in reversed(blocks[-12:]):
                last = b.lines[-1]
                gap = l.top - last.bottom
                size = max(min(l.size, last.size), 1)
                if not (-0.4 * size <= gap <= PARA_GAP_FACTOR * size):
                    continue
                if l.x0 >= last.x1 or l.x1 <= last.x0 or BARE_NUMERAL_RE.match(last.text):
                    continue
                if abs(l.size - last.size) >= 0.6 or l.bold != last.bold:
                    break
                if b.kind == LIST_ITEM:
                    hanging = l.x0 >= b.first.x0 + 0.4 * size
                    wrapped = l.text[:1].islower() and not re.search(r"[.!?;:]$", last.text)
                    if not (hanging or wrapped):
                        break
                elif len(b.lines) >= 1 and l.x0 - b.bbox[0] > 1.2 * size and re.search(r"[.!?:]$", last.text) \
                        and l.x1 <= b.bbox[2] + 2:
                    break  # first-line indent after a finished sentence: a new paragraph
                target = b
                break
        if target is not None:
            target.lines.append(l)
        else:
            blocks.append(_Blk(lines=[l], kind=LIST_ITEM if marker else PARAGRAPH, marker=marker,
                               ordered=ordered if marker else None, colnum=bool(l.number)))
    return blocks


def _attach_numerals(blocks: list[_Blk], body: float) -> list[_Blk]:
    """A big standalone number beside (or just above) a title is that item's number."""
    out = list(blocks)
    for nb in blocks:
        if len(nb.lines) != 1 or nb.kind == LIST_ITEM:
            continue
        m = BARE_NUMERAL_RE.match(nb.text)
        letter = m is None and BIG_LETTER_RE.match(nb.text)
        m = m or letter
        if not m or nb.first.size < BIG_NUMERAL_RATIO * body:
            continue
        x0, top, x1, bottom = nb.bbox

        def label_of(b: _Blk) -> bool:  # a block that may take the numeral: not another numeral, and
            # after a letter a title opening with a capital (a drop cap runs on into a lowercase word)
            if BARE_NUMERAL_RE.match(b.text) or BIG_LETTER_RE.match(b.text):
                return False
            return not letter or bool(re.match(r"[«\"“'‘(\s]*[A-ZÀ-Ý]", b.text))

        reach = max(3 * nb.first.size, 4 * (x1 - x0))
        beside = [b for b in out if b is not nb and b.number is None and b.bbox[0] >= x1 - 2 and
                  b.bbox[0] - x1 <= reach and b.bbox[1] < bottom and b.bbox[3] > top and label_of(b)]
        if not beside:
            beside = [b for b in out if b is not nb and b.number is None and 0 <= b.bbox[1] - bottom <= nb.first.size
                      and b.bbox[0] < x1 + reach and b.bbox[2] > x0 and label_of(b)]
            beside = sorted(beside, key=lambda b: b.bbox[1])[:1]
        if not beside:
            continue
        target = max(beside, key=lambda b: (round(b.first.size, 1), b.first.bold, -abs(b.bbox[1] - top)))
        if letter and not (len(target.lines) <= 2 and len(target.text.split()) >= 2 and len(target.text) <= 120 and
                           (target.first.bold or target.first.size >= HEADING_SIZE_RATIO * body)):
            continue  # a letter beside running text or a one-word label: a logo or a map's key, not a section
        target.number = m.group(1)
        out.remove(nb)
    return out


def _reading_order(items: list, page_width: float) -> list:
    """Recursive cuts: rows of items separated by horizontal gaps; consecutive rows sharing a
    column gutter are read column by column."""
    if len(items) <= 1:
        return list(items)
    bands = _split(items, axis=1)
    if len(bands) == 1:
        cut = _gutter(items, page_width)
        if cut is None:
            return sorted(items, key=lambda it: (_bb(it)[1], _bb(it)[0]))
        left = [it for it in items if _bb(it)[2] <= cut]
        right = [it for it in items if _bb(it)[2] > cut]
        return _reading_order(left, page_width) + _reading_order(right, page_width)
    groups: list[tuple[list, float | None]] = []
    for band in bands:
        g = _gutter(band, page_width) if len(band) > 1 else None
        if groups and g is not None and groups[-1][1] is not None:
            merged = groups[-1][0] + band
            g2 = _gutter(merged, page_width)
            if g2 is not None:
                groups[-1] = (merged, g2)
                continue
        groups.append((band, g))
    out = []
    for band, g in groups:
        if g is None:
            out += _reading_order(band, page_width) if len(bands) > 1 else sorted(band, key=lambda it: _bb(it)[1])
        else:
            left = [it for it in band if _bb(it)[2] <= g]
            right = [it for it in band if _bb(it)[2] > g]
            out += _reading_order(left, page_width) + _reading_order(right, page_width)
    return out


def _bb(it):
    return it.bbox


def _split(items: list, axis: int) -> list[list]:
    """Split items into groups separated by gaps along y (axis=1) or x (axis=0)."""
    lo, hi = (1, 3) if axis == 1 else (0, 2)
    order = sorted(items, key=lambda it: _bb(it)[lo])
    groups = [[order[0]]]
    end = _bb(order[0])[hi]
    for it in order[1:]:
        b = _bb(it)
        if b[lo] >= end - 0.5:
            groups.append([it])
        else:
            groups[-1].append(it)
        end = max(end, b[hi])
    return groups


def _gutter(items: list, page_width: float) -> float | None:
    """The x of the widest valid vertical gap between items: both sides hold text columns."""
    order = sorted(items, key=lambda it: _bb(it)[0])
    best = None
    end = _bb(order[0])[2]
    for k in range(1, len(order)):
        b = _bb(order[k])
        if b[0] - end >= MIN_GUTTER:
            left, right = order[:k], order[k:]
            wl = max(_bb(it)[2] - _bb(it)[0] for it in left)
            wr = max(_bb(it)[2] - _bb(it)[0] for it in right)
            if min(wl, wr) >= COLUMN_MIN_WIDTH * page_width and (best is None or b[0] - end > best[0]):
                best = (b[0] - end, (end + b[0]) / 2)
        end = max(end, b[2])
    return best[1] if best else None


def _join_lines(texts: list[str]) -> str:
    """Join wrapped lines: a hyphenated word split at a line end is rejoined ("dévelop-" +
    "pement"), a real hyphen is kept ("Saint-" + "Nérée", "porte-" + "parole")."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if not out:
            out = t
            continue
        m = re.search(r"(\w+)[-\u2010]$", out)
        if m and not out.endswith("--"):
            word = m.group(1).lower()
            nxt = t.split(" ", 1)[0]
            if t[:1].islower() and word not in KEEP_HYPHEN_PREFIXES and "-" not in nxt and not word.isdigit():
                out = out[:-1] + t
            else:
                out = out + t
        else:
            out = out + " " + t
    return out


def _style(l: Line) -> dict:
    return {"font_size": round(l.size, 1), "bold": l.bold, "color": l.color}


def _to_blocks(pages: list[PageData], source: str, outline) -> list[Block]:
    body, body_color, body_bold = _body_style(pages)
    blocks: list[Block] = []
    table_id = -1
    prev_table: tuple | None = None  # (table_id, ncols, header, next_row, page, last item on its page)
    heading_sizes: set[float] = set()
    pending: list[tuple[Block, _Blk]] = []
    for pd in pages:
        aligned = _aligned_tables(pd, body)
        blks = _group_blocks(pd.lines)
        blks = _attach_numerals(blks, body)
        items = blks + [_Tbl(rows=r, bbox=bb, page=pd.pno) for r, bb in pd.tables] + aligned
        ordered = _reading_order(items, pd.width) if items else []
        for pos, it in enumerate(ordered):
            if isinstance(it, _Tbl):
                grid = it.grid if it.grid is not None else \
                    carry_merged([[_clean_cell(c) if c is not None else None for c in r] for r in it.rows])
                ncols = max(len(r) for r in grid)
                base = Block(kind=PARAGRAPH, text="", page=it.page, bbox=tuple(round(v, 1) for v in it.bbox),
                             source=source, extractor=NAME, extractor_version=EXTRACTOR_VERSION)
                cont = prev_table is not None and prev_table[1] == ncols and prev_table[4] == it.page - 1 and \
                    prev_table[5] and pos == 0 and prev_table[2] is not None and \
                    [one_line(t) for t, _ in grid[0]] == prev_table[2]
                if cont:
                    tid, header, offset = prev_table[0], prev_table[2], prev_table[3]
                else:
                    table_id += 1
                    tid, header, offset = table_id, None, 0
                tb, header = grid_to_blocks(grid, tid, base, header=header)
                for b in tb:
                    b.table.row += offset
                blocks.extend(tb)
                prev_table = (tid, ncols, header, offset + len(grid), it.page, pos == len(ordered) - 1)
                continue
            b = _make_block(it, source, body, body_color, body_bold)
            if b is None:
                continue
            if pd.ocr:  # read from the page image: the structurer tells figures from text by it
                b.style["ocr"] = True
            if b.kind == HEADING and b.level is None:
                heading_sizes.add(round(b.style["font_size"]))
            pending.append((b, it))
            blocks.append(b)
    _heading_levels(pending, heading_sizes, body)
    _apply_outline(blocks, outline)
    # List ids: consecutive list items (no other block between) share an id.
    list_id = 0
    prev = None
    for b in blocks:
        if b.kind == LIST_ITEM:
            if prev is None or prev.kind != LIST_ITEM:
                list_id += 1
            b.list_id = list_id
        prev = b
    return blocks


def _aligned_tables(pd: PageData, body: float) -> list[_Tbl]:
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
    if len(pd.lines) < ALIGNED_MIN_COLUMNS * (ALIGNED_MIN_ROWS + 1):
        return []
    heads = [l for l in pd.lines if len(l.text) <= ALIGNED_HEADER_MAX_CHARS and
             len(l.text.split()) <= ALIGNED_HEADER_MAX_WORDS and not re.search(r"[.;:,!?]$", l.text) and
             l.size < body * HEADING_SIZE_RATIO and not BARE_NUMERAL_RE.match(l.text) and
             not HEAD_NUM_RE.match(l.text)]
    if len(heads) < ALIGNED_MIN_COLUMNS:
        return []
    heads.sort(key=lambda l: (l.top, l.x0))
    rows: list[list[Line]] = []
    for l in heads:
        if rows and abs(l.top - rows[-1][0].top) <= ROW_TOP_TOL * l.size and abs(l.size - rows[-1][0].size) < 0.6:
            rows[-1].append(l)
        else:
            rows.append([l])
    out: list[_Tbl] = []
    for hdr in rows:
        if len(hdr) < ALIGNED_MIN_COLUMNS or any(l not in pd.lines for l in hdr):
            continue
        firsts = [l.text.split()[0].casefold() for l in hdr]
        if len(set(firsts)) < len(firsts):
            continue  # "Objectif 1.1 | Objectif 2.1": numbered cards side by side, not column names
        if not all(re.search(r"[^\W\d_]", l.text) or re.fullmatch(r"\s*(19|20)\d\d\s*", l.text) for l in hdr):
            continue  # amounts ("486 $"): a data row, not the header
        t = _read_aligned(pd, sorted(hdr, key=lambda l: l.x0))
        if t is not None:
            out.append(t)
    return out


def _read_aligned(pd: PageData, hdr: list[Line]) -> _Tbl | None:
    size = max(l.size for l in hdr)
    starts = [l.x0 for l in hdr]
    tol = ALIGN_TOL * size
    htop, hbottom = min(l.top for l in hdr), max(l.bottom for l in hdr)
    pool = [(l, None) for l in pd.lines if l not in hdr] + \
        [(l, k) for k, tl in enumerate(pd.table_lines) for l in tl]
    pool = sorted((p for p in pool if p[0].top >= hbottom - 0.5), key=lambda p: (p[0].top, p[0].x0))
    pieces: list[tuple[int, str, Line]] = []  # (column, text, line)
    starts_at: list[tuple[int, bool]] = []  # (column, whether the piece starts on the column start)
    used: list[tuple[Line, int | None]] = []
    last = hbottom
    for l, src in pool:
        if l.top - last > TABLE_END_GAP * size or l.x0 < starts[0] - tol or l.size > 1.3 * size:
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
        if marks and sum(marks) < ALIGNED_SHARE * len(marks):
            return None
    # Cells: wrapped lines of one column merged.
    cells: list[list] = []  # [column, top, bottom, texts]
    for col in range(len(starts)):
        cur = None
        for c, t, l in sorted((p for p in pieces if p[0] == col), key=lambda p: p[2].top):
            if cur is not None and l.top - cur[2] <= CELL_LINE_GAP * l.size:
                cur[3].append(t)
                cur[2] = max(cur[2], l.bottom)
            else:
                cur = [col, l.top, l.bottom, [t]]
                cells.append(cur)
    if max(len(c[3]) for c in cells) > CELL_MAX_LINES:
        return None
    # Rows start where a cell of a column other than the first starts.
    tops: list[float] = []
    for c in sorted((c for c in cells if c[0] > 0), key=lambda c: c[1]):
        if not tops or c[1] - tops[-1] > ROW_TOP_TOL * size:
            tops.append(c[1])
    if len(tops) < ALIGNED_MIN_ROWS or len({c[0] for c in cells}) < 2 or \
            sum(1 for c in cells if c[0] > 0) < ALIGNED_MIN_ROWS:
        return None
    grid_text: list[list[list[str]]] = [[[] for _ in starts] for _ in tops]
    for col, top, _, texts in cells:
        r = max([k for k, t in enumerate(tops) if t <= top + ROW_TOP_TOL * size] or [0])
        grid_text[r][col].append("\n".join(texts))
    grid = [[(one_line(l.text), False) for l in hdr]]
    above = None
    for row in grid_text:
        line = []
        for col, texts in enumerate(row):
            text = _clean_cell("\n".join(texts)) if texts else ""
            if col == 0:
                if text:
                    above = text
                elif above is not None:
                    line.append((above, True))
                    continue
            line.append((text, False))
        grid.append(line)
    x1 = max(l.x1 for l, _ in used)
    bbox = (min(starts[0] - tol, min(l.x0 for l, _ in used)), htop, x1, last)
    swallowed = {k for k, (_, bb) in enumerate(pd.tables)
                 if bbox[0] - 1 <= (bb[0] + bb[2]) / 2 <= bbox[2] + 1 and bbox[1] <= (bb[1] + bb[3]) / 2 <= bbox[3]}
    if any(src is not None and src not in swallowed for _, src in used):
        return None  # text of a ruled table that stays: keep the page as it was
    gone = {id(l) for l, src in used if src is None} | {id(l) for l in hdr}
    pd.lines = [l for l in pd.lines if id(l) not in gone]
    pd.tables = [t for k, t in enumerate(pd.tables) if k not in swallowed]
    pd.table_lines = [t for k, t in enumerate(pd.table_lines) if k not in swallowed]
    return _Tbl(rows=[], bbox=bbox, page=pd.pno, grid=grid)


def _split_columns(l: Line, starts: list[float], tol: float) -> list[tuple[int, str, float]] | None:
    """A line cut at column starts: [(column, text, x0)], or None when a word runs into the next
    column (running text wider than a column)."""
    words = l.words or ((l.x0, l.x1, l.text),)
    out: list[tuple[int, str, float]] = []
    for x0, x1, text in words:
        col = max(k for k, s in enumerate(starts) if s - tol <= x0) if x0 >= starts[0] - tol else 0
        if col + 1 < len(starts) and x1 > starts[col + 1] - 1:
            return None
        if out and out[-1][0] == col:
            out[-1] = (col, out[-1][1] + text, out[-1][2])
        elif out and out[-1][0] > col:
            return None
        else:
            out.append((col, text.strip(), x0))
    return out


def _clean_cell(text: str) -> str:
    lines = [l for l in clean_text(_CID_RE.sub("", text)).split("\n")]
    # Keep the cell's line breaks, but rejoin words hyphenated at a line end.
    out: list[str] = []
    for l in lines:
        if out and re.search(r"\w-$", out[-1]) and l[:1].islower():
            out[-1] = _join_lines([out[-1], l])
        else:
            out.append(l)
    return "\n".join(out)


def _make_block(bl: _Blk, source: str, body: float, body_color, body_bold) -> Block | None:
    text = clean_text(_CID_RE.sub("", bl.text) if bl.marker != "•" or not bl.text.startswith("(cid:")
                      else bl.text)
    first = bl.first
    kind, level, marker, ordered = bl.kind, None, bl.marker, bl.ordered
    if kind == LIST_ITEM:
        if bl.colnum:
            rest = bl.text.lstrip()
            rest = rest[len(marker):].lstrip() if rest.startswith(marker) else rest
        else:
            _, _, rest = _marker(bl.text)
        text = clean_text(_CID_RE.sub("", rest))
    text = unicodedata.normalize("NFC", text)
    if not text:
        return None
    if bl.number is not None:
        text = f"{bl.number} {text}"
    size = first.size
    short = len(text) <= HEADING_MAX_CHARS and not re.search(r"[.;,]$", text)
    styled = False
    if size >= body * HEADING_SIZE_RATIO and len(text) <= HEADING_MAX_CHARS * 1.5:
        styled = True
    elif first.bold and not body_bold and size >= body * 0.95 and short:
        styled = True
    elif body_color is not None and first.color is not None and first.color != body_color and size >= body * 0.95 \
            and short and len(bl.lines) <= 2 and _distinct_color(first.color, body_color):
        styled = True
    num = HEAD_NUM_RE.match(text)
    if kind == LIST_ITEM:
        # A numbered line styled as a heading is a heading; a bullet item stays an item.
        if ordered and styled and (re.match(r"^\d", marker or "") or bl.colnum):
            kind, marker, ordered = HEADING, None, None
            text = clean_text(bl.text)
            level = len(re.findall(r"\d+", HEAD_NUM_RE.match(text).group(1))) if HEAD_NUM_RE.match(text) else None
    elif styled:
        kind = HEADING
        if num and bl.number is None:
            level = len(num.group(1).split("."))
    elif num and "." in num.group(1) and short and len(bl.lines) == 1 and len(text) <= 120 and \
            text[num.end():num.end() + 1].isupper():
        kind, level = HEADING, len(num.group(1).split("."))
    return Block(kind=kind, text=text, page=first.page, bbox=tuple(round(v, 1) for v in bl.bbox), level=level,
                 marker=marker, ordered=ordered if kind == LIST_ITEM else None,
                 list_depth=0 if kind == LIST_ITEM else None, style=_style(first), source=source,
                 extractor=NAME, extractor_version=EXTRACTOR_VERSION)


def _distinct_color(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return True
    return max(abs(x - y) for x, y in zip(a, b)) > 0.15


def _heading_levels(pending: list[tuple[Block, _Blk]], sizes: set[float], body: float) -> None:
    """Levels of style headings: larger sizes first; body-size (bold/colour) headings last."""
    ranks = sorted((s for s in sizes if s > round(body)), reverse=True)
    for b, _ in pending:
        if b.kind != HEADING or b.level is not None:
            continue
        s = round(b.style["font_size"])
        b.level = min(6, ranks.index(s) + 1 if s in ranks else len(ranks) + 1)


def _apply_outline(blocks: list[Block], outline) -> None:
    """Blocks whose text is an outline (bookmark) entry are headings of the entry's depth."""
    if not outline:
        return
    key = lambda t: re.sub(r"\W+", " ", one_line(t).casefold()).strip()
    entries = [(lvl, key(t), pg) for lvl, t, pg in outline if key(t)]
    used = set()
    for b in blocks:
        if b.kind == TABLE_CELL_KIND or len(b.text) > 300:
            continue
        k = key(b.text)
        for n, (lvl, t, pg) in enumerate(entries):
            if n in used or (pg is not None and b.page is not None and abs(pg - b.page) > 1):
                continue
            if k == t or (len(t) >= 4 and k.startswith(t) and len(k) <= len(t) + 12) or \
                    (len(k) >= 8 and t.startswith(k) and len(k) >= 0.6 * len(t)):
                b.kind, b.level, b.marker, b.ordered, b.list_depth, b.list_id = HEADING, min(lvl, 6), None, None, \
                    None, None
                b.style["outline"] = True
                used.add(n)
                break


TABLE_CELL_KIND = "table_cell"
