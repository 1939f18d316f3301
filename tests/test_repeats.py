"""Parts a plan prints twice (summary then detail, table then sheets) and fields run into titles."""
from __future__ import annotations

from planscope.models.records import Record
from planscope.pipeline.structure.lexicon import lexicon
from planscope.pipeline.structure.repeats import (drop_summary_entries, merge_sheets, settle_repeats,
                                                  split_run_in_fields, strip_title_field)


def rec(id_, level, title, number=None, label=None, parent=None):
    return Record(id=id_, level=level, title=title, number=number, label=label, parent=parent)


def test_a_summary_entry_printed_again_with_its_content_gives_way_to_it():
    records = [rec("r1", "axis", "Être une commune qui offre un cadre de vie agréable", "1", "OS"),
               rec("r2", "axis", "Être une commune solidaire", "2", "OS"),
               rec("r3", "axis", "Être une commune qui offre un cadre de…", "1", "OS"),
               rec("r4", "orientation", "Améliorer la sécurité routière", "1.1", "OO", "r3")]
    assert [r.id for r in drop_summary_entries(records)] == ["r2", "r3", "r4"]


def test_distinct_parts_with_the_same_title_but_children_of_their_own_stay_apart():
    records = [rec("r1", "axis", "Mobilité"), rec("r2", "orientation", "Réduire la voiture", parent="r1"),
               rec("r3", "axis", "Mobilité"), rec("r4", "orientation", "Former le personnel", parent="r3")]
    assert len(drop_summary_entries(records)) == 4 and len(merge_sheets(records)) == 4


def test_a_field_run_into_a_heading_ends_the_title_and_fills_the_field():
    records = [rec("r1", "orientation", "Améliorer la sécurité routière Indicateur : nombre d’accidents", "1.1"),
               rec("r2", "action", "Installer des radars Pilote : Service travaux", "1.1.1"),
               rec("r3", "action", "Indicateur : un titre qui n’en a pas d’autre")]
    split_run_in_fields(records, lexicon())
    assert records[0].title == "Améliorer la sécurité routière"
    assert [i.text for i in records[0].indicators] == ["nombre d’accidents"]
    assert (records[1].title, records[1].responsible) == ("Installer des radars", "Service travaux")
    assert records[2].title.startswith("Indicateur")


def test_title_fields_are_stripped_and_sheets_merge_into_the_listed_action():
    assert strip_title_field("Intitulé de l’action : Rénover l’école") == "Rénover l’école"
    assert strip_title_field("Nom du projet: Créer un parc") == "Créer un parc"
    records = [rec("r1", "orientation", "Réduire les consommations"),
               rec("r2", "action", "Rénover thermiquement le groupe scolaire", parent="r1"),
               rec("r3", "action", "Intitulé de l’action : Rénover thermiquement le groupe scolaire", label="Fiche action")]
    records[2].responsible = "Services techniques"
    out = settle_repeats(records, lexicon())
    assert [r.id for r in out] == ["r1", "r2"] and out[1].responsible == "Services techniques"


def test_actions_numbered_again_under_each_objective_are_not_summary_entries():
    records = [rec("r1", "orientation", "Développer les modes doux", "1.1"),
               rec("r2", "action", "Aménager les itinéraires du quartier 1.1", "1", parent="r1"),
               rec("r3", "orientation", "Réduire les consommations", "1.2"),
               rec("r4", "action", "Aménager les itinéraires du quartier 1.2", "1", parent="r3")]
    assert [r.id for r in drop_summary_entries(records)] == ["r1", "r2", "r3", "r4"]


def test_a_label_printed_after_the_number_is_the_label_not_the_title():
    from planscope.pipeline.structure.repeats import split_label_after_number
    records = [rec("r1", "orientation", "Orientation – Soutenir l’économie locale", "1.1")]
    split_label_after_number(records, lexicon())
    assert (records[0].label, records[0].title) == ("Orientation", "Soutenir l’économie locale")
