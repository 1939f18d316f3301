"""Stage 1: the document's own outline, rebuilt from its blocks whatever its plan vocabulary.

A heading's depth is learned per document, not read from fixed thresholds:

* typographic styles are clustered per document (font size, weight, colour, case; the HTML
  heading rank where there is no font size) and ranked: bigger first, then bold, coloured and
  capitals before plain;
* numbering refines the style: "1.2" or "1-2" is one deeper than the "1" or "Axe 1" it
  continues, whatever its style;
* a number printed apart from its title ("2" then "Vision") is the title's number.

The outline is what the plan-region stage cuts and what the levels stage maps onto
axis / orientation / action.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block
from planscope.extractors.grammar import GLYPH_BULLET_RE, ITEM_LINE_RE, NUMBERED_TITLE_RE, bare_number
from planscope.extractors.hygiene import one_line

TITLE_PARAGRAPH_CHARS = 120  # a bold paragraph longer than this is body text set in bold
COLOUR_TOLERANCE = 0.15  # colour channels closer than this are the same ink


@dataclass
class Node:
    """One heading of the outline."""

    index: int  # the block's position in the document
    title: str
    depth: int  # 1 = broadest
    number: str | None = None
    style: tuple = ()
    parent: int | None = None  # position in Outline.nodes


@dataclass
class Outline:
    nodes: list[Node] = field(default_factory=list)
    section_of: list[int | None] = field(default_factory=list)  # block → innermost node position

    def extent(self, pos: int) -> range:
        """The blocks a heading governs: up to the next heading of the same depth or broader."""
        node = self.nodes[pos]
        end = len(self.section_of)
        for later in self.nodes[pos + 1:]:
            if later.depth <= node.depth:
                end = later.index
                break
        return range(node.index, end)


def _colour_key(colour) -> tuple | None:
    if not colour:
        return None
    return tuple(round(c / COLOUR_TOLERANCE) for c in colour)


def style_key(b: Block) -> tuple:
    """What the reader sees of a heading: size, weight, ink, case (HTML: its rank)."""
    st = b.style
    size = st.font_size
    letters = [c for c in b.text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return (round(size) if size else None, b.level if size is None and b.kind == HEADING else None,
            bool(st.bold), _colour_key(st.color), upper)


def is_heading_like(b: Block) -> bool:
    """A heading, a short bold paragraph, or a short paragraph opening with an outline number."""
    if b.kind == HEADING:
        return True
    if b.kind != PARAGRAPH:
        return False
    text = one_line(b.text)
    if len(text) > TITLE_PARAGRAPH_CHARS or text.endswith((".", ";", ",")):
        return False
    if b.style.bold:
        return True
    m = NUMBERED_TITLE_RE.match(text)
    return bool(m and m.group("title")[:1].isupper() and re.search(r"[.\-]", m.group("num")))




def _marker_family(marker: str) -> str:
    return "letter" if marker[0].isalpha() else "digit" if marker[0].isdigit() else marker


def _enumerator(b: Block) -> re.Match | None:
    """A one-line paragraph opening with "a)", "b.", "1)", "2." (a letter or a number, not a glyph)."""
    if b.kind != PARAGRAPH or "\n" in b.text.strip():
        return None
    m = ITEM_LINE_RE.match(b.text.strip())
    return m if m and m.group("marker")[0].isalnum() else None


def _ordinal(marker: str) -> int:
    head = marker[:-1]
    return int(head) if head.isdigit() else ord(head) - ord("a") + 1


def _hand_numbered_runs(blocks: list[Block]) -> set[int]:
    """Indexes of paragraphs typed as a numbered list: a run of two or more that count up from
    "a)" or "1)" in one family. A lone "a) …" or a run that does not count is prose."""
    keep: set[int] = set()
    i = 0
    while i < len(blocks):
        run = []
        j = i
        while j < len(blocks):
            m = _enumerator(blocks[j])
            if m is None or _ordinal(m.group("marker")) != len(run) + 1 or \
                    (run and _marker_family(m.group("marker")) != _marker_family(run[0])):
                break
            run.append(m.group("marker"))
            j += 1
        if len(run) >= 2:
            keep.update(range(i, j))
        i = max(j, i + 1)
    return keep


def glyph_bullets(blocks: list[Block]) -> list[Block]:
    """Paragraphs that open with a bullet glyph, and runs of paragraphs numbered by hand ("a) …",
    "b) …"), as list items; consecutive ones form one list."""
    next_id = max((b.list_id or 0 for b in blocks), default=0) + 1
    out: list[Block] = []
    run_open = False
    numbered = _hand_numbered_runs(blocks)
    for k, b in enumerate(blocks):
        if k in numbered:
            m = _enumerator(b)
            marker = m.group("marker")
            if _ordinal(marker) == 1:
                next_id += 1
            out.append(dataclasses.replace(b, kind=LIST_ITEM, text=m.group("text"), marker=marker,
                                           list_id=next_id, list_depth=0, ordered=True))
            run_open = False
            continue
        lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()] if b.kind == PARAGRAPH else []
        items = [ITEM_LINE_RE.match(ln) for ln in lines]
        if len(lines) >= 2 and all(items) and len({_marker_family(m.group("marker")) for m in items}) == 1:
            # "a) …<br>b) …" in one paragraph: one list item per marked line.
            next_id += 1
            for m in items:
                marker = m.group("marker")
                out.append(dataclasses.replace(b, kind=LIST_ITEM, text=m.group("text"), marker=marker,
                                               list_id=next_id, list_depth=0, ordered=marker[0].isalnum()))
            run_open = False
            continue
        m = GLYPH_BULLET_RE.match(b.text) if b.kind == PARAGRAPH else None
        if m is None:
            out.append(b)
            run_open = False
            continue
        if not run_open:
            next_id += 1
            run_open = True
        glyph = m.group("glyph")
        # Items whose lines the extractor joined: "› Objectif 2.1 – … › Objectif 2.2 – …".
        parts = [p.strip() for p in re.split(rf"\s{re.escape(glyph)}\s+(?=[A-ZÀ-Ý«\"])", m.group("text")) if p.strip()]
        for part in parts:
            out.append(dataclasses.replace(b, kind=LIST_ITEM, text=part, marker=glyph,
                                           list_id=next_id, list_depth=0, ordered=False))
    return out


def number_parts(num: str | None) -> list[str]:
    return [p for p in re.split(r"[.\-]", num or "") if p]


def build_outline(blocks: list[Block]) -> Outline:
    """The heading tree of a document."""
    body = Counter(style_key(b) for b in blocks if b.kind == PARAGRAPH and not is_heading_like(b))
    body_style = body.most_common(1)[0][0] if body else None
    cands: list[tuple[int, str, str | None, tuple]] = []
    pending_number: str | None = None
    for i, b in enumerate(blocks):
        if not is_heading_like(b):
            pending_number = None
            continue
        text = one_line(b.text)
        if bare_number(text) is not None:  # "2" printed apart, its title next
            pending_number = bare_number(text)
            continue
        m = NUMBERED_TITLE_RE.match(text)
        number = m.group("num") if m and m.group("title") else None
        title = m.group("title") if number else text
        cands.append((i, title, number or pending_number, style_key(b)))
        pending_number = None
    styles = sorted({st for _, _, _, st in cands if st != body_style},
                    key=lambda st: (-(st[0] or 0), st[1] or 9, not st[2], st[3] is None, not st[4]))
    rank = {st: k + 1 for k, st in enumerate(styles)}
    deepest = len(styles) + 1
    out = Outline(section_of=[None] * len(blocks))
    for i, title, number, st in cands:
        depth = rank.get(st, deepest)
        parts = number_parts(number)
        if len(parts) > 1:  # "1.2": one deeper than the heading numbered "1" (or "Axe 1")
            parent = _numbered_parent(out.nodes, parts[:-1])
            if parent is not None:
                depth = max(depth, parent.depth + 1)
        node = Node(index=i, title=title, depth=depth, number=number, style=st)
        out.nodes.append(node)
    stack: list[int] = []
    for pos, node in enumerate(out.nodes):
        while stack and out.nodes[stack[-1]].depth >= node.depth:
            stack.pop()
        node.parent = stack[-1] if stack else None
        stack.append(pos)
    current: int | None = None
    nxt = 0
    for i in range(len(blocks)):
        if nxt < len(out.nodes) and out.nodes[nxt].index == i:
            current = nxt
            nxt += 1
        out.section_of[i] = current
    return out


def _numbered_parent(nodes: list[Node], prefix: list[str]) -> Node | None:
    """The latest heading whose number (or label number, "Axe 1") is the given prefix."""
    want = ".".join(prefix)
    for node in reversed(nodes):
        if node.number is not None and ".".join(number_parts(node.number)) == want:
            return node
        m = re.search(r"\b(\d{1,2}(?:[.\-]\d{1,2})*)\s*[:.\-–]", node.title[:40])
        if node.number is None and m and ".".join(number_parts(m.group(1))) == want:
            return node
    return None
