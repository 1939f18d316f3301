"""Normalisation: clean titles, merge records repeated across a break, resolve organisations."""
from __future__ import annotations

import re
import unicodedata

from planscope.models.records import Record

from planscope.pipeline.structure.lexicon import fold, lexicon

QUOTES = str.maketrans({"‘": "’", "'": "’", "ʼ": "’", "`": "’", "“": "«", "”": "»", "\u00a0": " ",
                        "\u202f": " "})
TRAILING = re.compile(r"[\s;.:,]+$")


def clean_title(title: str) -> str:
    """NFC, one apostrophe and one quote style, whitespace folded, trailing punctuation dropped."""
    t = unicodedata.normalize("NFC", title or "").translate(QUOTES)
    t = re.sub(r"\s+", " ", t).strip()
    return TRAILING.sub("", t)


def normalise_records(records: list[Record]) -> list[Record]:
    """Clean titles, then merge a record into its previous sibling (same level, same parent) when
    both carry the same title: a list or table continued across a page or column break prints its
    last heading again. The first keeps its place and inherits the repeat's children and attributes.
    Same-titled records with other siblings between them stay apart: they are distinct parts (the
    same axes in a table of objectives and in a table of measures)."""
    for r in records:
        r.title = clean_title(r.title)
        if r.group:
            r.group = clean_title(r.group)
    alias: dict[str, str] = {}
    last_sibling: dict[tuple[str, str | None], Record] = {}
    keep = []
    for r in records:
        r.parent = alias.get(r.parent, r.parent)
        prev = last_sibling.get((r.level, r.parent))
        if prev is not None and fold(prev.title) == fold(r.title):
            alias[r.id] = prev.id
            prev.indicators.extend(i for i in r.indicators if i not in prev.indicators)
            prev.description = prev.description or r.description
            continue
        last_sibling[(r.level, r.parent)] = r
        keep.append(r)
    return keep


# -- organisations -----------------------------------------------------------
def org_identity(name: str, org_type: str | None = None) -> tuple[str, str | None, str]:
    """('MRC de Bellechasse', 'mrc', 'mrc:bellechasse') from any of "MRC de Bellechasse",
    "Bellechasse (MRC)", "MRC Bellechasse", "MRC DE BELLECHASSE"."""
    lex = lexicon()
    raw = re.sub(r"\s+", " ", (name or "").strip())
    kind_type, kind_word, core = org_type, None, raw
    m = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", raw)  # "Bellechasse (MRC)"
    if m:
        core, kind_word = m.group(1), m.group(2)
    else:
        for typ, words in lex.org_kinds.items():
            for w in sorted(words, key=len, reverse=True):
                mm = re.match(rf"^{re.escape(w)}\b\s*(?:(?:de|du|des)\s+|d[’']\s*)?(.*)$", raw, re.I)
                if mm and mm.group(1):
                    kind_word, core = w, mm.group(1)
                    break
            if kind_word:
                break
    if kind_word:
        for typ, words in lex.org_kinds.items():
            if any(fold(kind_word) == fold(w) for w in words):
                kind_type = kind_type or typ
                kind_word = next(w for w in words if fold(w) == fold(kind_word))
    if core.isupper():
        core = " ".join(p if p.lower() in ("de", "du", "des", "la", "le", "les") else p.capitalize()
                        for p in core.lower().split())
    display = raw
    if kind_word:
        particle = "d’" if re.match(r"^[AEIOUYÉÈÊÎÔÛaeiouyéèêîôû]", core) and not re.match(r"^(La|Le|Les)\b", core) \
            else "de "
        display = f"{kind_word} {particle}{core}".replace("d’ ", "d’")
    key = f"{fold(kind_type or 'org')}:{fold(core)}"
    key = re.sub(r"[^a-z0-9:]+", "-", key).strip("-")
    return display, kind_type, key
