"""Stage 2: which part of the outline is the plan.

A report carries its plan among chapters that are not plan: a table of contents, a preamble,
context and diagnosis, method, past achievements, mission / vision / values, calendars,
glossaries, committee lists, follow-up mechanisms (rule 7 of plan-records.md). Their titles are
data (data/regions.json). A summary that repeats headings printed again later with their
content (a list of the axes before the axes) is not the plan either: the later copy is.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from planscope.extractors.blocks import LIST_ITEM, Block
from planscope.extractors.grammar import CONTENTS_LINE_RE
from planscope.extractors.hygiene import one_line

from planscope.pipeline.structure.lexicon import Lexicon, fold
from planscope.pipeline.structure.outline import Outline, is_heading_like


SUMMARY_KEY_WORDS = 3
OCR_FIGURE_SHARE = 0.5  # under this share of pages read by OCR, those pages are figures
MIN_TOC_LINES = 2  # one leader line may be a form's blank to fill; two make a table of contents
MIN_SUMMARY_WORDS = 3  # a repeated two-word line is a label ("Axe d'intervention"), not a summary entry


@dataclass
class Region:
    skipped: set[int] = field(default_factory=set)  # block positions outside the plan
    reasons: list[str] = field(default_factory=list)
    chapters: set[int] = field(default_factory=set)  # headings numbered as the report's chapters

    def keep(self, blocks: list[Block]) -> list[Block]:
        return [b for i, b in enumerate(blocks) if i not in self.skipped]


@lru_cache(maxsize=1)
def region_words() -> dict[str, list[str]]:
    raw = resources.files("planscope.pipeline").joinpath("data/regions.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return {k: [_key(w) for w in v] for k, v in data.items() if not k.startswith("_")}


def _key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", fold(text)).strip()


LEADING_ARTICLE_RE = re.compile(r"^(?:le|la|les|l|notre|nos|un|une)\s+")


def _starts_with_any(title: str, words: list[str]) -> bool:
    # "Le contexte", "Notre vision": the article does not change what the section is.
    k = LEADING_ARTICLE_RE.sub("", _key(title))
    return any(k == w or k.startswith(w + " ") for w in words)


def plan_region(blocks: list[Block], outline: Outline, lex: Lexicon, is_labelled, core=None) -> Region:
    """The blocks outside the plan, with the reasons. ``is_labelled(text)`` tells whether a title
    carries a level label (such a section is plan whatever its title); ``core(text)`` gives a
    title without its label and number."""
    core = core or (lambda t: t)
    words = region_words()
    region = Region()
    nodes = outline.nodes
    always = {pos for pos, n in enumerate(nodes)
              if _starts_with_any(n.title, words["always"]) and not is_labelled(n.title)}
    depths_with_always = {nodes[pos].depth for pos in always}
    narrative = []  # the headings of the sections skipped as narrative
    for pos, node in enumerate(nodes):
        if is_labelled(node.title):
            continue
        if _starts_with_any(node.title, words["contents"]):
            span = _contents_span(blocks, outline, pos)
            region.skipped.update(span)
            region.reasons.append(f"table of contents skipped: {node.title!r} ({len(span)} blocks)")
            continue
        in_report = node.depth in depths_with_always and _starts_with_any(node.title, words["in_reports"])
        if pos in always or in_report:
            span = _until_plan_content(blocks, outline.extent(pos), lex, is_labelled)
            region.skipped.update(span)
            narrative.append(node)
            region.reasons.append(f"not plan content: {node.title!r} ({len(span)} blocks)")
    # A report numbers its chapters ("2. Méthodologie", "4.1 Une vision renouvelée"): when a
    # skipped section carries a number, the document's numbered headings are its chapters, and
    # their numbers are no plan structure (labels still are).
    skipped_nodes = [n for n in narrative if n.number and n.number[0].isdigit()]
    if skipped_nodes:
        region.chapters = {n.index for n in nodes if n.number and n.number[0].isdigit() and not is_labelled(n.title)}
        region.reasons.append(f"{len(region.chapters)} headings numbered as the report's chapters")
    ocr = [i for i, b in enumerate(blocks) if b.style.ocr]
    ocr_pages = {blocks[i].page for i in ocr}
    all_pages = {b.page for b in blocks}
    if ocr and len(ocr_pages) < OCR_FIGURE_SHARE * len(all_pages):
        # Raster pages in a document with a text layer are maps and figures: their OCR text
        # repeats legends and titles, it is not the plan's text.
        region.skipped.update(ocr)
        region.reasons.append(f"{len(ocr)} blocks read by OCR from figure pages skipped")
    dup = _summary_copies(blocks) | _summary_items(blocks, core)
    if dup:
        region.skipped.update(dup)
        region.reasons.append(f"{len(dup)} summary headings repeated later with their content skipped")
    return region


def _until_plan_content(blocks: list[Block], span: range, lex: Lexicon, is_labelled) -> range:
    """A non-plan section ends where plan content announces itself, even without a heading of
    its own depth: a block with a level label, or a table whose header names a level."""
    for i in span[1:]:
        b = blocks[i]
        if b.table is not None and b.table.is_header and _plan_table_header(blocks, i, lex):
            return range(span.start, i)
        if b.table is None and is_labelled(one_line(b.text)[:160]):
            return range(span.start, i)
    return span


PLAN_COLUMN_ATTRIBUTES = ("responsible", "deadline", "indicator")


def _plan_table_header(blocks: list[Block], i: int, lex: Lexicon) -> bool:
    """A header row that lays out a plan: two level columns, or a level column with an owner,
    a deadline or an indicator column (a review of past measures has a level and a status)."""
    table_id = blocks[i].table.table_id
    roles = []
    for b in blocks[i:i + 30]:
        if b.table is None or b.table.table_id != table_id or not b.table.is_header:
            break
        roles += lex.header_roles(one_line(b.text))
    levels = [h for h in roles if h.kind == "level"]
    return len(levels) >= 2 or (bool(levels) and any(h.value in PLAN_COLUMN_ATTRIBUTES for h in roles))


def contents_lines(blocks: list[Block]) -> set[int]:
    """Blocks that are table-of-contents entries by their dot leaders, wherever they sit: leaders
    join a title to its page number in a table of contents only, so no reading keeps them."""
    leaders = {i for i, b in enumerate(blocks) if CONTENTS_LINE_RE.match(one_line(b.text))}
    return leaders if len(leaders) >= MIN_TOC_LINES else set()


def _contents_span(blocks: list[Block], outline: Outline, pos: int) -> set[int]:
    """A table of contents: the rest of its page in a paged document, else its section."""
    start = outline.nodes[pos].index
    page = blocks[start].page
    if page is not None:
        span = set()
        for i in range(start, len(blocks)):
            if blocks[i].page != page:
                break
            span.add(i)
        return span
    return set(outline.extent(pos))


def _summary_copies(blocks: list[Block]) -> set[int]:
    """Heading-like blocks printed again later as headings, with nothing but headings between
    them and the next heading: the first copy is a summary of the plan, the later one its body."""
    # Keyed on the opening words: a summary may word a title a little differently from its body;
    # and on its numbers: "Fiche action n° 1" and "Fiche action n° 2" are two headings, not copies.
    keys = [_summary_key(one_line(b.text)) if is_heading_like(b) else None for b in blocks]
    last_seen: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k:
            last_seen[k] = i
    repeated = [bool(k) and last_seen[k] != i and len(k.split()) >= MIN_SUMMARY_WORDS and
                (i + 1 >= len(blocks) or keys[i + 1] is not None) for i, k in enumerate(keys)]
    out = set()
    for i, flag in enumerate(repeated):
        # A summary is a run: a single repeated heading is more likely a running header.
        if flag and (i > 0 and repeated[i - 1] or i + 1 < len(repeated) and repeated[i + 1]):
            out.add(i)
    return out


MIN_SUMMARY_ITEMS = 3  # list entries found again later as headings: an overview, not the plan


def _summary_key(text: str) -> str:
    words = _key(text).split()
    return " ".join(words[:SUMMARY_KEY_WORDS] + [w for w in words[SUMMARY_KEY_WORDS:] if w.isdigit()])


def _summary_items(blocks: list[Block], core) -> set[int]:
    """List items and headings whose title (without label or number) is printed again later as a
    heading: the overview of the plan ("the plan at a glance"), when it lists several."""
    keys = [_key(core(one_line(b.text))) if (is_heading_like(b) or b.kind == LIST_ITEM) else None
            for b in blocks]
    later_heading: dict[str, int] = {}
    for i, b in enumerate(blocks):
        if keys[i] and is_heading_like(b):
            later_heading[keys[i]] = i
    out = {i for i, k in enumerate(keys) if k and len(k.split()) >= MIN_SUMMARY_WORDS
           and later_heading.get(k, -1) > i}
    out = out if sum(1 for i in out if blocks[i].kind == LIST_ITEM) >= MIN_SUMMARY_ITEMS else set()
    # An overview table: several of its cells are printed again later as headings; all of it goes.
    repeated_cells: dict[int, int] = {}
    for i, b in enumerate(blocks):
        if b.table is not None and not b.table.is_header:
            k = _key(core(one_line(b.text)))
            if len(k.split()) >= MIN_SUMMARY_WORDS and later_heading.get(k, -1) > i:
                repeated_cells[b.table.table_id] = repeated_cells.get(b.table.table_id, 0) + 1
    overview = {t for t, n in repeated_cells.items() if n >= MIN_SUMMARY_ITEMS}
    out |= {i for i, b in enumerate(blocks) if b.table is not None and b.table.table_id in overview}
    return out
