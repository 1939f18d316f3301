"""The vendored sample corpus scores above the pinned floor (the referee's rules, re-implemented)."""
from __future__ import annotations

from planscope.pipeline.report.evaluate import score_dirs
from planscope.pipeline.process import process_file

FLOOR_F1 = 0.99


def test_sample_corpus_scores_above_floor(samples, gold_dir):
    preds = {p.name: process_file(p).to_dict() for p in samples.iterdir()
             if (gold_dir / f"{p.name}.json").exists()}
    assert len(preds) == 11
    scores = score_dirs(gold_dir, preds)
    assert scores["overall"]["f1"] >= FLOOR_F1, scores["documents"]
    assert scores["is_plan_accuracy"] == 1.0


def test_workshop_sheet_is_not_a_plan_and_says_why(samples):
    r = process_file(samples / "fiche-atelier-cadres-strategiques.pdf")
    assert r.is_plan is False and r.records == []
    assert r.reasons and r.reasons[0] == "not a plan"
