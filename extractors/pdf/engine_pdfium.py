"""One page read with pdfium: the same words, lines and ruled tables as the pdfplumber engine, at a
fraction of the cost (pdfminer parses a page in ~100 ms, pdfium in ~1 ms).

Words come from ``pdfium_text``, tables from ``pdfium_tables`` (pdfplumber's TableFinder on pdfium's
edges, only on a page with a line or rect); overprinted copies are dropped by the shared ``dedupe``
and the page is finished by the shared ``finish_page``; on a page whose crop box is smaller than
its media box, both engines read only what the crop box shows (a viewer shows nothing else: the rest
is printer's marks and slug lines); a line that looks letter-spaced gets its
words rebuilt from the boxes of its own glyphs (the only place where every char box of a word is read).

Whatever this engine does not model returns ``None`` and the page is read by pdfplumber instead:
rotated/mirrored/skewed text, a rotated page or one whose media box does not start at 0,0, a word
astride the crop box's edge, text pdfium could not map to Unicode (pdfminer's ``(cid:N)``), and a
text layer whose character indices do not line up with its text (surrogate pairs).
"""
from __future__ import annotations

from pdfplumber.utils import crop_to_bbox

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


def _plain_geometry(page) -> tuple[float, float, tuple | None] | None:
    """(width, height, visible box) of an unrotated page whose media box starts at 0,0; the visible
    box is the crop box (top-based, within the page) when it is smaller than the page, else None."""
    if page.get_rotation() % 360:
        return None
    mb = page.get_mediabox()
    eps = S.box_eps
    if abs(mb[0]) > eps or abs(mb[1]) > eps:
        return None
    width, height = mb[2] - mb[0], mb[3] - mb[1]
    cb = page.get_cropbox()
    if all(abs(u - v) <= eps for u, v in zip(mb, cb)):
        return width, height, None
    box = (max(0.0, cb[0]), max(0.0, height - cb[3]), min(width, cb[2]), min(height, height - cb[1]))
    return width, height, box


def _off_page(words: list[dict], width: float, height: float) -> bool:
    """Whether some word crosses the page edge (pdfplumber drops such text char by char)."""
    m = S.page_margin
    return any(w["x0"] < -m or w["x1"] > width + m or w["top"] < -m or w["bottom"] > height + m for w in words)


def _in_box(words: list[dict], box) -> list[dict] | None:
    """The words inside the visible box (their middle in it, as pdfplumber keeps chars), or None
    when a word straddles the box's edge (pdfplumber would cut it char by char)."""
    m = S.page_margin
    x0, top, x1, bottom = box[0] - m, box[1] - m, box[2] + m, box[3] + m
    kept = []
    for w in words:
        inside = w["x0"] >= x0 and w["x1"] <= x1 and w["top"] >= top and w["bottom"] <= bottom
        outside = w["x1"] < x0 or w["x0"] > x1 or w["bottom"] < top or w["top"] > bottom
        if not inside and not outside:
            return None
        if inside:
            kept.append(w)
    return kept


def read_page(doc, index: int, pno: int) -> PageData | None:
    """PageData for page index (0-based) read with pdfium, or None when the page needs pdfplumber."""
    page = doc[index]
    tx = None
    try:
        geometry = _plain_geometry(page)
        if geometry is None:
            return None
        width, height, box = geometry
        pd = PageData(pno=pno, width=float(width), height=float(height))
        tx = PdfiumText(page.raw, height)
        try:
            words = words_of(tx)
        except NotModelled:
            return None
        if tx.rotated > tx.upright:
            return None  # a page turned on its side: pdfplumber's engine turns it
        pd.dropped_rotated = tx.rotated
        if box is not None:  # a crop box: what lies outside it (printer's marks, slug lines) is not shown
            words = _in_box(words, box)
            if words is None:
                return None
        if _off_page(words, width, height):
            return None
        words = dedupe(words)
        table_boxes = []
        images = None
        if words:
            lines, rects, curves, images = page_graphics(page.raw, height)
            if box is not None:  # clipped as pdfplumber's Page.crop clips them
                lines, rects, curves = (crop_to_bbox(objs, box) for objs in (lines, rects, curves))
            if lines or rects:
                try:
                    pd.tables = find_tables(tx, words, graphics_to_edges(lines, rects, curves),
                                            box or (0.0, 0.0, float(width), float(height)))
                except NotModelled:
                    return None
                table_boxes = [bb for _, bb in pd.tables]

        def has_images() -> bool:
            return bool(images if images is not None else page_graphics(page.raw, height)[3])

        finish_page(pd, words, table_boxes, lambda w: tx.char_dicts(*w["_span"]),
                    lambda a, b: space_between(tx, a, b), has_images)
        if box is not None and pd.image_only:
            return None  # pictures are counted on the whole page, pdfplumber counts those in the crop box
        return pd
    finally:
        if tx is not None:
            tx.close()
        page.close()
