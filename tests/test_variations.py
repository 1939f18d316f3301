"""Variation corpora: plans planscope had never seen, with gold written by hand from plan-records.md.

tests/fixtures/variations/ (16 documents) varies what the vendored samples do not cover: level
vocabularies, depths, numbering styles, groups, attribute lines, narrative, tables, non-plans.
tests/fixtures/heldout/ (12 documents) was written later, blind, as scraped pages really come
(site chrome around the plan, <dl>, accordions, bold paragraphs as titles, PDF-to-text bullets).
tests/fixtures/pdfblind/ (8 designed PDFs built by its make_pdfs.py, also written blind) covers the
PDF path. Each gold follows the spec, not planscope's output. Scored blind when written: 0.789,
0.747 and 0.667 record F1; the rules each exposed were then fixed in general.

Run with ``pytest -s tests/test_variations.py`` to see the per-document and per-level scores.
"""
from __future__ import annotations

from pathlib import Path

from planscope.pipeline.report.evaluate import score_dirs
from planscope.pipeline.process import process_file

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VARIATIONS = FIXTURES / "variations"
GOLD = VARIATIONS / "gold"

# Floors each corpus must reach (record F1, structure accuracy), pinned at the score reached and
# never lowered. pdfblind (tests/fixtures/pdfblind/make_pdfs.py: designed PDFs, written blind,
# 0.667 when written) still misses a full-width header band and a two-column page of drawn bullets.
# blind24 (26 documents: 18 WeasyPrint PDFs, 8 saved-looking HTML pages, 8 non-plans, written blind
# by a helper from plan-records.md alone; see its README) scored 0.669 record F1, structure 0.779,
# is_plan 22/26 with the single-pass structurer, before any rule of the three-stage rebuild saw it.
# blind2 (16 documents: 10 WeasyPrint PDFs, 6 saved-looking HTML pages, 6 non-plans; written blind by
# a second helper after the three-stage rules were done) scored 0.712 record F1, structure 0.723,
# is_plan 12/16 with them (0.675 with the session-start structurer): the honest generalisation figure.
# blind3 (20 documents: 12 WeasyPrint PDFs, 8 CMS pages, 9 non-plans; written blind by a third
# helper during the issue-14 restructuring) scored 0.709 record F1, structure 0.945, is_plan 18/20
# with the rules of that time; its README lists the rules it then exposed.
# blind4 (25 text and HTML documents, 15 non-plans, written blind by a fourth helper) scored 0.811
# record F1, is_plan 24/25 with the rules of its arrival; see its README.
# blind5 (20 WeasyPrint PDFs, 11 non-plans, written blind by a fifth helper) scored 0.785 record F1,
# is_plan 16/20 with the rules of its arrival; see its README.
# blind6 (24 documents: 10 HTML pages in site chrome, 10 reportlab PDFs, 4 pdftotext-layout texts;
# 14 non-plans; written blind by a sixth helper) scored 0.674 record F1, is_plan 23/24 on arrival,
# 0.932, is_plan 24/24, with the rules it exposed (action sheets as field tables, dated target
# columns, caption headings, ruled layout tables, codes that are no period, numbered sheet headings,
# a sheet citing the objective it serves).
# blind7 (20 documents: 9 reportlab PDFs, 7 HTML pages from several CMSs, 4 pdftotext-layout texts;
# 12 non-plans; written blind by a seventh helper) scored 0.689 record F1, is_plan 16/20 on
# arrival; 0.952, is_plan 20/20, with its rules (impact notices, FAQs, zoning plans and Québec
# calls for projects as genres, the civility "M." before a name, a figures table's share of the
# whole document, priority stars, an overview set side by side in plain text).
FLOORS = {"variations": (1.0, 1.0), "heldout": (1.0, 1.0), "pdfblind": (0.935, 0.97), "blind24": (0.96, 0.93),
          "blind2": (0.97, 0.96), "blind3": (0.965, 0.92),
          "blind4": (0.98, 0.98), "blind5": (0.94, 0.88), "blind6": (0.93, 0.94),
          "blind7": (0.95, 0.97)}
# Plan metadata floors where a corpus is not yet at 1.0 (organisation, period).
METADATA_FLOORS = {"blind24": (1.0, 0.96), "blind2": (0.87, 1.0), "blind3": (0.9, 1.0), "blind5": (0.95, 0.95), "blind6": (0.95, 1.0), "blind7": (1.0, 0.95)}


def _documents(folder: Path = VARIATIONS) -> list[Path]:
    gold = folder / "gold"
    return sorted(p for p in folder.iterdir() if p.is_file() and (gold / f"{p.name}.json").exists())


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


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_variation_corpus_scores_above_floor(corpus):
    folder = FIXTURES / corpus
    preds = {p.name: process_file(p).to_dict() for p in _documents(folder)}
    scores = score_dirs(folder / "gold", preds)
    print(_report(scores, preds).replace("variation corpus", f"{corpus} corpus"))
    f1_floor, structure_floor = FLOORS[corpus]
    assert scores["overall"]["f1"] >= f1_floor, scores["documents"]
    org_floor, period_floor = METADATA_FLOORS.get(corpus, (1.0, 1.0))
    assert scores["structure_accuracy"] >= structure_floor and scores["organization_accuracy"] >= org_floor
    assert scores["period_accuracy"] >= period_floor
    assert scores["is_plan_accuracy"] == 1.0, [
        (name, p.get("is_plan"), p.get("reasons")) for name, p in preds.items()]
