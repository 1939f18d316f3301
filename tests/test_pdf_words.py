"""PDF word boundaries and bullets from glyph geometry: words set without space glyphs under
tight kerning, letter-spaced and small-caps lines, and bullet glyphs printed in a column of their
own beside the item lines. Every PDF is built here; both engines (pdfium fast path and
pdfplumber) must read them the same way."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pypdfium2")

from planscope.extractors import pdf as pdfmod  # noqa: E402
from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH  # noqa: E402
from planscope.extractors.pdf import extract_pdf  # noqa: E402

import pdf_factory as F  # noqa: E402

HELVETICA = {"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica", "Encoding": "/WinAnsiEncoding"}
ENGINES = ("auto", "pdfplumber")


def raw(*ops: str) -> bytes:
    """A one-page PDF (Helvetica as /F1, WinAnsi) from raw text operators."""
    return F.raw_pdf("\n".join(ops).encode("latin-1"), HELVETICA)


def tj(y: float, size: float, parts: list, x: float = 72, tc: float = 0) -> str:
    """One TJ line: strings and kerning numbers (thousandths of an em; negative moves right)."""
    arr = " ".join(f"({_esc(p)})" if isinstance(p, str) else f"{p:g}" for p in parts)
    return f"BT /F1 {size:g} Tf {tc:g} Tc {x:g} {y:g} Td [{arr}] TJ ET"


def _esc(s: str) -> str:
    return s.replace("(", "\\(").replace(")", "\\)")


def extract(data: bytes, engine: str, monkeypatch):
    monkeypatch.setenv(pdfmod.ENGINE_ENV, engine)
    return extract_pdf(data, f"{engine}.pdf")


def texts(ex) -> list[str]:
    return [b.text for b in ex.blocks]


# --------------------------------------------------------------------------- tight kerning


@pytest.mark.parametrize("engine", ENGINES)
def test_words_positioned_without_space_glyphs_are_split(engine, monkeypatch):
    # Words 0.2 em apart with no space glyph between them (a TJ offset instead of a space),
    # as a word processor writes a tightly justified line.
    gap = -200
    data = raw(tj(760, 11, ["1-1:", gap, "Dynamiser", gap, "et", gap, "diversifier", gap, "l'offre", gap, "en",
                            gap, "logements"]),
               tj(730, 11, ["Extension", gap, "de", gap, "la", gap, "capacit\351", gap, "de", gap, "la", gap,
                            "station"]))
    ex = extract(data, engine, monkeypatch)
    assert texts(ex) == ["1-1: Dynamiser et diversifier l'offre en logements Extension de la capacité de la station"] \
        or texts(ex) == ["1-1: Dynamiser et diversifier l'offre en logements",
                         "Extension de la capacité de la station"]


@pytest.mark.parametrize("engine", ENGINES)
def test_kerned_and_tracked_words_stay_whole(engine, monkeypatch):
    # Kerning pairs (tightening and a small opening) and a tracked line (1 pt of character
    # spacing, one letter pair opened a little more by justification) are not word spaces.
    data = raw(tj(760, 11, ["W", 80, "A", 60, "VE", -40, "S", " ", "d\351", -60, "veloppement"]),
               tj(730, 10, ["horizon 202", -90, "4 pour certaine", -70, "s mesures"], tc=1))
    ex = extract(data, engine, monkeypatch)
    assert texts(ex) == ["WAVES développement horizon 2024 pour certaines mesures"] or \
        texts(ex) == ["WAVES développement", "horizon 2024 pour certaines mesures"]


# --------------------------------------------------------------------------- letter spacing


@pytest.mark.parametrize("engine", ENGINES)
def test_letter_spaced_title_reads_as_words(engine, monkeypatch):
    # 3 pt of character spacing at 13 pt (0.23 em): every letter stands apart, words are set
    # apart by a space glyph (which gets the spacing too), so word gaps are clearly wider.
    data = raw(tj(760, 13, ["POLITIQUE \311NERG\311TIQUE ET CLIMATIQUE"], tc=3),
               tj(720, 14, ["Planification 2020-2024"], tc=3),
               tj(680, 10, ["La commune de la ville et de la r\351gion a un plan."]))
    ex = extract(data, engine, monkeypatch)
    assert texts(ex)[:2] == ["POLITIQUE ÉNERGÉTIQUE ET CLIMATIQUE", "Planification 2020-2024"]
    assert texts(ex)[2] == "La commune de la ville et de la région a un plan."


@pytest.mark.parametrize("engine", ENGINES)
def test_letter_spaced_words_without_space_glyphs(engine, monkeypatch):
    # Letters opened by TJ offsets (0.25 em), words by a wider offset (0.8 em), no space glyph.
    def spaced(word):
        out = []
        for k, ch in enumerate(word):
            out += ([-250] if k else []) + [ch]
        return out

    parts = spaced("PLAN") + [-800] + spaced("CLIMAT") + [-800] + spaced("2035")
    ex = extract(raw(tj(760, 12, parts)), engine, monkeypatch)
    assert texts(ex) == ["PLAN CLIMAT 2035"]


@pytest.mark.parametrize("engine", ENGINES)
def test_small_caps_initial_is_glued_to_its_word(engine, monkeypatch):
    # Small caps: a full-size initial then smaller capitals, 1 pt apart (0.15 em of the
    # small size); the apostrophe of the second line is set at the full size.
    data = raw("BT 1 Tc 72 760 Td /F1 8 Tf (D) Tj /F1 6.5 Tf (\311CHETS) Tj ET",
               "BT 1 Tc 72 730 Td /F1 8 Tf (C) Tj /F1 6.5 Tf (ONSOMMATION D) Tj /F1 8 Tf (') Tj "
               "/F1 6.5 Tf (\311NERGIE) Tj ET",
               "BT 1 Tc 72 700 Td /F1 12 Tf (P) Tj /F1 9.5 Tf (RILLY OBJECTIF ) Tj /F1 12 Tf (2035) Tj ET")
    ex = extract(data, engine, monkeypatch)
    assert texts(ex) == ["DÉCHETS", "CONSOMMATION D'ÉNERGIE", "PRILLY OBJECTIF 2035"]


# --------------------------------------------------------------------------- detached bullets


def _checklist() -> bytes:
    ops = [tj(780, 11, ["La commune souhaite :"])]
    items = [["des logements de typologie vari\351e (logements individuels, logements",
              "interm\351diaires, petits collectifs)."],
             ["des logements locatifs sociaux (20 % des nouveaux logements)"],
             ["la variation des densit\351s construites entre les diff\351rents secteurs",
              "pourra permettre une mixit\351 sociale de l\222habitat."]]
    y = 750
    for lines in items:
        # The bullet sits in a column of its own, larger and raised 5 pt above the item's first
        # baseline (so on a row of its own), 12 pt left of the text.
        ops.append(tj(y + 5, 14, ["\225"], x=72))
        for k, line in enumerate(lines):
            ops.append(tj(y - 14 * k, 11, [line], x=96))
        y -= 14 * len(lines) + 4
    ops.append(tj(y - 20, 11, ["La commune souhaite \351galement faciliter l\222am\351nagement du centre."]))
    return raw(*ops)


@pytest.mark.parametrize("engine", ENGINES)
def test_bullets_in_their_own_column_start_list_items(engine, monkeypatch):
    ex = extract(_checklist(), engine, monkeypatch)
    items = [b for b in ex.blocks if b.kind == LIST_ITEM]
    assert [b.text for b in items] == [
        "des logements de typologie variée (logements individuels, logements intermédiaires, petits collectifs).",
        "des logements locatifs sociaux (20 % des nouveaux logements)",
        "la variation des densités construites entre les différents secteurs pourra permettre une mixité "
        "sociale de l’habitat."]
    assert {b.marker for b in items} == {"•"}
    assert len({b.list_id for b in items}) == 1
    assert not any(set(b.text) <= set("• ") for b in ex.blocks)
    assert ex.blocks[-1].kind == PARAGRAPH and ex.blocks[-1].text.startswith("La commune souhaite également")


def test_engines_agree_on_words_and_bullets(monkeypatch):
    for data in (_checklist(),
                 raw(tj(760, 11, ["Dynamiser", -200, "et", -200, "diversifier"]),
                     tj(730, 13, ["POLITIQUE \311NERG\311TIQUE"], tc=3))):
        a, p = extract(data, "auto", monkeypatch), extract(data, "pdfplumber", monkeypatch)
        assert [(b.kind, b.text, b.marker) for b in a.blocks] == [(b.kind, b.text, b.marker) for b in p.blocks]


# --------------------------------------------------------------------------- tables without a grid


def _objectives_table(c):
    F.lines(c, 72, 60, F.wrap(F.LOREM, 90))
    F.text(c, 80, 120, "Thème", F.BOLD, 8)
    F.text(c, 170, 120, "Objectifs", F.BOLD, 8)
    F.text(c, 380, 120, "Cible", F.BOLD, 8)
    c.setLineWidth(0.5)
    c.line(72, F.HEIGHT - 132, 520, F.HEIGHT - 132)
    rows = [  # (theme or None, objective lines, target lines, rule below)
        (["CONSOMMATION", "D'ÉNERGIE"], ["Diminuer de 10% la consommation annuelle", "de chaleur par habitant"],
         ["8600 kWh/hab"], True),
        (None, ["Maintenir la consommation d'électricité à son", "niveau de 2014"], ["50'000 MWh"], True),
        (["DÉCHETS"], ["Atteindre un taux de recyclage de 65%"], ["65 %"], True),
        (None, ["Maintenir la quantité moyenne de déchets", "ménagers traitée par la Ville"], ["380 kg/hab"], False),
        (["MOBILITÉ"], ["Épuiser le potentiel des zones à trafic", "modéré"], [], True),
        (None, ["Équiper tous les axes de pistes ou", "bandes cyclables"], ["12 km"], True),
    ]
    top = 142
    for theme, objective, target, rule in rows:
        if theme and theme[0] == "DÉCHETS":  # a shaded group, as printed tables often alternate
            c.setFillGray(0.85)
            c.rect(72, F.HEIGHT - top - 50, 448, 52, stroke=0, fill=1)
            c.setFillGray(0)
        F.lines(c, 80, top, theme or [], size=6.5, leading=9)
        F.lines(c, 170, top, objective, size=8, leading=9)
        F.lines(c, 380, top, target, size=8, leading=9)
        top += 9 * max(len(objective), len(target), len(theme or [])) + 12
        if rule:
            c.line(170, F.HEIGHT - top + 6, 520, F.HEIGHT - top + 6)
    F.lines(c, 72, top + 30, F.wrap(F.LOREM, 90))


@pytest.mark.parametrize("engine", ENGINES)
def test_table_without_grid_is_one_table_with_header_and_merged_cells(engine, monkeypatch):
    ex = extract(F.build([_objectives_table]), engine, monkeypatch)
    cells = [b for b in ex.blocks if b.table is not None]
    assert len({b.table.table_id for b in cells}) == 1
    grid = {(b.table.row, b.table.col): b for b in cells}
    assert [grid[(0, c)].text for c in range(3)] == ["Thème", "Objectifs", "Cible"]
    assert all(grid[(0, c)].table.is_header for c in range(3))
    assert max(r for r, _ in grid) == 6
    assert grid[(1, 0)].text == "CONSOMMATION\nD'ÉNERGIE" and not grid[(1, 0)].style.carried
    assert grid[(1, 1)].text == "Diminuer de 10% la consommation annuelle\nde chaleur par habitant"
    assert grid[(1, 1)].table.header == "Objectifs" and grid[(1, 2)].table.header == "Cible"
    assert grid[(2, 0)].text == "CONSOMMATION\nD'ÉNERGIE" and grid[(2, 0)].style.carried
    assert grid[(2, 2)].text == "50'000 MWh"
    assert grid[(4, 1)].text == "Maintenir la quantité moyenne de déchets\nménagers traitée par la Ville"
    assert grid[(4, 0)].text == "DÉCHETS" and grid[(4, 0)].style.carried
    assert (5, 2) not in grid and grid[(6, 2)].text == "12 km"
    # The running text around the table stays out of it.
    assert not any("municipalité" in b.text for b in cells)
    assert ex.blocks[0].table is None and ex.blocks[-1].table is None


def _numbered_sections(c):
    top = 60
    for n, title in ((1, "Préambule"), (2, "Vision")):
        F.text(c, 72, top, str(n), F.BOLD, 12)
        F.text(c, 110, top, title, F.BOLD, 12)
        top = F.lines(c, 110, top + 24, F.wrap(F.LOREM, 80)) + 10
        top = F.lines(c, 110, top, F.wrap(F.LOREM, 80)) + 20


@pytest.mark.parametrize("engine", ENGINES)
def test_hanging_section_numbers_are_not_a_table(engine, monkeypatch):
    ex = extract(F.build([_numbered_sections]), engine, monkeypatch)
    assert not any(b.table for b in ex.blocks)


# --------------------------------------------------------------------------- item numbers in a column


def _numbered_actions(c):
    """An objective heading, then actions whose numbers stand in a narrow column 2 em left of
    their text (the first action wraps onto a second line under its text, not under its number)."""
    F.lines(c, 72, 60, F.wrap(F.LOREM, 90))
    F.text(c, 72, 120, "1.1", F.BOLD, 12)
    F.text(c, 100, 120, "Compléter l'inventaire des espèces", F.BOLD, 12)
    top = 142
    for num, rows in (("1.1.1", ["Réaliser un atlas de la biodiversité communale avec l'appui",
                                 "de l'Office français de la biodiversité"]),
                      ("1.1.2", ["Cartographier les zones humides et les mares"]),
                      ("1.1.3", ["Lancer un programme de sciences participatives"])):
        F.text(c, 72, top, num, F.BOLD, 10)
        top = F.lines(c, 120, top, rows) + 6
    F.text(c, 72, top + 10, "1.2", F.BOLD, 12)
    F.text(c, 100, top + 10, "Partager la connaissance", F.BOLD, 12)
    F.text(c, 72, top + 32, "a)", F.BODY, 10)
    F.text(c, 120, top + 32, "Publier les données en accès libre", F.BODY, 10)
    F.text(c, 72, top + 48, "b)", F.BODY, 10)
    F.text(c, 120, top + 48, "Installer des panneaux pédagogiques", F.BODY, 10)
    F.lines(c, 72, top + 80, F.wrap(F.LOREM, 90))


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_in_their_own_column_start_ordered_items(engine, monkeypatch):
    ex = extract(F.build([_numbered_actions]), engine, monkeypatch)
    heads = [b.text for b in ex.blocks if b.kind == HEADING]
    assert heads == ["1.1 Compléter l'inventaire des espèces", "1.2 Partager la connaissance"]
    items = [(b.marker, b.text) for b in ex.blocks if b.kind == LIST_ITEM]
    assert items == [
        ("1.1.1", "Réaliser un atlas de la biodiversité communale avec l'appui de l'Office français de la biodiversité"),
        ("1.1.2", "Cartographier les zones humides et les mares"),
        ("1.1.3", "Lancer un programme de sciences participatives"),
        ("a)", "Publier les données en accès libre"),
        ("b)", "Installer des panneaux pédagogiques")]
    assert all(b.ordered for b in ex.blocks if b.kind == LIST_ITEM)
    assert not any(b.text in {"1.1.1", "1.1.2", "1.1.3", "a)", "b)"} for b in ex.blocks)


def _raised_numbers_and_justified_figures(c):
    """Numbers set on their own baseline (raised 3 pt, bigger) left of item text; a justified-looking
    line whose wide gaps leave a figure standing alone; a superscript alinea number before a line."""
    F.text(c, 72, 60, "Mesures retenues", F.BOLD, 13)
    top = 84
    for num, t in (("1", "Ouvrir une maison des familles"), ("2", "Créer un conseil des aînés")):
        F.text(c, 72, top - 3, num, F.BOLD, 12)
        F.text(c, 96, top, t, F.BODY, 10)
        top += 18
    F.text(c, 72, top + 20, "On", F.BODY, 10)
    F.text(c, 110, top + 20, "recense", F.BODY, 10)
    F.text(c, 180, top + 20, "9", F.BODY, 10)
    F.text(c, 205, top + 20, "bibliothèques", F.BODY, 10)
    F.text(c, 290, top + 20, "et", F.BODY, 10)
    F.text(c, 320, top + 20, "salles.", F.BODY, 10)
    F.text(c, 72, top + 50, "2", F.BODY, 6)
    F.text(c, 77, top + 53, "Les sacs sont déposés le jour de la collecte.", F.BODY, 10)


@pytest.mark.parametrize("engine", ENGINES)
def test_raised_number_column_and_figures_in_running_text(engine, monkeypatch):
    ex = extract(F.build([_raised_numbers_and_justified_figures]), engine, monkeypatch)
    items = [(b.marker, b.text) for b in ex.blocks if b.kind == LIST_ITEM]
    assert items == [("1", "Ouvrir une maison des familles"), ("2", "Créer un conseil des aînés")]
    # A figure spread apart from its words by justification is no item number.
    assert not any(b.marker == "9" for b in ex.blocks)
    assert any(b.text.startswith("Les sacs sont déposés") and b.kind != LIST_ITEM for b in ex.blocks)


def _big_labels_beside_titles(c):
    """A big Roman numeral in a box beside a two-line title whose last line shares its bottom, and a
    big section letter beside a one-line title."""
    F.lines(c, 72, 60, F.wrap(F.LOREM, 90))
    c.setFillColorRGB(1, 0.45, 0.1)
    c.rect(60, F.HEIGHT - 200, 70, 70, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    F.text(c, 66, 146, "III", F.BOLD, 44)
    c.setFillColorRGB(0, 0, 0)
    F.text(c, 150, 152, "Une ville attractive qui ose et", F.BOLD, 19)
    F.text(c, 150, 175, "qui entreprend", F.BOLD, 19)
    F.text(c, 72, 230, "A", F.BOLD, 26)
    F.text(c, 110, 235, "Accès et participation à la culture", F.BOLD, 14)
    F.lines(c, 72, 280, F.wrap(F.LOREM, 90))


@pytest.mark.parametrize("engine", ENGINES)
def test_big_numeral_or_letter_attaches_to_the_title_beside_it(engine, monkeypatch):
    ex = extract(F.build([_big_labels_beside_titles]), engine, monkeypatch)
    heads = [b.text for b in ex.blocks if b.kind == HEADING]
    assert "III Une ville attractive qui ose et qui entreprend" in heads
    assert "A Accès et participation à la culture" in heads
    assert not any(b.text in {"III", "A"} or b.text.startswith("III qui") for b in ex.blocks)


def test_engines_agree_on_number_columns(monkeypatch):
    for page in (_numbered_actions, _raised_numbers_and_justified_figures, _big_labels_beside_titles):
        data = F.build([page])
        a, p = extract(data, "auto", monkeypatch), extract(data, "pdfplumber", monkeypatch)
        assert [(b.kind, b.text, b.marker) for b in a.blocks] == [(b.kind, b.text, b.marker) for b in p.blocks]
