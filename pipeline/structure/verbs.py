"""Whether an item opens with an infinitive ("Renforcer …", "S'assurer …"), read from a word list.

A plan's action opens with its verb in the infinitive. The list (data/verbs.json) is every French
infinitive that the French model's own lemma tables know, written by scripts/build_verbs.py: the
question needs no tagger, and loading one cost 1.5-1.7 s and ~300 MB per process. On the 5,716
item openings of every corpus here the list and the tagger disagreed 85 times, 47 of them verbs
the tagger missed ("Introduire …", "Bonifier …", "Électrifier …").
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

REFLEXIVE = ("se", "s'")
WORD_EDGE = ".,;:!?()[]«»\"'“”…*•-–—"
ELISION_RE = re.compile(r"^([a-zœ]{1,2}')(.+)$")
# What opens a verb's complement: an article or possessive, a pronoun, a preposition, an adverb.
# A word that is both a noun and an infinitive ("Conseiller municipal", "Pouvoir d'achat") is read
# as the verb only before one of these, or before another infinitive ("Savoir accueillir").
COMPLEMENT_OPENERS = frozenset("""le la les l' un une du des son sa ses leur leurs notre nos votre vos
    ce cet cette ces tout tous toute toutes chaque plusieurs certains certaines
    à au aux en sur avec dans pour par vers auprès chez entre contre sans
    mieux davantage plus ensemble et ou y lui nous vous se s'""".split())
# Before "de", only a mostly-noun infinitive is read as the noun ("Devoir de mémoire"); the other
# verbs that are also nouns are verbs there ("Bénéficier d'un accompagnement", "Sortir du …").
OF = frozenset({"de", "d'"})
# The 1990 reformed spelling drops the circumflex on i and u ("accroitre", "connaitre").
REFORMED = {"i": "î", "u": "û"}


@lru_cache(maxsize=1)
def verb_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(infinitives, infinitives also nouns, infinitives mostly nouns), from data/verbs.json."""
    data = json.loads(resources.files("planscope.pipeline").joinpath("data/verbs.json").read_text("utf-8"))
    return frozenset(data["infinitives"]), frozenset(data["also_nouns"]), frozenset(data["mostly_nouns"])


def opening_words(text: str, n: int = 4) -> list[str]:
    """The first words of a text, lowercased, elisions split ("s'assurer" → "s'", "assurer")."""
    out: list[str] = []
    for raw in text.replace("’", "'").lower().split()[:n]:
        m = ELISION_RE.match(raw)
        parts = [m.group(1), m.group(2)] if m else [raw]
        for p in parts:
            # "Encourager/soutenir": two infinitives joined by a slash; the first decides.
            w = p if p.endswith("'") else p.split("/")[0].strip(WORD_EDGE)
            if w:
                out.append(w)
    return out


def infinitive(word: str) -> str | None:
    """The infinitive a word is, in the list's spelling, or None."""
    inf = verb_lists()[0]
    if word in inf:
        return word
    word = word.replace("œ", "oe")
    if word in inf:
        return word
    for i, ch in enumerate(word):
        if ch in REFORMED and word[:i] + REFORMED[ch] + word[i + 1:] in inf:
            return word[:i] + REFORMED[ch] + word[i + 1:]
    # "co-construire", "ré-aménager": a verb behind a hyphenated prefix.
    if "-" in word:
        tail = word.rsplit("-", 1)[1]
        if len(tail) > 3 and tail in inf:
            return tail
    return None


def is_verb_only(word: str) -> bool:
    """Whether a word is an infinitive and nothing else ("sécuriser", not "usager" or "conseiller")."""
    inf, also_nouns, mostly_nouns = verb_lists()
    return word in inf and word not in also_nouns and word not in mostly_nouns


def opens_with_infinitive(text: str) -> bool:
    """Whether a text's first word (after a reflexive pronoun) is an infinitive verb."""
    words = opening_words(text)
    if not words:
        return False
    i = 1 if words[0] in REFLEXIVE and len(words) > 1 else 0
    verb = infinitive(words[i])
    if verb is None:
        return False
    _, also_nouns, mostly_nouns = verb_lists()
    if i or verb not in also_nouns | mostly_nouns:
        return True
    nxt = words[i + 1] if len(words) > i + 1 else None
    if nxt is None:
        return False
    if nxt in COMPLEMENT_OPENERS or infinitive(nxt) is not None:
        return True
    return nxt in OF and verb not in mostly_nouns


def starts_with_infinitive(texts: list[str]) -> list[bool]:
    """For each text, whether its first word is an infinitive verb."""
    return [opens_with_infinitive(t) for t in texts]
