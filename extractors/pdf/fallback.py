"""A PDF pdfminer cannot read at all, read again as plain text per page with pdfium (no layout)."""
from __future__ import annotations

import re
import time

from planscope.extractors.blocks import (ENCRYPTED, FAILED, NEEDS_OCR, PARAGRAPH, PARTIAL, Block, BlockStyle,
                                         Extraction)
from planscope.extractors.hygiene import clean_text, join_lines
from planscope.extractors.pdf.assemble import NAME
from planscope.extractors.pdf.cleanup import CID_RE
from planscope.extractors.pdf.guard import MAX_MESSAGE, exc_msg
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.version import EXTRACTOR_VERSION

IMAGE_OBJECT = 3  # pdfium's FPDF_PAGEOBJ_IMAGE
MAX_PAGE_ERROR = 200  # characters of a page error kept


def _page_text(doc, i: int) -> tuple[str, bool]:
    """(text of page i, whether it shows an image while holding almost no text)."""
    page = doc[i]
    try:
        tp = page.get_textpage()
        text = tp.get_text_range()
        tp.close()
        image = len(text.strip()) < S.min_chars_per_page and \
            any(True for _ in page.get_objects(filter=[IMAGE_OBJECT], max_depth=2))
    finally:
        page.close()
    return text, image


def _paragraphs(text: str) -> list[str]:
    """A page's plain text cut at blank lines, wrapped lines joined."""
    out = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        para = join_lines([l.strip() for l in para.split("\n") if l.strip()])
        para = clean_text(CID_RE.sub("", para))
        if para:
            out.append(para)
    return out


def pdfium_fallback(data: bytes, password: str, ex: Extraction, deadline: float, cap: int, why: str) -> bool:
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
            ex.reason = f"encrypted PDF: a password is required ({why})"[:MAX_MESSAGE]
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
                text, image = _page_text(doc, i)
            except Exception as exc:
                ex.page_errors.append(f"page {i + 1}: {exc_msg(exc)}"[:MAX_PAGE_ERROR])
                continue
            images += image
            done += 1
            for para in _paragraphs(text):
                blocks.append(Block(kind=PARAGRAPH, text=para, page=i + 1, source=ex.source, extractor=NAME,
                                    extractor_version=EXTRACTOR_VERSION, style=BlockStyle(fallback="pdfium")))
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
        ex.reason = f"{why}; plain text of {done} of {n} page(s) read with pdfium, no layout"[:MAX_MESSAGE]
    elif images:
        ex.status = NEEDS_OCR
        ex.reason = f"{images} image-only page(s) and no text layer: OCR needed ({why})"[:MAX_MESSAGE]
    else:
        ex.status = FAILED
        ex.reason = f"{why}; pdfium found {n} page(s) but no text"[:MAX_MESSAGE]
    return True
