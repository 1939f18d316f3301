"""Blocks → plan records in three stages, each testable on its own.

1. :mod:`.outline` rebuilds the document's heading tree from its own signals;
2. :mod:`.region` finds the part of it that is the plan (no table of contents, context,
   vision or committee list);
3. :mod:`.levels` maps the plan's items onto axis / orientation / action (lexicon labels, table
   columns, numbering, lists), :func:`read` keeps the best of the candidate readings, and
   :mod:`.decision` weighs whether the document is a plan at all, with reasons on both sides.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from planscope.extractors.blocks import LIST_ITEM, PARAGRAPH, Block
from planscope.extractors.hygiene import one_line

from planscope.pipeline.structure.lexicon import Lexicon, fold, lexicon
from planscope.pipeline.structure.levels import Structure, Structurer, parse_label
from planscope.extractors.grammar import split_leading_number
from planscope.pipeline.structure.outline import Outline, build_outline, glyph_bullets
from planscope.pipeline.structure.region import Region, contents_lines, plan_region


@dataclass
class Reading:
    """One candidate reading of a document: its records, statistics and score."""

    name: str
    structure: Structure
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class StructuredDocument:
    outline: Outline
    region: Region
    reading: Reading
    candidates: list[Reading]


def _score(s: Structure) -> tuple[float, list[str]]:
    """How well a reading fits the plan's own statements: counts it announces, a hierarchy."""
    reasons = []
    score = 0.0
    for level, n in s.announced.items():
        got = sum(1 for r in s.records if r.level == level)
        if got == n:
            score += 3
            reasons.append(f"{got} {level} records, as the plan announces")
        else:
            score -= min(abs(got - n), n) / max(n, 1) * 2
    levels = {r.level for r in s.records}
    score += 0.5 * len(levels)
    return score, reasons


def status_tags(blocks: list[Block], lex: Lexicon) -> tuple[list[Block], dict[int, str]]:
    """Short paragraphs that are only a status ("Réalisé", "En cours", set beside each item of a
    progress update) taken out of the flow, so that the items around them stay one list; each
    tag goes to the list item it sits on (the next block, else the one before)."""
    values = {fold(v) for v in lex.data.get("status_values", [])}
    tags: dict[int, str] = {}
    same_list: dict[int, int] = {}  # list id → the list it continues once the tags between are gone
    out: list[Block] = []
    after_tag = False
    for i, b in enumerate(blocks):
        if b.kind == PARAGRAPH and fold(one_line(b.text)).strip(" .:") in values:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            prev = out[-1] if out else None
            item = nxt if nxt is not None and nxt.kind == LIST_ITEM else \
                prev if prev is not None and prev.kind == LIST_ITEM and id(prev) not in tags else None
            if item is not None:
                tags[id(item)] = one_line(b.text)
                after_tag = True
                continue
        if b.kind == LIST_ITEM and b.list_id is not None:
            prev = out[-1] if out else None
            if after_tag and prev is not None and prev.kind == LIST_ITEM and prev.marker == b.marker \
                    and prev.list_depth == b.list_depth and prev.list_id != b.list_id:
                same_list.setdefault(b.list_id, prev.list_id)
            if b.list_id in same_list:
                item = dataclasses.replace(b, list_id=same_list[b.list_id])
                if id(b) in tags:
                    tags[id(item)] = tags.pop(id(b))
                b = item
        after_tag = False
        out.append(b)
    return out, tags


def read(blocks: list[Block], lex: Lexicon | None = None, use_verbs: bool = True) -> StructuredDocument:
    lex = lex or lexicon()
    blocks = glyph_bullets([b for b in blocks if b.text and b.text.strip()])
    blocks, tags = status_tags(blocks, lex)
    leaders = contents_lines(blocks)
    blocks = [b for i, b in enumerate(blocks) if i not in leaders]
    outline = build_outline(blocks)

    def is_labelled(title: str) -> bool:
        lab = parse_label(one_line(title), lex)
        return lab is not None and lab.hit.kind == "level"

    def core(text: str) -> str:
        lab = parse_label(text[:160], lex)
        if lab is not None and lab.hit.kind == "level" and lab.title:
            return lab.title
        return split_leading_number(text)[1]

    region = plan_region(blocks, outline, lex, is_labelled, core)
    if leaders:
        region.reasons.append(f"table of contents lines skipped: {len(leaders)} blocks with dot leaders")
    depths = {id(blocks[n.index]): n.depth for n in outline.nodes}
    chapters = {id(blocks[i]) for i in region.chapters}
    candidates = []
    for name, bl in (("plan region", region.keep(blocks)), ("whole document", blocks)):
        structurer = Structurer(bl, lex=lex, use_verbs=use_verbs, depths=depths, chapters=chapters)
        s = structurer.run()
        for r in s.records:
            blk = structurer.record_block.get(r.id)
            if blk is not None and id(blk) in tags and not r.status:
                r.status = tags[id(blk)]
        score, why = _score(s)
        candidates.append(Reading(name=name, structure=s, score=score, reasons=why))
        if not region.skipped:
            break
    # The plan region is preferred; the whole document wins only when it fits the plan's own
    # announced counts clearly better.
    best = candidates[0]
    for c in candidates[1:]:
        if c.score > best.score + 1:
            best = c
    return StructuredDocument(outline=outline, region=region, reading=best, candidates=candidates)
