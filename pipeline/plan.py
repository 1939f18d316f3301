"""One document → one plan: extraction, structure, metadata and the is-it-a-plan decision."""
from __future__ import annotations

import hashlib
from pathlib import Path

from extractors import EXTRACTOR_VERSION, extract_bytes
from extractors.blocks import LIST_ITEM, OK, PARTIAL, Extraction
from extractors.hygiene import one_line
from models.records import PlanResult

from . import __version__
from .lexicon import fold, lexicon
from .metadata import find_organization, find_period, find_title, organization_from_demonym
from .structure import Structurer

MIN_RECORDS = 2
MIN_GROUPED = 3  # group titles over action lists that make an unlabelled plan
MIN_NUMBERED = 3  # numbered items that make an unlabelled hierarchy evidence of a plan


def structure_extraction(ex: Extraction, sha256: str | None = None) -> PlanResult:
    """Blocks → plan result; a document without plan evidence gives is_plan false and no records."""
    lex = lexicon()
    result = PlanResult(source=ex.source, is_plan=False, status=ex.status, error=ex.reason,
                        media_type=ex.media_type, sha256=sha256,
                        parser={"extractor": ex.extractor or "", "extractor_version": EXTRACTOR_VERSION,
                                "planscope": __version__})
    result.warnings.extend(ex.warnings + ex.page_errors)
    if ex.status not in (OK, PARTIAL) or not ex.blocks:
        result.reasons.append(f"no text to structure ({ex.status}: {ex.reason})" if ex.reason
                              else "no text to structure")
        return result
    s = Structurer(ex.blocks, lex=lex).run()
    title = find_title(ex, lex)
    result.title = title
    title_words = fold(" ".join(t for t in [title or "", ex.title or ""]))
    plan_title = any(w in title_words for w in lex.plan_title_words if len(w) > 4)
    not_plan = any(w in title_words or any(w in fold(one_line(b.text)) for b in ex.blocks[:3])
                   for w in lex.not_plan_words)
    reasons = []
    if s.labelled:
        reasons.append(f"{s.labelled} items carry a level label (axe, objectif, action...)")
    numbered_plan = s.numbered >= MIN_NUMBERED and s.numbered_actions >= max(2, s.numbered // 3)
    if numbered_plan:
        reasons.append(f"{s.numbered} items numbered in a hierarchy, {s.numbered_actions} of them worded as actions")
    if s.tables_with_levels:
        reasons.append(f"{s.tables_with_levels} table rows sit under level columns")
    if s.grouped:
        reasons.append(f"{s.grouped} group titles head lists of items")
    if s.announced:
        reasons.append("the document announces " + ", ".join(f"{n} {lv}" for lv, n in s.announced.items()))
    if plan_title:
        reasons.append(f"its title names a plan: {title!r}")
    if not_plan:
        reasons.append("its opening names a non-plan genre (workshop sheet, minutes, news)")
    # Titles that each head a list of actions, again and again, are a plan's shape too.
    grouped_plan = s.grouped >= MIN_GROUPED
    evidence = (s.labelled >= 2 or s.tables_with_levels >= 2 or numbered_plan or grouped_plan) + \
        bool(s.announced) + plan_title
    result.is_plan = len(s.records) >= MIN_RECORDS and evidence >= 1 and not (not_plan and s.labelled < 2)
    result.reasons = reasons or ["no level labels, numbered hierarchy or announced counts"]
    if not result.is_plan:
        result.reasons.insert(0, "not a plan")
        result.period = None
        return result
    result.records = s.records
    result.organization = find_organization(ex, lex)
    if result.organization is None:
        inferred = organization_from_demonym(ex)
        if inferred:
            result.organization = inferred[0]
            result.warnings.append(f"organisation inferred from the demonym {inferred[1]!r}")
    result.period = find_period(ex, title)
    for level, n in s.announced.items():
        got = sum(1 for r in s.records if r.level == level)
        if got != n:
            result.warnings.append(f"the plan announces {n} {level} records, {got} were extracted")
    return result


def process_bytes(data: bytes, source: str, base_url: str | None = None) -> PlanResult:
    sha = hashlib.sha256(data).hexdigest()
    ex = extract_bytes(data, source, base_url=base_url)
    return structure_extraction(ex, sha)


def process_file(path: str | Path) -> PlanResult:
    p = Path(path)
    return process_bytes(p.read_bytes(), p.name)
