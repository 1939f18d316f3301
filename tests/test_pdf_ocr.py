"""The OCR policy (extractors/pdf/ocr.py): a document with a text layer gets no OCR on its picture
pages, a scanned document is read, every image-only page is recorded with why, the budget holds,
and Tesseract subprocesses run side by side up to the worker setting."""
from __future__ import annotations

import io
import threading
import time

import pytest

pytest.importorskip("reportlab")

from planscope.extractors.blocks import OK, PARTIAL  # noqa: E402
from planscope.extractors.pdf import extract_pdf, ocr  # noqa: E402
from planscope.extractors.pdf.model import Line, PageData  # noqa: E402

import pdf_factory as F  # noqa: E402


def text_page(n: int):
    def draw(c):
        F.text(c, 72, 60, f"Chapitre {n}", F.BOLD, 14)
        F.lines(c, 72, 100, F.wrap(F.LOREM * 2, 90))
    return draw


def caption_page(c):
    """A map: one picture and a short caption in the text layer."""
    F.image_page(c)
    F.text(c, 72, 780, "Carte", size=8)


def fake_read(img, pno, scale, timeout=60):
    return [Line(text=f"Texte lu sur la page numérisée {pno}", x0=72, top=100, x1=400, bottom=112, size=12,
                 bold=False, color=None, page=pno, chars=40)]


def refuse(*a, **k):
    raise AssertionError("OCR must not run on this document")


def test_picture_pages_of_a_text_document_get_no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: (True, ""))
    monkeypatch.setattr(ocr, "read_image", refuse)
    pdf = F.build([text_page(1), F.image_page, text_page(2), caption_page, text_page(3)])
    ex = extract_pdf(pdf, "texte-avec-cartes.pdf")
    assert ex.status == OK
    assert ex.ocr == [{"page": 2, "ocr": False, "reason": ocr.NO_TEXT_LAYER, "chars": 0},
                      {"page": 4, "ocr": False, "reason": ocr.PICTURE, "chars": 5}]
    assert any("picture pages of a document with a text layer" in w for w in ex.warnings)


def test_a_scanned_document_is_read_and_each_page_says_why(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: (True, ""))
    monkeypatch.setattr(ocr, "read_image", fake_read)
    cover = lambda c: F.text(c, 72, 100, "Plan stratégique 2024-2028 de la commune", F.BOLD, 16)  # noqa: E731
    ex = extract_pdf(F.build([cover, F.image_page, F.image_page]), "scan.pdf")
    assert ex.status == OK
    assert [(r["page"], r["ocr"], r["reason"]) for r in ex.ocr] == [(2, True, ocr.SCANNED), (3, True, ocr.SCANNED)]
    assert "Texte lu sur la page numérisée 3" in [b.text for b in ex.blocks]


def test_ocr_disabled_is_recorded_per_page():
    ex = extract_pdf(F.build([F.image_page]), "scan.pdf", ocr=False)
    assert ex.ocr == [{"page": 1, "ocr": False, "reason": ocr.DISABLED, "chars": 0}]


def test_pages_over_the_budget_are_recorded(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: (True, ""))
    monkeypatch.setattr(ocr, "read_image", refuse)
    pages = [PageData(pno=1, width=595, height=842, image_only=True), PageData(pno=2, width=595, height=842,
                                                                                image_only=True)]
    note, done = ocr.ocr_pages(F.build([F.image_page, F.image_page]), "", pages, time.monotonic() + 60, budget=0)
    assert [(r.page, r.ocr, r.reason) for r in done] == [(1, False, ocr.OVER_BUDGET), (2, False, ocr.OVER_BUDGET)]
    assert "budget" in note and not any(p.ocr for p in pages)


def test_a_scan_left_unread_over_the_budget_is_partial(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: (True, ""))
    calls = []

    def first_only(img, pno, scale, timeout=60):
        if calls:
            raise RuntimeError("Tesseract process timeout")
        calls.append(pno)
        return fake_read(img, pno, scale)

    monkeypatch.setattr(ocr, "read_image", first_only)
    monkeypatch.setenv(ocr.WORKERS_ENV, "1")
    ex = extract_pdf(F.build([F.image_page] * 3), "scan.pdf")
    assert ex.status == PARTIAL
    assert [r["reason"] for r in ex.ocr] == [ocr.SCANNED, ocr.OVER_BUDGET, ocr.OVER_BUDGET]


def test_tesseract_runs_side_by_side_up_to_the_worker_setting(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: (True, ""))
    monkeypatch.setattr(ocr.os, "cpu_count", lambda: 4)
    monkeypatch.setenv(ocr.WORKERS_ENV, "2")
    lock, now, peak = threading.Lock(), [0], [0]

    def slow_read(img, pno, scale, timeout=60):
        with lock:
            now[0] += 1
            peak[0] = max(peak[0], now[0])
        time.sleep(0.2)  # long enough for the next page to be rendered and started
        with lock:
            now[0] -= 1
        return fake_read(img, pno, scale)

    monkeypatch.setattr(ocr, "read_image", slow_read)
    ex = extract_pdf(F.build([F.image_page] * 4), "scan.pdf")
    assert ex.status == OK and all(r["ocr"] for r in ex.ocr)
    assert peak[0] == 2


def scanned_pdf(sentences: list[str]) -> bytes:
    """A real scan: text pages drawn by reportlab, rendered by pdfium at 200 dpi and put back as
    pictures in a PDF without any text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    def draw(c):
        top = 90
        for s in sentences:
            F.text(c, 72, top, s, size=14)
            top += 30

    src = pdfium.PdfDocument(F.build([draw]))
    img = src[0].render(scale=200 / 72, grayscale=True).to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG")

    def page(c):
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=F.WIDTH, height=F.HEIGHT)
    return F.build([page])


def test_real_tesseract_reads_a_scanned_french_page():
    ok, why = ocr.ocr_available()
    if not ok:
        pytest.skip(why)
    ex = extract_pdf(scanned_pdf(["Axe 1 : Développer la mobilité douce", "Aménager des pistes cyclables sécurisées",
                                  "Soutenir les commerces de proximité"]), "scan.pdf")
    assert ex.status == OK and ex.ocr[0]["ocr"] and ex.ocr[0]["reason"] == ocr.SCANNED
    text = " ".join(b.text for b in ex.blocks)
    assert "mobilité" in text and "cyclables" in text and "commerces" in text
    assert all(b.style.ocr for b in ex.blocks)
