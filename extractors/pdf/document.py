"""Reading a whole PDF: open it (password, encryption, unreadable files sent to the pdfium
fallback), choose the engine for each page, read pages one at a time under the time limit and
the page cap, OCR the image-only pages of a document without a text layer (``ocr.py``), drop page furniture, build the blocks and set the status."""
from __future__ import annotations

import io
import os
import time

from planscope.extractors.blocks import ENCRYPTED, FAILED, NEEDS_OCR, PARTIAL, UNREADABLE_TEXT, Extraction
from planscope.extractors.pdf import engine_plumber, ocr
from planscope.extractors.pdf.assemble import NAME, to_blocks
from planscope.extractors.pdf.cleanup import cid_ratio, drop_furniture, drop_toc
from planscope.extractors.pdf.fallback import pdfium_fallback
from planscope.extractors.pdf.guard import MAX_MESSAGE, PageTimeout, alarm, exc_msg
from planscope.extractors.pdf.metadata import meta_str, outline, pdf_date
from planscope.extractors.pdf.model import PageData, to_rgb
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.version import EXTRACTOR_VERSION

ENGINE_ENV = "PLANSCOPE_PDF_ENGINE"
ENGINES = ("auto", "pdfplumber")
MAX_PAGE_ERROR = 200  # characters of a page error kept
MAX_SCANNED_LISTED = 20  # image-only pages named in a warning


def engine() -> str:
    """``auto`` (default): pdfium reads text and finds table candidates, pdfplumber's table finder
    runs on pdfium's ruling lines and pdfplumber reads only the pages pdfium's engine does not
    model; ``pdfplumber``: every page with pdfplumber (the reference, ~10x slower)."""
    e = os.environ.get(ENGINE_ENV, "auto").strip().lower() or "auto"
    return e if e in ENGINES else "auto"


def _fast_document(data: bytes, password: str, n: int):
    """The pdfium document read by the fast engine, or None (engine ``pdfplumber``, pdfium missing,
    or the two parsers disagree on the page count)."""
    if engine() != "auto":
        return None
    try:
        from planscope.extractors.pdf.engine_pdfium import open_document
    except Exception:  # pragma: no cover - pypdfium2 missing or incompatible
        return None
    doc = open_document(data, password)
    if doc is not None and len(doc) != n:  # the two parsers disagree on the page tree: trust pdfminer
        doc.close()
        return None
    return doc


class FastDocument:
    """The fast engine's pdfium document, opened again every ``pdfium_reopen_pages`` pages: pdfium
    keeps the fonts and objects of every page it parsed until the document closes (468 pages:
    129 MB against 88 MB reopened every 50), and reopening costs a few milliseconds."""

    def __init__(self, doc, data: bytes, password: str):
        self.doc, self.data, self.password, self.read = doc, data, password, 0

    def next_page(self):
        """The document to read the next page from."""
        if self.read and self.read % S.pdfium_reopen_pages == 0:
            from planscope.extractors.pdf.engine_pdfium import open_document

            self.close()
            self.doc = open_document(self.data, self.password)
        self.read += 1
        return self.doc

    def close(self) -> None:
        if self.doc is not None:
            try:
                self.doc.close()
            except Exception:
                pass
            self.doc = None


def read_page(page, pno: int, fast=None) -> PageData:
    """One page: with pdfium when ``fast`` (the pdfium document) is given and its engine models the
    page, else with pdfplumber (colours then given as pdfium gives them, RGB, so that pages of both
    engines compare and a grey black and an RGB black are one ink)."""
    if fast is not None:
        from planscope.extractors.pdf.engine_pdfium import read_page as read_pdfium

        try:
            pd = read_pdfium(fast, pno - 1, pno)
        except PageTimeout:
            raise
        except Exception:  # a page the pdfium engine trips on is read by pdfplumber
            pd = None
        if pd is not None:
            return pd
    pd = engine_plumber.read_page(page, pno)
    for l in pd.lines:
        l.color = to_rgb(l.color)
    return pd


def extract_pdf(data: bytes, source: str, password: str = "", *, time_limit: float | None = None,
                max_pages: int | None = None, ocr: bool = True) -> Extraction:
    """Bytes of a PDF → blocks in reading order and a status; never raises for bad input."""
    limit = S.time_limit if time_limit is None else time_limit
    cap = S.max_pages if max_pages is None else max_pages
    deadline = time.monotonic() + limit
    ex = Extraction(source=source, media_type="application/pdf", extractor=NAME,
                    extractor_version=EXTRACTOR_VERSION)
    try:
        return _extract(data, password, deadline, limit, cap, ocr, ex)
    except RecursionError:
        ex.blocks = []
        ex.status, ex.reason = FAILED, "document structure nested too deeply (recursion limit)"
    except MemoryError:
        ex.blocks = []
        ex.status, ex.reason = FAILED, "out of memory while reading the PDF"
    except PageTimeout:
        ex.blocks = []
        ex.status, ex.reason = FAILED, f"time limit of {limit:g} s reached while opening the PDF"
    except Exception as exc:  # a last safety net: a status, never a traceback
        ex.blocks = []
        ex.status, ex.reason = FAILED, f"unreadable PDF: {exc_msg(exc)}"[:MAX_MESSAGE]
    return ex


def _is_password_error(exc: BaseException, msg: str) -> bool:
    """Whether opening failed for want of the right password."""
    try:
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover
        PDFPasswordIncorrect = ()  # type: ignore
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return isinstance(exc, PDFPasswordIncorrect) or isinstance(inner, PDFPasswordIncorrect) or \
        "password" in msg.lower()


def _open_failed(exc: Exception, data: bytes, password: str, ex: Extraction, deadline: float, cap: int) -> Extraction:
    """Status of a file pdfplumber cannot open: encrypted, or read by the pdfium fallback, or failed."""
    msg = exc_msg(exc)
    if _is_password_error(exc, msg):
        ex.status = ENCRYPTED
        ex.reason = ("encrypted PDF: wrong password" if password else
                     "encrypted PDF: a password is required (the empty password was refused)")
        return ex
    if "crypt" in msg.lower() or "encrypt" in msg.lower():
        if pdfium_fallback(data, password, ex, deadline, cap, f"encryption not supported by pdfminer ({msg})"):
            return ex
        ex.status, ex.reason = ENCRYPTED, f"encrypted PDF the parser cannot decrypt: {msg}"[:MAX_MESSAGE]
        return ex
    if pdfium_fallback(data, password, ex, deadline, cap, f"layout parser failed ({msg})"):
        return ex
    ex.status, ex.reason = FAILED, f"unreadable PDF: {msg}"[:MAX_MESSAGE]
    return ex


def _read_pages(pdf, n: int, cap: int, fast, deadline: float, ex: Extraction) -> tuple[list[PageData], int | None]:
    """Pages read one at a time and closed after use (pdfplumber caches ~6 MB a page); a page that
    raises goes to ``ex.page_errors``. (pages, index of the page the time limit stopped at)."""
    pages: list[PageData] = []
    for i in range(min(n, cap)):
        if i and time.monotonic() > deadline:
            return pages, i
        page = None
        try:
            page = pdf.pages[i]
            with alarm(deadline):
                pages.append(read_page(page, i + 1, fast.next_page() if fast is not None else None))
        except PageTimeout:
            return pages, i
        except Exception as exc:
            if isinstance(exc.args[0] if exc.args else None, PageTimeout):  # wrapped by pdfplumber
                return pages, i
            ex.page_errors.append(f"page {i + 1}: {exc_msg(exc)}"[:MAX_PAGE_ERROR])
        finally:
            if page is not None:
                try:
                    page.close()
                except Exception:
                    pass
    return pages, None


def _extract(data, password, deadline, limit, cap, do_ocr, ex: Extraction) -> Extraction:
    """``extract_pdf`` without its safety net: open, read the pages, OCR, clean up, build the blocks."""
    import pdfplumber

    try:
        with alarm(deadline):
            pdf = pdfplumber.open(io.BytesIO(data), password=password)
    except PageTimeout:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        return _open_failed(exc, data, password, ex, deadline, cap)
    fast = None
    try:
        try:
            meta = pdf.metadata or {}
        except Exception:
            meta = {}
        ex.title = meta_str(meta.get("Title"))
        ex.author = meta_str(meta.get("Author"))
        ex.published = pdf_date(meta.get("CreationDate")) or pdf_date(meta.get("ModDate"))
        try:
            with alarm(deadline):
                n = len(pdf.pages)
        except PageTimeout:
            raise
        except Exception as exc:
            if pdfium_fallback(data, password, ex, deadline, cap, f"page tree unreadable ({exc_msg(exc)})"):
                return ex
            ex.status, ex.reason = FAILED, f"page tree unreadable: {exc_msg(exc)}"[:MAX_MESSAGE]
            return ex
        if n == 0:
            if pdfium_fallback(data, password, ex, deadline, cap, "pdfminer found no page"):
                return ex
            ex.status, ex.reason = FAILED, "no pages found"
            return ex
        ex.pages = n
        bookmarks = outline(pdf)
        doc = _fast_document(data, password, n)
        fast = FastDocument(doc, data, password) if doc is not None else None
        pages, timed_out_at = _read_pages(pdf, n, cap, fast, deadline, ex)
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
    ocr_note = _ocr(data, password, pages, deadline, do_ocr, ex)
    text = " ".join(l.text for p in pages for l in p.lines)
    ratio = cid_ratio(text)
    if text and ratio > S.cid_unreadable:
        ex.status = UNREADABLE_TEXT
        ex.reason = f"fonts without a Unicode mapping: {ratio:.0%} of the text comes out as (cid:N)"
        return ex
    if ratio:
        ex.warnings.append(f"{ratio:.1%} of the text is (cid:N) glyphs without Unicode, dropped")
    running = drop_furniture(pages)
    ex.context.extend(t for t in running[:S.max_running_context] if any(ch.isalpha() for ch in t))
    toc = drop_toc(pages)
    if toc:
        ex.warnings.append(f"table of contents dropped on page(s) {', '.join(map(str, toc))}")
    dropped = sum(p.dropped_rotated for p in pages), sum(p.dropped_vertical for p in pages)
    if dropped[0] or dropped[1]:
        ex.warnings.append(f"{dropped[0]} rotated/mirrored and {dropped[1]} vertical decorative characters dropped")
    ex.blocks = to_blocks(pages, ex.source, bookmarks)
    _set_status(ex, pages, n, cap, limit, timed_out_at, ocr_note, dropped)
    return ex


def _ocr(data: bytes, password: str, pages: list[PageData], deadline: float, do_ocr: bool,
         ex: Extraction) -> str | None:
    """OCR the pages the policy picks (``ocr.choose``), record every image-only page in ``ex.ocr``;
    a note on what was done, or None when no page is image-only."""
    todo, left = ocr.choose(pages)
    if not todo and not left:
        return None
    note = None
    if left:
        note = "OCR not run: picture pages of a document with a text layer"
    if todo and not do_ocr:
        note, left = "OCR disabled", left + [ocr.PageOcr(p.pno, False, ocr.DISABLED, p.text_chars) for p in todo]
    elif todo:
        note, done = ocr.ocr_pages(data, password, todo, deadline)
        left = left + done
    ex.ocr = [r.to_dict() for r in sorted(left, key=lambda r: r.page)]
    return note


def _set_status(ex: Extraction, pages: list[PageData], n: int, cap: int, limit: float, timed_out_at: int | None,
                ocr_note: str | None, dropped: tuple[int, int]) -> None:
    """Status and reason from what was read: partial (time limit, page cap, failed pages, pages
    left unread as images), needs_ocr, failed (nothing read), else ok."""
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
            ex.warnings.append(note + f": pages {', '.join(map(str, still_scanned[:MAX_SCANNED_LISTED]))}")
    if not ex.blocks:
        if still_scanned and not ex.page_errors:
            ex.status = NEEDS_OCR
            ex.reason = f"{len(still_scanned)} image-only page(s) and no text layer: OCR needed ({ocr_note})"
        elif ex.page_errors and not pages:
            ex.status, ex.reason = FAILED, f"every page failed: {ex.page_errors[0]}"[:MAX_MESSAGE]
        elif timed_out_at is not None:
            ex.status, ex.reason = PARTIAL, "; ".join(reasons)
        elif dropped[0] or dropped[1]:
            ex.status = FAILED
            ex.reason = (f"no upright text: {dropped[0]} rotated/mirrored and {dropped[1]} vertical "
                         "characters were dropped as decoration")
        else:
            ex.status, ex.reason = FAILED, "no text found on any page"
    elif reasons:
        ex.status, ex.reason = PARTIAL, "; ".join(reasons)[:MAX_MESSAGE]
