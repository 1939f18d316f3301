"""One page read with pdfium: the same words, lines and ruled tables as the pdfplumber engine, at a
fraction of the cost (pdfminer parses a page in ~100 ms, pdfium in ~1 ms).

Words come from ``pdfium_text``, tables from ``pdfium_tables`` (pdfplumber's TableFinder on pdfium's
edges, only on a page with a line or rect); overprinted copies are dropped by the shared ``dedupe``
and the page is finished by the shared ``finish_page``; a line that looks letter-spaced gets its
words rebuilt from the boxes of its own glyphs (the only place where every char box of a word is read).

Whatever this engine does not model returns ``None`` and the page is read by pdfplumber instead:
rotated/mirrored/skewed text, a rotated page or one whose media box does not start at 0,0 or
differs from its crop box, text pdfium could not map to Unicode (pdfminer's ``(cid:N)``), and a
text layer whose character indices do not line up with its text (surrogate pairs).
"""
from __future__ import annotations

from planscope.extractors.pdf.lines import finish_page
from planscope.extractors.pdf.model import PageData, dedupe
from planscope.extractors.pdf.pdfium_api import NotModelled
from planscope.extractors.pdf.pdfium_graphics import graphics_to_edges, page_graphics
from planscope.extractors.pdf.pdfium_tables import find_tables
from planscope.extractors.pdf.pdfium_text import PdfiumText, space_between, words_of
from planscope.extractors.pdf.settings import SETTINGS as S


def open_document(data: bytes, password: str = ""):
    """A pdfium document for this engine, or None (the caller then uses pdfplumber only)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password=password or None)
    except Exception:
        return None


def _plain_geometry(page) -> tuple[float, float] | None:
    """(width, height) of an unrotated page whose media box starts at 0,0 and equals its crop box."""
    if page.get_rotation() % 360:
        return None
    mb = page.get_mediabox()
    cb = page.get_cropbox()
    eps = S.box_eps
    if abs(mb[0]) > eps or abs(mb[1]) > eps or any(abs(u - v) > eps for u, v in zip(mb, cb)):
        return None
    return mb[2] - mb[0], mb[3] - mb[1]


def _off_page(words: list[dict], width: float, height: float) -> bool:
    """Whether some word crosses the page edge (pdfplumber drops such text char by char)."""
    m = S.page_margin
    return any(w["x0"] < -m or w["x1"] > width + m or w["top"] < -m or w["bottom"] > height + m for w in words)


def read_page(doc, index: int, pno: int) -> PageData | None:
    """PageData for page index (0-based) read with pdfium, or None when the page needs pdfplumber."""
    page = doc[index]
    tx = None
    try:
        geometry = _plain_geometry(page)
        if geometry is None:
            return None
        width, height = geometry
        pd = PageData(pno=pno, width=float(width), height=float(height))
        tx = PdfiumText(page.raw, height)
        try:
            words = words_of(tx)
        except NotModelled:
            return None
        if tx.rotated > tx.upright:
            return None  # a page turned on its side: pdfplumber's engine turns it
        pd.dropped_rotated = tx.rotated
        if _off_page(words, width, height):
            return None
        words = dedupe(words)
        table_boxes = []
        images = None
        if words:
            lines, rects, curves, images = page_graphics(page.raw, height)
            if lines or rects:
                try:
                    pd.tables = find_tables(tx, words, graphics_to_edges(lines, rects, curves),
                                            (0.0, 0.0, float(width), float(height)))
                except NotModelled:
                    return None
                table_boxes = [bb for _, bb in pd.tables]

        def has_images() -> bool:
            return bool(images if images is not None else page_graphics(page.raw, height)[3])

        finish_page(pd, words, table_boxes, lambda w: tx.char_dicts(*w["_span"]),
                    lambda a, b: space_between(tx, a, b), has_images)
        return pd
    finally:
        if tx is not None:
            tx.close()
        page.close()
