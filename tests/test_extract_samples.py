"""Every sample format extracts into typed blocks with provenance."""
from __future__ import annotations

import gzip

import pytest

from planscope.extractors import extract_bytes
from planscope.extractors.blocks import HEADING, LIST_ITEM, TABLE_CELL, UNSUPPORTED
from planscope.extractors.charset import decode_html
from planscope.extractors.html import extract_html
from planscope.extractors.sniff import sniff


@pytest.mark.parametrize("name,media", [
    ("drummondville-planification-2017-2022.html", "text/html"),
    ("becancour-plan-100-jours.pdf", "application/pdf"),
    ("000_585ef5ec16e0f7e4.txt", "text/plain"),
])
def test_each_format_gives_blocks_with_provenance(samples, name, media):
    ex = extract_bytes((samples / name).read_bytes(), name)
    assert ex.status == "ok" and ex.media_type == media
    assert ex.blocks and all(b.extractor and b.extractor_version for b in ex.blocks)
    if media == "application/pdf":
        assert all(b.page and b.bbox for b in ex.blocks)
    else:
        assert all(b.path for b in ex.blocks)


def test_html_lists_keep_numbering_and_nesting(samples):
    ex = extract_html((samples / "drummondville-planification-2017-2022.html").read_bytes(), "d.html")
    items = [b for b in ex.blocks if b.kind == LIST_ITEM]
    assert [b.marker for b in items[1:4]] == ["1.", "2.", "3."]
    assert items[0].style.bold and items[0].text == "Expérience citoyen"
    # site furniture is not content
    texts = " ".join(b.text for b in ex.blocks)
    for junk in ("Rechercher", "Facebook", "Catégories", "Nous joindre"):
        assert junk not in texts


def test_html_table_spans_are_expanded_to_every_row(samples):
    ex = extract_html((samples / "becancour-plan-100-jours.html").read_bytes(), "b.html")
    cells = [b for b in ex.blocks if b.kind == TABLE_CELL and b.table.col == 0 and not b.table.is_header
             and b.table.colspan == 1]
    assert [c.text for c in cells[:4]] == ["Modernisation et optimisation"] * 4
    assert cells[1].style.carried and not cells[0].style.carried
    full = [b for b in ex.blocks if b.kind == TABLE_CELL and b.table.colspan == 4]
    assert full[0].text == "AXE 1 Organisation municipale"
    assert ex.links and ex.links[0].media_type == "application/pdf"


def test_windows_1252_page_keeps_its_accents(samples):
    raw = (samples / "la-louviere-pst-objectif-4.html").read_bytes()
    text, enc = decode_html(raw)
    assert enc == "windows-1252" and "Louvière" in text
    ex = extract_html(raw, "l.html")
    assert any(b.kind == HEADING and "Objectif stratégique 4" in b.text for b in ex.blocks)


def test_utf8_declared_but_latin1_bytes_still_decode():
    page = '<html><head><meta charset="utf-8"></head><body><main><p>Améliorer la qualité de vie des résidents</p>' \
           '<p>' + "Texte " * 60 + '</p></main></body></html>'
    text, _ = decode_html(page.encode("cp1252"))
    assert "Améliorer la qualité" in text


def test_pdf_table_merged_cells_are_carried(samples):
    ex = extract_bytes((samples / "becancour-plan-100-jours.pdf").read_bytes(), "b.pdf")
    volets = [b.text for b in ex.blocks if b.kind == TABLE_CELL and b.table.col == 0 and b.table.colspan == 1
              and not b.table.is_header]
    assert volets[:4] == ["Modernisation et\noptimisation"] * 4 or volets[:4] == ["Modernisation et optimisation"] * 4


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"),
    (b"%PDF-1.4\n%garbage", "PDF"),
])
def test_bad_input_gets_a_status_not_an_exception(data, reason):
    ex = extract_bytes(data, "bad.bin")
    assert ex.status in ("unsupported", "failed")
    assert reason.lower() in ex.reason.lower()  # the reason names what is wrong
    assert not ex.blocks


def test_gzip_page_is_inflated_and_routed():
    page = b"<html><body><main><h1>Plan d'action 2024-2026</h1><p>" + b"x " * 200 + b"</p></main></body></html>"
    ex = extract_bytes(gzip.compress(page), "page.html")
    assert ex.status == "ok" and ex.media_type == "text/html"


def test_gzip_bomb_is_refused():
    bomb = gzip.compress(b"\0" * (60 * 1024 * 1024))
    ex = extract_bytes(bomb, "bomb.html")
    assert ex.status == UNSUPPORTED and "bomb" in ex.reason


def test_sniff_ignores_misleading_names():
    assert sniff(b"%PDF-1.7\n...", "page.html") == "application/pdf"
    assert sniff(b"<!DOCTYPE html><html>", "plan.pdf") == "text/html"
    assert sniff(b"\x1f\x8b\x08", "x.html") == "application/gzip"
