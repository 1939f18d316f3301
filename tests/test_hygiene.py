"""One hyphen rule for the text and PDF paths (extractors.hygiene.join_hyphen_break)."""
from __future__ import annotations

from planscope.extractors.hygiene import join_hyphenated, join_lines
from planscope.extractors.text import extract_text


def test_compound_keeps_its_hyphen_on_both_paths():
    assert join_hyphenated("porte-\nparole") == "porte-parole"
    assert join_lines(["porte-", "parole"]) == "porte-parole"


def test_split_word_is_rejoined_on_both_paths():
    assert join_hyphenated("dévelop-\npement") == "développement"
    assert join_lines(["dévelop-", "pement"]) == "développement"


def test_proper_names_numbers_and_plain_breaks():
    assert join_lines(["Saint-", "Nérée"]) == "Saint-Nérée"
    assert join_lines(["2019-", "2025"]) == "2019-2025"
    assert join_hyphenated("premier\nsecond") == "premier\nsecond"


def test_text_extractor_uses_the_rule():
    ex = extract_text("Le porte-\nparole présente le plan de dévelop-\npement.", "a.txt")
    assert [b.text for b in ex.blocks] == ["Le porte-parole présente le plan de développement."]
