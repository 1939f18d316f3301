"""Word (DOCX, DOCM) → blocks, read with python-docx.

Body paragraphs and tables in document order (content controls opened, the table of contents
skipped: it repeats the headings with page numbers). A paragraph is a heading when its style (or
the style it is based on) is a built-in heading or carries an outline level; a list item when it
or its style has numbering, its marker computed from the numbering definitions; otherwise a
paragraph, with its bold and font size as the runs set them (hand-styled headings). Tables keep
their merged cells (python-docx repeats a spanning cell at every grid position it covers).
"""
from __future__ import annotations

import io
import re

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block, BlockStyle, Extraction
from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.office.numbering import BULLET, Counters, bullet_glyph, format_number
from planscope.extractors.office.settings import SETTINGS
from planscope.extractors.tables import grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-docx"

HEADING_STYLE_RE = re.compile(r"^(?:heading|titre|überschrift|kop)\s*(\d)$", re.I)
TITLE_STYLES = {"title", "titre"}
TOC_STYLE_RE = re.compile(r"^(?:toc|tdm|table des matières)\s*\d*$", re.I)
BODY_OUTLINE = 9  # w:outlineLvl 9 is "body text"
LABEL_RE = re.compile(r"^\s*([^\W\d][\w'’ .-]{0,50}?)\s*[:：]\s*$")


def read_docx(data: bytes, ex: Extraction) -> None:
    """Fill ``ex`` with the blocks and properties of a Word document."""
    doc = Document(io.BytesIO(data))
    props = doc.core_properties
    ex.title = one_line(props.title or "") or None
    ex.author = one_line(props.author or "") or None
    if props.created is not None:
        ex.published = props.created.date().isoformat()
    reader = _Reader(doc, ex.source)
    reader.walk(doc.element.body, doc)
    ex.blocks = reader.blocks
    ex.warnings += reader.warnings


class _Reader:
    def __init__(self, doc, source: str):
        self.source = source
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.numbering = _Numbering(doc)
        self.default_size = _default_size(doc)
        self.table_id = 0
        self.cells = 0
        self.counters: dict[str, Counters] = {}
        self.list_ids: dict[str, int] = {}

    def walk(self, body, parent) -> None:
        """Paragraphs and tables in order; a content control's content is read in place."""
        stack = [iter(body.iterchildren())]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            if el.tag == qn("w:p"):
                self.paragraph(Paragraph(el, parent), len(self.blocks))
            elif el.tag == qn("w:tbl"):
                self.table(Table(el, parent))
            elif el.tag == qn("w:sdt") and not _is_toc(el):
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    stack.append(iter(content.iterchildren()))

    def _block(self, kind: str, text: str, where: str, style: BlockStyle, **kw) -> None:
        text = clean_text(text)
        if text:
            self.blocks.append(Block(kind=kind, text=text, path=where, style=style, source=self.source,
                                     extractor=NAME, extractor_version=EXTRACTOR_VERSION, **kw))

    def paragraph(self, p: Paragraph, index: int) -> None:
        styles = list(_style_chain(p.style))
        names = [(s.name or "").strip() for s in styles]
        if any(TOC_STYLE_RE.match(n) for n in names[:1]):
            return
        where = f"paragraph {index + 1}"
        style = _run_style(p, styles, self.default_size)
        level = _heading_level(p, styles, names)
        if level is not None:
            self._block(HEADING, p.text, where, style, level=level)
            return
        num = _num_props(p, styles)
        if num is not None and num[0] != "0":
            self._list_item(p, num, where, style)
            return
        self._block(PARAGRAPH, p.text, where, style)

    def _list_item(self, p: Paragraph, num: tuple[str, int], where: str, style: BlockStyle) -> None:
        num_id, ilvl = num
        fmt, text, start = self.numbering.level(num_id, ilvl)
        abstract = self.numbering.abstract_of(num_id)
        if abstract not in self.list_ids:
            self.list_ids[abstract] = len(self.list_ids) + 1
        ordered = fmt not in ("bullet", "none")
        marker = BULLET
        if ordered:
            values = self.counters.setdefault(abstract, Counters()).step(ilvl, start)
            marker = _lvl_text(text, values, lambda lv: self.numbering.level(num_id, lv)[0])
        elif fmt == "bullet":
            marker = bullet_glyph(text)
        style.title_run = _title_run(p)
        self._block(LIST_ITEM, p.text, where, style, list_depth=ilvl, list_id=self.list_ids[abstract],
                    marker=marker or BULLET, ordered=ordered)

    def table(self, t: Table) -> None:
        grid: list[list[tuple[str, bool]]] = []
        seen: set = set()  # the <w:tc> elements met (a spanning cell comes back at each position)
        for row in t.rows:
            cells: list[tuple[str, bool]] = [("", False)] * row.grid_cols_before
            for cell in row.cells:
                self.cells += 1
                if self.cells > SETTINGS.max_table_cells:
                    self.warnings.append(f"more than {SETTINGS.max_table_cells} table cells: the rest was not read")
                    return
                key = cell._tc
                cells.append((cell.text, key in seen))
                seen.add(key)
            grid.append(cells)
        width = max((len(r) for r in grid), default=0)
        grid = [r + [("", False)] * (width - len(r)) for r in grid]
        if not grid or width == 0:
            return
        base = Block(kind=PARAGRAPH, text="", path=f"table {self.table_id + 1}", source=self.source,
                     extractor=NAME, extractor_version=EXTRACTOR_VERSION)
        blocks, _ = grid_to_blocks([[(clean_text(t), c) for t, c in r] for r in grid], self.table_id, base)
        self.blocks.extend(blocks)
        self.table_id += 1


def _default_size(doc) -> float | None:
    """The document's default font size in points (docDefaults, in half-points)."""
    sz = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    try:
        return int(sz.get(qn("w:val"))) / 2 if sz is not None else None
    except (TypeError, ValueError):
        return None


def _is_toc(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower()


def _style_chain(style):
    """A paragraph style and the styles it is based on (bounded: a cycle ends the walk)."""
    seen = 0
    while style is not None and seen < 20:
        yield style
        style, seen = style.base_style, seen + 1


def _heading_level(p: Paragraph, styles, names: list[str]) -> int | None:
    """The outline level a heading style or an outline level gives (1 = broadest)."""
    for name in names:
        m = HEADING_STYLE_RE.match(name)
        if m:
            return max(1, int(m.group(1)))
        if name.lower() in TITLE_STYLES:
            return 1
    for el in [p._p.pPr] + [s.element.pPr for s in styles]:
        lvl = el.find(qn("w:outlineLvl")) if el is not None else None
        if lvl is not None:
            try:
                v = int(lvl.get(qn("w:val")))
            except (TypeError, ValueError):
                continue
            return v + 1 if v < BODY_OUTLINE else None
    return None


def _num_props(p: Paragraph, styles) -> tuple[str, int] | None:
    """(numId, level) from the paragraph's numbering, else its style's."""
    num_id, ilvl = None, None
    for ppr in [p._p.pPr] + [s.element.pPr for s in styles]:
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None:
            continue
        if ilvl is None and numpr.find(qn("w:ilvl")) is not None:
            ilvl = numpr.find(qn("w:ilvl")).get(qn("w:val"))
        if num_id is None and numpr.find(qn("w:numId")) is not None:
            num_id = numpr.find(qn("w:numId")).get(qn("w:val"))
        if num_id is not None:
            break
    if num_id is None:
        return None
    try:
        return num_id, max(0, min(int(ilvl or 0), 8))
    except ValueError:
        return num_id, 0


def _run_style(p: Paragraph, styles, default_size: float | None = None) -> BlockStyle:
    """Bold when every run with text is bold (directly, by character style or paragraph style);
    the font size of the first run with text (else its styles', else the document default: the
    structurer ranks hand-set headings by size, as on a PDF page); a bold lead label ("Objectif :")."""
    runs = [r for r in p.runs if r.text.strip()]
    style = BlockStyle(tag="p")
    if not runs:
        return style
    para_bold = next((s.font.bold for s in styles if s.font.bold is not None), None)
    para_size = next((s.font.size for s in styles if s.font.size is not None), None)

    def bold(r) -> bool:
        if r.bold is not None:
            return r.bold
        if r.style is not None and r.style.font.bold is not None:
            return r.style.font.bold
        return bool(para_bold)

    flags = [bold(r) for r in runs]
    if all(flags):
        style.bold = True
    elif flags[0]:
        lead = one_line(_leading_bold(runs, flags))
        m = LABEL_RE.match(lead)
        if m:
            style.label, style.lead = True, one_line(m.group(1))
    char_size = runs[0].style.font.size if runs[0].style is not None else None
    size = runs[0].font.size or char_size or para_size
    if size is not None:
        style.font_size = round(size.pt, 1)
    else:
        style.font_size = default_size
    return style


def _leading_bold(runs, flags) -> str:
    out = []
    for r, f in zip(runs, flags):
        if not f:
            break
        out.append(r.text)
    return "".join(out)


def _title_run(p: Paragraph) -> str | None:
    """An item that opens with a bold run followed by a line break: the run is its title."""
    text = p.text
    if "\n" not in text:
        return None
    head = text.split("\n", 1)[0]
    runs = [r for r in p.runs if r.text.strip()]
    if runs and runs[0].bold and one_line(head) and one_line(runs[0].text).startswith(one_line(head)[:20]):
        return one_line(head)
    return None


def _lvl_text(template: str | None, values: dict[int, int], fmt_of) -> str:
    """Word's level text ("%1.%2.") with each %N replaced by that level's counter."""
    if template is None:
        template = "%1."

    def sub(m: re.Match) -> str:
        lv = int(m.group(1)) - 1
        return format_number(values.get(lv, 1), fmt_of(lv))

    return re.sub(r"%(\d)", sub, template).strip()


class _Numbering:
    """The numbering definitions (numbering.xml): numId → abstract list → each level's format."""

    def __init__(self, doc):
        try:
            self.root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            self.root = None
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._levels: dict[tuple[str, int], tuple[str, str | None, int]] = {}
        if self.root is None:
            return
        for num in self.root.findall(qn("w:num")):
            aid = num.find(qn("w:abstractNumId"))
            starts = {}
            for ov in num.findall(qn("w:lvlOverride")):
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    starts[int(ov.get(qn("w:ilvl"), "0"))] = int(so.get(qn("w:val"), "1"))
            self._nums[num.get(qn("w:numId"))] = (aid.get(qn("w:val")) if aid is not None else "", starts)
        for an in self.root.findall(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            for lvl in an.findall(qn("w:lvl")):
                try:
                    ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                except ValueError:
                    continue
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self._levels[(aid, ilvl)] = (fmt.get(qn("w:val")) if fmt is not None else "decimal",
                                             text.get(qn("w:val")) if text is not None else None,
                                             _int(start.get(qn("w:val")) if start is not None else None, 1))

    def abstract_of(self, num_id: str) -> str:
        return self._nums.get(num_id, (num_id, {}))[0]

    def level(self, num_id: str, ilvl: int) -> tuple[str, str | None, int]:
        """(format, level text, start) of one level of a list; a bullet when undefined."""
        aid, starts = self._nums.get(num_id, (num_id, {}))
        fmt, text, start = self._levels.get((aid, ilvl), ("bullet", BULLET, 1))
        return fmt, text, starts.get(ilvl, start)


def _int(v, default: int) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default
