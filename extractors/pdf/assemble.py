"""Lines of every page → typed blocks: lines grouped into blocks, big numerals attached to their
titles, headings found from size/weight/colour relative to body text and levelled, bookmarks
applied, tables continued across pages, list ids given."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, BlockStyle
from planscope.extractors.grammar import (BARE_NUMERAL_RE, BIG_LETTER_RE, HEAD_NUM_RE, ITEM_START_RE,
                                          ITEM_TITLE_START_RE, list_marker)
from planscope.extractors.hygiene import clean_text, join_lines, one_line
from planscope.extractors.pdf.aligned import Tbl, aligned_tables, clean_cell
from planscope.extractors.pdf.cleanup import CID_RE
from planscope.extractors.pdf.layout import reading_order
from planscope.extractors.pdf.model import Line, PageData
from planscope.extractors.pdf.settings import SETTINGS as S
from planscope.extractors.tables import carry_merged, grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-pdf"
SENTENCE_END_RE = re.compile(r"[.!?;:]$")



@dataclass
class Blk:
    """Lines grouped into one block, before it becomes a Block."""

    lines: list[Line]
    kind: str = PARAGRAPH
    marker: str | None = None
    ordered: bool | None = None
    number: str | None = None  # an attached big numeral
    colnum: bool = False  # the marker is an outline number set in a column of its own (Line.number)

    @property
    def bbox(self):
        """(x0, top, x1, bottom) around the block's lines."""
        return (min(l.x0 for l in self.lines), min(l.top for l in self.lines),
                max(l.x1 for l in self.lines), max(l.bottom for l in self.lines))

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return join_lines([l.text for l in self.lines])


def body_style(pages: list[PageData]) -> tuple[float, tuple | None, bool]:
    """(size, colour, boldness) of body text: the size covering most characters, then the colour
    and weight most common at that size."""
    sizes: Counter = Counter()
    step = S.body_size_step
    for pd in pages:
        for l in pd.lines:
            sizes[round(l.size / step) * step] += l.chars or len(l.text)
    if not sizes:
        return S.default_body_size, None, False
    body = sizes.most_common(1)[0][0]
    colors: Counter = Counter()
    bold = Counter()
    for pd in pages:
        for l in pd.lines:
            if abs(l.size - body) < S.same_size:
                colors[l.color] += l.chars
                bold[l.bold] += l.chars
    return body, colors.most_common(1)[0][0] if colors else None, bold.most_common(1)[0][0] if bold else False


def _follows(b: Blk, l: Line) -> bool | None:
    """Whether line l continues block b (True), cannot (None: look further back), or ends the
    search (False: a style change or a new paragraph)."""
    last = b.lines[-1]
    gap = l.top - last.bottom
    size = max(min(l.size, last.size), 1)
    if not (-S.para_overlap * size <= gap <= S.para_gap * size):
        return None
    if l.x0 >= last.x1 or l.x1 <= last.x0 or BARE_NUMERAL_RE.match(last.text):
        return None
    if abs(l.size - last.size) >= S.same_size or l.bold != last.bold:
        return False
    if b.kind == LIST_ITEM:
        hanging = l.x0 >= b.first.x0 + S.hanging_indent * size
        wrapped = l.text[:1].islower() and not SENTENCE_END_RE.search(last.text)
        return hanging or wrapped
    if len(b.lines) >= 1 and l.x0 - b.bbox[0] > S.first_line_indent * size and re.search(r"[.!?:]$", last.text) \
            and l.x1 <= b.bbox[2] + S.indent_slack:
        return False  # first-line indent after a finished sentence: a new paragraph
    return True


def group_blocks(lines: list[Line]) -> list[Blk]:
    """Lines of one page → blocks: same style, close below, overlapping horizontally."""
    lines = sorted(lines, key=lambda l: (l.top, l.x0))
    blocks: list[Blk] = []
    for l in lines:
        marker, ordered, _ = list_marker(l.text)
        if l.number:
            marker, ordered = l.number, True
        target = None
        # A line that opens with a label and its number ("Action 1.1.2 Soutenir…", "AXE 2 – …") or
        # an outline number ("1.2 Titre") starts an item of its own, even set tight under the last.
        if marker is None and not BARE_NUMERAL_RE.match(l.text) and not ITEM_START_RE.match(l.text):
            for b in reversed(blocks[-S.block_lookback:]):
                verdict = _follows(b, l)
                if verdict is None:
                    continue
                if verdict:
                    target = b
                break
        if target is not None:
            target.lines.append(l)
        else:
            blocks.append(Blk(lines=[l], kind=LIST_ITEM if marker else PARAGRAPH, marker=marker,
                              ordered=ordered if marker else None, colnum=bool(l.number)))
    return blocks


def _numeral_target(nb: Blk, out: list[Blk], letter: bool, body: float) -> Blk | None:
    """The block a big numeral (or section letter) ``nb`` numbers: beside it, else just below it."""
    x0, top, x1, bottom = nb.bbox

    def label_of(b: Blk) -> bool:  # a block that may take the numeral: not another numeral, and
        # after a letter a title opening with a capital (a drop cap runs on into a lowercase word)
        if BARE_NUMERAL_RE.match(b.text) or BIG_LETTER_RE.match(b.text):
            return False
        return not letter or bool(ITEM_TITLE_START_RE.match(b.text))

    reach = max(S.numeral_reach_size * nb.first.size, S.numeral_reach_width * (x1 - x0))
    beside = [b for b in out if b is not nb and b.number is None and b.bbox[0] >= x1 - S.numeral_slack and
              b.bbox[0] - x1 <= reach and b.bbox[1] < bottom and b.bbox[3] > top and label_of(b)]
    if not beside:
        beside = [b for b in out if b is not nb and b.number is None and 0 <= b.bbox[1] - bottom <= nb.first.size
                  and b.bbox[0] < x1 + reach and b.bbox[2] > x0 and label_of(b)]
        beside = sorted(beside, key=lambda b: b.bbox[1])[:1]
    if not beside:
        return None
    target = max(beside, key=lambda b: (round(b.first.size, 1), b.first.bold, -abs(b.bbox[1] - top)))
    if letter and not (len(target.lines) <= S.letter_title_lines and
                       len(target.text.split()) >= S.letter_title_words and
                       len(target.text) <= S.letter_title_chars and
                       (target.first.bold or target.first.size >= S.heading_size_ratio * body)):
        return None  # a letter beside running text or a one-word label: a logo or a map's key, not a section
    return target


def attach_numerals(blocks: list[Blk], body: float) -> list[Blk]:
    """A big standalone number beside (or just above) a title is that item's number."""
    out = list(blocks)
    for nb in blocks:
        if len(nb.lines) != 1 or nb.kind == LIST_ITEM:
            continue
        m = BARE_NUMERAL_RE.match(nb.text)
        letter = m is None and BIG_LETTER_RE.match(nb.text)
        m = m or letter
        if not m or nb.first.size < S.big_numeral_ratio * body:
            continue
        target = _numeral_target(nb, out, bool(letter), body)
        if target is None:
            continue
        target.number = m.group(1)
        out.remove(nb)
    return out


def _style(l: Line) -> BlockStyle:
    """The typography of a block: its first line's size, weight and colour."""
    return BlockStyle(font_size=round(l.size, 1), bold=l.bold, color=l.color)


def _table_blocks(it: Tbl, pos: int, last: bool, prev_table, table_id: int, source: str):
    """Cell blocks of one table, continuing the previous page's table when it ended its page with
    the same columns and this one opens its page repeating its header; (blocks, prev_table, table_id)."""
    grid = it.grid if it.grid is not None else \
        carry_merged([[clean_cell(c) if c is not None else None for c in r] for r in it.rows])
    ncols = max(len(r) for r in grid)
    base = Block(kind=PARAGRAPH, text="", page=it.page, bbox=tuple(round(v, 1) for v in it.bbox),
                 source=source, extractor=NAME, extractor_version=EXTRACTOR_VERSION)
    cont = prev_table is not None and prev_table[1] == ncols and prev_table[4] == it.page - 1 and \
        prev_table[5] and pos == 0 and prev_table[2] is not None and \
        [one_line(t) for t, _ in grid[0]] == prev_table[2]
    if cont:
        tid, header, offset = prev_table[0], prev_table[2], prev_table[3]
    else:
        table_id += 1
        tid, header, offset = table_id, None, 0
    tb, header = grid_to_blocks(grid, tid, base, header=header)
    for b in tb:
        b.table.row += offset
    return tb, (tid, ncols, header, offset + len(grid), it.page, last), table_id


def to_blocks(pages: list[PageData], source: str, outline) -> list[Block]:
    """Every page's lines and tables → blocks in reading order, headings levelled, list ids given."""
    body, body_color, body_bold = body_style(pages)
    blocks: list[Block] = []
    table_id = -1
    prev_table: tuple | None = None  # (table_id, ncols, header, next_row, page, last item on its page)
    heading_sizes: set[float] = set()
    pending: list[Block] = []
    for pd in pages:
        aligned = aligned_tables(pd, body)
        blks = attach_numerals(group_blocks(pd.lines), body)
        items = blks + [Tbl(rows=r, bbox=bb, page=pd.pno) for r, bb in pd.tables] + aligned
        ordered = reading_order(items, pd.width) if items else []
        for pos, it in enumerate(ordered):
            if isinstance(it, Tbl):
                tb, prev_table, table_id = _table_blocks(it, pos, pos == len(ordered) - 1, prev_table, table_id,
                                                         source)
                blocks.extend(tb)
                continue
            b = make_block(it, source, body, body_color, body_bold)
            if b is None:
                continue
            if pd.ocr:  # read from the page image: the structurer tells figures from text by it
                b.style.ocr = True
            if b.kind == HEADING and b.level is None:
                heading_sizes.add(round(b.style.font_size))
            pending.append(b)
            blocks.append(b)
    _heading_levels(pending, heading_sizes, body)
    _apply_outline(blocks, outline)
    _list_ids(blocks)
    return blocks


def _list_ids(blocks: list[Block]) -> None:
    """Consecutive list items (no other block between) share an id."""
    list_id = 0
    prev = None
    for b in blocks:
        if b.kind == LIST_ITEM:
            if prev is None or prev.kind != LIST_ITEM:
                list_id += 1
            b.list_id = list_id
        prev = b


def _styled(bl: Blk, text: str, body: float, body_color, body_bold) -> bool:
    """Whether a block is set apart from body text: larger, or bold or coloured where body text is not."""
    first = bl.first
    size = first.size
    short = len(text) <= S.heading_max_chars and not re.search(r"[.;,]$", text)
    if size >= body * S.heading_size_ratio and len(text) <= S.heading_max_chars * S.heading_long_factor:
        return True
    if first.bold and not body_bold and size >= body * S.heading_min_size and short:
        return True
    return body_color is not None and first.color is not None and first.color != body_color and \
        size >= body * S.heading_min_size and short and len(bl.lines) <= S.colour_heading_lines and \
        _distinct_color(first.color, body_color)


def make_block(bl: Blk, source: str, body: float, body_color, body_bold) -> Block | None:
    """A block of lines as a typed Block: list item, heading (styled, or a short "1.2 Titre" line) or paragraph."""
    text = clean_text(CID_RE.sub("", bl.text) if bl.marker != "•" or not bl.text.startswith("(cid:")
                      else bl.text)
    first = bl.first
    kind, level, marker, ordered = bl.kind, None, bl.marker, bl.ordered
    if kind == LIST_ITEM:
        if bl.colnum:
            rest = bl.text.lstrip()
            rest = rest[len(marker):].lstrip() if rest.startswith(marker) else rest
        else:
            _, _, rest = list_marker(bl.text)
        text = clean_text(CID_RE.sub("", rest))
    text = unicodedata.normalize("NFC", text)
    if not text:
        return None
    if bl.number is not None:
        text = f"{bl.number} {text}"
    short = len(text) <= S.heading_max_chars and not re.search(r"[.;,]$", text)
    styled = _styled(bl, text, body, body_color, body_bold)
    num = HEAD_NUM_RE.match(text)
    if kind == LIST_ITEM:
        # A numbered line styled as a heading is a heading; a bullet item stays an item.
        if ordered and styled and (re.match(r"^\d", marker or "") or bl.colnum):
            kind, marker, ordered = HEADING, None, None
            text = clean_text(bl.text)
            level = len(re.findall(r"\d+", HEAD_NUM_RE.match(text).group(1))) if HEAD_NUM_RE.match(text) else None
    elif styled:
        kind = HEADING
        if num and bl.number is None:
            level = len(num.group(1).split("."))
    elif num and "." in num.group(1) and short and len(bl.lines) == 1 and len(text) <= S.numbered_heading_chars and \
            text[num.end():num.end() + 1].isupper():
        kind, level = HEADING, len(num.group(1).split("."))
    return Block(kind=kind, text=text, page=first.page, bbox=tuple(round(v, 1) for v in bl.bbox), level=level,
                 marker=marker, ordered=ordered if kind == LIST_ITEM else None,
                 list_depth=0 if kind == LIST_ITEM else None, style=_style(first), source=source,
                 extractor=NAME, extractor_version=EXTRACTOR_VERSION)


def _distinct_color(a: tuple, b: tuple) -> bool:
    """Whether two colours are different inks (another colour space, or a channel apart)."""
    if len(a) != len(b):
        return True
    return max(abs(x - y) for x, y in zip(a, b)) > S.colour_distance


def _heading_levels(pending: list[Block], sizes: set[float], body: float) -> None:
    """Levels of style headings: larger sizes first; body-size (bold/colour) headings last."""
    ranks = sorted((s for s in sizes if s > round(body)), reverse=True)
    for b in pending:
        if b.kind != HEADING or b.level is not None:
            continue
        s = round(b.style.font_size)
        b.level = min(S.max_heading_level, ranks.index(s) + 1 if s in ranks else len(ranks) + 1)


def _outline_key(t: str) -> str:
    """A text as bookmarks are compared: folded case, punctuation as single spaces."""
    return re.sub(r"\W+", " ", one_line(t).casefold()).strip()


def _matches_entry(k: str, t: str) -> bool:
    """Whether a block's key text matches a bookmark's: equal, the block opening with the entry, or
    the block being most of the entry's start."""
    return k == t or (len(t) >= S.outline_prefix_min and k.startswith(t) and len(k) <= len(t) + S.outline_prefix_extra) \
        or (len(k) >= S.outline_partial_min and t.startswith(k) and len(k) >= S.outline_partial_share * len(t))


def _apply_outline(blocks: list[Block], outline) -> None:
    """Blocks whose text is an outline (bookmark) entry are headings of the entry's depth."""
    if not outline:
        return
    entries = [(lvl, _outline_key(t), pg) for lvl, t, pg in outline if _outline_key(t)]
    used = set()
    for b in blocks:
        if b.kind == TABLE_CELL or len(b.text) > S.outline_max_text:
            continue
        k = _outline_key(b.text)
        for n, (lvl, t, pg) in enumerate(entries):
            if n in used or (pg is not None and b.page is not None and abs(pg - b.page) > S.outline_page_slack):
                continue
            if _matches_entry(k, t):
                b.kind, b.level, b.marker, b.ordered, b.list_depth, b.list_id = \
                    HEADING, min(lvl, S.max_heading_level), None, None, None, None
                b.style.outline = True
                used.add(n)
                break
