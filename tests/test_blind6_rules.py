"""Rules blind corpus 6 exposed, each pinned on a small input named after its case."""
from __future__ import annotations

from planscope.extractors.layout_table import read_layout_table
from planscope.pipeline.process import process_bytes
from planscope.pipeline.structure.metadata import RANGE_RE

SHEET_PLAN = """<html><body><h1>Plan climat 2025-2030</h1>
<h2>Axe 1 – Habiter sobre</h2>
<ul><li>1.1 Rénover les logements</li><li>1.2 Rendre le patrimoine public exemplaire</li></ul>
<h3>Fiche action n° 1</h3><h3>Créer un guichet de la rénovation</h3>
<table><tr><th>Orientation</th><th>1.1 – Rénover les logements</th></tr>
<tr><td>Pilote</td><td>Service habitat</td></tr><tr><td>Partenaires</td><td>ADIL</td></tr>
<tr><td>Calendrier</td><td>2025-2030</td></tr><tr><td>Indicateurs de suivi</td><td>Ménages conseillés</td></tr></table>
<h3>Fiche action n° 2</h3><h3>Rénover l'éclairage public</h3>
<table><tr><th>Orientation</th><th>1.2 – Rendre le patrimoine public exemplaire</th></tr>
<tr><td>Pilote</td><td>SDE</td></tr><tr><td>Partenaires</td><td>Communes</td></tr>
<tr><td>Calendrier</td><td>2025-2028</td></tr><tr><td>Indicateurs de suivi</td><td>Points lumineux</td></tr></table>
</body></html>"""


def _records(html: str, name: str = "plan.html"):
    return process_bytes(html.encode(), name).records


def test_action_sheet_table_gives_fields_not_records():
    recs = _records(SHEET_PLAN)
    titles = [r.title for r in recs]
    assert "Pilote" not in titles and "Partenaires" not in titles
    sheet = next(r for r in recs if r.title.startswith("Créer un guichet"))
    assert sheet.responsible == "Service habitat" and sheet.deadline == "2025-2030"
    parent = next(r for r in recs if r.id == sheet.parent)
    assert parent.number == "1.1"  # the sheet's "Orientation | 1.1 – …" row places it


def test_dated_level_header_is_a_targets_column():
    html = SHEET_PLAN.replace("<h2>Axe 1", """<table><tr><th>Secteur</th><th>Objectif 2030</th><th>Objectif 2050</th></tr>
<tr><td>Résidentiel</td><td>- 35 % de consommation</td><td>- 55 % de consommation</td></tr>
<tr><td>Transports</td><td>- 25 % d'émissions</td><td>- 80 % d'émissions</td></tr></table><h2>Axe 1""")
    titles = [r.title for r in _records(html)]
    assert not any("consommation" in t or t == "Résidentiel" for t in titles)


def test_caption_heading_names_the_level_below():
    html = """<html><body><h1>Programme de législature 2022-2026</h1>
<h2>Axe 1 – Mobilité</h2><h3>Mesures prévues</h3><ul><li>Création d'une zone de rencontre</li>
<li>Mise en place d'un bus sur appel</li></ul>
<h2>Axe 2 – Énergie</h2><h3>Mesures prévues</h3><ul><li>Élaboration d'un plan climat</li>
<li>Assainissement du collège</li></ul></body></html>"""
    recs = _records(html)
    assert "Mesures prévues" not in [r.title for r in recs]
    assert sum(r.level == "action" for r in recs) == 4


def test_resolution_code_is_no_period():
    assert not RANGE_RE.search("résolution 2024-09-214")
    assert RANGE_RE.search("Plan d'action 2024-2028")


def test_layout_table_under_a_ruled_line():
    lines = ["Sous-axe        Code      Intitulé de l'action        Porteur",
             "-------------------------------------------------------------",
             "1.1 Droit au    1.1.01    Permanences sociales        Commune",
             "revenu                    décentralisées",
             "",
             "                1.1.02    Épicerie sociale            CPAS"]
    got = read_layout_table(lines, 0)
    assert got is not None
    _, header, rows = got
    assert header[2] == "Intitulé de l'action" and len(rows) == 2
    assert rows[0][2] == "Permanences sociales décentralisées"


def test_sheet_citing_its_objective_sits_under_it():
    from planscope.models.records import Record
    from planscope.pipeline.structure.repeats import place_by_reference

    recs = [Record("r1", "axis", "Une commune vivante", label="Axe", number="1"),
            Record("r2", "orientation", "Renforcer les lieux de rencontre", label="Objectif de développement",
                   number="1.1", parent="r1"),
            Record("r3", "orientation", "Tableau récapitulatif des projets", parent="r1"),
            Record("r4", "action", "Création d'une maison rurale", label="Fiche-projet", number="1.01",
                   parent="r3", description="Lot 1 Objectif de développement 1.1 Le projet consiste en…"),
            Record("r5", "action", "Aménagement de la place", label="Fiche-projet", number="1.02",
                   parent="r2", description="Lot 2 Objectif de développement 1.1 …")]
    place_by_reference(recs)
    assert recs[3].parent == "r2"  # was under an unlabelled chapter heading
    assert recs[4].parent == "r2"


def test_numbered_sheet_headings_are_not_summary_copies():
    from planscope.pipeline.structure.region import _summary_key

    assert _summary_key("FICHE ACTION N° 1") != _summary_key("FICHE ACTION N° 2")
    assert _summary_key("Axe 1 – Habiter et bâtir sobre") == _summary_key("AXE 1 – HABITER ET BÂTIR")


def test_civility_is_no_lettered_number():
    from planscope.extractors.grammar import OUTLINE_TITLE_RE, split_leading_number

    assert split_leading_number("M. Pierre-Alain Rochat, syndic") == (None, "M. Pierre-Alain Rochat, syndic")
    assert not OUTLINE_TITLE_RE.match("M. Didier Bovay")
    assert split_leading_number("M. Mobilité douce") == ("M", "Mobilité douce")  # the 13th lettered item


def test_plan_with_a_small_cost_table_stays_a_plan():
    """A figures table that is a small part of a plan is no budget (the rule weighs its share of
    the whole document)."""
    rows = "".join(f"<tr><td>Action {i}</td><td>{i * 1000} €</td><td>{i * 10} %</td><td>{2025 + i % 4}</td></tr>"
                   for i in range(1, 8))
    items = "".join(f"<li>Action {i} – Créer un service de proximité n° {i}</li>" for i in range(1, 8))
    html = (f"<html><body><h1>Plan d'action 2025-2028</h1><h2>Axe 1 – Vivre ensemble</h2>"
            f"<h3>Objectif 1.1 – Renforcer les liens</h3><ul>{items}</ul>"
            + "".join(f"<p>Le pilote de l'action {i} est le service social ; l'échéance est fixée en 2027.</p>"
                      for i in range(1, 40))
            + f"<h2>Budget</h2><table>{rows}</table></body></html>")
    res = process_bytes(html.encode(), "plan.html")
    assert res.is_plan, res.reasons


def test_star_priority_column_is_a_rating():
    rows = "".join(f"<tr><td>Action {i}</td><td>{'★' * (1 + i % 3)} P{1 + i % 3}</td><td>Service {i}</td></tr>"
                   for i in range(1, 7))
    html = (f"<html><body><h1>Plan d'action climat 2025-2030</h1><h2>Axe 1 – Énergie</h2><table>"
            f"<tr><th>Action</th><th>Priorité</th><th>Responsable</th></tr>{rows}</table></body></html>")
    titles = [r.title for r in process_bytes(html.encode(), "plan.html").records]
    assert not any("★" in t or t.startswith("P1") for t in titles)


def test_side_by_side_overview_unfolds():
    from planscope.extractors.text import unfold_side_by_side

    lines = ["AXE 1",
             "Un milieu de vie attrayant et           1.1 Améliorer la sécurité des déplacements",
             "sécuritaire                             1.2 Offrir des lieux de rassemblement",
             "                                        1.3 Diversifier l'offre résidentielle",
             "",
             "Responsable :                           Service des travaux publics"]
    out = unfold_side_by_side(lines)
    assert out[:4] == ["AXE 1", "Un milieu de vie attrayant et", "sécuritaire", ""]
    assert out[4:7] == ["1.1 Améliorer la sécurité des déplacements", "1.2 Offrir des lieux de rassemblement",
                        "1.3 Diversifier l'offre résidentielle"]
    assert out[-1].startswith("Responsable :")  # a label and its value stay on one line


def test_running_header_on_the_form_feed_line_is_furniture():
    from planscope.extractors.text import page_furniture

    header = "\f PCS 2020-2025 – Commune de Sombreval                  Version approuvée – 24/10/2019"
    lines = ["Commune de Sombreval", "", header, "", "1. Introduction", "Texte.", "        Page 2 sur 3",
             header, "", "2. Actions", "Texte.", "        Page 3 sur 3", "\f"]
    gone = page_furniture(lines)
    assert {2, 7} <= gone and 0 not in gone and 4 not in gone
