"""Blocks → axis / orientation / action records (rules of plan-records.md).

The structurer reads a document's blocks once, in order, and keeps a stack
of open records. A block becomes a record when

* it opens with a level label from the lexicon followed by a number or a
  separator ("AXE 1 Organisation", "Objectif : Moderniser", "ORIENTATION 1 -");
* it follows a label-only line that names its level ("Actions préconisées :",
  "AXE D'INTERVENTION" then the title), bound to the list that follows;
* it sits in a table column whose header names a level ("Actions spécifiques");
  other columns give the group (Volet, Thème) and attributes (indicators...);
* it is an item of a list introduced by an unlabelled group title (a bold or
  lone bullet, or a heading, followed by a list): the title is the broader level.

Everything else (narrative, quotes, context) gives no record, at most the
description of the record above it.

One module because its rules are methods of one state machine: each reads and
changes the same stack of open records and the same table and list state, in
one pass; split across modules they would pass that state back and forth.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block
from planscope.extractors.grammar import OUTLINE_TITLE_RE as OUTLINE_RE
from planscope.extractors.grammar import LETTER_DASH_RE, bare_number, split_leading_number
from planscope.extractors.hygiene import one_line
from planscope.models.records import LEVEL_RANK, LEVELS, Indicator, Record

from planscope.pipeline.structure.lexicon import Lexicon, LabelHit, fold, lexicon, word_key
from planscope.pipeline.structure.outline import NUMBERED_TITLE_RE, number_parts

# A qualifier between a label and its number: "Objectif de développement 1", "Axe de travail 2".
LABEL_QUALIFIER_RE = re.compile(r"^\s+(?:de|du|des|d['’])\s*[a-zà-ÿ][a-zà-ÿ\-]+(?:\s+[a-zà-ÿ][a-zà-ÿ\-]+)?(?=\s+\S)")
ABBREVIATION_CODE_RE = re.compile(r"^([A-Z]{2,3})\.(\d)")
SEPARATOR_RE = re.compile(r"^\s*[:\-–—.)·•|]\s*")
# The number after a label: "AXE 2", "Action n° 4", "Défi n°1", "Objectif A.1", "OS IV", "Volet B -".
LABEL_NUMBER_RE = re.compile(r"^\s*(?:[nN][°º]\s*|[nN]o\.?\s+(?=\d))?"
                             r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,3}(?:\.[A-Z](?![\w]))?(?!\d)|[A-Z](?:\.\d{1,3}){1,3}|[A-Z]{1,3}[.\-]?\d{1,3}(?:\.\d{1,3}){0,3}(?!\d)|[IVXLC]{1,6}(?![a-zà-ÿ])"
                             r"|[A-Z](?=[\s.):\-–—]))")
TOKEN_RE = re.compile(r"[^\s'’ʼ]+['’ʼ]?")
TRAILING_PUNCT = " \t;.:,"
QUOTE_PAIRS = {'"': '"', "«": "»", "“": "”", "'": "'", "‘": "’"}
ACTION_LIST_SHARE = 0.6  # a list whose items mostly read as actions is a list of records
MAX_INTRO_PARAGRAPHS = 2  # sentences between a group title and its list
WEAK_ACTION_LIST_SHARE = 0.5  # ... or half of them, under a title styled as the other group titles
ANNOUNCING_TAIL_WORDS = 2  # words after the level word closing an announcing sentence ("projets structurants", "actions suivantes")
FORCE_LABELLED_LISTS = True  # rule 4: an unlabelled list right under a labelled record holds its children
# An item code: letters then a number ("M4", "FA-12", "P 3") before a capitalised title.
CODE_RE = re.compile(r"^(?P<code>(?P<prefix>[A-Z]{1,3})[\s\-]?\d{1,3}(?:\.\d{1,3})*)\s*[.:\-–—]?\s+(?P<title>[A-ZÀ-Ý«].*)$")
MIN_CODE_FAMILY = 3  # codes seen this often are the document's numbering, not an abbreviation
# A column that numbers the rows ("N° mesure", "Réf.", "Code action"): the records' number, not a level.
NUMBER_HEADER_RE = re.compile(r"^(?:n[°º]|no\b|num[ée]ro|r[ée]f[ée]rence|r[ée]f\b|code)", re.I)
NUMBER_CELL_CHARS = 12
TITLE_RUN_TAIL = 12  # characters of a bold title's end looked for in the item's text (its number may be cut)
RATING_MIN_ROWS = 2  # one-word cells in this many rows make a level column a rating
# A priority printed as stars or a short code ("★★★ P1", "**", "P2"): a rating's token, no title.
RATING_TOKEN_RE = re.compile(r"^(?:[★☆✩✪✭*+●○◆◇■□]{1,5}|[A-Za-z]{0,2}\d)$")
# A cell that is a figure: a count, an amount, a share ("13", "1 250 000", "12,5 %", "350 000 CHF").
FIGURE_CELL_RE = re.compile(r"^[\s\-–+(≤≥<>~]*[\d\s.,'’\u00a0\u202f%]+(?:k?€|\$|%|chf|fr\.?|eur)?[\s)]*$", re.I)
THEME_HEADINGS_MIN = 2  # unlabelled titles over labelled actions, this many, make the axes
TYPE_COLUMN_MIN_ROWS = 3  # level labels alone in this many rows make a column the rows' type
HEADER_CELL_CHARS = 40  # a header cell names a column; a longer cell is content
# A level word dated by a year ("Objectif 2030", "Cible 2050") heads a column of targets for that
# year (figures to reach), not a column of records.
DATED_HEADER_RE = re.compile(r"\b(?:19|20)\d\d\s*$")
SHEET_MIN_FIELDS = 3  # field names down a two-column table's first column make it one record's sheet
MAX_ANNOUNCED = 200  # a larger count is a statistic ("640 actions réalisées"), not the plan's size
CONTINUATION_LOOKBACK = 30  # records back where a repeated numbered title continues its record
LONG_TITLE = 60  # characters: an item longer than this with two sentences keeps the first as title
MAX_DESCRIPTION = 2000
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
                "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
                "soixante": 60}
# French compounds, written with hyphens ("vingt-quatre", "trente-et-une", "soixante-dix-sept"):
# without them "vingt-quatre actions" was read as 4.
NUMBER_WORD_RE = (r"(?:(?:vingt|trente|quarante|cinquante|soixante)(?:-et)?-(?:dix-)?"
                  r"(?:une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize)"
                  r"|dix-(?:sept|huit|neuf)|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")")


def number_word_value(word: str) -> int | None:
    """12 from "12", 24 from "vingt-quatre", 71 from "soixante-et-onze", 17 from "dix-sept"."""
    w = word.lower()
    if w.isdigit():
        return int(w)
    parts = [p for p in w.split("-") if p != "et"]
    if not parts or any(p not in NUMBER_WORDS for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)


@dataclass
class Label:
    hit: LabelHit
    text: str  # the label as printed
    number: str | None
    title: str
    plural: bool
    separated: bool
    caption: bool = False  # "Mesures prévues": a heading naming the level of the items below it

    @property
    def only(self) -> bool:
        return not self.title


@lru_cache(maxsize=4096)  # the same text is asked several times per document (a Label is not changed after)
def parse_label(text: str, lex: Lexicon) -> Label | None:
    """Read "LABEL [NUMBER] [SEP] TITLE" at the start of a text, or a leading number then a label alone."""
    lab = _parse_label_at_start(text, lex)
    if lab is not None:
        return lab
    num, rest = split_leading_number(text)
    if num and num.isdigit():
        lab = _parse_label_at_start(rest, lex)
        if lab is not None and lab.only and lab.number is None and not lab.plural:
            lab.number = num
            return lab
    return None


def _parse_label_at_start(text: str, lex: Lexicon) -> Label | None:
    # "OO.1.1 – …", "OS.2 …": an abbreviated label glued to its code by a dot.
    text = ABBREVIATION_CODE_RE.sub(r"\1 \2", text, count=1)
    toks = [(m.group(0), m.start()) for m in TOKEN_RE.finditer(text[:160])][:8]
    if not toks:
        return None
    keys, raws = [], []
    for tok, _ in toks:
        core = tok.rstrip("'’ʼ").strip(".,;:()«»\"")
        keys.append(word_key(core) if core else "")
        raws.append(core)
    hit = lex.match_start(keys, raws)
    if hit is None:
        return None
    last_tok, last_start = toks[hit.words - 1]
    core = last_tok.rstrip(".,;:()«»\"")
    end = last_start + len(core)
    label_text = text[:end].strip()
    plural = any(fold(r).endswith(("s", "x")) and word_key(r) != fold(r) for r in raws[:hit.words])
    rest = text[end:]
    number = None
    if plural and fold(rest).strip(" :.–-") in lex.caption_qualifiers:
        return Label(hit=hit, text=text[:end].strip(), number=None, title="", plural=True, separated=False,
                     caption=True)
    q = LABEL_QUALIFIER_RE.match(rest)
    if q and LABEL_NUMBER_RE.match(rest[q.end():]):  # "Objectif de développement 1 – …"
        label_text += rest[:q.end()].rstrip()
        rest = rest[q.end():]
    m = LABEL_NUMBER_RE.match(rest)
    if m:
        number = m.group("num")
        rest = rest[m.end():]
    sep = SEPARATOR_RE.match(rest)
    separated = bool(sep) or bool(re.match(r"^\s*\n", text[end:]))
    if sep:
        rest = rest[sep.end():]
    title = rest.strip()
    if title and not number and not separated:
        return None  # "Objectifs poursuivis par cet atelier": a sentence, not a label
    if title and title[0].islower() and not number and hit.kind == "level":
        return None  # an attribute's value may start in lower case ("Porteur : service des loisirs")
    return Label(hit=hit, text=label_text, number=number, title=title, plural=plural, separated=separated)


def clean_title(text: str) -> tuple[str, str | None]:
    """Title without quotes or trailing punctuation; a long item keeps its first sentence."""
    t = one_line(text)
    if len(t) >= 2 and t[0] in QUOTE_PAIRS and t.rstrip(TRAILING_PUNCT).endswith(QUOTE_PAIRS[t[0]]):
        t = t.rstrip(TRAILING_PUNCT)[1:-1].strip()
    desc = None
    if len(t) > LONG_TITLE:
        m = re.search(r"(?<=[a-zà-ÿ0-9)»])[.!?]\s+(?=[A-ZÀ-Ý«])", t[40:])
        if m:
            cut = 40 + m.start()
            t, desc = t[:cut], t[cut + 1:].strip()
    return t.rstrip(TRAILING_PUNCT).strip(), desc


def singular_label(text: str) -> str:
    """'Actions préconisées :' → 'Action préconisée'."""
    words = []
    for w in text.strip(" :").split():
        if len(w) > 3 and w[-1] in "sx" and w[-2:] != "ss" and w.lower() not in ("pas", "sous"):
            w = w[:-1]
        words.append(w)
    return " ".join(words)


def _capital(text: str) -> str:
    """A label taken from inside a sentence ("mesures") as a label is printed ("Mesure")."""
    return text[:1].upper() + text[1:]


def label_case(text: str) -> str:
    """'AXE D’INTERVENTION' → 'Axe d’intervention'; mixed case and abbreviations ("OS") are kept."""
    if text.isupper() and len(text) > 3:
        return text[:1].upper() + text[1:].lower()
    return text


@dataclass
class PendingList:
    level: str
    label: str
    signature: tuple | None = None
    depth: int | None = None  # outline depth of the heading that named it: a heading as broad ends it


@dataclass
class Structure:
    records: list[Record] = field(default_factory=list)
    announced: dict[str, int] = field(default_factory=dict)
    labelled: int = 0
    numbered: int = 0  # records from an unlabelled numbered hierarchy
    numbered_actions: int = 0  # ... of which read as actions (infinitive or nominalised)
    grouped: int = 0
    tables_with_levels: int = 0
    table_rows_unheaded: int = 0  # rows read as actions in a table whose headers name no level


class Structurer:
    def __init__(self, blocks: list[Block], lex: Lexicon | None = None, use_verbs: bool = True,
                 depths: dict[int, int] | None = None, chapters: set[int] | None = None):
        self.lex = lex or lexicon()
        self.chapters = chapters or set()  # id(block) of headings numbered as a report's chapters
        self.depths = depths or {}  # id(block) → its heading depth in the outline (stage 1)
        self.record_block: dict[str, Block] = {}
        self.pending_group: str | None = None  # a sub-heading inside a record's section, over its list
        self._seen_parent: tuple | None = None
        self.group_keys = {fold(w) for w in self.lex.data["groups"]}
        self.free_headings: list[tuple[Block, str]] = []  # headings since the last record that made none
        self.code_level: str | None = None
        self.section_depth: int | None = None  # outline depth of the latest heading
        self.rec_section: dict[str, int | None] = {}  # record id → section depth it was made in
        self.since_parent = 0  # blocks since the list parent was set: a forced list must follow it closely
        self.forced_list_id: int | None = None
        self.blocks = [b for b in blocks if b.text and b.text.strip()]
        self.action_like = self._action_like(use_verbs)
        self.code_families = self._code_families()
        self._axis_labels_exist = any(
            (lab := parse_label(one_line(b.text)[:160], self.lex)) is not None and lab.hit.kind == "level"
            and lab.hit.value == "axis" for b in self.blocks if b.kind != TABLE_CELL)
        self.counting_lists = self._counting_lists()
        self.theme_headings = self._theme_headings()
        self.numbered = self._numbered_hierarchy()
        self.out = Structure()
        self.stack: list[Record] = []
        self.by_id: dict[str, Record] = {}
        self.pending_title: Record | None = None
        self.pending_number: str | None = None
        self.pending_lists: list[PendingList] = []
        self.group: str | None = None
        self.doc_levels: dict[str, str] = {}
        self._seed_label_tiers()
        self.last: Record | None = None
        self.last_kind_record = False  # the previous block made the last record
        self.table_roles: dict[int, dict[int, list[LabelHit]]] = {}
        self.table_levels: dict[int, dict[int, str]] = {}  # level columns, narrowing left to right
        self._column_body: dict[tuple[int, int], list[str]] | None = None
        self._first_column: dict[int, list[str]] = {}  # every table's first-column cells, header included
        self._widest_column: dict[int, int] = {}  # every table's last column index
        self.table_number_cols: dict[int, set[int]] = {}  # "N°", "Réf.", "Code" columns: the row's number
        self.summary_tables: set[int] = set()  # one level column beside figures: counts or costs per record
        self.sheet_tables: dict[int, bool] = {}  # two-column tables of "field | value" rows: one record's sheet
        self.table_type_col: dict[int, int | None] = {}  # a column giving each row's level ("OS", "OO")
        self.table_band: dict[int, str | None] = {}  # a one-cell header row, split at the first body row
        self.table_band_headers: dict[int, dict[int, str]] = {}
        self.table_last: dict[tuple[int, int], Record] = {}
        self.unlabelled_children: list[Record] = []  # levels settled by rule 4 at the end
        self.origin: dict[str, str] = {}  # record id → label | table | group | child | list | numbered
        self.group_parents = self._find_group_parents()
        self.action_lists = self._action_lists()
        counting = self.counting_lists
        if counting and 2 * len(counting & self.action_lists) >= len(counting):
            # lists of one family (restarting under each heading) are read alike: when most read as
            # actions, a short one whose wording the tagger misses ("Numériser les archives") too
            self.action_lists |= counting
        self.list_parent: tuple[Record, Block] | None = None  # the labelled record a list may fall under
        self.list_parent_forced = False  # ... whatever the items' wording (after a group label)
        self.group_owner: Record | None = None  # the record open when the current group was named

    # -- helpers -----------------------------------------------------------
    @staticmethod
    def _split_title_run(title: str, block: Block) -> tuple[str, str | None] | None:
        """An item that opens with a bold title and a line break ("<strong>Title</strong><br>What
        it does"): the bold run is the title, the rest its description."""
        run = block.style.title_run
        if not run or len(run) < TITLE_RUN_TAIL:
            return None
        text = one_line(title)
        at = text.find(run[-TITLE_RUN_TAIL:])
        if at < 0:
            return None
        cut = at + TITLE_RUN_TAIL
        head, rest = clean_title(text[:cut])[0], text[cut:].strip(" –—-:;.")
        return (head, rest or None) if head else None

    def _new(self, level: str, title: str, block: Block, label: str | None = None,
             number: str | None = None) -> Record:
        title, desc = self._split_title_run(title, block) or clean_title(title)
        if number is not None:
            key = None
            for old in reversed(self.out.records[-CONTINUATION_LOOKBACK:]):
                # Level and number first: titles are folded only for a record they could repeat.
                if old.level != level or old.number != number:
                    continue
                key = fold(title) if key is None else key
                if fold(old.title) == key:
                    # The same numbered title again (repeated at the top of the next page): one record.
                    self._reopen(old)
                    self.last = old
                    return old
        if self.group_owner is not None and LEVEL_RANK[level] <= LEVEL_RANK[self.group_owner.level]:
            self.group = self.group_owner = None  # the grouping ends with the record it was named under
        rec = Record(id=f"r{len(self.out.records) + 1}", level=level, title=title, label=label, number=number,
                     page=block.page, bbox=block.bbox, path=block.path, description=desc, group=self.group)
        while self.stack and LEVEL_RANK[self.stack[-1].level] >= LEVEL_RANK[level]:
            self.stack.pop()
        rec.parent = self.stack[-1].id if self.stack else None
        self.stack.append(rec)
        self.out.records.append(rec)
        self.by_id[rec.id] = rec
        self.record_block[rec.id] = block
        self.rec_section[rec.id] = self.section_depth
        self.free_headings = []
        self.last = rec
        return rec

    def _level_for_label(self, lab: Label) -> str:
        """The label's level, unless the document nests it under a record of the same or narrower
        level: then the depth in the document wins and the label keeps that depth."""
        key = fold(singular_label(lab.text))
        if key in self.doc_levels:
            return self.doc_levels[key]
        level = lab.hit.value
        top = self.stack[-1] if self.stack else None
        if top is not None and top.label and fold(singular_label(top.label)) != key \
                and LEVEL_RANK[top.level] >= LEVEL_RANK[level] and top is self.last \
                and LEVEL_RANK[top.level] < len(LEVELS) - 1:
            level = LEVELS[LEVEL_RANK[top.level] + 1]
        self.doc_levels[key] = level
        return level

    def _signature(self, b: Block) -> tuple:
        return (bool(b.ordered), bool(b.style.bold), b.list_depth or 0)

    def _action_like(self, use_verbs: bool) -> dict[int, bool]:
        """Which list items and numbered paragraphs open like an action: an infinitive (the verb
        list, structure/verbs.py) or a nominalised action ("Mise en place de…").
        Only the blocks the rules ask about are read: list items (action lists, group titles) and
        outline-numbered paragraphs or headings (a numbered hierarchy's evidence)."""
        idx = [i for i, b in enumerate(self.blocks) if len(b.text) < 400 and (
            b.kind == LIST_ITEM or b.kind in (PARAGRAPH, HEADING) and OUTLINE_RE.match(one_line(b.text)))]
        texts = [split_leading_number(one_line(self.blocks[i].text))[1] for i in idx]
        if use_verbs and texts:
            from planscope.pipeline.structure.verbs import starts_with_infinitive
            inf = starts_with_infinitive(texts)
        else:
            inf = [False] * len(texts)
        return {i: f or self.lex.is_nominalised_action(t) for i, t, f in zip(idx, texts, inf)}

    def _theme_headings(self) -> set[int]:
        """Unlabelled titles that each open a run of labelled actions ("CADRE DE VIE" then "Action 1 :
        …", "Action 2 : …"), two such titles or more, in a document whose labels name no broader
        level: the titles are the axes the actions are grouped under (rule 4: the top grouping)."""
        found: list[int] = []
        pending: Block | None = None
        for b in self.blocks:
            if b.kind == TABLE_CELL:
                continue
            lab = parse_label(one_line(b.text)[:160], self.lex)
            if lab is not None and lab.hit.kind == "level":
                if lab.hit.value != "action":
                    return set()
                if pending is not None:
                    found.append(id(pending))
                pending = None
            elif b.kind == HEADING or is_title_paragraph(b):
                pending = b
        return set(found) if len(found) >= THEME_HEADINGS_MIN else set()

    def _counting_lists(self) -> set[int]:
        """Lists whose numbering only counts their items: two or more lists whose first item is
        numbered alike in figures ("1.", "1)"), each restarting under its own heading. Their numbers
        are the list's (a Word or HTML list numbers itself), not the outline's "1." of an axis, so
        they do not join the outline numbering. Letters ("a)") restarting under "1.1" are the
        outline's next tier and stay in it."""
        first: dict[int, str] = {}
        for b in self.blocks:
            if b.kind == LIST_ITEM and b.ordered and b.list_id is not None and b.marker and \
                    b.marker[0].isdigit() and b.list_id not in first and not (b.list_depth or 0):
                first[b.list_id] = b.marker
        starts: dict[str, int] = {}
        for marker in first.values():
            starts[marker] = starts.get(marker, 0) + 1
        return {lid for lid, marker in first.items() if starts[marker] >= 2}

    def _numbered_hierarchy(self) -> dict[int, tuple[str, str]]:
        """Unlabelled numbered items (1 / 1.1 / 1.1.1, or I. / A. / a)): their level comes from
        the depth of their numbering when the document uses two depths or more. A dotted number's
        depth is its dots; other styles nest in the order the document first uses them
        (I. then A. then a), as outlines do)."""
        found: dict[int, tuple[str, str]] = {}  # block → (number, style)
        last_upper = None
        counters = self.counting_lists
        for i, b in enumerate(self.blocks):
            if b.kind == TABLE_CELL or len(b.text) > 300 or id(b) in self.chapters:
                continue
            text = one_line(b.text)
            if b.kind == LIST_ITEM and b.marker and b.marker[0].isalnum():
                if b.list_id in counters:
                    continue
                text = f"{b.marker} {text}"
            m = OUTLINE_RE.match(text)
            if not m or parse_label(m.group("title"), self.lex) is not None or bare_number(text) is not None:
                continue
            num = m.group("num").rstrip(".)")
            style = numbering_style(num, last_upper)
            if style == "upper":
                last_upper = num
            found[i] = (num, style)
        families: list[str] = []  # numbering styles in the order the document first uses them
        for _, style in found.values():
            if style.split(":")[0] not in families:
                families.append(style.split(":")[0])
        digit_depths = sorted({int(st.split(":")[1]) for _, st in found.values() if st.startswith("digit:")})
        order = [st for fam in families for st in ([f"digit:{d}" for d in digit_depths] if fam == "digit" else [fam])]
        if len(found) < 3 or len(order) < 2:
            return {}
        names = ["axis", "orientation", "action"]
        level_of = {st: names[min(k, len(names) - 1)] for k, st in enumerate(order)}
        return {i: (num, level_of[st]) for i, (num, st) in found.items()}

    def _action_lists(self) -> set[int]:
        """Lists most of whose items read as actions (infinitive or nominalised)."""
        items: dict[int, list[bool]] = {}
        for i, b in enumerate(self.blocks):
            if b.kind == LIST_ITEM and b.list_id is not None:
                items.setdefault(b.list_id, []).append(self.action_like.get(i, False))
        return {lid for lid, flags in items.items() if sum(flags) >= ACTION_LIST_SHARE * len(flags)}

    def _find_group_parents(self) -> set[int]:
        """Unlabelled group titles: a bold or lone bullet, or a heading, directly followed by
        a list of two or more items most of which read as actions."""
        parents: set[int] = set()
        short: dict[int, tuple] = {}  # titles over a single item: kept when the pattern repeats
        blocks = self.blocks
        for i, b in enumerate(blocks[:-1]):
            j = i + 1  # a heading may introduce its list with a sentence or two ("Notre ambition : …")
            while b.kind == HEADING and j < min(i + 1 + MAX_INTRO_PARAGRAPHS, len(blocks) - 1) and \
                    blocks[j].kind == PARAGRAPH and not is_title_paragraph(blocks[j]):
                j += 1
            nxt = blocks[j]
            if nxt.kind != LIST_ITEM or len(one_line(b.text)) > 120:
                continue
            run = [k for k in range(j, min(j + 60, len(blocks))) if blocks[k].list_id == nxt.list_id]
            share = sum(self.action_like.get(k, False) for k in run) / len(run)
            if share < WEAK_ACTION_LIST_SHARE:
                continue
            sig = (b.kind, b.level, b.marker, bool(b.style.bold))
            if b.kind == LIST_ITEM and b.list_id != nxt.list_id:
                lone = sum(1 for x in blocks if x.list_id == b.list_id) == 1
                if not (lone or b.style.bold):
                    continue
            elif b.kind != HEADING and not is_title_paragraph(b):
                continue
            if len(run) >= 2 and share >= ACTION_LIST_SHARE:
                parents.add(i)
            else:  # one item, or half of them read as actions: kept when the title's style recurs
                short[i] = sig
        signatures = {(blocks[i].kind, blocks[i].level, blocks[i].marker, bool(blocks[i].style.bold))
                      for i in parents}
        parents.update(i for i, sig in short.items() if sig in signatures)
        return parents

    # -- main loop ---------------------------------------------------------
    def run(self) -> Structure:
        self._announced_counts()
        i = 0
        while i < len(self.blocks):
            b = self.blocks[i]
            if b.kind == TABLE_CELL and b.table is not None:
                j = i
                while j < len(self.blocks) and self.blocks[j].kind == TABLE_CELL and self.blocks[j].table and \
                        (self.blocks[j].table.table_id, self.blocks[j].table.row) == (b.table.table_id, b.table.row):
                    j += 1
                self._table_row(self.blocks[i:j])
                self._count_since_parent(True)
                i = j
                continue
            self._block(i, b)
            i += 1
        self._resolve_unlabelled()
        return self.out

    def _block(self, i: int, b: Block) -> None:
        parts = self._labelled_lines(b.text)
        if len(parts) > 1:  # "Mesure 2.1 : …<br>Mesure 2.2 : …": one record per labelled line
            for part in parts:
                self._block_part(i, b, part)
            return
        self._block_part(i, b, b.text)

    def _labelled_lines(self, text: str) -> list[str]:
        """A block's lines grouped at each line opening with a numbered level label."""
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if len(lines) < 2:
            return [text]
        starts = [k for k, ln in enumerate(lines) if (lab := parse_label(ln[:160], self.lex)) is not None
                  and lab.hit.kind == "level" and lab.number and lab.title]
        if len(starts) < 2 or starts[0] != 0:
            return [text]
        return ["\n".join(lines[a:b]) for a, b in zip(starts, starts[1:] + [len(lines)])]

    def _block_part(self, i: int, b: Block, text: str) -> None:
        text, trailing = self._split_attribute_lines(text)
        self._block_text(i, b, text)
        for lab in trailing:  # "Indicateur : …" on its own line inside the item: the record's attribute
            if self.last is not None:
                self._attribute(self.last, lab.hit.value, lab.text, lab.title)

    def _split_attribute_lines(self, text: str) -> tuple[str, list[Label]]:
        """A block's text without its trailing labelled attribute lines, and those labels."""
        lines = [ln for ln in text.split("\n") if ln.strip()]
        trailing: list[Label] = []
        while len(lines) > 1:
            lab = parse_label(lines[-1].strip(), self.lex)
            if lab is None or lab.hit.kind != "attribute" or not lab.title:
                break
            trailing.insert(0, lab)
            lines.pop()
        return one_line("\n".join(lines)), trailing

    def _block_text(self, i: int, b: Block, text: str) -> None:
        if id(b) in self.depths:
            self.section_depth = self.depths[id(b)]
        self._block_text_inner(i, b, text)
        self._count_since_parent(b.kind != LIST_ITEM)

    def _count_since_parent(self, counts: bool) -> None:
        """Blocks seen since the list parent was last set (a forced list must follow it closely)."""
        if self.list_parent is not self._seen_parent:
            self._seen_parent, self.since_parent = self.list_parent, 0
        if counts:
            self.since_parent += 1

    def _block_text_inner(self, i: int, b: Block, text: str) -> None:
        made = False
        num = bare_number(text)
        if num is not None:
            if self.last is not None and self.last_kind_record and self.last.number is None:
                self.last.number = num
            else:
                self.pending_number = num
            return
        lab = parse_label(text, self.lex)
        if lab is not None and lab.hit.kind == "level":
            made = self._labelled(b, lab)
        elif lab is not None and lab.hit.kind == "group" and lab.only and self._band_over_title(i):
            # "THÈME" printed on its own band over "1 Vie de quartier", with no axis
            # above it: the plan's top grouping, an axis (rule 4; rule 5 keeps groupings between
            # two levels only).
            rec = self._new("axis", "", b, label=label_case(singular_label(lab.text)), number=lab.number)
            self.origin[rec.id] = "label"
            self.out.labelled += 1
            self.pending_title = rec
            made = True
        elif lab is not None and lab.hit.kind == "group" and lab.title and lab.number and self._top_grouping():
            # "Volet 2 – Cadre de vie" with no record above it: the plan's top level, an axis
            # (rule 5 keeps a grouping as `group` only between two kept levels).
            rec = self._new("axis", lab.title, b, label=label_case(singular_label(lab.text)), number=lab.number)
            self.origin[rec.id] = "label"
            self.out.labelled += 1
            self.list_parent, self.list_parent_forced = (rec, b), FORCE_LABELLED_LISTS
            made = True
        elif lab is not None and lab.hit.kind == "group" and lab.title:
            self.group = clean_title(lab.title)[0]
            self.group_owner = self.stack[-1] if self.stack else None
            if self.group_owner is not None and self.origin.get(self.group_owner.id) == "label":
                # "Thème 1.1 – …" under "Axe 1": the list that follows holds the axis's records,
                # whatever their wording (a grouping announces records).
                self.list_parent = (self.group_owner, b)
                self.list_parent_forced = True
        elif lab is not None and lab.hit.kind == "attribute" and lab.title and self.last is not None:
            self._attribute(self.last, lab.hit.value, lab.text, lab.title)
        elif self.pending_title is None and i not in self.numbered and \
                (child := self._numbered_child(b, text)) is not None:
            parent, num, title = child
            rec = self._new(LEVELS[LEVEL_RANK[parent.level] + 1], title, b, number=num)
            self.origin[rec.id] = "numbered"
            if parent.level == "axis":
                self.unlabelled_children.append(rec)  # orientation or action: rule 4 decides
            self.out.numbered += 1
            self.out.numbered_actions += self.action_like.get(i, False)
            self.list_parent, self.list_parent_forced = (rec, b), True
            self.pending_group = None
            made = True
        elif self.pending_title is None and (coded := self._code_item(b, text)) is not None:
            parent, code, title = coded
            lab = parse_label(title, self.lex)
            level = self.code_level if self.code_level and LEVEL_RANK[self.code_level] > LEVEL_RANK[parent.level] \
                else LEVELS[LEVEL_RANK[parent.level] + 1]
            if lab is not None and lab.hit.kind == "level" and lab.only:
                # "B3 Mesure B3" then the measure's text: the label (its level when narrower), the
                # title in the next block.
                if LEVEL_RANK[lab.hit.value] > LEVEL_RANK[parent.level]:
                    level = lab.hit.value
                rec = self._new(level, "", b, label=label_case(singular_label(lab.text)), number=code)
                self.pending_title = rec
                self.code_level = level  # coded siblings share the level their label names
            else:
                rec = self._new(level, title, b, number=code)
                if parent.level == "axis":
                    self.unlabelled_children.append(rec)  # orientation or action: rule 4 decides
            self.origin[rec.id] = "coded"
            self.list_parent, self.list_parent_forced = (rec, b), False
            made = True
        elif i in self.numbered and self.pending_title is None:
            num, level = self.numbered[i]
            title = text if b.kind == LIST_ITEM and b.marker and b.marker[0].isalnum() else split_leading_number(text)[1]
            rec = self._new(level, title, b, number=num)
            self.origin[rec.id] = "numbered"
            self.out.numbered += 1
            self.out.numbered_actions += self.action_like.get(i, False)
            if level == "orientation" and len({lv for _, lv in self.numbered.values()}) == 2:
                self.unlabelled_children.append(rec)
            made = True
        elif self.pending_title is not None and b.kind == PARAGRAPH and is_sentence(text) and \
                self.origin.get(self.pending_title.id) != "coded":
            # "4 Objectifs" then a paragraph of prose: the label names a chapter, not a record;
            # the lists of that chapter take its label.
            rec = self.pending_title
            self.pending_title = None
            self._drop(rec)
            self.pending_lists.append(PendingList(level=rec.level, label=rec.label,
                                                  depth=self.depths.get(id(self.record_block.get(rec.id)))))
            self._block_text_inner(i, b, text)
            return
        elif self.pending_title is not None and b.kind in (PARAGRAPH, HEADING, LIST_ITEM):
            rec = self.pending_title
            self.pending_title = None
            n, rest = split_leading_number(text)
            if n and rec.number is None:
                rec.number = n
            rec.title, rec.description = clean_title(rest if n else text)
            made = True
        elif b.kind == LIST_ITEM and self._pending_list_for(b) is not None:
            pl = self._pending_list_for(b)
            n, rest = split_leading_number(text)
            rec = self._new(pl.level, rest if n else text, b, label=pl.label, number=None)
            self.origin[rec.id] = "list"
            made = True
        elif i in self.group_parents and (owner := self._group_owner_for(b)) is not None:
            # A titled list inside an orientation's section: the title is a grouping between two
            # kept levels (rule 5), the items the orientation's actions.
            self.pending_group = clean_title(text)[0]
            self.list_parent, self.list_parent_forced = (owner, self.record_block[owner.id]), True
        elif i in self.group_parents:
            n, rest = split_leading_number(text)  # "1. Cadre de vie": its number, then its title
            rec = self._new(self._unlabelled_parent_level(), rest if n else text, b,
                            number=self._marker_number(b) or n)
            self.origin[rec.id] = "group"
            self.out.grouped += 1
            self.list_parent = None
            made = True
        elif b.kind == LIST_ITEM and (parent := self._labelled_list_parent(b)) is not None:
            n, rest = split_leading_number(text)
            child = self._new(LEVELS[LEVEL_RANK[parent.level] + 1], rest if n else text, b,
                              number=self._marker_number(b) or n)
            if self.pending_group and child.group is None:
                child.group = self.pending_group
            self.origin[child.id] = "list"
            if parent.level == "axis":
                self.unlabelled_children.append(child)  # orientation or action: rule 4 decides
            made = True
        elif b.kind == LIST_ITEM and b.list_id in self.action_lists and \
                (parent := self._numbered_heading_parent()) is not None:
            # "1.1 Title" as a heading, then a list of actions: the list is that record's content.
            child = self._new(LEVELS[min(LEVEL_RANK[parent.level] + 1, 2)], text, b, number=self._marker_number(b))
            self.origin[child.id] = "list"
            made = True
        elif b.kind == LIST_ITEM and b.list_id in self.action_lists and self._under_unlabelled_parent() is not None:
            parent = self._under_unlabelled_parent()
            child = self._new(LEVELS[min(LEVEL_RANK[parent.level] + 1, 2)], text, b, number=self._marker_number(b))
            self.origin[child.id] = "list"
            if parent.level == "axis":
                self.unlabelled_children.append(child)
            made = True
        elif b.kind == PARAGRAPH and self.last is not None and self.last_kind_record and \
                self.origin.get(self.last.id) != "list":
            desc = (self.last.description + " " if self.last.description else "") + text
            self.last.description = desc[:MAX_DESCRIPTION]
            made = True  # keeps collecting the following paragraphs
        elif (b.kind == HEADING or is_title_paragraph(b)) and self._inside_record_section(b):
            # A sub-heading inside the record's own section: its list may still be the record's,
            # under this title as a group.
            self.pending_group = clean_title(text)[0]
            self.list_parent = (self.list_parent[0], self.list_parent[1])  # its list follows this title closely
            self.list_parent_forced = self.list_parent[0].level == "orientation"
        elif b.kind == PARAGRAPH and text_has_colon(text) and (ann := self._announced_list(i, text)) is not None:
            self.pending_lists.append(ann)  # "… retient 4 mesures : 1. … 4. …"
        elif id(b) in self.theme_headings:
            rec = self._new("axis", text, b)
            self.origin[rec.id] = "implied"
            made = True
        elif b.kind == HEADING or is_title_paragraph(b):
            self._close_sections(b)
            self.free_headings.append((b, text))
            self.pending_group = None
            d = self.depths.get(id(b))
            self.pending_lists = [p for p in self.pending_lists if p.signature is None and
                                  not (d is not None and p.depth is not None and d <= p.depth)]
            self.list_parent = None  # a new section: its lists are not the record's above
            self._close_groups()
        self.last_kind_record = made

    def _announced_list(self, i: int, text: str) -> PendingList | None:
        """A sentence that introduces the list after it by naming its items' level: "elle prend
        4 mesures :" (a count that fits the list) or "… retenues comme projets structurants :"
        (the level word closes the sentence)."""
        nxt = i + 1
        if nxt >= len(self.blocks) or self.blocks[nxt].kind != LIST_ITEM:
            return None
        run = sum(1 for b in self.blocks[nxt:nxt + 80] if b.list_id == self.blocks[nxt].list_id
                  and (b.list_depth or 0) == (self.blocks[nxt].list_depth or 0))
        words = TOKEN_RE.findall(text.rstrip(" :"))
        keys = [word_key(w.rstrip("'’ʼ").strip(".,;:()«»\"")) for w in words]
        hits = []
        for k in range(len(keys)):
            hit = self.lex.match_start(keys[k:])
            if hit is None or hit.kind != "level":
                continue
            plural = any(fold(w).rstrip(".,;:").endswith(("s", "x")) for w in words[k:k + hit.words])
            if not plural:
                continue
            before = fold(words[k - 1]) if k else ""
            count = number_word_value(before)
            hits.append((k, hit, count))
        first = self.blocks[nxt]
        span = [j for j in range(nxt, min(nxt + 80, len(self.blocks))) if self.blocks[j].list_id == first.list_id]
        if any(j in self.group_parents or (self.blocks[j].list_depth or 0) != (first.list_depth or 0) for j in span):
            return None  # a list of titled groups: the group rules read it
        for k, hit, count in hits:
            if count is not None and count == run:
                return PendingList(level=hit.value, label=_capital(singular_label(" ".join(words[k:k + hit.words]))))
        if hits and hits[-1][2] is None:  # a count that does not fit the list announces something else
            k, hit, count = hits[-1]
            tail = len(words) - (k + hit.words)
            if tail <= ANNOUNCING_TAIL_WORDS:
                kept = [w for w in words[k + hit.words:] if not fold(w).startswith(("suivant", "ci-"))]
                label = " ".join(words[k:k + hit.words] + kept)
                return PendingList(level=hit.value, label=_capital(singular_label(label)))
        return None

    def _close_sections(self, b: Block) -> None:
        """A heading that makes no record closes the sections as deep as it: records made inside
        them (table rows under "Objectifs", say) no longer take children after it."""
        d = self.depths.get(id(b))
        if d is None:
            return
        while self.stack:
            made_in = self.rec_section.get(self.stack[-1].id)
            if made_in is None or made_in < d or self.origin.get(self.stack[-1].id) != "table":
                break
            self.stack.pop()

    def _top_grouping(self) -> bool:
        """No labelled level is open (but an earlier grouping of the same kind), and the document's
        labels name no axis: a numbered grouping is then the top of the plan."""
        if self._axis_labels_exist:
            return False
        for r in self.stack:
            if self.origin.get(r.id) not in ("label", "numbered", "implied"):
                continue
            if r.level != "axis" or r.label and fold(singular_label(r.label)) not in self.group_keys:
                return False
        return True

    def _band_over_title(self, i: int) -> bool:
        """A grouping label alone on its line, a title right after it, and no axis open above."""
        if any(r.level == "axis" and self.origin.get(r.id) != "table" for r in self.stack[:-1]):
            return False
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        return nxt is not None and nxt.kind in (HEADING, PARAGRAPH) and len(one_line(nxt.text)) <= TITLE_PARAGRAPH_CHARS \
            and parse_label(one_line(nxt.text), self.lex) is None

    def _drop(self, rec: Record) -> None:
        """Undo a record just made (it has no children yet)."""
        self.out.records.remove(rec)
        self.by_id.pop(rec.id, None)
        self.origin.pop(rec.id, None)
        if rec in self.stack:
            self.stack.remove(rec)
        if self.list_parent is not None and self.list_parent[0] is rec:
            self.list_parent = None
        self.last = self.out.records[-1] if self.out.records else None

    def _implied_parent(self, b: Block, level: str, number: str | None, lab: Label) -> str:
        """"Objectif 1.1" whose "1" no record carries: the broadest heading printed since the last
        record, above it in the outline, is that parent ("Cadre de vie" over "Objectif 1.1"). When the
        label already names the axis ("Chantier 1.1" under an unlabelled priority), depth wins: the
        heading is the axis and the label's records move one level down. Returns the label's level."""
        parts = number_parts(number)
        if len(parts) < 2 or not self.free_headings:
            return level
        if any(number_parts(r.number) == parts[:-1] for r in self.stack if r.number):
            return level
        depth = self.depths.get(id(b))
        cands = [(self.depths.get(id(h)), h, t) for h, t in self.free_headings]
        cands = [c for c in cands if c[0] is not None and depth is not None and c[0] < depth]
        if not cands:
            return level
        _, h, t = min(cands, key=lambda c: c[0])
        if parse_label(t, self.lex) is not None or bare_number(t) is not None:
            return level
        if LEVEL_RANK[level] == 0:
            level = LEVELS[1]
            self.doc_levels[fold(singular_label(lab.text))] = level
        rec = self._new(LEVELS[LEVEL_RANK[level] - 1], t, h, number=".".join(parts[:-1]))
        self.origin[rec.id] = "implied"
        return level

    def _seed_label_tiers(self) -> None:
        """Three tiers where the labels name two: "Orientation 1" holds "Objectif 1.1", which holds
        a table of actions. The numbering nests the two labels and an action tier sits below them,
        so the top label is the axis and the next the orientation (depth wins, rule 2), instead of
        demoting the objectives to actions."""
        first: dict[str, tuple[int, str]] = {}  # label key → (number depth, lexicon level)
        action_tier = False
        for b in self.blocks:
            if b.kind == TABLE_CELL and b.table is not None:
                if b.table.is_header and any(h.kind == "level" and h.value == "action"
                                             for h in self.lex.header_roles(one_line(b.text))):
                    action_tier = True
                continue
            lab = parse_label(one_line(b.text)[:160], self.lex)
            if lab is None or lab.hit.kind != "level":
                continue
            if lab.hit.value == "action":
                action_tier = True
            if lab.number:
                key = fold(singular_label(lab.text))
                first.setdefault(key, (len(number_parts(lab.number)), lab.hit.value))
        by_depth: dict[int, list[str]] = {}
        for key, (d, _) in first.items():
            by_depth.setdefault(d, []).append(key)
        if sorted(by_depth) == [1, 2, 3] and all(len(v) == 1 for v in by_depth.values()):
            # Three labels numbered 1 / 1.1 / 1.1.1 ("Priorité 1", "Axe d'intervention 1.1",
            # "Action 1.1.1"): the numbering nests them, whatever the words say.
            for d, level in zip((1, 2, 3), LEVELS):
                self.doc_levels.setdefault(by_depth[d][0], level)
            return
        tiers = sorted((d, key, lv) for key, (d, lv) in first.items() if lv != "action")
        if not action_tier or len(tiers) != 2 or tiers[0][0] != 1 or tiers[1][0] != 2:
            return
        (_, top, top_lv), (_, mid, mid_lv) = tiers
        if LEVEL_RANK[mid_lv] <= LEVEL_RANK[top_lv]:
            self.doc_levels.setdefault(top, "axis")
            self.doc_levels.setdefault(mid, "orientation")

    def _code_families(self) -> set[str]:
        """Letter prefixes of item codes the document uses again and again ("M1", "M2", …)."""
        seen: dict[str, int] = {}
        for b in self.blocks:
            if b.kind in (PARAGRAPH, LIST_ITEM, HEADING):
                m = CODE_RE.match(one_line(b.text))
                if m:
                    seen[m.group("prefix")] = seen.get(m.group("prefix"), 0) + 1
        families = {p for p, n in seen.items() if n >= MIN_CODE_FAMILY}
        # Items coded by their group's letter ("A1…A3" under "Objectif A", "B1", "B2" under "B"):
        # single letters that run A, B, C… are one numbering, however few items each holds.
        letters = sorted(p for p in seen if len(p) == 1)
        run = letters[:next((k for k, c in enumerate(letters) if ord(c) - ord("A") != k), len(letters))]
        if len(run) >= 2 and sum(seen[c] for c in run) >= MIN_CODE_FAMILY:
            families.update(run)
        return families

    def _code_item(self, b: Block, text: str) -> tuple[Record, str, str] | None:
        """An item opening with a code of a family the document uses ("M4 Remplacer…") under an
        open record: that record's child."""
        if b.kind not in (PARAGRAPH, LIST_ITEM, HEADING) or not self.code_families or not self.stack:
            return None
        m = CODE_RE.match(text)
        if not m or m.group("prefix") not in self.code_families:
            return None
        parent = self.stack[-1]
        if LEVEL_RANK[parent.level] >= len(LEVELS) - 1:
            parent = next((r for r in reversed(self.stack) if LEVEL_RANK[r.level] < len(LEVELS) - 1), None)
        if parent is None:
            return None
        return parent, m.group("code"), m.group("title")

    def _numbered_child(self, b: Block, text: str) -> tuple[Record, str, str] | None:
        """A title numbered under an open record ("1-2 : …" or "1.2 …" under "Axe 1"): its child."""
        if b.kind not in (HEADING, PARAGRAPH) or len(text) > 200 or not self.stack or id(b) in self.chapters:
            return None
        m = NUMBERED_TITLE_RE.match(text)
        if not m or not m.group("title") or parse_label(m.group("title"), self.lex) is not None:
            return None
        parts = number_parts(m.group("num"))
        if len(parts) < 2:
            return None
        for rec in reversed(self.stack):
            if rec.number and number_parts(rec.number) == parts[:-1] and LEVEL_RANK[rec.level] < len(LEVELS) - 1:
                return rec, m.group("num"), m.group("title")
        return None

    def _group_owner_for(self, b: Block) -> Record | None:
        """The orientation whose section a titled list sits in, if any."""
        top = self.stack[-1] if self.stack else None
        if top is None or top.level != "orientation" or self.origin.get(top.id) not in ("label", "numbered"):
            return None
        return top if self._deeper_than(b, self.record_block.get(top.id)) else None

    def _inside_record_section(self, b: Block) -> bool:
        if self.list_parent is None:
            return False
        return self._deeper_than(b, self.list_parent[1])

    def _deeper_than(self, b: Block, other: Block | None) -> bool:
        if other is None:
            return False
        d, od = self.depths.get(id(b)), self.depths.get(id(other))
        return d is not None and od is not None and d > od

    def _labelled_list_parent(self, b: Block) -> Record | None:
        """The labelled record an unlabelled list of actions sits under ("Objectif 1.1 : …" then
        bullets): the list follows it (or nests under it when the record is itself an item)."""
        close = self.since_parent <= 1 + MAX_INTRO_PARAGRAPHS or b.list_id == self.forced_list_id
        forced = self.list_parent_forced and close
        if self.list_parent is None or not (forced or b.list_id in self.action_lists):
            return None
        if forced:
            self.forced_list_id = b.list_id
        parent, pblock = self.list_parent
        if LEVEL_RANK[parent.level] >= len(LEVELS) - 1 or parent not in self.stack:
            return None
        if pblock.kind == LIST_ITEM and (b.list_depth or 0) <= (pblock.list_depth or 0):
            return None
        return parent

    def _close_groups(self) -> None:
        """A section title that is no record ends the unlabelled groups open above it: the lists
        after it (a committee, a calendar) are not their items."""
        for k, rec in enumerate(self.stack):
            if self.origin.get(rec.id) == "group":
                del self.stack[k:]
                return

    def _under_unlabelled_parent(self) -> Record | None:
        for rec in reversed(self.stack):
            if self.origin.get(rec.id) == "group":
                return rec
        return None

    def _numbered_heading_parent(self) -> Record | None:
        """The innermost open record when it is a numbered heading above the action tier."""
        open_ = [r for r in self.stack if self.origin.get(r.id) != "list"]  # past this list's items
        if not open_:
            return None
        rec = open_[-1]
        block = self.record_block.get(rec.id)
        if self.origin.get(rec.id) == "numbered" and rec.level != "action" and block is not None and \
                block.kind == HEADING:
            return rec
        return None

    def _unlabelled_parent_level(self) -> str:
        labelled = [r for r in self.stack if self.origin.get(r.id) in ("label", "table")]
        if labelled:
            return LEVELS[min(LEVEL_RANK[labelled[-1].level] + 1, 2)]
        return "axis"

    @staticmethod
    def _marker_number(b: Block) -> str | None:
        if b.marker and b.marker[0].isdigit():
            return b.marker.rstrip(".)")
        return None

    def _pending_list_for(self, b: Block) -> PendingList | None:
        sig = self._signature(b)
        for p in reversed(self.pending_lists):
            if p.signature == sig:
                return p
        for p in reversed(self.pending_lists):
            if p.signature is None:
                p.signature = sig
                return p
        return None

    def _labelled(self, b: Block, lab: Label) -> bool:
        if lab.caption and b.kind != HEADING:
            return False  # a sentence's opening ("Actions prévues : …"), not a caption set as a title
        self.out.labelled += 1
        if lab.only and (lab.plural or b.kind == HEADING and lab.number is None or text_has_colon(b.text)):
            level = self._level_for_label(lab)
            self.pending_lists.append(PendingList(level=level, label=label_case(singular_label(lab.text)),
                                                  depth=self.depths.get(id(b))))
            return False
        level = self._level_for_label(lab)
        number = lab.number or self.pending_number
        self.pending_number = None
        level = self._implied_parent(b, level, number, lab)
        rec = self._new(level, lab.title, b, label=label_case(singular_label(lab.text)), number=number)
        self.origin[rec.id] = "label"
        self.list_parent, self.list_parent_forced = (rec, b), FORCE_LABELLED_LISTS
        if lab.only:
            self.pending_title = rec
        return True

    def _attribute(self, rec: Record, attr: str, label: str, text: str) -> None:
        text = one_line(text).rstrip(TRAILING_PUNCT)
        if not text:
            return
        if attr == "indicator":
            rec.indicators.append(Indicator(label=one_line(label), text=text))
        elif hasattr(rec, attr):
            old = getattr(rec, attr)
            setattr(rec, attr, f"{old}; {text}" if old else text)

    # -- tables ------------------------------------------------------------
    def _table_row(self, cells: list[Block]) -> None:
        tid = cells[0].table.table_id
        if self._field_sheet(tid, cells):
            self._sheet_row(cells)
            return
        if any(c.table.is_header for c in cells) or self._unmarked_header(tid, cells):
            self.table_roles[tid] = {c.table.col: [] if NUMBER_HEADER_RE.match(one_line(c.text))
                                     or DATED_HEADER_RE.search(one_line(c.text))
                                     else self.lex.header_roles(c.text) for c in cells}
            self.table_number_cols[tid] = {c.table.col for c in cells if NUMBER_HEADER_RE.match(one_line(c.text))}
            # Under an open axis record (a "Priorité 1" heading over the table), a grouping column is
            # a group between two kept levels, not the axis.
            under_axis = any(r.level == "axis" and self.origin.get(r.id) != "table" for r in self.stack)
            for col in self._rating_columns(tid):  # before the nesting: a rating is no level column
                self.table_roles[tid][col] = []
            self.table_levels[tid] = column_levels(self.table_roles[tid], promote_group=not under_axis)
            self.table_band[tid] = one_line(cells[0].text) if len(cells) == 1 else None
            self.table_type_col[tid] = self._type_column(tid)
            if self._summary_table(tid):
                self.summary_tables.add(tid)
            return
        if tid in self.summary_tables:
            return
        self._split_band(tid, cells)
        if self.table_type_col.get(tid) is not None and self._typed_row(tid, cells, self.table_type_col[tid]):
            return
        if all(c.table.header and fold(one_line(c.text)) == fold(one_line(c.table.header)) for c in cells
               if c.text.strip()):
            return  # the header row printed again (on the next page): no record
        leftovers = []
        for c in cells:
            text = one_line(c.text)
            if c.table.col in self.table_number_cols.get(tid, ()) and c.table.colspan == 1:
                leftovers.append(c)  # the row's number, even printed with its label ("Action 1.1.1"): no record
                continue
            lab = parse_label(text, self.lex)
            # A labelled cell in a level column ("OS 1 – …" under "Objectif stratégique") is that
            # column's record; elsewhere (a full-width "AXE 1 …" row) it is a record of its own.
            if lab is not None and lab.hit.kind == "level" and (c.table.colspan > 1 or not c.style.carried and (
                    self._col_level(c) is None or lab.hit.value != self._header_level(c))):
                if c.table.colspan > 1 or lab.number or lab.separated:
                    self._labelled(c, lab)
                    continue
            leftovers.append(c)
        if not leftovers:
            return
        row_group = None
        level_cells: list[tuple[str, Block, str | None]] = []
        attrs: list[tuple[str, Block]] = []
        any_level_col = any(self._col_level(c) for c in leftovers)
        for c in leftovers:
            roles = self._col_roles(c)
            level = self._col_level(c)
            grouping = any(r.kind == "group" for r in roles) and not self._promoted(c)
            if level and not (grouping and not c.table.header):
                if grouping:
                    row_group = one_line(c.text)
                    continue
                level_cells.append((level, c, self._header_of(c)))
            elif grouping:
                row_group = one_line(c.text)
            elif any(r.kind == "attribute" for r in roles):
                attr = next(r.value for r in roles if r.kind == "attribute")
                attrs.append((attr, c))
            elif not any_level_col and not level_cells and c.table.colspan == 1 and len(leftovers) > 1 \
                    and self._unheaded_rows_are_actions(c):
                level_cells.append(("action", c, None))
        if not level_cells:
            return
        if any_level_col:
            self.out.tables_with_levels += 1
        else:
            self.out.table_rows_unheaded += 1
        self.group = row_group if row_group is not None else self.group
        rec = None
        deepest = max(LEVEL_RANK[lv] for lv, _, _ in level_cells)
        for level, c, header in sorted(level_cells, key=lambda t: LEVEL_RANK[t[0]]):
            key = (c.table.table_id, c.table.col)
            title, number, label = self._cell_record(c, header)
            if header and fold(title) == fold(one_line(header)):
                continue  # the header printed again in the body
            if number is None and LEVEL_RANK[level] == deepest:
                # The row's numbering column numbers the row's own record, not the axis it sits in.
                number = self._row_number(cells, tid)
            if bare_number(title) is not None:  # "Fiche-projet n° | Intitulé": the number, then its title
                named = next((x for x in leftovers if not self._col_roles(x) and x.text.strip()
                              and bare_number(one_line(x.text)) is None), None)
                if named is not None:
                    title, number = one_line(named.text), bare_number(title)
            if not any(ch.isalpha() for ch in title) or fold(title) in self.lex.total_rows:
                continue  # a figure (an amount, a count), or a "TOTAL" row's label, is no record's title
            prev = self.table_last.get(key)
            if prev is not None and (c.style.carried or prev.title == clean_title(title)[0]):
                rec = prev  # a merged cell's copy: the record above goes on
                self._reopen(prev)
                continue
            rec = self._new(level, title, c, label=label, number=number)
            self.origin[rec.id] = "table"
            self.table_last[key] = rec
        if rec is None:
            return  # the row's level cells were its header again, figures or a TOTAL row: its other cells go with them
        for attr, c in attrs:
            self._attribute(rec, attr, self._header_of(c) or attr, c.text.replace("\n", " "))
        self.last_kind_record = False

    def _field_sheet(self, tid: int, cells: list[Block]) -> bool:
        """A table of two columns whose first column names fields down the page ("Pilote",
        "Partenaires", "Calendrier", "Indicateurs de suivi"): an action sheet's fields, each row a
        field of the record the sheet describes, never a record. Its first row is no header even
        when it names a level ("Orientation | 1.1 – …": the record's place in the plan)."""
        if tid not in self.sheet_tables:
            self._fill_column_body()
            firsts = self._first_column.get(tid, [])
            fields = sum(1 for t in firsts if len(t) <= HEADER_CELL_CHARS
                         and any(h.kind == "attribute" for h in self.lex.header_roles(t)))
            self.sheet_tables[tid] = self._widest_column.get(tid, 0) <= 1 and fields >= SHEET_MIN_FIELDS \
                and 2 * fields >= len(firsts)
        return self.sheet_tables[tid]

    def _sheet_row(self, cells: list[Block]) -> None:
        """One "field | value" row of an action sheet: a field of the record the sheet follows (the
        last one read: a running header above the sheet may have reopened its axis)."""
        rec = self.out.records[-1] if self.out.records else None
        if rec is None or len(cells) < 2:
            return
        label, value = one_line(cells[0].text), cells[1].text
        if len(label) > HEADER_CELL_CHARS:
            return
        roles = self.lex.header_roles(label)
        attr = next((h.value for h in roles if h.kind == "attribute"), None)
        if attr is not None:
            self._attribute(rec, attr, label, value)
            return
        # "Orientation | 1.1 – …": the record's place in the plan, a record already read.
        level = next((h.value for h in roles if h.kind == "level"), None)
        if level is None or LEVEL_RANK[level] >= LEVEL_RANK[rec.level]:
            return
        number, title = split_leading_number(one_line(value))
        key = fold(clean_title(title)[0]) if title else None
        parent = next((r for r in reversed(self.out.records) if r.level == level and r is not rec and (
            number and r.number == number or key and fold(r.title) == key)), None)
        if parent is not None:
            rec.parent = parent.id

    def _row_number(self, cells: list[Block], tid: int) -> str | None:
        """The number printed in the row's numbering column: "1.2", or the number of "Action 1.2.1"."""
        for x in cells:
            if x.table.col not in self.table_number_cols.get(tid, ()) or not x.text.strip():
                continue
            text = one_line(x.text)
            lab = parse_label(text, self.lex)
            if lab is not None and lab.number:
                return lab.number
            if len(text) <= NUMBER_CELL_CHARS:
                return text
        return None

    def _fill_column_body(self) -> None:
        """Every table's cells by column (body cells; the first column with its header too), read
        once per document."""
        if self._column_body is None:
            self._column_body = {}
            for b in self.blocks:
                if b.kind != TABLE_CELL or not b.text.strip():
                    continue
                tid, col = b.table.table_id, b.table.col
                self._widest_column[tid] = max(self._widest_column.get(tid, 0), col)
                if col == 0:
                    self._first_column.setdefault(tid, []).append(one_line(b.text))
                if not b.table.is_header:
                    self._column_body.setdefault((tid, col), []).append(one_line(b.text))

    def _type_column(self, tid: int) -> int | None:
        """A column whose header names no level and whose every body cell is a level label alone,
        two levels or more ("OS", "OO", "Action"): each row says its own level there (an outline
        kept as a table, one row per record), so the row's record takes that level."""
        self._fill_column_body()
        roles = self.table_roles.get(tid) or {}
        for col, hits in sorted(roles.items()):
            if any(r.kind == "level" for r in hits):
                continue
            body = self._column_body.get((tid, col), [])
            labs = [parse_label(t, self.lex) for t in body]
            if len(body) >= TYPE_COLUMN_MIN_ROWS and all(lab is not None and lab.only and lab.hit.kind == "level"
                                                        for lab in labs) \
                    and len({lab.hit.value for lab in labs}) >= 2:
                return col
        return None

    def _summary_table(self, tid: int) -> bool:
        """One level column, and every other filled column figures only ("Axe | Nombre d'actions",
        "Domaine | Coût total"): a summary of records stated elsewhere, no records of its own."""
        self._fill_column_body()
        roles = self.table_roles.get(tid) or {}
        filled = [c for c in roles if self._column_body.get((tid, c))]
        figures = [c for c in filled if all(FIGURE_CELL_RE.match(t) and any(ch.isdigit() for ch in t)
                                            for t in self._column_body[(tid, c)])]
        # a level column of figures only ("Nombre de mesures") counts mesures, it names none
        named = [c for c in (self.table_levels.get(tid) or {}) if c in filled and c not in figures]
        return len(named) == 1 and bool(figures) and len(filled) == len(figures) + 1

    def _typed_row(self, tid: int, cells: list[Block], type_col: int) -> bool:
        """A row of a table with a type column: one record at the level its type cell names, titled
        by the row's first text cell outside the numbering, type and attribute columns."""
        tcell = next((c for c in cells if c.table.col == type_col), None)
        lab = parse_label(one_line(tcell.text), self.lex) if tcell is not None else None
        if lab is None or lab.hit.kind != "level":
            return False
        numbering = self.table_number_cols.get(tid, ())
        title = next((c for c in cells if c.table.col != type_col and c.table.col not in numbering
                      and not any(r.kind == "attribute" for r in self._col_roles(c))
                      and any(ch.isalpha() for ch in c.text)), None)
        if title is None:
            return False
        rec = self._new(lab.hit.value, one_line(title.text), title, label=one_line(tcell.text),
                        number=self._row_number(cells, tid))
        self.origin[rec.id] = "table"
        self.out.tables_with_levels += 1
        for c in cells:
            attr = next((r.value for r in self._col_roles(c) if r.kind == "attribute"), None)
            if attr and c.text.strip():
                self._attribute(rec, attr, self._header_of(c) or attr, c.text.replace("\n", " "))
        self.last_kind_record = False
        return True

    def _rating_columns(self, tid: int) -> list[int]:
        """Level columns whose every body cell is one word of letters ("Élevée", "Moyenne") or a
        repeated one-digit rank ("1", "2"): a rating such as a priority, not records (a record's title says what is done; a column of
        numbers is the rows' numbering, read elsewhere)."""
        self._fill_column_body()
        roles = self.table_roles.get(tid) or {}
        out = []
        for col in [c for c, hits in roles.items() if any(r.kind == "level" for r in hits)]:
            body = self._column_body.get((tid, col), [])
            if len(body) < RATING_MIN_ROWS:
                continue
            # Small figures that repeat ("1", "1", "2") rank the rows: a numbering never repeats.
            ranks = all(t.isdigit() and len(t) == 1 for t in body) and len(set(body)) < len(body)
            coded = len(set(body)) < len(body) and all(
                0 < len(t.split()) <= 2 and all(RATING_TOKEN_RE.match(w) for w in t.split()) for t in body)
            if ranks or coded or all(len(t.split()) == 1 and t.isalpha() for t in body):
                out.append(col)
        return out

    def _cell_record(self, c: Block, header: str | None) -> tuple[str, str | None, str | None]:
        """(title, number, label) of a cell in a level column: its own label and number when it
        prints them ("OO 1.1 – Améliorer…", "1.1.1 Installer…"), else the column header's label."""
        text = one_line(c.text)
        lab = parse_label(text, self.lex)
        if lab is not None and lab.hit.kind == "level" and lab.title:
            return lab.title, lab.number, label_case(singular_label(lab.text))
        n, rest = split_leading_number(text)
        lettered = LETTER_DASH_RE.match(text)  # "A – Favoriser la marche": lettered with a dash
        if lettered:
            n, rest = lettered.group(1), text[lettered.end():]
        if n and (any(ch.isdigit() for ch in n) or lettered):
            return rest, n, label_case(singular_label(header)) if header else None
        return text, None, label_case(singular_label(header)) if header else None

    def _reopen(self, rec: Record) -> None:
        """Make rec the innermost open record again: the stack becomes its chain of ancestors."""
        chain = []
        cur: Record | None = rec
        while cur is not None:
            chain.append(cur)
            cur = self.by_id.get(cur.parent) if cur.parent else None
        self.stack = chain[::-1]

    def _col_roles(self, c: Block) -> list[LabelHit]:
        roles = self.table_roles.get(c.table.table_id)
        if roles is None and c.table.header:
            return self.lex.header_roles(c.table.header)
        return roles.get(c.table.col, []) if roles else []

    def _unmarked_header(self, tid: int, cells: list[Block]) -> bool:
        """The first row of a table the extractor marked no header in, when its short cells name
        levels, groups or attributes ("Axe | N° | Mesure | Porteur"): the header row."""
        if tid in self.table_roles or len(cells) < 2:
            return False
        texts = [one_line(c.text) for c in cells if c.text.strip()]
        if any(len(t) > HEADER_CELL_CHARS for t in texts):
            return False
        named = sum(1 for t in texts if self.lex.header_roles(t))
        return named >= 2 and named >= len(texts) - 1

    def _header_of(self, c: Block) -> str | None:
        return self.table_band_headers.get(c.table.table_id, {}).get(c.table.col) or c.table.header

    def _split_band(self, tid: int, cells: list[Block]) -> None:
        """A header printed as one band over several columns ("Orientation Action Responsable
        Échéance"): when its lexicon phrases, read left to right, are as many as the row's cells,
        each names the column under it."""
        band = self.table_band.get(tid)
        if not band or len(cells) < 2:
            return
        words = [w for w in TOKEN_RE.findall(band)]
        keys = [word_key(w.rstrip("'’ʼ").strip(".,;:()«»\"/")) for w in words]
        hits: list[tuple[LabelHit, str]] = []
        k = 0
        while k < len(keys):
            hit = self.lex.match_start(keys[k:])
            if hit is None:
                k += 1
                continue
            hits.append((hit, " ".join(words[k:k + hit.words])))
            k += hit.words
        if len(hits) != len(cells):
            return
        self.table_roles[tid] = {c.table.col: [hit] for c, (hit, _) in zip(cells, hits)}
        self.table_levels[tid] = column_levels(self.table_roles[tid])
        self.table_band[tid] = None
        self.table_band_headers[tid] = {c.table.col: name for c, (_, name) in zip(cells, hits)}

    def _unheaded_rows_are_actions(self, c: Block) -> bool:
        """A table whose header names no level holds actions only under an open labelled record
        and when it has no header row of its own (a species list or a budget has one)."""
        if self.table_roles.get(c.table.table_id):
            return False
        return any(self.origin.get(r.id) in ("label", "numbered") for r in self.stack)

    def _promoted(self, c: Block) -> bool:
        """A grouping column read as the plan's top level (see column_levels)."""
        levels = self.table_levels.get(c.table.table_id) or {}
        return c.table.col in levels and not any(r.kind == "level" for r in self._col_roles(c))

    def _header_level(self, c: Block) -> str | None:
        """The level the column header's own words name (before column order is applied)."""
        return next((r.value for r in self._col_roles(c) if r.kind == "level"), None)

    def _col_level(self, c: Block) -> str | None:
        levels = self.table_levels.get(c.table.table_id)
        if levels is not None:
            return levels.get(c.table.col)
        roles = self._col_roles(c)
        if any(r.kind == "group" for r in roles):
            return None
        return next((r.value for r in roles if r.kind == "level"), None)

    # -- document-wide -----------------------------------------------------
    def _announced_counts(self) -> None:
        """Counts a plan announces of itself: "17 orientations et 52 actions", "trois axes"."""
        words = "|".join(sorted({re.escape(w) for ws in self.lex.data["levels"].values() for w in ws
                                 if not w.isupper()}, key=len, reverse=True))
        num = r"\d{1,3}|" + NUMBER_WORD_RE
        pattern = re.compile(rf"\b({num})\s+(?:grande?s?\s+|principale?s?\s+)?({words})s?\b", re.I)
        for b in self.blocks:
            if b.kind == TABLE_CELL:
                continue
            for m in pattern.finditer(b.text):
                n = m.group(1).lower()
                count = number_word_value(n) or 0
                hit = self.lex.match_start([word_key(w) for w in m.group(2).split()])
                if hit and hit.kind == "level" and 1 < count <= MAX_ANNOUNCED:
                    self.out.announced[hit.value] = max(self.out.announced.get(hit.value, 0), count)

    def _resolve_unlabelled(self) -> None:
        """Rule 4: unlabelled items under an axis are orientations when the plan announces
        orientations (and their count fits better than the actions'), actions otherwise."""
        children = [c for c in self.unlabelled_children if c.level == "orientation"]
        if not children:
            return
        n = len(children)
        orient = self.out.announced.get("orientation")
        action = self.out.announced.get("action")
        as_orientation = orient is not None and (action is None or abs(orient - n) <= abs(action - n))
        # An item that already holds records keeps its depth: demoting it would put actions under an action.
        parents = {r.parent for r in self.out.records if r.parent is not None}
        # Regularity: numbered siblings are one level; when some of them hold records, all are
        # orientations, those without actions included (prose only under them).
        numbered = [c for c in children if self.origin.get(c.id) == "numbered"]
        regular = any(c.id in parents for c in numbered)
        for c in children:
            if as_orientation or regular and self.origin.get(c.id) == "numbered":
                c.label = c.label or "Orientation"
            elif c.id not in parents:
                c.level = "action"


def numbering_style(num: str, last_upper: str | None = None) -> str:
    """'digit:N' (N = depth of a dotted number), 'roman', 'upper' or 'lower'. A single I, V or X
    right after the letter before it ("H." then "I.") is a letter, otherwise a Roman numeral."""
    if num[0].isdigit():
        return f"digit:{num.count('.') + 1}"
    if re.fullmatch(r"[IVXLC]+", num) and not (len(num) == 1 and last_upper and ord(num) == ord(last_upper) + 1):
        return "roman"
    return "upper" if num.isupper() else "lower"


def column_levels(roles: dict[int, list[LabelHit]], promote_group: bool = True) -> dict[int, str]:
    """Levels of a table's level columns. Columns nest left to right, so where their labels would
    not narrow ("Orientation | Objectif spécifique | Moyen", "Grand axe | Priorité"), the column
    order wins: each column narrower than the one on its left, shifted broader when it would fall
    below action. A grouping column (Thème, Volet) left of every level column, with no axis
    column, is the plan's top grouping: an axis (rules 4 and 5 of plan-records.md; a grouping
    is only an attribute between two kept levels)."""
    cols = [(col, next(r.value for r in hits if r.kind == "level")) for col, hits in sorted(roles.items())
            if any(r.kind == "level" for r in hits) and not any(r.kind == "group" for r in hits)]
    groups = [col for col, hits in sorted(roles.items()) if any(r.kind == "group" for r in hits)
              and not any(r.kind == "level" for r in hits)]
    if promote_group and cols and groups and groups[0] < cols[0][0] and all(lv != "axis" for _, lv in cols):
        cols.insert(0, (groups[0], "axis"))
    ranks: list[int] = []
    for _, level in cols:
        rank = LEVEL_RANK[level]
        if ranks and rank <= ranks[-1]:
            rank = ranks[-1] + 1
        ranks.append(rank)
    overflow = (ranks[-1] - (len(LEVELS) - 1)) if ranks else 0
    if overflow > 0:  # too deep: move the whole chain up, keeping the order
        ranks = [max(r - overflow, k) for k, r in enumerate(ranks)]
    return {col: LEVELS[min(r, len(LEVELS) - 1)] for (col, _), r in zip(cols, ranks)}


TITLE_PARAGRAPH_CHARS = 120


def is_title_paragraph(b: Block) -> bool:
    """A short paragraph set in bold: a title that the markup did not make a heading."""
    return b.kind == PARAGRAPH and bool(b.style.bold) and len(b.text) <= TITLE_PARAGRAPH_CHARS


PROSE_CHARS = 250  # longer than any title


def is_sentence(text: str) -> bool:
    """Prose rather than a title: several sentences, or very long; a quoted text is a title
    ("Une commune ouverte à tous…")."""
    t = text.strip()
    if not t or t[0] in QUOTE_PAIRS:
        return False
    return len(t) > PROSE_CHARS or bool(re.search(r"[a-zà-ÿ]{2}[.!?]\s+[A-ZÀ-Ý]", t))


def text_has_colon(text: str) -> bool:
    return text.rstrip().endswith(":")
