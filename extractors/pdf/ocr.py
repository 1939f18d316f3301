"""OCR policy and Tesseract (French): which image-only pages are read from their picture, and how.

The policy (``choose``): OCR is for documents without a usable text layer. A document in which more
than ``ocr_text_layer_share`` of the pages that show anything carry a text layer has one; its
image-only pages are maps, photos and covers, and get no OCR: the structurer skips OCR text when
OCR'd pages are a minority (``pipeline/structure/region.py``, ``OCR_FIGURE_SHARE``), so reading
them would only cost time (3-4 s a page). Every image-only page is recorded with whether it was
OCR'd and why (``PageOcr``).

The reading (``ocr_pages``): pages rendered one at a time with pdfium in this thread (pdfium is not
thread-safe), each sent to a Tesseract subprocess; up to ``ocr_workers`` subprocesses run at once
(a bounded pool of threads that only wait on their subprocess, so the pool needs no process of its
own and stops with the document), under a per-document budget (``ocr_budget``) and the document's
deadline; pages left when the budget is spent are recorded as over budget.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass

from planscope.extractors.pdf.guard import exc_msg
from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.pdf.settings import SETTINGS as S

POINTS_PER_INCH = 72
MIN_TIME_LEFT = 1  # seconds: with less left, no page is OCRed
DEFAULT_TIMEOUT = 60  # seconds Tesseract may spend on one page when no deadline is given
WORKERS_ENV = "PLANSCOPE_OCR_WORKERS"  # Tesseract subprocesses at once (a flow running N documents at once sets 1)
_OCR_STATE: dict[str, object] = {}

# Why a page was, or was not, OCR'd (the codes of ``PageOcr.reason``).
SCANNED = "scanned_document"  # OCR'd: the document has no usable text layer
PICTURE = "picture_in_text_document"  # not OCR'd: a picture page (map, photo, cover) with a little text
NO_TEXT_LAYER = "no_text_layer"  # not OCR'd: a page without any character, in a document with a text layer
OVER_BUDGET = "over_budget"  # not OCR'd: the document's OCR budget or time limit was spent
UNAVAILABLE = "ocr_unavailable"  # not OCR'd: no tesseract or no French data
DISABLED = "ocr_disabled"
FAILED = "ocr_failed"  # tesseract or rendering failed on the page
NO_TEXT_FOUND = "ocr_found_no_text"


@dataclass
class PageOcr:
    """What happened to one image-only page: OCR'd or not, why, and its text layer's characters."""

    page: int
    ocr: bool
    reason: str
    chars: int = 0
    seconds: float | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def has_text_layer(pages: list[PageData]) -> bool:
    """Whether the document carries a text layer on more than ``ocr_text_layer_share`` of the
    pages that show text or images (blank pages do not vote)."""
    images = sum(p.image_only for p in pages)
    text = sum(1 for p in pages if not p.image_only and (p.lines or p.tables))
    return text > S.ocr_text_layer_share * (text + images)


def choose(pages: list[PageData]) -> tuple[list[PageData], list[PageOcr]]:
    """(image-only pages to OCR, the pages left alone with their reason) under the module's policy."""
    scanned = [p for p in pages if p.image_only]
    if not scanned or not has_text_layer(pages):
        return scanned, []
    return [], [PageOcr(p.pno, False, NO_TEXT_LAYER if not p.text_chars else PICTURE, p.text_chars) for p in scanned]


def workers() -> int:
    """Tesseract subprocesses run at once: ``$PLANSCOPE_OCR_WORKERS``, else ``ocr_workers``, never
    more than the machine's cores."""
    try:
        n = int(os.environ.get(WORKERS_ENV, "") or S.ocr_workers)
    except ValueError:
        n = S.ocr_workers
    return max(1, min(n, os.cpu_count() or 1))


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


def ocr_pages(data: bytes, password: str, pages: list[PageData], deadline: float,
              budget: float | None = None) -> tuple[str, list[PageOcr]]:
    """OCR the given pages in place (their lines replaced, ``ocr`` set): a note on what was done
    and one ``PageOcr`` per page."""
    ok, why = ocr_available()
    if not ok:
        return f"OCR unavailable: {why}", [PageOcr(p.pno, False, UNAVAILABLE, p.text_chars) for p in pages]
    try:
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(data, password=password or None)
    except Exception as exc:
        return (f"OCR failed: cannot render ({exc_msg(exc)})",
                [PageOcr(p.pno, False, FAILED, p.text_chars) for p in pages])
    # Tesseract's OpenMP threads spin against each other and against the pool: one thread per
    # subprocess reads a page with a third of the CPU (measured: 1.1 against 3.5-6 CPU-seconds).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    end = min(deadline, time.monotonic() + (S.ocr_budget if budget is None else budget))
    try:
        done = _run(doc, pages, end)
    finally:
        doc.close()
    n = sum(r.ocr for r in done)
    late = sum(r.reason == OVER_BUDGET for r in done)
    note = f"{n} of {len(pages)} page(s) OCRed with tesseract (fra)"
    return (note + f", {late} left over the OCR budget" if late else note), done


def _run(doc, pages: list[PageData], end: float) -> list[PageOcr]:
    """Render each page here and read it in a pool of ``workers()`` threads, each waiting on its
    own Tesseract subprocess; pages not started before ``end`` are over budget."""
    results: dict[int, PageOcr] = {}
    running: dict[Future, tuple[PageData, float]] = {}
    n = workers()
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="tesseract") as pool:
        for pd in pages:
            while len(running) >= n:  # at most this many rendered pages in memory
                _collect(running, results, FIRST_COMPLETED)
            left = end - time.monotonic()
            if left <= MIN_TIME_LEFT:
                results[pd.pno] = PageOcr(pd.pno, False, OVER_BUDGET, pd.text_chars)
                continue
            try:
                img, scale = render(doc, pd.pno)
            except Exception:
                results[pd.pno] = PageOcr(pd.pno, False, FAILED, pd.text_chars)
                continue
            running[pool.submit(read_image, img, pd.pno, scale, left)] = (pd, time.monotonic())
        while running:
            _collect(running, results, FIRST_COMPLETED)
    return [results[p.pno] for p in pages]


def _collect(running: dict, results: dict, how) -> None:
    """Wait for finished Tesseract runs and fill their pages."""
    finished, _ = wait(list(running), return_when=how)
    for fut in finished:
        pd, t0 = running.pop(fut)
        secs = round(time.monotonic() - t0, 2)
        try:
            lines = fut.result()
        except Exception as exc:  # a timeout is the budget's; anything else is a failure
            late = "timeout" in str(exc).lower()
            results[pd.pno] = PageOcr(pd.pno, False, OVER_BUDGET if late else FAILED, pd.text_chars, secs)
            continue
        if lines:
            pd.lines, pd.ocr, pd.image_only = lines, True, False
        results[pd.pno] = PageOcr(pd.pno, bool(lines), SCANNED if lines else NO_TEXT_FOUND, pd.text_chars, secs)


def render(doc, pno: int):
    """(greyscale image of page pno at ``ocr_dpi``, pixels per point): Tesseract reads grey, and a
    grey image is a third of the bytes to write for it."""
    page = doc[pno - 1]
    try:
        scale = S.ocr_dpi / POINTS_PER_INCH
        return page.render(scale=scale, grayscale=True).to_pil(), scale
    finally:
        page.close()


def read_image(img, pno: int, scale: float, timeout: float = DEFAULT_TIMEOUT) -> list[Line]:
    """Tesseract (French, page segmentation ``ocr_psm``) on a page image; lines in PDF points."""
    import pytesseract

    d = pytesseract.image_to_data(img, lang="fra", config=f"--psm {S.ocr_psm}",
                                  output_type=pytesseract.Output.DICT, timeout=max(1, int(timeout)))
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
