"""Real Office files from a document spec, built with the libraries themselves at test time.

The spec format is that of tests/fixtures/blind_office/README.md: ``body`` (headings, paragraphs,
lists, tables) for .docx/.odt, ``sheets`` (rows, hidden rows and sheets, merged ranges, formulas
with their cached values) for .xlsx/.ods/.csv. Everything is rendered as a word processor or a
spreadsheet program would save it:

* DOCX (python-docx): built-in "Heading N" styles; each list gets its own numbering definition
  (an ``abstractNum`` with decimal / lower-letter / roman levels, or bullets, and a ``num``) in
  numbering.xml, its items numbered through ``numPr``; tables with merged ranges (``merge``) and a
  repeated header row; hand-styled paragraphs as bold runs with a font size.
* ODT (odfpy): ``text:h`` with outline levels under "Heading N" styles, ``text:list`` with a list
  style per list (nested lists for deeper levels), tables with spanned and covered cells.
* XLSX (openpyxl): openpyxl writes a formula without its cached value, as a program that never
  calculated would; the factory then writes the cached value into the sheet XML (``<v>``), as
  Excel or LibreOffice do on save. Hidden rows and sheets, merged ranges as openpyxl writes them.
* ODS (odfpy): cells with ``office:value`` and their displayed text; formulas as ``table:formula``
  beside their cached value; hidden sheets through a table style with ``table:display="false"``,
  hidden rows as ``table:visibility="collapse"``.
* CSV: ``;``-separated UTF-8, as the spec says.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape


def render(spec: dict) -> bytes:
    """The bytes of the file a spec describes (the extension of ``spec["file"]`` decides)."""
    ext = Path(spec["file"]).suffix.lower()
    return {".docx": docx_bytes, ".odt": odt_bytes, ".xlsx": xlsx_bytes, ".xlsm": xlsx_bytes,
            ".ods": ods_bytes, ".csv": csv_bytes}[ext](spec)


def write(spec: dict, folder: Path) -> Path:
    path = Path(folder) / spec["file"]
    path.write_bytes(render(spec))
    return path


def _covered(merged) -> set[tuple[int, int]]:
    out = set()
    for r0, c0, r1, c1 in merged or []:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out.add((r, c))
    return out


# ------------------------------------------------------------------------------------------- DOCX

def docx_bytes(spec: dict) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    props = spec.get("properties") or {}
    doc.core_properties.title = props.get("title") or ""
    doc.core_properties.author = props.get("author") or ""
    numbering = doc.part.numbering_part.element
    for block in spec.get("body") or []:
        kind = block["type"]
        if kind == "heading":
            doc.add_heading(block["text"], level=max(1, min(int(block.get("level", 1)), 9)))
        elif kind == "paragraph":
            p = doc.add_paragraph()
            run = p.add_run(block["text"])
            if block.get("bold"):
                run.bold = True
            if block.get("size"):
                run.font.size = Pt(float(block["size"]))
        elif kind == "list":
            num_id = _docx_numbering(numbering, bool(block.get("numbered")), OxmlElement, qn)
            for item in block["items"]:
                p = doc.add_paragraph(item["text"], style="List Paragraph")
                numpr = p._p.get_or_add_pPr().get_or_add_numPr()
                numpr.get_or_add_ilvl().val = int(item.get("level", 0))
                numpr.get_or_add_numId().val = num_id
        elif kind == "table":
            _docx_table(doc, block, OxmlElement, qn)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_DOCX_LEVELS = (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3."), ("decimal", "%4."))


def _docx_numbering(numbering, numbered: bool, OxmlElement, qn) -> int:
    """A new abstractNum (levels 0-8) and a num pointing at it; returns the numId."""
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    aid = max(ids, default=0) + 1
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(aid))
    for ilvl in range(9):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        fmt, text = _DOCX_LEVELS[ilvl % len(_DOCX_LEVELS)] if numbered else ("bullet", "•–◦"[ilvl % 3])
        for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(720 * (ilvl + 1)))
        ind.set(qn("w:hanging"), "360")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # abstractNum elements precede num elements in the schema
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(aid)
    return num.numId


def _docx_table(doc, block: dict, OxmlElement, qn) -> None:
    rows = block["rows"]
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    covered = _covered(block.get("merged"))
    for r, row in enumerate(rows):
        for c in range(ncols):
            if (r, c) in covered:
                continue
            text = str(row[c]) if c < len(row) else ""
            cell = table.cell(r, c)
            cell.text = text
            if block.get("header") and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if block.get("header"):
        trpr = table.rows[0]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        trpr.append(el)
    for r0, c0, r1, c1 in block.get("merged") or []:
        origin = table.cell(r0, c0)
        keep = origin.text
        merged = origin.merge(table.cell(r1, c1))
        merged.text = keep


# -------------------------------------------------------------------------------------------- ODT

def odt_bytes(spec: dict) -> bytes:
    from odf import dc, meta, table, text
    from odf.opendocument import OpenDocumentText
    from odf.style import DefaultStyle, ListLevelProperties, Style, TableColumnProperties, TextProperties
    from odf.text import ListLevelStyleBullet, ListLevelStyleNumber, ListStyle

    doc = OpenDocumentText()
    _odf_props(doc, spec, dc, meta)
    default = DefaultStyle(family="paragraph")  # as LibreOffice writes it: the body text's size
    default.addElement(TextProperties(fontsize="12pt"))
    doc.styles.addElement(default)
    headings = {}
    for n in range(1, 7):
        st = Style(name=f"Heading_20_{n}", displayname=f"Heading {n}", family="paragraph",
                   defaultoutlinelevel=str(n))
        st.addElement(TextProperties(fontweight="bold", fontsize=f"{20 - 2 * n}pt"))
        doc.styles.addElement(st)
        headings[n] = st
    auto = {}

    def para_style(bold: bool, size) -> str | None:
        if not bold and not size:
            return None
        key = (bool(bold), size)
        if key not in auto:
            st = Style(name=f"P{len(auto) + 1}", family="paragraph")
            kw = {}
            if bold:
                kw["fontweight"] = "bold"
            if size:
                kw["fontsize"] = f"{float(size):g}pt"
            st.addElement(TextProperties(**kw))
            doc.automaticstyles.addElement(st)
            auto[key] = st.getAttribute("name")
        return auto[key]

    nlists = 0
    ntables = 0
    for block in spec.get("body") or []:
        kind = block["type"]
        if kind == "heading":
            level = max(1, min(int(block.get("level", 1)), 6))
            doc.text.addElement(text.H(outlinelevel=level, stylename=headings[level], text=block["text"]))
        elif kind == "paragraph":
            name = para_style(block.get("bold"), block.get("size"))
            p = text.P(stylename=name, text=block["text"]) if name else text.P(text=block["text"])
            doc.text.addElement(p)
        elif kind == "list":
            nlists += 1
            ls = ListStyle(name=f"L{nlists}")
            for lv in range(1, 11):
                if block.get("numbered"):
                    fmt = "1aiA"[(lv - 1) % 4]
                    el = ListLevelStyleNumber(level=lv, numformat=fmt, numsuffix="." if fmt != "a" else ")")
                else:
                    el = ListLevelStyleBullet(level=lv, bulletchar="•–◦"[(lv - 1) % 3])
                el.addElement(ListLevelProperties(spacebefore=f"{0.6 * lv:.1f}cm", minlabelwidth="0.6cm"))
                ls.addElement(el)
            doc.automaticstyles.addElement(ls)
            doc.text.addElement(_odt_list(block["items"], ls, text))
        elif kind == "table":
            ntables += 1
            rows = block["rows"]
            ncols = max(len(r) for r in rows)
            covered = _covered(block.get("merged"))
            spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in block.get("merged") or []}
            colst = Style(name=f"T{ntables}.A", family="table-column")
            colst.addElement(TableColumnProperties(columnwidth="3cm"))
            doc.automaticstyles.addElement(colst)
            t = table.Table(name=f"Tableau{ntables}")
            t.addElement(table.TableColumn(numbercolumnsrepeated=ncols, stylename=colst))
            holder = t
            for r, row in enumerate(rows):
                if r == 0 and block.get("header"):
                    holder = table.TableHeaderRows()
                    t.addElement(holder)
                elif holder is not t:
                    holder = t
                tr = table.TableRow()
                for c in range(ncols):
                    if (r, c) in covered:
                        tr.addElement(table.CoveredTableCell())
                        continue
                    kw = {"valuetype": "string"}
                    if (r, c) in spans:
                        kw["numberrowsspanned"], kw["numbercolumnsspanned"] = spans[(r, c)]
                    cell = table.TableCell(**kw)
                    cell.addElement(text.P(text=str(row[c]) if c < len(row) else ""))
                    tr.addElement(cell)
                holder.addElement(tr)
            doc.text.addElement(t)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _odt_list(items: list[dict], style, text):
    """Items with levels as nested text:list elements (a deeper item nests in the item before it)."""
    top = text.List(stylename=style)
    stack = [(top, 0, None)]  # (list, level, last item)
    for item in items:
        level = int(item.get("level", 0))
        while stack[-1][1] > level and len(stack) > 1:
            stack.pop()
        while stack[-1][1] < level:
            lst, lv, last = stack[-1]
            if last is None:
                last = text.ListItem()
                lst.addElement(last)
            sub = text.List()
            last.addElement(sub)
            stack[-1] = (lst, lv, last)
            stack.append((sub, lv + 1, None))
        lst, lv, _ = stack[-1]
        li = text.ListItem()
        li.addElement(text.P(text=item["text"]))
        lst.addElement(li)
        stack[-1] = (lst, lv, li)
    return top


def _odf_props(doc, spec: dict, dc, meta) -> None:
    props = spec.get("properties") or {}
    if props.get("title"):
        doc.meta.addElement(dc.Title(text=props["title"]))
    if props.get("author"):
        doc.meta.addElement(meta.InitialCreator(text=props["author"]))


# ------------------------------------------------------------------------------------------- XLSX

def xlsx_bytes(spec: dict) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    props = spec.get("properties") or {}
    wb.properties.title = props.get("title")
    wb.properties.creator = props.get("author")
    cached: dict[str, dict[str, object]] = {}  # sheet index → cell ref → cached value
    for i, sh in enumerate(spec.get("sheets") or []):
        ws = wb.create_sheet(title=(sh.get("name") or f"Feuil{i + 1}")[:31])  # Excel caps names at 31
        formulas = {tuple(int(x) for x in k.split(",")): v for k, v in (sh.get("formulas") or {}).items()}
        for r, row in enumerate(sh.get("rows") or []):
            for c, value in enumerate(row):
                if (r, c) in formulas:
                    ws.cell(row=r + 1, column=c + 1, value=formulas[(r, c)])
                    cached.setdefault(str(i + 1), {})[ws.cell(row=r + 1, column=c + 1).coordinate] = value
                elif value not in ("", None):
                    ws.cell(row=r + 1, column=c + 1, value=value)
        for r0, c0, r1, c1 in sh.get("merged") or []:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        for r in sh.get("hidden_rows") or []:
            ws.row_dimensions[int(r) + 1].hidden = True
        if sh.get("hidden"):
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return _with_cached_values(out.getvalue(), cached)


def _with_cached_values(data: bytes, cached: dict[str, dict[str, object]]) -> bytes:
    """Write each formula's cached value (``<v>``) into the sheet XML, as a saving program does."""
    if not cached:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            m = re.match(r"xl/worksheets/sheet(\d+)\.xml$", info.filename)
            if m and m.group(1) in cached:
                body = _patch_sheet(body.decode("utf-8"), cached[m.group(1)]).encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def _patch_sheet(xml: str, values: dict[str, object]) -> str:
    def sub(m: re.Match) -> str:
        ref, attrs, formula = m.group(1), m.group(2), m.group(3)
        if ref not in values:
            return m.group(0)
        v = values[ref]
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{v}</v></c>'
        return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(str(v))}</v></c>'

    return re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v>[^<]*</v>)?</c>', sub, xml)


# -------------------------------------------------------------------------------------------- ODS

def ods_bytes(spec: dict) -> bytes:
    from odf import dc, meta, table, text
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties

    doc = OpenDocumentSpreadsheet()
    _odf_props(doc, spec, dc, meta)
    shown = Style(name="ta1", family="table")
    shown.addElement(TableProperties(display="true"))
    hidden = Style(name="ta2", family="table")
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(shown)
    doc.automaticstyles.addElement(hidden)
    for i, sh in enumerate(spec.get("sheets") or []):
        rows = sh.get("rows") or []
        ncols = max((len(r) for r in rows), default=1)
        covered = _covered(sh.get("merged"))
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in sh.get("merged") or []}
        formulas = {tuple(int(x) for x in k.split(",")): v for k, v in (sh.get("formulas") or {}).items()}
        hidden_rows = {int(r) for r in sh.get("hidden_rows") or []}
        t = table.Table(name=sh.get("name") or f"Feuille{i + 1}", stylename=hidden if sh.get("hidden") else shown)
        t.addElement(table.TableColumn(numbercolumnsrepeated=ncols))
        for r, row in enumerate(rows):
            tr = table.TableRow(visibility="collapse") if r in hidden_rows else table.TableRow()
            for c in range(ncols):
                if (r, c) in covered:
                    tr.addElement(table.CoveredTableCell())
                    continue
                value = row[c] if c < len(row) else ""
                kw = {}
                if (r, c) in spans:
                    kw["numberrowsspanned"], kw["numbercolumnsspanned"] = spans[(r, c)]
                if (r, c) in formulas:
                    kw["formula"] = "of:" + re.sub(r"\b([A-Z]+\d+)\b", r"[.\1]", formulas[(r, c)])
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    kw.update(valuetype="float", value=value)
                elif value != "":
                    kw["valuetype"] = "string"
                cell = table.TableCell(**kw)
                if value != "":
                    cell.addElement(text.P(text=str(value)))
                tr.addElement(cell)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# -------------------------------------------------------------------------------------------- CSV

def csv_bytes(spec: dict) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in (spec.get("sheets") or [{}])[0].get("rows") or []:
        w.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


# ------------------------------------------------------------------------- OLE2 (encrypted, legacy)

def encrypt(data: bytes, password: str) -> bytes:
    """An OOXML file encrypted with a password (msoffcrypto-tool: Office's agile encryption), as
    Word saves it: an OLE2 compound file holding EncryptionInfo and EncryptedPackage."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def legacy_ole(encrypted: bytes, main_stream: str) -> bytes:
    """A compound file whose main stream is that of a legacy binary format ("WordDocument" for
    .doc, "Workbook" for .xls): no library here writes those formats, so an encrypted package's
    directory entries are renamed (UTF-16 name and its byte length; the content stays opaque)."""
    out = bytearray(encrypted)
    for old, new in (("EncryptedPackage", main_stream), ("EncryptionInfo", "Data")):
        i = bytes(out).index(old.encode("utf-16-le") + b"\0\0")
        name = new.encode("utf-16-le")
        out[i:i + 64] = name + b"\0" * (64 - len(name))
        out[i + 64:i + 66] = struct.pack("<H", len(name) + 2)
    return bytes(out)


# ---------------------------------------------------------------------------------- zip bombs

@functools.cache
def _deflated_zeros() -> tuple[bytes, int, int]:
    """1 GiB of zeros, deflated (about 1 MB), with its CRC and size."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * (1 << 20)
    deflated = b"".join([comp.compress(zeros) for _ in range(1024)] + [comp.flush()])
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    return deflated, crc, 1 << 30


def zip_bomb(declared_ok: bool) -> bytes:
    """A DOCX whose document part inflates to 1 GiB of zeros (about 1 MB on disk), written entry by
    entry as a ZIP writer does. With ``declared_ok=False`` the headers lie: they declare 1,000 bytes."""
    deflated, crc, size = _deflated_zeros()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    head = out.getvalue()
    cd_at = struct.unpack("<I", head[-6:-2])[0]
    local, central = head[:cd_at], head[cd_at:-22]
    name = b"word/document.xml"
    usize = size if declared_ok else 1000
    offset = len(local)
    lh = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), usize, len(name), 0)
    ch = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflated), usize, len(name),
                     0, 0, 0, 0, 0, offset)
    body = local + lh + name + deflated
    cd = central + ch + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cd), len(body), 0)
    return body + cd + end
