"""List numbering as a word processor prints it: counters per list and level, formats, bullets.

Word (``w:numFmt`` + ``w:lvlText`` such as ``"%1.%2."``) and OpenDocument (``style:num-format`` +
``num-prefix``/``num-suffix``, ``display-levels``) describe the same thing; both end here.
"""
from __future__ import annotations

BULLET = "•"
# Word's bullet levels use Symbol/Wingdings private-use code points (""): printed as a bullet.
_PRIVATE = range(0xE000, 0xF900)
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Word's numFmt values and OpenDocument's num-format letters, by what they print.
FORMATS = {"decimal": "1", "decimalZero": "01", "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i",
           "upperRoman": "I", "ordinal": "1", "1": "1", "a": "a", "A": "A", "i": "i", "I": "I"}


def format_number(n: int, fmt: str) -> str:
    """``n`` printed in a list format: 1, 01, a, A, i, I (anything else: decimal)."""
    kind = FORMATS.get(fmt, "1")
    if kind == "01":
        return f"{n:02d}"
    if kind in ("a", "A") and n >= 1:
        s, m = "", n
        while m:
            m, r = divmod(m - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if kind == "A" else s
    if kind in ("i", "I") and 1 <= n < 4000:
        s, m = "", n
        for v, r in _ROMAN:
            while m >= v:
                s, m = s + r, m - v
        return s.upper() if kind == "I" else s
    return str(n)


def bullet_glyph(text: str | None) -> str:
    """A bullet as printed; symbol-font private-use glyphs and empty texts become "•"."""
    t = (text or "").strip()
    if not t or any(ord(ch) in _PRIVATE for ch in t):
        return BULLET
    return t[:3]


class Counters:
    """Item counters of one list: going to a level counts it and restarts the levels below it."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def step(self, level: int, start: int = 1) -> dict[int, int]:
        """Count one item at ``level``; returns the current value of every level up to it."""
        self.values[level] = self.values.get(level, start - 1) + 1
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]
        return dict(self.values)
