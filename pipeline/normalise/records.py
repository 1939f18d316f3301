"""Normalisation with pandas: clean titles, merge duplicates inside a plan, resolve organisations."""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

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


def records_frame(records: list[Record]) -> pd.DataFrame:
    cols = ["id", "level", "label", "number", "title", "parent", "description", "group"]
    return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in records], columns=cols)


def normalise_records(records: list[Record]) -> list[Record]:
    """Clean titles, then merge records that repeat inside a plan (same level, parent and
    title): the first keeps its place and inherits the others' children and attributes."""
    if not records:
        return records
    for r in records:
        r.title = clean_title(r.title)
        if r.group:
            r.group = clean_title(r.group)
    df = records_frame(records)
    df["key"] = df["level"] + "|" + df["parent"].fillna("") + "|" + df["title"].map(lambda t: fold(t))
    first = df.groupby("key", sort=False)["id"].transform("first")
    alias = dict(zip(df["id"], first))
    if all(k == v for k, v in alias.items()):
        return records
    keep = []
    by_id = {r.id: r for r in records}
    for r in records:
        target = by_id[alias[r.id]]
        if target is not r:
            target.indicators.extend(i for i in r.indicators if i not in target.indicators)
            target.description = target.description or r.description
            continue
        keep.append(r)
    for r in keep:
        while r.parent and alias.get(r.parent, r.parent) != r.parent:
            r.parent = alias[r.parent]
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
