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
