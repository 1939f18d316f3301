"""The list and numbering grammar shared by every extractor and the structurer.

Bullet glyphs, list markers ("1.", "a)", "2°"), outline numbers ("1.2", "IV.", "A.1") and the
parsing of a number leading a title live here, so that the PDF, text and HTML paths and the
structure stage agree on what a marker is.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------- bullet glyphs

# The bullet glyphs of every reader: typographic bullets, boxes, checks, arrows and dashes, and the
# "∙", "·", ">" or "»" a typesetter sets apart before an item.
BULLET_GLYPHS = "•◦▪▫■□●○◆◇♦❖✓✔✗✘➢➤►▶▸‣⁃∙·–—-*>»→➔➜›"
PDF_BULLET_GLYPHS = BULLET_GLYPHS
# A paragraph whose markup did not make it a list item may also open with a star or a check box
# ("★ Réduire…"); on a PDF page a run of stars is a rating ("★★☆"), not a marker.
PARAGRAPH_BULLET_GLYPHS = BULLET_GLYPHS + "✦★☐☑"
# Plain text and markdown: ">" opens a markdown quotation, not an item.
TEXT_BULLET_GLYPHS = BULLET_GLYPHS.replace(">", "")

# One bullet as a PDF prints it: a glyph, a private-use symbol-font glyph, or an unmapped (cid:N).
PDF_BULLET_CLASS = rf"[{re.escape(PDF_BULLET_GLYPHS)}\uf000-\uf8ff\U000f0000-\U000ffffd]|\(cid:\d+\)"
PDF_BULLET_RE = re.compile(rf"^\s*({PDF_BULLET_CLASS})\s*(?=\S)")
_PDF_BULLET_WORD_RE = re.compile(PDF_BULLET_CLASS)

# A text line that is a bullet item (the "o" of a second-level Word list before a capital, too).
TEXT_BULLET_RE = re.compile(rf"^(?P<indent>\s*)(?P<marker>(?:[{re.escape(TEXT_BULLET_GLYPHS)}"
                            r"\uf000-\uf0ff]|o(?=\s+[A-ZÀ-Ý]))(?:\s+[•·])?)\s+(?P<text>\S.*)$")
# A paragraph that opens with a bullet glyph.
GLYPH_BULLET_RE = re.compile(rf"^\s*(?P<glyph>[{re.escape(PARAGRAPH_BULLET_GLYPHS)}])\s+(?P<text>\S.*)$", re.S)
# One line of a paragraph holding several items ("a) …<br>b) …").
ITEM_LINE_RE = re.compile(rf"^(?P<marker>[a-z][).]|\d{{1,2}}[.)]|[{re.escape(PARAGRAPH_BULLET_GLYPHS)}])\s+"
                          r"(?P<text>\S.*)$")


def is_pdf_bullet(token: str) -> bool:
    """Whether a whole token is one bullet glyph as a PDF prints it."""
    return bool(_PDF_BULLET_WORD_RE.fullmatch(token))


# --------------------------------------------------------------------------- list markers

# An ordered list marker before an item's text: "1.", "a)", "(iv)", "A)", "2°".
LIST_NUM_RE = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\(?[A-Z]\)|\d{1,2}°)\s+(?=\S)")
# The same in scraped text, with its indent: "1.", "a)", "IV.".
# "M. Jean Dupont, syndic": the civility "Monsieur" before a person's name (a capitalised
# word then another one, or a comma), not the letter M of an outline.
NOT_CIVILITY = r"(?!\s*M\.\s+[A-ZÀ-Ý][\w'’\-]+(?:\s+[A-ZÀ-Ý]|,))"
TEXT_NUMBERED_RE = re.compile(r"^" + NOT_CIVILITY + r"(?P<indent>\s*)(?P<marker>(?:\d{1,3}|[a-zA-Z]|[IVXivx]{1,5})[.)])\s+(?P<text>\S.*)$")


def list_marker(text: str) -> tuple[str | None, bool, str]:
    """(marker, ordered, rest) when a PDF line opens a list item; an unmapped (cid:N) bullet is "•"."""
    m = PDF_BULLET_RE.match(text)
    if m:
        mk = m.group(1)
        return ("•" if mk.startswith("(cid:") else mk), False, text[m.end():]
    m = LIST_NUM_RE.match(text)
    if m:
        return m.group(1), True, text[m.end():]
    return None, False, text


# --------------------------------------------------------------------------- outline numbers

# A heading number: "1", "1.2", "1.2.3." before its title.
HEAD_NUM_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
# A line that opens an item with a label and its number ("Action 1.1.2 Soutenir…", "AXE 2 – …") or
# an outline number ("1.2 Titre").
ITEM_START_RE = re.compile(r"^(?:(?:[A-ZÀ-Ý][a-zà-ÿ'’\-]+|[A-ZÀ-Ý'’\-]{2,})(?:\s+(?:d['’]|de\s+)?[a-zà-ÿA-ZÀ-Ý'’\-]+)?\s+"
                           r"(?:n[°º]\s*)?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVX]{1,4})|\d{1,2}(?:\.\d{1,2})+)"
                           r"\s*(?:[.:)\-–—]\s*)?(?=[A-ZÀ-Ý«])")
# A token that is only an outline number: 1, 1.2, 1.2.3, 1-2, 1), (1), 1°, a), A., IV, IV., M1, A1.2 (a lone
# I, V or X needs its point: bare, it is as often a variable in a formula).
OUTLINE_NUM_RE = re.compile(r"\(?(?:\d{1,2}(?:[.\-]\d{1,2}){0,3}[.)°]?|[a-zA-Z][.)]|[IVX]{2,5}[.)]?|[ivx]{1,4}[.)]|"
                            r"[A-Z]{1,3}\d{1,2}(?:\.\d{1,2}){0,2}[.)]?)")
ITEM_TEXT_START_RE = re.compile(r"[^\W\d_]|[«\"“‘'(]")  # an item's text opens with a letter or a quote ...
ITEM_TITLE_START_RE = re.compile(r"[«\"“‘'(\s]*[A-ZÀ-Ý]")  # ... a capital after a number without . or ): a title
BIG_LETTER_RE = re.compile(r"^\s*([A-Z])\.?\s*$")  # a lettered section (A, B, C) set big in a box beside its title
BARE_NUMERAL_RE = re.compile(r"^\s*(\d{1,3}|[IVXLC]{1,5})\.?\s*$")  # a numeral standing alone
# An outline number before a title: "1.2 Titre", "1-2 : Titre", "2.3. Titre".
NUMBERED_TITLE_RE = re.compile(r"^(?P<num>\d{1,2}(?:[.\-]\d{1,2}){0,3})\s*[.):\-–]?\s*(?=\S)(?P<title>.*)$")
# An outline number before a capitalised title: "1.2 Titre", "I. TITRE", "A. Titre", "a) Titre", "1) Titre".
OUTLINE_TITLE_RE = re.compile(r"^" + NOT_CIVILITY + r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[IVXLC]{1,6}[.)]|[A-Z][.)]|[a-z][.)])\s+"
                              r"(?=[A-ZÀ-Ý«\"])(?P<title>.*)$")

# A single capital lettering a title with a dash or a colon: "A – Favoriser la marche".
LETTER_DASH_RE = re.compile(r"^([A-Z])\s*[–—:-]\s+(?=\S)")
# A number as printed before a title: "1", "1.2", "1.2.3", "IV", "A", "a)"; its separator is optional.
# "A.1" / "A.1.1": a letter then dotted digits (an outline that letters its axes).
NUMBER = r"(?:\d{1,3}(?:\.\d{1,3}){0,3}|[A-Z](?:\.\d{1,3}){1,3}|[IVXLC]{1,6}|[A-Za-z])"
LEADING_NUMBER_RE = re.compile(rf"^{NOT_CIVILITY}(?P<num>{NUMBER})(?:[.)]|\s*[-–—:])?\s+(?P<rest>\S.*)$", re.S)
BARE_NUMBER_RE = re.compile(r"^\s*(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})\s*[.)]?\s*$")
MAX_ITEM_NUMBER = 300  # a larger leading figure is a year or an amount


def split_leading_number(text: str, strict: bool = True) -> tuple[str | None, str]:
    """("2", "Consultation…") from "2 Consultation…"; letters need a separator ("a) …", "A. …")."""
    m = LEADING_NUMBER_RE.match(text)
    if not m:
        return None, text
    num = m.group("num")
    after = text[len(num):len(num) + 1]
    if num.isalpha() and after not in (".", ")") and not LETTER_DASH_RE.match(text):
        # "A Ville" is a word, "A." or "A – Titre" is numbering; Roman numerals need the separator too.
        return None, text
    if strict and num.isdigit() and int(num) > MAX_ITEM_NUMBER:
        return None, text  # a year or an amount, not an item number
    return num.rstrip("."), m.group("rest")


def bare_number(text: str) -> str | None:
    """The number when a block is only a number (a big numeral set apart from its title)."""
    m = BARE_NUMBER_RE.match(text)
    return m.group("num") if m else None


# --------------------------------------------------------------------------- page furniture

# A page number as a printer sets it: "12", "- 12 -", "Page 3", "p. 3", "3/12", "Page 3 sur 12", "iv".
PAGE_NUMBER_RE = re.compile(r"^\s*(?:page|p\.|pg\.?)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*"
                            r"(?:(?:/|sur|of|de)\s*\d{1,4})?\s*[-–—]?\s*$", re.I)
# A table-of-contents entry: a title, a leader of dots (or ellipses, underscores), a page number.
CONTENTS_LINE_RE = re.compile(r"^(?P<title>.*?\S)\s*(?:[.·…_‥]\s*){3,}\s*(?P<page>\d{1,4}|[ivxlc]{1,6})$", re.I)
