"""Blocks → plan records in three stages, each testable on its own.

1. :mod:`.outline` rebuilds the document's heading tree from its own signals;
2. :mod:`.region` finds the part of it that is the plan (no table of contents, context,
   vision or committee list);
3. :mod:`.levels` maps the plan's items onto axis / orientation / action (lexicon labels, table
   columns, numbering, lists), :func:`read` keeps the best of the candidate readings, and
   :mod:`.decision` weighs whether the document is a plan at all, with reasons on both sides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from planscope.extractors.blocks import Block
from planscope.extractors.hygiene import one_line

from planscope.pipeline.structure.lexicon import Lexicon, lexicon
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


def read(blocks: list[Block], lex: Lexicon | None = None, use_nlp: bool = True) -> StructuredDocument:
    lex = lex or lexicon()
    blocks = glyph_bullets([b for b in blocks if b.text and b.text.strip()])
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
        s = Structurer(bl, lex=lex, use_nlp=use_nlp, depths=depths, chapters=chapters).run()
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
