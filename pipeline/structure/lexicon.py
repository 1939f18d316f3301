"""The label lexicon (data/lexicon.json) and the matchers built on it."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


# The combining marks of the Basic Multilingual Plane, dropped by one str.translate instead of a
# per-character test (fold runs on every line of a document, several times).
_BMP_COMBINING = {cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))}


FOLD_CACHED_LENGTH = 300  # lines and labels: the readings fold the same ones again and again


def fold(text: str) -> str:
    """Lowercase, accents folded, apostrophes unified."""
    # A 234-page document folds 55,000 texts of which 8,500 are distinct.
    return _fold_cached(text) if len(text) <= FOLD_CACHED_LENGTH else _fold(text)


@lru_cache(maxsize=1 << 15)
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("æ", "ae"))
    if max(text) > "\uffff":
        text = "".join(c for c in text if not unicodedata.combining(c))
    else:
        text = text.translate(_BMP_COMBINING)
    return text.replace("’", "'").replace("ʼ", "'")


def word_key(word: str) -> str:
    """A lemma-like key for a noun or adjective: folded, plural -s/-x dropped."""
    w = fold(word)
    if len(w) > 3 and w.endswith(("s", "x")) and not w.endswith("ss"):
        w = w[:-1]
    return w


def key_words(text: str) -> list[str]:
    """Keys of the words of a phrase, elided articles (d', l') as their own word."""
    out = []
    for tok in re.findall(r"[^\s'’ʼ]+['’ʼ]?", text):
        if tok[-1] in "'’ʼ":
            out.append(word_key(tok[:-1]))
        else:
            tok = tok.strip(".,;:()«»\"")
            if tok:
                out.append(word_key(tok))
    return out


COMPLEMENT_WORDS = {"de", "d", "du", "des"}  # "Lieu d'activité": the level word is a complement


@dataclass(frozen=True)
class LabelHit:
    kind: str  # "level", "group" or an attribute name
    value: str  # canonical level, "group" or the attribute
    words: int  # how many words of the text the label covers


class Lexicon:
    def __init__(self, data: dict):
        self.data = data
        self.phrases: dict[tuple[str, ...], LabelHit] = {}
        for level, words in data["levels"].items():
            for w in words:
                self._add(w, "level", level)
        for w in data["groups"]:
            self._add(w, "group", "group")
        for attr, words in data["attributes"].items():
            for w in words:
                self._add(w, "attribute", attr)
        self.max_len = max(len(k) for k in self.phrases)
        self.nominal = sorted((tuple(key_words(w)) for w in data["nominalised_actions"]), key=len, reverse=True)
        self.plan_title_words = [fold(w) for w in data["plan_title_words"]]
        self.org_kinds = data["organisation_kinds"]
        self.total_rows = {fold(w) for w in data.get("total_rows", [])}
        self.title_heads = {w for phrase in data.get("column_title_heads", []) for w in key_words(phrase)[:1]}
        # "Mesures prévues", "Actions à mener": words after a plural level label that make it the
        # caption of the items below, not a record's title.
        self.caption_qualifiers = {fold(w) for w in data.get("caption_qualifiers", [])}

    def _add(self, phrase: str, kind: str, value: str) -> None:
        key = tuple(key_words(phrase))
        # Abbreviations (OS, OO) only match in capitals: "os" is a French word too.
        if phrase.isupper() and len(phrase) <= 3:
            key = ("@" + phrase,)
        self.phrases.setdefault(key, LabelHit(kind, value, len(key)))

    def match_start(self, words: list[str], raw: list[str] | None = None) -> LabelHit | None:
        """Longest lexicon phrase at the start of a list of word keys."""
        if raw and raw[0].isupper() and ("@" + raw[0],) in self.phrases:
            return self.phrases[("@" + raw[0],)]
        for n in range(min(self.max_len, len(words)), 0, -1):
            hit = self.phrases.get(tuple(words[:n]))
            if hit:
                return LabelHit(hit.kind, hit.value, n)
        return None

    def header_roles(self, header: str) -> list[LabelHit]:
        """Every lexicon phrase named by a column header ("Axe/Volet" names axis and group)."""
        hits = []
        for part in re.split(r"[/&,]|\bet\b|\bou\b", header):
            words = key_words(part)
            for start in range(len(words)):
                hit = self.match_start(words[start:])
                if hit:
                    if not (hit.kind == "level" and self._complement(words[:start])):
                        hits.append(hit)
                    break
        return hits

    def _complement(self, before: list[str]) -> bool:
        """A level word after "de"/"d'" names what the column is about, not the level itself
        ("Lieu d'activité", "Type d'action", "Nombre de mesures"), unless the column is the level's
        title ("Intitulé de l'action", "Libellé de la mesure": data/lexicon.json, column_title_heads)."""
        return bool(before) and any(w in COMPLEMENT_WORDS for w in before) and before[0] not in self.title_heads

    def is_nominalised_action(self, text: str) -> bool:
        words = key_words(text[:80])
        return any(tuple(words[:len(p)]) == p for p in self.nominal)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = resources.files("planscope.pipeline").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    return Lexicon(json.loads(raw))


# Feminine endings of demonyms, longest first: "louviérois" → "louviéroise".
FEMININE_ENDINGS = (("eau", "elle"), ("ien", "ienne"), ("een", "eenne"), ("on", "onne"), ("ois", "oise"),
                    ("ais", "aise"), ("ain", "aine"), ("ard", "arde"), ("aud", "aude"), ("in", "ine"))


def demonym_forms(word: str) -> set[str]:
    """Folded masculine, feminine and plural forms of a demonym."""
    m = fold(word)
    forms = {m, m + "s" if not m.endswith(("s", "x")) else m}
    for masc, fem in FEMININE_ENDINGS:
        if m.endswith(masc):
            f = m[: -len(masc)] + fem
            forms |= {f, f + "s"}
            break
    if m.endswith("eau"):
        forms.add(m + "x")
    return forms


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Folded demonym form → the organisation it names (data/gentiles.json)."""
    raw = resources.files("planscope.pipeline").joinpath("data/gentiles.json").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for word, org in json.loads(raw)["demonyms"].items():
        for form in demonym_forms(word):
            out.setdefault(form, org)
    return out
