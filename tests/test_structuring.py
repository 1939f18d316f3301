"""The three structuring stages, each on its own: outline, plan region, levels, and the decision."""
from __future__ import annotations

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, BlockStyle, TableRef
from planscope.pipeline.structure.lexicon import lexicon
from planscope.pipeline.structure.reading import read
from planscope.pipeline.structure.decision import decide, genre_scores, numeric_table_share
from planscope.pipeline.structure.levels import Structure
from planscope.pipeline.structure.outline import build_outline


def _h(text, size=None, bold=True, page=None, level=None):
    style = BlockStyle(bold=bold, font_size=size or None)
    return Block(kind=HEADING, text=text, style=style, page=page, level=level)


def _p(text, page=None):
    return Block(kind=PARAGRAPH, text=text, style=BlockStyle(font_size=10, bold=False), page=page)


def _li(text, list_id=1, marker="✓", page=None):
    return Block(kind=LIST_ITEM, text=text, list_id=list_id, list_depth=0, marker=marker, page=page,
                 style=BlockStyle(font_size=10))


def test_outline_ranks_styles_per_document_and_numbering_refines_them():
    blocks = [_h("Axe 1 : Habiter", size=18), _h("1-1 : Diversifier l'offre", size=18), _p("Texte."),
              _h("Sur un plan qualitatif", size=11), _p("Texte.")]
    outline = build_outline(blocks)
    depths = [n.depth for n in outline.nodes]
    assert depths[0] < depths[1]  # "1-1" continues "Axe 1" though printed alike
    assert depths[0] < depths[2]


def test_region_skips_contents_page_context_and_a_summary_repeated_later():
    blocks = [_h("Sommaire", page=1), _h("Axe 1 : Habiter", page=1), _h("Axe 2 : Bouger", page=1),
              _h("Contexte", page=2), _p("La commune compte 3 000 habitants.", page=2),
              _h("Notre projet s'articule autour de deux axes", page=3),
              _h("Axe 1 : Habiter autrement", page=3), _h("Axe 2 : Bouger autrement", page=3),
              _h("Axe 1 : Habiter autrement", page=4), _li("Construire des logements", page=4),
              _li("Rénover le bâti ancien", page=4),
              _h("Axe 2 : Bouger autrement", page=5), _li("Créer une piste cyclable", list_id=2, page=5),
              _li("Installer des abris vélos", list_id=2, page=5)]
    doc = read(blocks, use_verbs=False)
    s = doc.reading.structure
    assert [(r.level, r.title) for r in s.records if r.level == "axis"] == [
        ("axis", "Habiter autrement"), ("axis", "Bouger autrement")]
    assert sum(r.level == "action" for r in s.records) == 4
    assert any("table of contents" in r for r in doc.region.reasons)


def test_numbered_titles_under_a_labelled_record_and_groups_from_sub_headings():
    blocks = [_h("Axe 1 : Habiter", size=18), _h("1-1 : Diversifier l'offre en logements", size=16),
              _h("Sur un plan qualitatif :", size=11), _p("Afin de répondre aux besoins :"),
              _li("des logements de typologie variée"), _li("des logements locatifs sociaux"),
              _h("1-2 : Organiser les espaces", size=16), _li("La Roche, au nord du bourg", list_id=2),
              _li("Le Gatz, au sud du bourg", list_id=2)]
    s = read(blocks, use_verbs=False).reading.structure
    got = [(r.level, r.number, r.title, r.group) for r in s.records]
    assert got[1] == ("orientation", "1-1", "Diversifier l'offre en logements", None)
    assert got[2][0] == "action" and got[2][3] == "Sur un plan qualitatif"
    assert [r.level for r in s.records].count("action") == 4


def test_a_sentence_announcing_its_list_names_the_level():
    blocks = [_h("Engagements", size=14), _p("Au niveau opérationnel, elle prend 3 engagements spécifiques :"),
              _li("Utiliser l'énergie renouvelable", marker="1."), _li("Arrêter les chaudières", marker="2."),
              _li("Planifier les adaptations", marker="3.")]
    s = read(blocks, use_verbs=False).reading.structure
    assert [(r.level, r.label) for r in s.records] == [("orientation", "Engagement")] * 3


def test_a_header_band_names_its_columns_in_order():
    def cell(row, col, text, header=False):
        return Block(kind=TABLE_CELL, text=text, table=TableRef(table_id=0, row=row, col=col, is_header=header))
    blocks = [_h("Axe 1 – Eau", size=16), cell(0, 0, "Orientation Action Responsable Échéance", True)]
    for row, (o, a) in enumerate([("Protéger les lacs", "Renaturaliser les rives"),
                                  ("Protéger les lacs", "Suivre la qualité de l'eau")], start=1):
        blocks += [cell(row, 0, o), cell(row, 1, a), cell(row, 2, "Environnement"), cell(row, 3, "2025")]
    s = read(blocks, use_verbs=False).reading.structure
    assert [(r.level, r.title) for r in s.records] == [
        ("axis", "Eau"), ("orientation", "Protéger les lacs"), ("action", "Renaturaliser les rives"),
        ("action", "Suivre la qualité de l'eau")]
    assert s.records[2].responsible == "Environnement"


def test_minutes_outweigh_their_numbered_agenda():
    blocks = [_h("Procès-verbal de la séance du conseil municipal du 6 mars"),
              _p("Membres présents : M. A, Mme B. Le quorum est atteint."),
              _h("I. Finances"), _li("Objectif : adopter le budget", marker="-"),
              _p("Le conseil municipal, après en avoir délibéré, à l'unanimité, approuve."),
              _p("La séance est levée à 20 h.")]
    scores = genre_scores("proces-verbal de la seance du conseil municipal", "apres en avoir delibere quorum")
    assert scores["minutes"][0] >= 3
    s = Structure(labelled=2)
    decision = decide(blocks, s, "Procès-verbal", {}, plan_title=False, period_stated=False)
    assert not decision.is_plan and decision.genre == "minutes"
    assert any(r.startswith("-") for r in decision.reasons())


def test_a_table_of_figures_is_evidence_against_a_plan():
    cells = [Block(kind=TABLE_CELL, text=t, table=TableRef(table_id=0, row=k // 3, col=k % 3))
             for k, t in enumerate(["Recettes", "1 527", "12 %"] * 10)]
    share, n = numeric_table_share(cells)
    assert n == 30 and share > 0.6


def test_lexicon_names_no_sample():
    assert "plan des 100 jours" not in lexicon().plan_title_words


def test_a_reports_chapter_numbers_are_no_plan_structure():
    blocks = [_h("1. Mise en contexte", size=16), _p("La commune a consulté ses citoyens."),
              _h("2. Méthodologie", size=16), _p("Un sondage a été mené."),
              _h("3. Résultats de la consultation", size=16), _h("3.1 Résultats du sondage", size=13),
              _p("Les répondants souhaitent plus de pistes."), _h("3.2 Rencontres avec les groupes", size=13),
              _p("Six rencontres ont eu lieu.")]
    doc = read(blocks, use_verbs=False)
    assert doc.reading.structure.records == []
    assert doc.region.chapters


def test_glyph_bullets_typed_as_text_are_list_items():
    blocks = [_h("Enjeu 1 – Économiser l'énergie", size=16), _h("Objectif : Rendre les bâtiments sobres", size=13),
              _p("→ Remplacer la chaudière de la mairie"), _p("→ Isoler les combles de la salle")]
    s = read(blocks, use_verbs=False).reading.structure
    assert [(r.level, r.title) for r in s.records][2:] == [
        ("action", "Remplacer la chaudière de la mairie"), ("action", "Isoler les combles de la salle")]


def test_genre_markers_match_whole_words_only():
    """A marker matches at the start of the text or after a non-word character, with any spaces
    between its words, never inside a longer word (the pattern tests this after its first word)."""
    from planscope.pipeline.structure.decision import _phrase_re

    pat = _phrase_re("ordre du jour")
    assert pat.search("ordre du jour")
    assert pat.search("voici l'ordre  du\njour de la séance")
    assert pat.search("(ordre du jour)")
    assert not pat.search("désordre du jour")
    assert not pat.search("ordre du journal")
    num = _phrase_re("délibération n")
    assert num.search("deliberation n° 12") and num.search("vu la deliberation no 3")
    assert not num.search("predeliberation n° 12")
