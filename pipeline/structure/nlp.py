"""spaCy, loaded once per process with only what the rules read (morphology, lemmas)."""
from __future__ import annotations

from functools import lru_cache

MODEL = "fr_core_news_sm"
# The rules read morphology (VerbForm=Inf) and lemmas; the parser and NER cost 2.4x and are unused.
EXCLUDE = ["parser", "ner"]
BATCH_SIZE = 256
MAX_CACHED_VERDICTS = 100_000  # openings remembered per process (a few MB)
_VERDICTS: dict[str, bool] = {}
HEAD_WORDS = 4  # the opening words decide whether an item starts with an infinitive (6 gave the same on every fixture)


@lru_cache(maxsize=1)
def nlp():
    import gc

    import spacy

    from planscope.pipeline.structure import regex_cache

    cache = regex_cache.cache_file(spacy.__version__)
    cached = regex_cache.preload(cache)
    model = spacy.load(MODEL, exclude=EXCLUDE)
    if not cached:  # the first load on this machine: later ones skip the tokenizer pattern's compile
        try:
            regex_cache.save(cache, [model.tokenizer.token_match.__self__])
        except regex_cache.ERRORS:
            pass
    # The model is hundreds of thousands of long-lived objects: moved out of the collector's reach,
    # they are not rescanned by every collection the parsers' many small dicts trigger.
    gc.collect()
    gc.freeze()
    return model


def starts_with_infinitive(texts: list[str]) -> list[bool]:
    """For each text, whether its first word is an infinitive verb (spaCy morphology)."""
    # The small model tags a capitalised sentence-initial verb as a proper noun: lowercase it.
    heads = [" ".join(t.split()[:HEAD_WORDS]) for t in texts]
    heads = [h[:1].lower() + h[1:] if h[1:2].islower() else h for h in heads]
    out = [False] * len(texts)
    # Only a text whose opening word could be an infinitive goes to spaCy, each distinct one once.
    todo = [(i, h) for i, h in enumerate(heads) if h and h[0].isalpha() and _may_be_infinitive(h)]
    if not todo:
        return out
    # Each distinct opening goes to the model once per process: a document read twice (plan
    # region and whole document) and its decision ask about the same openings again.
    distinct = [h for h in dict.fromkeys(h for _, h in todo) if h not in _VERDICTS]
    if distinct:
        if len(_VERDICTS) > MAX_CACHED_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS.update(zip(distinct, (_opens_with_infinitive(doc)
                                        for doc in nlp().pipe(distinct, batch_size=BATCH_SIZE))))
    for i, h in todo:
        out[i] = _VERDICTS[h]
    return out


INFINITIVE_ENDINGS = ("er", "ir", "re")  # every French infinitive ends so (aller, finir, prendre, voir)
REFLEXIVE = ("s'", "s’", "se")
WORD_EDGE = ".,;:!?()«»\"'’"


def _may_be_infinitive(head: str) -> bool:
    """Cheap test before spaCy: the first word (after a reflexive pronoun) ends like an infinitive."""
    words = head.lower().split()
    first = words[0]
    if first == "se" and len(words) > 1:
        first = words[1]
    elif first.startswith(("s'", "s’")):
        first = first[2:]
    return first.strip(WORD_EDGE).endswith(INFINITIVE_ENDINGS)


def _opens_with_infinitive(doc) -> bool:
    """Whether a parsed opening starts with an infinitive verb."""
    tok = next((t for t in doc if not t.is_punct), None)
    if tok is None:
        return False
    # "S'assurer", "Se doter": the reflexive pronoun comes first.
    if tok.lower_ in REFLEXIVE and len(doc) > tok.i + 1:
        tok = doc[tok.i + 1]
    forms = tok.morph.get("VerbForm")
    # "Planifier et développer": a coordination of infinitives, the first sometimes mis-tagged.
    coordinated = len(doc) > tok.i + 2 and doc[tok.i + 1].lower_ in ("et", "ou") and \
        "Inf" in doc[tok.i + 2].morph.get("VerbForm") and tok.lower_.endswith(INFINITIVE_ENDINGS)
    return "Inf" in forms or coordinated
