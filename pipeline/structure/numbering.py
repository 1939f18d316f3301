"""The numbering grammar: 1, 1.2, 1.2.3, I., A., a), 4.6.1, big standalone numerals."""
from __future__ import annotations

import re

# A number as printed before a title: "1", "1.2", "1.2.3", "IV", "A", "a)"; its separator is optional.
# "A.1" / "A.1.1": a letter then dotted digits (an outline that letters its axes).
NUMBER = r"(?:\d{1,3}(?:\.\d{1,3}){0,3}|[A-Z](?:\.\d{1,3}){1,3}|[IVXLC]{1,6}|[A-Za-z])"
LEADING_NUMBER_RE = re.compile(rf"^(?P<num>{NUMBER})(?:[.)]|\s*[-–—:])?\s+(?P<rest>\S.*)$", re.S)
BARE_NUMBER_RE = re.compile(r"^\s*(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})\s*[.)]?\s*$")
ROMAN_RE = re.compile(r"^[IVXLC]+$")


def split_leading_number(text: str, strict: bool = True) -> tuple[str | None, str]:
    """("2", "Consultation…") from "2 Consultation…"; letters need a separator ("a) …", "A. …")."""
    m = LEADING_NUMBER_RE.match(text)
    if not m:
        return None, text
    num = m.group("num")
    after = text[len(num):len(num) + 1]
    if num.isalpha() and after not in (".", ")"):
        # "A Ville" is a word, "A." is numbering; Roman numerals need the separator too.
        return None, text
    if strict and num.isdigit() and int(num) > 300:
        return None, text  # a year or an amount, not an item number
    return num.rstrip("."), m.group("rest")


def bare_number(text: str) -> str | None:
    """The number when a block is only a number (a big numeral set apart from its title)."""
    m = BARE_NUMBER_RE.match(text)
    return m.group("num") if m else None


def depth_of(number: str | None) -> int | None:
    """Depth implied by a dotted number: "1" → 1, "1.2" → 2, "1.2.3" → 3."""
    if not number:
        return None
    return number.count(".") + 1 if re.match(r"^\d", number) else 1
