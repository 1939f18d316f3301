"""One document → one plan: extraction, structure, metadata and the is-it-a-plan decision."""
from __future__ import annotations

from planscope.extractors import EXTRACTOR_VERSION
from planscope.extractors.blocks import OK, PARTIAL, Extraction
from planscope.extractors.hygiene import one_line
from planscope.models.records import PlanResult
from planscope.pipeline.structure.repeats import settle_repeats

from planscope import __version__
from planscope.pipeline.structure.lexicon import fold, lexicon
from planscope.pipeline.structure.metadata import HORIZON_RE, RANGE_RE, find_organization, find_period, find_title, organization_from_demonym
from planscope.pipeline.structure.reading import read
from planscope.pipeline.structure.decision import decide, genres

OPENING_BLOCKS = 8  # where a plan states its period ("2021-2025", "Horizon 2030")


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
    doc = read(ex.blocks, lex=lex)
    s = doc.reading.structure
    title = find_title(ex, lex)
    result.title = title
    title_words = fold(" ".join(t for t in [title or "", ex.title or ""]))
    weak = {fold(w) for w in genres()["weak_title"]}
    plan_title = any(w in title_words for w in lex.plan_title_words if len(w) > 4 and w not in weak)
    opening = " ".join([title or "", ex.title or ""] + [one_line(b.text) for b in ex.blocks[:OPENING_BLOCKS]])
    period_stated = bool(RANGE_RE.search(opening) or HORIZON_RE.search(opening))
    decision = decide(ex.blocks, s, title or ex.title, _action_wording(s.records, lex),
                      plan_title, period_stated, filed_under=ex.filed_under)
    result.is_plan = decision.is_plan
    result.reasons = decision.reasons()
    result.reading = {"name": doc.reading.name, "score": round(doc.reading.score, 2),
                      "reasons": doc.reading.reasons + doc.region.reasons,
                      "evidence_for": decision.plan_score, "evidence_against": decision.genre_score,
                      "genre": decision.genre}
    if not result.is_plan:
        result.period = None
        return result
    result.records = settle_repeats(s.records, lex)
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


def _action_wording(records, lex) -> dict[str, bool]:
    """Record id → whether its title opens like an action (infinitive or nominalised)."""
    actions = [r for r in records if r.level == "action"]
    if not actions:
        return {}
    from planscope.pipeline.structure.verbs import starts_with_infinitive

    inf = starts_with_infinitive([r.title for r in actions])
    return {r.id: f or lex.is_nominalised_action(r.title) for r, f in zip(actions, inf)}

