"""Tables laid out with spaces (pdftotext -layout): columns by position, wrapped cells, carried cells."""
from __future__ import annotations

from planscope.extractors.layout_table import header_columns, read_layout_table
from planscope.extractors.text import extract_text
from planscope.pipeline.process import process_bytes

MADA_LIKE = """Municipalité de Val-Neuf – Plan d’action 2024-2026

CHAMP D’ACTION 1 : HABITAT ET MILIEU DE VIE

 Objectifs               Actions                                 Responsable       Échéance

 1.1 Favoriser le        Publier un guide des ressources en      Comité aînés      2024
 maintien à domicile     soutien à domicile

                         Adapter le programme municipal de       Urbanisme         2025
                         rénovation pour financer des rampes

 1.2 Diversifier         Réviser le règlement de zonage pour     Urbanisme         2024
 l’offre de logements    autoriser les logements intergénérati-
                         onnels

Suivi du plan d’action
Le comité de suivi se réunira deux fois par année afin d’évaluer l’avancement des actions.
"""


def test_wrapped_cells_are_joined_and_an_empty_leading_cell_repeats_the_row_above():
    lines = MADA_LIKE.split("\n")
    start = next(k for k, ln in enumerate(lines) if "Objectifs" in ln)
    end, header, body = read_layout_table(lines, start)
    assert header == ["Objectifs", "Actions", "Responsable", "Échéance"]
    assert body[0] == ["1.1 Favoriser le maintien à domicile", "Publier un guide des ressources en soutien à domicile",
                       "Comité aînés", "2024"]
    assert body[1][0] is None and body[1][1] == "Adapter le programme municipal de rénovation pour financer des rampes"
    assert body[2][1] == "Réviser le règlement de zonage pour autoriser les logements intergénérationnels"
    assert lines[end].startswith("Suivi") or not lines[end].strip()


def test_a_layout_table_whose_columns_name_levels_gives_records_with_attributes():
    r = process_bytes(MADA_LIKE.encode(), "mada.txt")
    actions = [x for x in r.records if x.level == "action"]
    assert [a.title for a in actions][:1] == ["Publier un guide des ressources en soutien à domicile"]
    assert len(actions) == 3 and actions[1].responsible == "Urbanisme"
    parents = {x.id: x for x in r.records}
    assert parents[actions[1].parent].title.endswith("Favoriser le maintien à domicile")


def test_prose_and_label_value_lines_are_not_tables():
    assert header_columns("Pilote :            Services techniques") is None
    assert header_columns("La commune a adopté  un plan qui  couvre la période entière et ses objectifs.") is None
    text = "Le conseil décide :\n\nArticle 1  Objet  Portée\nLe présent règlement s’applique à tout le territoire communal sans exception.\n"
    ex = extract_text(text, "r.txt")
    assert not any(b.kind == "table_cell" for b in ex.blocks)
