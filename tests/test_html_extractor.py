"""HTML extractor: decoding, main content only, structure, links, provenance, hostile input.

Every page is built here (no shared corpus files)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from planscope.extractors import extract_bytes
from planscope.extractors.blocks import HEADING, LIST_ITEM, TABLE_CELL, UNSUPPORTED
from planscope.extractors.charset import decode_html, decode_html_ex
from planscope.extractors.html import extract_html

FIXTURES = Path(__file__).parent / "fixtures" / "html"
FILLER = "<p>" + "Texte de présentation du plan d'action municipal. " * 6 + "</p>"


def page(body: str, head: str = "", main: bool = True) -> str:
    inner = f"<main>{body}{FILLER}</main>" if main else body + FILLER
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{inner}</body></html>"


def texts(ex, kind=None):
    return [b.text for b in ex.blocks if kind is None or b.kind == kind]


# ----------------------------------------------------------------------------------------- decoding

def test_windows_1252_declared_keeps_accents():
    raw = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'></head>"
           "<body><main><h1>Qualité de vie à Trois-Rivières</h1>" + FILLER + "</main></body></html>").encode("cp1252")
    text, enc = decode_html(raw)
    assert enc == "windows-1252" and "Qualité de vie à Trois-Rivières" in text
    ex = extract_html(raw, "p.html")
    assert texts(ex, HEADING) == ["Qualité de vie à Trois-Rivières"]


def test_http_charset_wins_over_missing_meta():
    raw = "<html><body><p>Améliorer l'accès</p></body></html>".encode("cp1252")
    assert "Améliorer" in decode_html(raw, http_charset="ISO-8859-1")[0]


def test_utf8_declared_over_cp1252_bytes_reads_accents():
    raw = page("<p>Améliorer la qualité de l'eau potable</p>").encode("cp1252")
    text, _, notes = decode_html_ex(raw)
    assert "Améliorer la qualité" in text and "\ufffd" not in text and notes


def test_gb2312_declared_over_utf8_bytes_is_not_empty():
    raw = ("<html><head><meta charset='gb2312'></head><body><main><p>"
           + "城市发展规划和行动计划" * 30 + "</p></main></body></html>").encode("utf-8")
    text, enc, notes = decode_html_ex(raw)
    assert enc == "utf-8" and "城市发展规划" in text and notes
    ex = extract_html(raw, "p.html")
    assert ex.blocks and "城市发展规划" in ex.blocks[0].text


def test_mixed_utf8_and_cp1252_bytes_decode_per_sequence():
    raw = (page("<p>Économie locale</p>").encode("utf-8")
           + "<p>Küchenblogs für Gemeinde</p>".encode("cp1252"))
    text, enc, notes = decode_html_ex(raw)
    assert "Économie locale" in text and "Küchenblogs für" in text
    assert "Ã" not in text and any("mixed" in n for n in notes)


def test_bom_and_undeclared_legacy_detection():
    assert decode_html("\ufeff<p>Élu</p>".encode("utf-8"))[0] == "<p>Élu</p>"
    assert "Élu" in decode_html("<p>Élu</p>".encode("utf-16"))[0]
    raw = ("<html><body><p>" + "Les élus de la municipalité ont adopté le règlement. " * 20
           + "</p></body></html>").encode("cp1252")
    text, enc = decode_html(raw)
    assert "élus de la municipalité" in text and "\ufffd" not in text


@pytest.mark.parametrize("data,what", [
    (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "PDF"),
    (__import__("gzip").compress(b"<html><body><p>x</p></body></html>"), "gzip"),
    (b"PK\x03\x04" + b"\x00" * 50, "ZIP"),
    (b"\x00\x01\x02\x03" * 100, "binary"),
])
def test_non_html_bytes_are_refused_by_the_html_extractor(data, what):
    ex = extract_html(data, "x.html")
    assert ex.status == UNSUPPORTED and what.lower() in ex.reason.lower() and not ex.blocks


def test_plain_text_without_markup_is_refused():
    ex = extract_html("Juste du texte, sans balise aucune.".encode(), "x.html")
    assert ex.status == UNSUPPORTED and "markup" in ex.reason


# ----------------------------------------------------------------------------------------- main content

FURNITURE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Plan</title></head><body>
<div id="tarteaucitronRoot" class="cookie-banner"><p>Ce site utilise des cookies.</p><button>Accepter</button></div>
<header class="site-header"><a href="/">Accueil</a><button class="menu-toggle">MENU</button></header>
<nav class="main-menu"><ul><li><a href="/a">Services</a></li><li><a href="/b">Nous joindre</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Accueil</a> › Plan</div>
<div class="content-sidebar-wrap">
 <div id="content">
  <h1>Plan d'action 2024-2026</h1>
  <div class="share-bar"><a href="https://facebook.com/x">Facebook</a> <a href="#">Partager</a></div>
  <p>Le plan d'action présente les priorités du conseil municipal pour les trois prochaines années.
  Il a été adopté après une large consultation des citoyens et des organismes du milieu.</p>
  <h2>Axe 1 : Mobilité</h2><ul><li>Action 1.1 : prolonger la piste cyclable</li></ul>
  <div class="modal fade" aria-hidden="true"><div class="modal-dialog"><p>Fenêtre</p><a class="close">fermer</a></div></div>
  <div id="comments"><h3>Aucun commentaire</h3><p>Enregistrer un commentaire</p></div>
  <p>Aucun commentaire:</p>
  <p class="x">Fermer</p>
 </div>
 <aside class="sidebar"><h3>Archives</h3><ul><li>Janvier</li></ul></aside>
</div>
<footer><p>© Ville de Saint-Exemple — Plan du site</p></footer>
</body></html>"""


def test_site_furniture_gives_no_blocks():
    ex = extract_html(FURNITURE_PAGE.encode(), "f.html")
    joined = "\n".join(texts(ex))
    assert "Plan d'action 2024-2026" in joined and "Action 1.1 : prolonger la piste cyclable" in joined
    for junk in ("cookies", "MENU", "Nous joindre", "Facebook", "Partager", "Fenêtre", "fermer", "Fermer",
                 "Aucun commentaire", "Enregistrer un commentaire", "Archives", "Plan du site", "›"):
        assert junk not in joined, junk


def test_furniture_word_on_a_wrapper_holding_the_page_is_not_dropped():
    body = ("<div class='page-with-sidebar'><h1>Politique familiale</h1>"
            + "<p>Orientation : soutenir les familles de la municipalité.</p>" * 40 + "</div>")
    ex = extract_html(page(body, main=False).encode(), "w.html")
    assert "Politique familiale" in texts(ex, HEADING)


def test_asp_net_form_wrapping_the_body_is_kept():
    body = "<form id='aspnetForm' action='x'><div><h1>Plan stratégique</h1>" + FILLER * 3 + "</div></form>"
    ex = extract_html(page(body, main=False).encode(), "a.html")
    assert "Plan stratégique" in texts(ex, HEADING)


# ----------------------------------------------------------------------------------------- structure

def test_headings_and_nested_numbered_lists():
    body = """<h2>Axe 1</h2><h3>Orientation 1.1</h3>
    <ol start="3"><li>Troisième<ol><li>Sous-action a</li><li>Sous-action b</li></ol></li><li>Quatrième</li></ol>
    <ol><li>Recommence à un</li></ol>
    <ol type="a"><li>alpha</li><li value="5">cinq</li></ol>
    <ul><li>Puce<div><ul><li>Imbriquée dans un div</li></ul></div></li></ul>"""
    ex = extract_html(page(body).encode(), "l.html")
    heads = [(b.level, b.text) for b in ex.blocks if b.kind == HEADING]
    assert heads[:2] == [(2, "Axe 1"), (3, "Orientation 1.1")]
    items = [(b.marker, b.list_depth, b.text) for b in ex.blocks if b.kind == LIST_ITEM]
    assert items[:4] == [("3.", 0, "Troisième"), ("1.", 1, "Sous-action a"), ("2.", 1, "Sous-action b"),
                         ("4.", 0, "Quatrième")]
    assert ("1.", 0, "Recommence à un") in items
    assert ("a.", 0, "alpha") in items and ("e.", 0, "cinq") in items
    assert ("•", 1, "Imbriquée dans un div") in items and ("•", 0, "Puce") in items


def test_definition_list_and_details_summary():
    body = """<dl><dt>Objectif 1</dt><dd>Réduire les îlots de chaleur</dd>
    <div><dt>Objectif 2</dt><dd>Verdir les cours d'école</dd></div></dl>
    <h2>Axes</h2>
    <details><summary>Axe 2 : Environnement</summary><ul><li>Action 2.1 : planter 500 arbres</li></ul></details>"""
    ex = extract_html(page(body).encode(), "d.html")
    t = texts(ex)
    assert t.index("Objectif 1") < t.index("Réduire les îlots de chaleur") < t.index("Objectif 2")
    summary = next(b for b in ex.blocks if b.text == "Axe 2 : Environnement")
    assert summary.kind == HEADING and summary.level == 3
    assert "Action 2.1 : planter 500 arbres" in texts(ex, LIST_ITEM)


def test_hidden_accordion_and_tab_panels_are_content_hidden_banners_are_not():
    body = """<div class="accordion">
      <h3><button aria-expanded="false" aria-controls="p1">Axe 1 : Culture</button></h3>
      <div id="p1" class="accordion-panel" hidden><p>Action 1.1 : ouvrir une bibliothèque</p></div>
    </div>
    <div class="tabs"><div role="tablist"><button role="tab" aria-controls="t1">Axe 2 : Sports</button>
      <button role="tab" aria-controls="t2">Axe 3 : Loisirs</button></div>
      <div role="tabpanel" id="t1"><p>Action 2.1 : rénover l'aréna</p></div>
      <div role="tabpanel" id="t2" aria-hidden="true" style="display: none"><p>Action 3.1 : parc canin</p></div></div>
    <div class="notice" hidden><p>Votre navigateur est obsolète</p></div>
    <div role="dialog"><p>Inscrivez-vous</p></div>"""
    ex = extract_html(page(body).encode(), "a.html")
    t = texts(ex)
    for want in ("Axe 1 : Culture", "Action 1.1 : ouvrir une bibliothèque", "Axe 2 : Sports",
                 "Action 2.1 : rénover l'aréna", "Axe 3 : Loisirs", "Action 3.1 : parc canin"):
        assert want in t, want
    assert t.index("Axe 3 : Loisirs") == t.index("Action 3.1 : parc canin") - 1  # label before its panel
    assert "Votre navigateur est obsolète" not in t and "Inscrivez-vous" not in t


def test_table_spans_and_line_breaks_in_cells():
    body = """<table><tr><th>Axe</th><th>Action</th><th>Échéance</th></tr>
    <tr><td rowspan="2">Mobilité</td><td>Piste cyclable<br>phase 1</td><td>2025</td></tr>
    <tr><td colspan="2">Navette</td></tr></table>"""
    ex = extract_html(page(body).encode(), "t.html")
    cells = {(b.table.row, b.table.col): b for b in ex.blocks if b.kind == TABLE_CELL}
    assert cells[(1, 1)].text == "Piste cyclable\nphase 1"
    assert cells[(2, 0)].text == "Mobilité" and cells[(2, 0)].style.carried
    assert cells[(2, 1)].text == "Navette" and cells[(2, 2)].text == "Navette"
    assert cells[(1, 1)].table.header == "Action"


def test_bold_lead_in_is_a_label_and_text_is_kept():
    body = "<p><strong>Objectif :</strong> réduire les émissions de 30 %</p><p><b>Échéance</b> : 2030</p>"
    ex = extract_html(page(body).encode(), "b.html")
    b1, b2 = ex.blocks[0], ex.blocks[1]
    assert b1.text == "Objectif : réduire les émissions de 30 %" and b1.style.label
    assert b1.style.lead == "Objectif"
    assert b2.style.label and b2.text.startswith("Échéance")


# ----------------------------------------------------------------------------------------- links, provenance

def test_document_links_are_absolute_with_anchor_text():
    head = "<base href='/documents/'>"
    body = """<p><a href="plan-2024.pdf">Plan d'action (PDF)</a> <a href="annexe.docx" title="Annexe"></a>
    <a href="https://autre.example/x.pdf?v=2">Autre</a> <a href="page.html">Page</a> <a href="mailto:a@b.c">M</a></p>"""
    ex = extract_html(page(body, head).encode(), "l.html", base_url="https://ville.example/plan/index.html")
    got = {(l.url, l.text, l.media_type) for l in ex.links}
    assert ("https://ville.example/documents/plan-2024.pdf", "Plan d'action (PDF)", "application/pdf") in got
    assert ("https://ville.example/documents/annexe.docx", "Annexe",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document") in got
    assert ("https://autre.example/x.pdf?v=2", "Autre", "application/pdf") in got
    assert len(got) == 3


def test_every_block_has_an_element_path():
    ex = extract_html(FURNITURE_PAGE.encode(), "f.html")
    assert ex.blocks and all(b.path and b.path.startswith("/html/body") for b in ex.blocks)
    h1 = next(b for b in ex.blocks if b.kind == HEADING)
    assert h1.path.endswith("/h1[1]")


# ----------------------------------------------------------------------------------------- hostile input

def test_deep_nesting_no_recursion_error():
    n = 100_000
    raw = ("<html><body><main><h1>Plan</h1>" + "<div>" * n + "<p>fond</p>" + "</div>" * n
           + "<p>après</p></main></body></html>").encode()
    t = time.monotonic()
    ex = extract_bytes(raw, "deep.html")
    assert ex.status == "ok" and time.monotonic() - t < 60
    joined = " ".join(texts(ex))
    assert "fond" in joined and "après" in joined


def test_deeply_nested_lists_and_spans():
    raw = ("<html><body><main>" + "<ul><li>niveau" * 3000 + "</li></ul>" * 3000 + "</main></body></html>").encode()
    ex = extract_html(raw, "l.html")
    assert ex.blocks and max(b.list_depth or 0 for b in ex.blocks) <= 41
    raw = ("<html><body><p>" + "<span>" * 20000 + "x" + "</span>" * 20000 + "</p></body></html>").encode()
    assert texts(extract_html(raw, "s.html")) == ["x"]


def test_entity_expansion_is_not_performed():
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
    raw = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol1 "lol">' + lol
           + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html xmlns="http://www.w3.org/1999/xhtml"><body>'
           '<p>a &lol9; b &xxe; c</p></body></html>').encode()
    ex = extract_html(raw, "b.xhtml")
    joined = " ".join(texts(ex))
    assert len(joined) < 100 and "root:" not in joined and "lollol" not in joined and "]>" not in joined


def test_control_characters_and_nul_are_dropped():
    raw = page("<h1>Plan\x01 d'action\x1f</h1><p>Objectif\x0b : agir\x00 vite</p>").encode()
    ex = extract_html(raw, "c.html")
    assert texts(ex)[:2] == ["Plan d'action", "Objectif : agir vite"]


def test_big_page_and_huge_spans():
    para = "<p>Améliorer la qualité de vie des résidents par des actions concrètes.</p>"
    raw = page("<h1>Plan</h1>" + para * 40_000).encode()
    assert len(raw) > 3_000_000
    ex = extract_html(raw, "big.html")
    assert ex.status == "ok" and len(ex.blocks) > 40_000
    raw = page('<table><tr><td colspan="100000" rowspan="100000">x</td></tr></table>').encode()
    ex = extract_html(raw, "span.html")
    assert [b.text for b in ex.blocks if b.kind == TABLE_CELL] == ["x"]


def test_fixture_pages_extract(tmp_path):
    for f in sorted(FIXTURES.glob("*.html")):
        ex = extract_bytes(f.read_bytes(), f.name)
        assert ex.status == "ok" and ex.blocks, f.name
