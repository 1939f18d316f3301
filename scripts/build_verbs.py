"""Write pipeline/data/verbs.json: the French infinitives, from the French model's own lemma tables.

    .venv/bin/python scripts/build_verbs.py

Why a word list and not the model: whether an item opens with an infinitive is the one question
``planscope extract`` asked spaCy, and loading the model for it cost 1.5-1.7 s and ~300 MB per
process. The answer is in the lemmatiser's tables that ship with ``fr_core_news_sm``: every verb
lemma it knows (its verb index, and the infinitives its irregular forms map to). ``also_nouns``
lists the infinitives the same tables also know as nouns ("le conseiller", "l'usager");
``mostly_nouns`` the few infinitives French uses as nouns in their own right ("le devoir", "le
pouvoir"), kept by hand in ``NOMINAL_INFINITIVES`` below. Rebuild when the model's version changes.
"""
from __future__ import annotations

import json
from pathlib import Path

import spacy

MODEL = "fr_core_news_sm"
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "verbs.json"
ENDINGS = ("er", "ir", "ïr", "re")  # every French infinitive ends so
# Infinitives used as nouns in everyday French, which the model's noun index does not list.
NOMINAL_INFINITIVES = ["avoir", "boire", "coucher", "devoir", "dîner", "déjeuner", "goûter", "lever",
                       "manger", "pouvoir", "repentir", "rire", "savoir", "souper", "sourire",
                       "souvenir", "vivre", "être"]


def build() -> dict:
    nlp = spacy.load(MODEL, exclude=["parser", "ner"])
    tables = nlp.get_pipe("lemmatizer").lookups
    index, exceptions = tables.get_table("lemma_index"), tables.get_table("lemma_exc")
    verbs = {v for v in index["verb"] if v.endswith(ENDINGS)}
    for pos in ("verb", "aux"):
        verbs.update(lemma for lemmas in exceptions[pos].values() for lemma in lemmas
                     if lemma.endswith(ENDINGS))
    return {"source": f"{MODEL} {nlp.meta['version']} lemma tables (scripts/build_verbs.py)",
            "infinitives": sorted(verbs), "also_nouns": sorted(verbs & set(index["noun"])),
            "mostly_nouns": sorted(set(NOMINAL_INFINITIVES) & verbs)}


if __name__ == "__main__":
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['infinitives'])} infinitives, {len(data['also_nouns'])} also nouns")
