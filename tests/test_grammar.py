"""The shared list and numbering grammar (extractors/grammar.py)."""
from __future__ import annotations

from planscope.extractors.grammar import (GLYPH_BULLET_RE, TEXT_BULLET_RE, bare_number, is_pdf_bullet, list_marker,
                                          split_leading_number)


def test_leading_numbers():
    assert split_leading_number("2 Consultation des aînés") == ("2", "Consultation des aînés")
    assert split_leading_number("A. Mobilité") == ("A", "Mobilité")
    assert split_leading_number("A Ville") == (None, "A Ville")  # a word, not a number
    assert split_leading_number("2025 Plan")[0] is None  # a year
    assert bare_number(" 3 ") == "3" and bare_number("3 Titre") is None


def test_list_markers_as_a_pdf_prints_them():
    assert list_marker("• Réduire les déchets") == ("•", False, "Réduire les déchets")
    assert list_marker("(cid:127) Réduire")[0] == "•"  # an unmapped bullet glyph
    assert list_marker("1. Réduire") == ("1.", True, "Réduire")
    assert list_marker("Réduire") == (None, False, "Réduire")
    assert is_pdf_bullet("▪") and is_pdf_bullet("\uf0b7") and not is_pdf_bullet("a")


def test_one_glyph_set_for_every_reader():
    assert GLYPH_BULLET_RE.match("→ Réduire les déchets")
    assert TEXT_BULLET_RE.match("- Réduire les déchets")
    assert not TEXT_BULLET_RE.match("> une citation")  # markdown: a quotation, not an item
