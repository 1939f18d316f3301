"""Text hygiene shared by every extractor: Unicode, ligatures, whitespace, hyphens."""
from __future__ import annotations

import re
import unicodedata

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st", "\u0152": "Œ", "\u0153": "œ"}
_LIG_RE = re.compile("[\ufb00-\ufb06]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff\u00ad]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CID_RE = re.compile(r"\(cid:\d+\)")
# A line-end hyphen followed by a lowercase continuation: "dévelop-\npement".
_HYPHEN_BREAK_RE = re.compile(r"(\w)[-\u2010]\n([a-zà-ÿœæ])")


def expand_ligatures(text: str) -> str:
    """Replace typographic ligature code points by their letters."""
    return _LIG_RE.sub(lambda m: LIGATURES[m.group(0)], text)


def clean_text(text: str) -> str:
    """NFC, ligatures expanded, control characters dropped, spaces folded (newlines kept)."""
    text = unicodedata.normalize("NFC", expand_ligatures(text or ""))
    text = _CONTROL_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def one_line(text: str) -> str:
    """Collapse every run of whitespace, newlines included, to one space."""
    return re.sub(r"\s+", " ", text or "").strip()


def join_hyphenated(text: str) -> str:
    """Join a word split by a hyphen at a line end; real hyphens (Saint-Nérée) stay."""
    return _HYPHEN_BREAK_RE.sub(r"\1\2", text)


def cid_ratio(text: str) -> float:
    """Share of the text made of `(cid:N)` placeholders (glyphs without Unicode)."""
    if not text:
        return 0.0
    return sum(len(m) for m in _CID_RE.findall(text)) / len(text)
