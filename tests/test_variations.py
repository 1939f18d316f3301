"""Variation corpus: plans planscope has never seen, with gold written by hand from plan-records.md.

Each document in tests/fixtures/variations/ varies one or more things the vendored samples do not
cover (level vocabularies, depths, numbering styles, groups, attribute lines, narrative, tables,
non-plans). The gold in tests/fixtures/variations/gold/ follows the spec, not planscope's output.

Run with ``pytest -s tests/test_variations.py`` to see the per-document and per-level scores.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.evaluate import score_dirs
from pipeline.plan import process_file

VARIATIONS = Path(__file__).resolve().parent / "fixtures" / "variations"
GOLD = VARIATIONS / "gold"

# Overall record F1 the structurer must reach on this corpus: pinned at the score reached
# (0.789 when the corpus was written, before the rules it exposed were fixed); never lowered.
VARIATION_FLOOR = 1.0


def _documents() -> list[Path]:
    return sorted(p for p in VARIATIONS.iterdir() if p.is_file() and (GOLD / f"{p.name}.json").exists())


def _report(scores: dict, preds: dict[str, dict]) -> str:
    lines = ["", "variation corpus: per document"]
    for d in scores["documents"]:
        pred = preds.get(d["document"], {})
        lines.append(f"  {d['document']:<45} F1 {d['f1']:.3f}  gold {d['gold']:>3}  pred {d['predicted']:>3}"
                     f"  matched {d['matched']:>3}  parent ok {d['parent_ok']:>3}  is_plan {pred.get('is_plan')}")
    lines.append("per level:")
    for lv, v in scores["levels"].items():
        lines.append(f"  {lv:<12} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}")
    o = scores["overall"]
    lines.append(f"  {'overall':<12} P {o['precision']:.3f}  R {o['recall']:.3f}  F1 {o['f1']:.3f}")
    lines.append(f"structure accuracy {scores['structure_accuracy']:.3f}  is_plan accuracy "
                 f"{scores['is_plan_accuracy']:.3f}  period accuracy {scores['period_accuracy']:.3f}  "
                 f"organization accuracy {scores['organization_accuracy']:.3f}")
    return "\n".join(lines)


def test_variation_corpus_is_complete():
    docs = _documents()
    assert 12 <= len(docs) <= 16
    assert {p.name for p in docs} == {p.name[:-5] for p in GOLD.glob("*.json")}


def test_variation_corpus_scores_above_floor():
    preds = {p.name: process_file(p).to_dict() for p in _documents()}
    scores = score_dirs(GOLD, preds)
    print(_report(scores, preds))
    assert scores["overall"]["f1"] >= VARIATION_FLOOR, scores["documents"]
    assert scores["structure_accuracy"] == 1.0 and scores["organization_accuracy"] == 1.0
    assert scores["period_accuracy"] == 1.0
    assert scores["is_plan_accuracy"] == 1.0, [
        (name, p.get("is_plan"), p.get("reasons")) for name, p in preds.items()]
