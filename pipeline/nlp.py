"""spaCy, loaded once per process with only what the rules read (morphology, lemmas)."""
from __future__ import annotations

from functools import lru_cache

MODEL = "fr_core_news_sm"
# The rules read morphology (VerbForm=Inf) and lemmas; the parser and NER cost 2.4x and are unused.
EXCLUDE = ["parser", "ner"]
BATCH_SIZE = 256
HEAD_WORDS = 6  # only the opening words decide whether an item starts with an infinitive


@lru_cache(maxsize=1)
def nlp():
    import spacy

    return spacy.load(MODEL, exclude=EXCLUDE)


def starts_with_infinitive(texts: list[str]) -> list[bool]:
    """For each text, whether its first word is an infinitive verb (spaCy morphology)."""
    # The small model tags a capitalised sentence-initial verb as a proper noun: lowercase it.
    heads = [" ".join(t.split()[:HEAD_WORDS]) for t in texts]
    heads = [h[:1].lower() + h[1:] if h[1:2].islower() else h for h in heads]
    out = [False] * len(texts)
    todo = [(i, h) for i, h in enumerate(heads) if h and h[0].isalpha()]
    if not todo:
        return out
    for (i, _), doc in zip(todo, nlp().pipe([h for _, h in todo], batch_size=BATCH_SIZE)):
        tok = next((t for t in doc if not t.is_punct), None)
        if tok is None:
            continue
        # "S'assurer", "Se doter": the reflexive pronoun comes first.
        if tok.lower_ in ("s'", "se", "s’") and len(doc) > tok.i + 1:
            tok = doc[tok.i + 1]
        forms = tok.morph.get("VerbForm")
        # "Planifier et développer": a coordination of infinitives, the first sometimes mis-tagged.
        coordinated = len(doc) > tok.i + 2 and doc[tok.i + 1].lower_ in ("et", "ou") and \
            "Inf" in doc[tok.i + 2].morph.get("VerbForm") and tok.lower_.endswith(("er", "ir", "re"))
        out[i] = "Inf" in forms or coordinated
    return out
