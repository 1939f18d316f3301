"""The verb list (data/verbs.json) and the reading of an item's opening verb (structure/verbs.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from planscope.pipeline.structure.verbs import infinitive, opens_with_infinitive

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", [
    "Renforcer la coopération intercommunale",
    "S’assurer de la qualité de l’eau",
    "Se doter d'un plan de mobilité",
    "Introduire des produits locaux dans les cantines",  # the small model's tagger missed these
    "Électrifier 50 % du parc de véhicules",
    "Accroitre la part d'énergie renouvelable",  # 1990 reformed spelling
    "Œuvrer à une consommation sobre",
    "Encourager/soutenir l'implantation de commerces",
    "Co-construire le projet avec les habitants",
    "« Créer une maison de santé »",
    "Conseiller les ménages sur la rénovation",  # also a noun: the verb before an article
    "Sortir du tout-voiture",
    "Bénéficier d'un accompagnement",
    "Savoir accueillir les nouveaux habitants",  # before another infinitive
])
def test_opening_infinitive(text):
    assert opens_with_infinitive(text)


@pytest.mark.parametrize("text", [
    "Conseiller municipal délégué",
    "Pouvoir d'achat des ménages",
    "Devoir de mémoire",
    "Potager communautaire du quartier",
    "Cadre d’emplois : attachés territoriaux",
    "Mise en place d'un comité",  # a nominalised action: the lexicon's rule, not this one
    "Other Activities",
    "Jeder Teilraum von X ist hausdorffsch",
    "",
])
def test_opening_not_infinitive(text):
    assert not opens_with_infinitive(text)


def test_infinitive_spellings():
    assert infinitive("accroitre") == "accroître"
    assert infinitive("oeuvrer") == infinitive("œuvrer") == "oeuvrer"
    assert infinitive("chantier") is None


def test_verb_list_is_the_models():
    """data/verbs.json is what scripts/build_verbs.py writes from the installed French model: edit
    the script (or upgrade the model) and run it, never the file by hand."""
    import importlib.util

    pytest.importorskip("spacy", reason="spaCy is a dev dependency")
    spec = importlib.util.spec_from_file_location("build_verbs", ROOT / "scripts" / "build_verbs.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    shipped = json.loads((ROOT / "pipeline" / "data" / "verbs.json").read_text(encoding="utf-8"))
    assert shipped == build.build()


def test_extract_does_not_load_spacy():
    """`planscope extract` reads no model: the verb list and the theme forms are plain data."""
    import subprocess
    import sys

    code = ("import sys; from planscope.pipeline.process import process_bytes; "
            "r = process_bytes('Plan d’action 2025-2027\\n\\nAxe 1 – Mobilité\\n\\n- Créer une piste cyclable sécurisée\\n'"
            ".encode(), 'plan.txt'); print('spacy' in sys.modules, len(r.records))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False"
