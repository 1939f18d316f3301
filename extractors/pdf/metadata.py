"""What a PDF says about itself: the document information (title, author, dates) and the outline
(bookmarks) with the page each entry points to."""
from __future__ import annotations

import re

from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.pdf.settings import SETTINGS as S

PDF_DATE_RE = re.compile(r"^(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?")


def pdf_date(value) -> str | None:
    """PDF date "D:20251128091400-05'00" → "2025-11-28" (None when it does not read as a date)."""
    m = PDF_DATE_RE.match(meta_str(value) or "")
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def meta_str(value) -> str | None:
    """A document information value as clean text (None when empty or not text)."""
    try:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "ignore")
        return clean_text(value) if isinstance(value, str) and value.strip() else None
    except Exception:
        return None


def outline(pdf) -> list[tuple[int, str, int | None]]:
    """(level, title, page number or None) of the document outline (bookmarks) of a pdfplumber PDF."""
    try:
        doc = pdf.doc
        pageno = {}
        for i, p in enumerate(pdf.pages[:S.max_pages]):
            pageno[p.page_obj.pageid] = i + 1
        out = []
        for item in doc.get_outlines():
            level, title, dest, action = item[0], item[1], item[2], item[3]
            if not title:
                continue
            title = one_line(clean_text(title if isinstance(title, str) else str(title)))
            out.append((int(level), title, _dest_page(doc, dest, action, pageno)))
            if len(out) > S.outline_max_entries:
                break
        return out
    except Exception:
        return []


def _dest_page(doc, dest, action, pageno) -> int | None:
    """The page number a bookmark's destination (or GoTo action) points to."""
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
