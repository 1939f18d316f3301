"""PDF fast path (issue 9): pdfium + pdfplumber's table finder on pdfium edges must give the same
blocks and the same plan records as the pdfplumber-only engine (PLANSCOPE_PDF_ENGINE)."""
from __future__ import annotations

import glob
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pypdfium2")

from planscope.extractors import pdf as pdfmod  # noqa: E402
from planscope.extractors.pdf import engine_plumber  # noqa: E402
from planscope.extractors.pdf import extract_pdf  # noqa: E402

import pdf_factory as F  # noqa: E402

import plan_inputs as make_inputs  # noqa: E402 - the benchmark's plan PDFs (tests/plan_inputs.py)

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw" / "samples"  # the vendored dev PDFs


def _key(b):
    t = b.table
    return (b.kind, b.text, b.level, b.marker, b.ordered, b.list_id, b.page,
            (t.table_id, t.row, t.col, t.colspan, t.is_header, t.header) if t else None,
            b.style.font_size, b.style.bold)


def both(data: bytes, name: str, monkeypatch):
    out = {}
    for engine in ("auto", "pdfplumber"):
        monkeypatch.setenv(pdfmod.ENGINE_ENV, engine)
        out[engine] = extract_pdf(data, name)
    return out["auto"], out["pdfplumber"]


def assert_same(a, p):
    assert (a.status, a.reason, a.pages, a.title) == (p.status, p.reason, p.pages, p.title)
    # pdfium maps some glyphs pdfminer cannot (reportlab's Helvetica bullet, code 127, is "(cid:127)"
    # to pdfminer): the fast path reads them instead of warning about them.
    assert [w for w in a.warnings if "(cid:N)" not in w] == [w for w in p.warnings if "(cid:N)" not in w]
    assert [_key(b) for b in a.blocks] == [_key(b) for b in p.blocks]
    # Boxes agree to a point or so (pdfium's float32 and loose char boxes), except where a glyph
    # pdfminer cannot map gets its real advance width from pdfium (the Helvetica bullet: 3.5 pt).
    for x, y in zip(a.blocks, p.blocks):
        if x.bbox and y.bbox:
            assert max(abs(u - v) for u, v in zip(x.bbox, y.bbox)) <= 4.0, (x.text, x.bbox, y.bbox)


def _text_page(c):
    F.text(c, 72, 30, "Plan stratégique — en-tête courant", size=8)
    F.text(c, 72, 60, "Plan d’action municipal", F.BOLD, 20)
    F.lines(c, 72, 100, F.wrap(F.LOREM, 90))
    F.text(c, 72, 150, "2.1 Mobilité durable")
    F.lines(c, 72, 170, F.wrap(F.LOREM, 90))
    F.text(c, 72, 220, "Section en couleur", F.BODY, 10, color=(0.8, 0.1, 0.1))
    F.lines(c, 72, 240, ["• Réaménager la rue principale", "• Planter 200 arbres dans les parcs",
                         "1. Adopter la politique", "2. Réviser le plan d'urbanisme et le",
                         "   règlement de zonage"])
    F.lines(c, 72, 330, ["Le plan favorise le dévelop-", "pement des quartiers de Saint-", "Nérée et du nord."])
    for dx in (0, 0.3, 0.6):
        F.text(c, 72 + dx, 390, "Texte en gras simulé", F.BODY, 12)
    F.lines(c, 72, 420, F.wrap(F.LOREM, 40))
    F.lines(c, 330, 420, F.wrap(F.LOREM, 40))
    F.text(c, 290, 810, "Page 1", size=8)


def _odd_page(c):
    F.text(c, 72, 60, "Orientation 1 : habiter", F.BOLD, 14)
    F.lines(c, 72, 90, F.wrap(F.LOREM, 90))
    F.rotated(c, 40, 700, "Marge tournée", 90)
    F.mirrored(c, 72, 300, "miroir")
    for k, ch in enumerate("PLAN"):
        F.text(c, 560, 200 + 14 * k, ch, F.BOLD, 12)


def _turned_page(c):
    for k in range(8):
        F.rotated(c, 100 + 20 * k, 700, f"Ligne tournée numéro {k} du plan", 90)


def _cropped_page(c):
    """A printer's page: the crop box inside the media box, a slug line, crop marks and a
    registration circle outside it, a ruled table and text inside."""
    c.setCropBox((40, 40, F.WIDTH - 40, F.HEIGHT - 40))
    F.text(c, 45, 8, "plan-2024_maquette.qxd 12/03/24 10:15 Page 3", size=7)
    for x, y in ((0, 40), (F.WIDTH - 24, 40), (0, F.HEIGHT - 40), (F.WIDTH - 24, F.HEIGHT - 40)):
        c.line(x, y, x + 24, y)
    c.circle(F.WIDTH / 2, 14, 6)
    F.text(c, 72, 70, "Orientation 2 : se déplacer", F.BOLD, 14)
    F.lines(c, 72, 100, F.wrap(F.LOREM, 90))
    rows = [("Action", "Porteur", "Échéance"), ("Créer une piste cyclable", "Service technique", "2025"),
            ("Rénover la gare", "Région", "2026")]
    xs, top = [72, 260, 420, 520], 200
    c.grid(xs, [F.HEIGHT - top - 20 * k for k in range(len(rows) + 1)])
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            F.text(c, xs[k] + 3, top + 20 * r + 5, cell, size=9)


CASES = {
    "plan-8p": lambda: make_inputs.make_plan_pdf(8, seed=3),
    "text": lambda: F.build([_text_page, _text_page]),
    "odd": lambda: F.build([_odd_page]),
    "turned": lambda: F.build([_turned_page]),
    "table": lambda: F.table_pdf([["No", "Action", "Responsable", "Échéance"]] +
                                 [[str(i), f"Action {i} du plan", "Service", str(2024 + i % 4)]
                                  for i in range(1, 80)], repeat_rows=1),
    "merged": lambda: F.table_pdf([["Axe", "Action", "Budget"], ["Axe 1", "Créer un parc", "10 000 $"],
                                   [None, "Rénover la salle", "5 000 $"], ["Axe 2", "Planter", "1 000 $"]],
                                  style_cmds=[("SPAN", (0, 1), (0, 2))]),
    "glyphs": lambda: (FIXTURES / "glyphs.pdf").read_bytes(),
    "outline": lambda: F.build([_text_page], outline=True, title="Plan de développement"),
    "cropped": lambda: F.build([_cropped_page, _text_page]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_engines_give_the_same_blocks(name, monkeypatch):
    a, p = both(CASES[name](), f"{name}.pdf", monkeypatch)
    assert_same(a, p)


@pytest.mark.parametrize("path", sorted(glob.glob(str(SAMPLES / "*.pdf"))))
def test_dev_corpus_pdfs_same_blocks_and_records(path, monkeypatch):
    from planscope.pipeline.structure.plan import structure_extraction

    a, p = both(Path(path).read_bytes(), Path(path).name, monkeypatch)
    assert_same(a, p)
    ra, rp = structure_extraction(a), structure_extraction(p)
    assert ra.is_plan == rp.is_plan
    assert [(r.level, r.number, r.title) for r in ra.records] == [(r.level, r.number, r.title) for r in rp.records]


def test_plan_records_same(monkeypatch):
    from planscope.pipeline.structure.plan import structure_extraction

    a, p = both(make_inputs.make_plan_pdf(12, seed=9), "plan12.pdf", monkeypatch)
    ra, rp = structure_extraction(a), structure_extraction(p)
    assert ra.is_plan and len(ra.records) > 30
    assert [(r.level, r.number, r.title, r.parent) for r in ra.records] == \
        [(r.level, r.number, r.title, r.parent) for r in rp.records]


def test_fast_path_reads_plain_pages_and_falls_back_on_turned_ones(monkeypatch):
    calls = []
    real = engine_plumber.read_page
    monkeypatch.setattr(engine_plumber, "read_page", lambda page, pno: calls.append(pno) or real(page, pno))
    monkeypatch.setenv(pdfmod.ENGINE_ENV, "auto")
    extract_pdf(make_inputs.make_plan_pdf(6, seed=1), "p.pdf")
    assert calls == []  # text, lists and ruled tables: no page needed pdfplumber's parser
    extract_pdf(F.build([_text_page, _turned_page]), "t.pdf")
    assert calls == [2]
    calls.clear()
    monkeypatch.setenv(pdfmod.ENGINE_ENV, "pdfplumber")
    extract_pdf(F.build([_text_page]), "t.pdf")
    assert calls == [1]


def test_a_cropped_page_is_read_by_the_fast_path_within_its_crop_box(monkeypatch):
    calls = []
    real = engine_plumber.read_page
    monkeypatch.setattr(engine_plumber, "read_page", lambda page, pno: calls.append(pno) or real(page, pno))
    monkeypatch.setenv(pdfmod.ENGINE_ENV, "auto")
    ex = extract_pdf(F.build([_cropped_page]), "crop.pdf")
    assert calls == []
    texts = [b.text for b in ex.blocks]
    assert "Orientation 2 : se déplacer" in texts and "Rénover la gare" in texts
    assert not any("qxd" in t for t in texts)  # the slug line outside the crop box is not shown, not read
    assert len({b.table.table_id for b in ex.blocks if b.table}) == 1  # crop marks make no table


def test_a_space_glyph_between_close_words_is_kept_by_both_engines(monkeypatch):
    def tight(c):
        t = c.beginText(72, F.HEIGHT - 100)
        t.setFont(F.BODY, 10)
        t.setWordSpace(-2.2)  # the space glyph's advance almost cancelled: words 0.6 pt apart
        t.textLine("Le plan de la ville et de ses quartiers")
        c.drawText(t)
    a, p = both(F.build([tight]), "tight.pdf", monkeypatch)
    assert_same(a, p)
    assert [b.text for b in a.blocks] == ["Le plan de la ville et de ses quartiers"]


def test_reopening_the_pdfium_document_between_pages_changes_nothing(monkeypatch):
    import dataclasses

    from planscope.extractors.pdf import document

    data = make_inputs.make_plan_pdf(7, seed=5)
    monkeypatch.setenv(pdfmod.ENGINE_ENV, "auto")
    once = extract_pdf(data, "p.pdf")
    monkeypatch.setattr(document, "S", dataclasses.replace(document.S, pdfium_reopen_pages=2))
    from planscope.extractors.pdf import engine_pdfium

    reopened = []
    real = engine_pdfium.open_document
    monkeypatch.setattr(engine_pdfium, "open_document", lambda *a: reopened.append(1) or real(*a))
    again = extract_pdf(data, "p.pdf")
    assert len(reopened) == 4  # opened, then again before pages 3, 5 and 7
    assert [_key(b) for b in again.blocks] == [_key(b) for b in once.blocks]
