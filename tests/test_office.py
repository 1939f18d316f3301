"""Office formats: real DOCX, ODT, XLSX/XLSM, ODS and CSV files built with their libraries
(tests/office_factory.py) read to typed blocks; sniffing; legacy, encrypted, macro-enabled and
hostile containers (a real zip bomb, headers that lie) end with a status and a reason."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from office_factory import encrypt, legacy_ole, render, zip_bomb
from planscope.extractors import extract_bytes
from planscope.extractors.blocks import (ENCRYPTED, FAILED, HEADING, LIST_ITEM, OK, PARAGRAPH, PARTIAL, TABLE_CELL,
                                         UNSUPPORTED)
from planscope.extractors.office import container as C
from planscope.extractors.office.settings import SETTINGS
from planscope.extractors.sniff import CSV, TEXT, sniff
from planscope.pipeline.process import process

BODY = [
    {"type": "heading", "level": 1, "text": "Axe 1 : Cadre de vie"},
    {"type": "paragraph", "text": "Introduction du premier axe."},
    {"type": "heading", "level": 2, "text": "Objectif 1.1 : Espaces publics"},
    {"type": "list", "numbered": True, "items": [
        {"text": "Rénover la place centrale", "level": 0},
        {"text": "Étude préalable", "level": 1},
        {"text": "Travaux", "level": 1},
        {"text": "Planter des arbres d'alignement", "level": 0}]},
    {"type": "list", "numbered": False, "items": [{"text": "Point à puces", "level": 0}]},
    {"type": "paragraph", "text": "Titre composé à la main", "bold": True, "size": 14},
    {"type": "table", "header": True, "merged": [[1, 0, 2, 0]],
     "rows": [["Objectif", "Action", "Échéance"], ["Mobilité douce", "Créer une piste", "2026"],
              ["", "Installer des arceaux", "2027"]]},
]
SHEETS = [
    {"name": "Actions", "rows": [["Plan d'actions 2024-2026", "", "", ""], ["", "", "", ""],
                                 ["Axe", "Action", "Responsable", "Année"],
                                 ["Axe 1 – Mobilité", "Créer une piste cyclable", "Services techniques", 2026],
                                 ["", "Installer des arceaux vélo", "Services techniques", 2027],
                                 ["Axe 1 – Mobilité", "Ligne masquée", "Personne", 2025],
                                 ["Axe 2 – Énergie", "Isoler l'école", "Patrimoine", 2028]],
     "merged": [[0, 0, 0, 3], [3, 0, 4, 0]], "hidden_rows": [5], "formulas": {"6,3": "=2026+2"}},
    {"name": "Brouillon", "hidden": True, "rows": [["Axe", "Action"], ["Caché", "Ne pas lire"]]},
]


def blocks_of(ext: str, **spec):
    data = render({"file": f"doc{ext}", **spec})
    return data, extract_bytes(data, f"doc{ext}")


@pytest.mark.parametrize("ext", [".docx", ".odt"])
def test_word_processor_headings_lists_bold_and_merged_table(ext):
    data, ex = blocks_of(ext, body=BODY, properties={"title": "Plan d'actions", "author": "Mairie"})
    assert ex.status == OK and ex.title == "Plan d'actions" and ex.author == "Mairie"
    heads = [(b.text, b.level) for b in ex.blocks if b.kind == HEADING]
    assert heads == [("Axe 1 : Cadre de vie", 1), ("Objectif 1.1 : Espaces publics", 2)]
    items = [(b.text, b.list_depth, b.marker, b.ordered) for b in ex.blocks if b.kind == LIST_ITEM]
    assert items[:4] == [("Rénover la place centrale", 0, "1.", True), ("Étude préalable", 1, "a)", True),
                         ("Travaux", 1, "b)", True), ("Planter des arbres d'alignement", 0, "2.", True)]
    assert items[4][2] == "•" and items[4][3] is False
    ids = {b.list_id for b in ex.blocks if b.kind == LIST_ITEM}
    assert len(ids) == 2  # two lists
    bold = next(b for b in ex.blocks if b.text == "Titre composé à la main")
    assert bold.kind == PARAGRAPH and bold.style.bold is True and bold.style.font_size == 14
    cells = [b for b in ex.blocks if b.kind == TABLE_CELL]
    assert [c.text for c in cells if c.table.is_header] == ["Objectif", "Action", "Échéance"]
    carried = [c for c in cells if c.table.row == 2 and c.table.col == 0]
    assert carried and carried[0].text == "Mobilité douce" and carried[0].style.carried
    assert all(c.table.header == "Action" for c in cells if c.table.col == 1 and not c.table.is_header)


@pytest.mark.parametrize("ext", [".xlsx", ".ods"])
def test_spreadsheet_one_table_per_visible_sheet(ext):
    data, ex = blocks_of(ext, sheets=SHEETS, properties={"title": "Tableau de bord"})
    assert ex.status == OK and ex.title == "Tableau de bord"
    texts = [b.text for b in ex.blocks]
    assert "Ligne masquée" not in texts and "Ne pas lire" not in texts  # hidden row, hidden sheet
    assert ex.blocks[0].kind == PARAGRAPH and ex.blocks[0].text == "Plan d'actions 2024-2026"  # above the header
    cells = [b for b in ex.blocks if b.kind == TABLE_CELL]
    assert [c.text for c in cells if c.table.is_header] == ["Axe", "Action", "Responsable", "Année"]
    rows = {}
    for c in cells:
        rows.setdefault(c.table.row, {})[c.table.header] = (c.text, c.style.carried)
    body = [r for r in rows.values() if "Action" in r]
    assert body[1]["Axe"] == ("Axe 1 – Mobilité", True)  # merged down: carried, as an HTML rowspan
    assert body[2]["Année"][0] == "2028"  # a formula read as its cached value
    assert len({c.table.table_id for c in cells}) == 1


def test_spreadsheet_plan_gives_records_with_attributes():
    """Columns that name levels and attributes give records, as an HTML table does."""
    rows = [["Axe", "Objectif", "Action", "Responsable", "Échéance", "Indicateur"]]
    for a in (1, 2):
        for o in (1, 2):
            for n in (1, 2):
                rows.append([f"Axe {a} – Thème {a}", f"Objectif {a}.{o} – Sous-thème {o}",
                             f"Mettre en place le dispositif {a}{o}{n} pour les habitants",
                             "Service technique", str(2025 + n), "Nombre de bénéficiaires"])
    data = render({"file": "plan.xlsx", "properties": {"title": "Plan d'actions 2025-2027"},
                   "sheets": [{"name": "Plan", "rows": rows}]})
    ex, result = process(data, "plan.xlsx")
    assert result.is_plan
    levels = [r.level for r in result.records]
    assert levels.count("axis") == 2 and levels.count("orientation") == 4 and levels.count("action") == 8
    act = next(r for r in result.records if r.level == "action")
    assert act.responsible == "Service technique" and act.deadline and act.indicators


def test_csv_sniffed_and_read_as_a_table():
    data = render({"file": "plan.csv", "sheets": [{"rows": SHEETS[0]["rows"]}]})
    assert sniff(data, "plan.csv") == CSV and sniff(data, "") == CSV
    ex = extract_bytes(data, "plan.csv")
    assert ex.status == OK and ex.media_type == CSV
    assert [b.text for b in ex.blocks if b.kind == TABLE_CELL and b.table.is_header] == \
        ["Axe", "Action", "Responsable", "Année"]


def test_prose_with_commas_and_semicolons_stays_text():
    prose = ("La commune, ses habitants et ses associations ont travaillé ensemble ; le plan en est issu.\n"
             "Il comprend trois axes, dix objectifs et quarante actions ; chacune a un pilote.\n"
             "Le suivi, annuel, sera présenté au conseil municipal.\n").encode()
    assert sniff(prose, "notes.txt") == TEXT and sniff(prose, "notes.csv") == TEXT


def test_formats_sniffed_from_the_bytes_and_from_a_head():
    for ext, media in ((".docx", C.DOCX), (".odt", C.ODT), (".xlsx", C.XLSX), (".ods", C.ODS)):
        spec = {"file": "x" + ext, "body": BODY} if ext in (".docx", ".odt") else {"file": "x" + ext, "sheets": SHEETS}
        data = render(spec)
        assert sniff(data, "") == media  # the name plays no part
        assert sniff(data[:4096], "") == media  # a harvest sees only the first bytes


def test_macro_enabled_workbook_is_read_and_the_macros_recorded():
    data = render({"file": "x.xlsx", "sheets": SHEETS})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
                body = body.replace(b"application/vnd.openxmlformats-officedocument.ms-excel",
                                    b"application/vnd.ms-excel")
            dst.writestr(info, body)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    xlsm = out.getvalue()
    assert sniff(xlsm, "") == C.XLSM
    ex = extract_bytes(xlsm, "x.xlsm")
    assert ex.status == OK and "macro" in ex.reason and ex.warnings
    assert any(b.text == "Isoler l'école" for b in ex.blocks)


def encrypted_docx() -> bytes:
    return encrypt(render({"file": "x.docx", "body": BODY}), "motdepasse")


def test_password_protected_docx_is_encrypted_like_a_pdf():
    data = encrypted_docx()
    assert data[:8] == C.OLE_MAGIC
    ex = extract_bytes(data, "plan.docx")
    assert ex.status == ENCRYPTED and "password" in ex.reason and not ex.blocks
    _, result = process(data, "plan.docx")
    assert result.status == ENCRYPTED and not result.is_plan and result.error


def test_legacy_doc_and_xls_are_unsupported_with_the_reason():
    enc = encrypted_docx()
    doc, xls = legacy_ole(enc, "WordDocument"), legacy_ole(enc, "Workbook")
    for data, media, word in ((doc, C.DOC, ".doc"), (xls, C.XLS, ".xls")):
        ex = extract_bytes(data, "old" + word)
        assert ex.media_type == media and ex.status == UNSUPPORTED and word in ex.reason


def test_zip_bomb_refused_before_decompression():
    bomb = zip_bomb(declared_ok=True)
    assert len(bomb) < 2 * 1024 * 1024
    assert sniff(bomb, "") == C.DOCX
    ex = extract_bytes(bomb, "bomb.docx")
    assert ex.status == UNSUPPORTED and "bomb" in ex.reason and not ex.blocks


def test_zip_whose_headers_lie_stops_at_the_declared_size():
    ex = extract_bytes(zip_bomb(declared_ok=False), "liar.docx")
    assert ex.status == FAILED and "damaged" in ex.reason and not ex.blocks


def test_archive_with_too_many_entries_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", C.ODT)
        for i in range(SETTINGS.max_entries + 1):
            z.writestr(f"p/{i}", b"")
    ex = extract_bytes(out.getvalue(), "many.odt")
    assert ex.status == UNSUPPORTED and "entries" in ex.reason


@pytest.mark.parametrize("ext", [".docx", ".odt", ".xlsx", ".ods"])
def test_damaged_container_fails_with_a_reason(ext):
    spec = {"file": "x" + ext, "body": BODY} if ext in (".docx", ".odt") else {"file": "x" + ext, "sheets": SHEETS}
    data = render(spec)
    cut = data[: len(data) // 2] + data[-200:]  # the central directory survives, entries do not
    ex = extract_bytes(cut, "x" + ext)
    assert ex.status in (FAILED, UNSUPPORTED) and ex.reason and not ex.blocks


def test_empty_documents_are_recorded_not_crashed():
    for spec in ({"file": "e.docx", "body": []}, {"file": "e.xlsx", "sheets": [{"name": "A", "rows": []}]},
                 {"file": "e.odt", "body": []}, {"file": "e.ods", "sheets": [{"name": "A", "rows": []}]}):
        ex = extract_bytes(render(spec), spec["file"])
        assert ex.status == UNSUPPORTED and "empty" in ex.reason


@pytest.mark.parametrize("ext,part", [(".docx", "word/document.xml"), (".odt", "content.xml"),
                                      (".xlsx", "xl/worksheets/sheet1.xml"), (".ods", "content.xml")])
def test_a_broken_part_in_a_sound_archive_fails_quietly(ext, part, capsys):
    spec = {"file": "x" + ext, "body": BODY} if ext in (".docx", ".odt") else {"file": "x" + ext, "sheets": SHEETS}
    data = render(spec)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, body[: len(body) // 2] + b"<<&" if info.filename == part else body)
    ex = extract_bytes(out.getvalue(), "x" + ext)
    if ext in (".odt", ".ods"):  # odfpy reads up to the damage: what it read is kept, and said partial
        assert ex.status in (FAILED, PARTIAL) and "damaged" in ex.reason and ex.warnings
    else:
        assert ex.status == FAILED and "damaged" in ex.reason and not ex.blocks
    assert capsys.readouterr().out == ""  # odfpy prints a broken part; the reader keeps it quiet


@settings(max_examples=200, deadline=None, derandomize=True)
@given(head=st.sampled_from([b"PK\x03\x04", C.OLE_MAGIC, b"PK\x03\x04\x14\x00\x00\x00\x08\x00"]),
       tail=st.binary(max_size=2048))
def test_any_bytes_in_an_office_container_end_with_a_status(head, tail):
    ex = extract_bytes(head + tail, "x.docx")
    assert ex.status in (OK, FAILED, UNSUPPORTED, ENCRYPTED, PARTIAL) and (ex.status == OK or ex.reason)


def test_word_outline_levels_title_style_and_table_of_contents():
    """A custom style with an outline level is a heading at that level; the table of contents,
    which repeats the headings with page numbers, is not read."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.add_heading("Plan d'actions 2025-2030", level=0)  # the built-in "Title" style
    toc = doc.add_paragraph("Axe 1 : Mobilité\t3", style=doc.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH))
    assert toc.style.name == "TOC 1"
    custom = doc.styles.add_style("Grand titre maison", WD_STYLE_TYPE.PARAGRAPH)
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), "1")
    custom.element.get_or_add_pPr().append(lvl)
    doc.add_paragraph("Axe 1 : Mobilité", style=custom)
    doc.add_paragraph("Texte courant.")
    out = io.BytesIO()
    doc.save(out)
    ex = extract_bytes(out.getvalue(), "plan.docx")
    heads = [(b.text, b.level) for b in ex.blocks if b.kind == HEADING]
    assert heads == [("Plan d'actions 2025-2030", 1), ("Axe 1 : Mobilité", 2)]
    assert not any("\t3" in b.text or b.text.endswith(" 3") for b in ex.blocks)


def test_csv_in_windows_1252_with_tabs():
    rows = "Axe\tAction\tÉchéance\r\nAxe 1 – Mobilité\tCréer une piste\t2026\r\nAxe 2 – Énergie\tIsoler l'école\t2027\r\n"
    data = rows.encode("cp1252")
    assert sniff(data, "plan.tsv") == CSV
    ex = extract_bytes(data, "plan.tsv")
    assert [b.text for b in ex.blocks if b.kind == TABLE_CELL and b.table.is_header] == ["Axe", "Action", "Échéance"]
    assert any(b.text == "Isoler l'école" for b in ex.blocks)
