"""Image-only pages read with Tesseract (French) when the binary and the ``fra`` data are installed."""
from __future__ import annotations

import time

from planscope.extractors.pdf.guard import exc_msg
from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.pdf.settings import SETTINGS as S

POINTS_PER_INCH = 72
MIN_TIME_LEFT = 1  # seconds: with less left, no page is OCRed
DEFAULT_TIMEOUT = 60  # seconds Tesseract may spend on one page when no deadline is given
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


def ocr_pages(data: bytes, password: str, pages: list[PageData], deadline: float) -> str:
    """OCR the given pages in place (their lines replaced, ``ocr`` set); a note on what was done."""
    ok, why = ocr_available()
    if not ok:
        return f"OCR unavailable: {why}"
    try:
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(data, password=password or None)
    except Exception as exc:
        return f"OCR failed: cannot render ({exc_msg(exc)})"
    done = 0
    try:
        for pd in pages:
            remaining = deadline - time.monotonic()
            if remaining <= MIN_TIME_LEFT:
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


def ocr_page_lines(doc, pno: int, timeout: float = DEFAULT_TIMEOUT) -> list[Line]:
    """Render one page with pdfium and read it with Tesseract (French); lines in PDF points."""
    import pytesseract

    page = doc[pno - 1]
    try:
        scale = S.ocr_dpi / POINTS_PER_INCH
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
