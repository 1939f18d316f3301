"""Text hygiene shared by every extractor: Unicode, ligatures, whitespace, hyphens."""
from __future__ import annotations

import re
import unicodedata

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st", "\u0152": "Œ", "\u0153": "œ"}
_LIG_RE = re.compile("[\ufb00-\ufb06]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff\u00ad]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A word and the hyphen that ends a line: "dévelop-".
_LINE_END_HYPHEN_RE = re.compile(r"(\w+)[-\u2010]$")
# First parts of French compounds that keep their hyphen when a line break falls after it
# ("porte-parole", "sous-traitance", "arrière-pays", "c'est-à-dire").
KEEP_HYPHEN_PREFIXES = {"sous", "porte", "arrière", "avant", "après", "demi", "semi", "mi", "non", "quasi", "ex",
                        "vice", "grand", "grande", "petit", "petite", "belle", "beau", "saint", "sainte", "st",
                        "ste", "nord", "sud", "est", "ouest", "contre", "entre", "haut", "basse", "bas", "mise",
                        "peut", "c'est", "c’est", "au", "rez", "bien", "mal", "plus", "moins"}


def expand_ligatures(text: str) -> str:
    """Replace typographic ligature code points by their letters."""
    return _LIG_RE.sub(lambda m: LIGATURES[m.group(0)], text)


def clean_text(text: str) -> str:
    """NFC, ligatures expanded, control characters dropped, spaces folded (newlines kept)."""
    text = unicodedata.normalize("NFC", expand_ligatures(text or ""))
    text = _CONTROL_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


_WHITESPACE_RE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse every run of whitespace, newlines included, to one space."""
    if not text:
        return ""
    # Already one line (the common case: the readings ask again and again): no regex pass.
    if " " + " " not in text and text.isprintable() and text[:1] != " " and text[-1:] != " ":
        return text
    return _WHITESPACE_RE.sub(" ", text).strip()


def join_hyphen_break(left: str, right: str) -> str | None:
    """``left`` and the next line ``right`` joined across the hyphen that ends ``left``, or None
    when ``left`` does not end with a word and a hyphen.

    The hyphen is dropped ("dévelop-" + "pement" → "développement") only when every sign says a
    word was split by the typesetter: the next line goes on in lowercase, the part before the
    hyphen is not a number ("2019-" + "2025") nor a known first part of a French compound
    (``KEEP_HYPHEN_PREFIXES``: "porte-" + "parole" → "porte-parole"), and the next word holds no
    hyphen of its own ("Saint-" + "Jean-de-Luz"). Otherwise the hyphen is a real one and stays,
    without a space ("Saint-" + "Nérée" → "Saint-Nérée"). A rule that only reads the two words,
    so that the text and PDF paths, which both call it, agree; a dictionary would know more words
    but not the proper names plans are full of."""
    m = _LINE_END_HYPHEN_RE.search(left)
    if not m:
        return None
    word = m.group(1).lower()
    nxt = right.split(" ", 1)[0]
    if right[:1].islower() and word not in KEEP_HYPHEN_PREFIXES and "-" not in nxt and not word.isdigit():
        return left[:-1] + right
    return left + right


def join_lines(texts: list[str]) -> str:
    """Wrapped lines joined with a space, or across a line-end hyphen by ``join_hyphen_break``."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if not out:
            out = t
            continue
        joined = join_hyphen_break(out, t)
        out = joined if joined is not None else out + " " + t
    return out


def join_hyphenated(text: str) -> str:
    """Every line of ``text`` that ends with a hyphen joined to the next by ``join_hyphen_break``;
    other line breaks stay."""
    lines = text.split("\n")
    out = lines[0]
    for line in lines[1:]:
        joined = join_hyphen_break(out, line)
        out = joined if joined is not None else out + "\n" + line
    return out
