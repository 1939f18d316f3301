"""OpenDocument text (ODT) → blocks, read with odfpy.

``text:h`` is a heading at its ``text:outline-level``; a paragraph whose style (or a parent style)
has a default outline level is one too. ``text:list`` items are list items at their nesting depth,
their marker computed from the list style (number format, prefix/suffix, levels displayed, or the
bullet character). Bold and size come from the paragraph's and its spans' text properties (hand-
styled headings). Tables keep merged cells (``number-rows/columns-spanned`` over covered cells).
The table of contents and the index repeat headings with page numbers: they are skipped.
"""
from __future__ import annotations

import re

from odf.namespaces import FONS, STYLENS, TABLENS, TEXTNS

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block, BlockStyle, Extraction
from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.office.numbering import BULLET, Counters, bullet_glyph, format_number
from planscope.extractors.office.odfnodes import load_quietly, odf_text, read_meta, table_rows
from planscope.extractors.office.settings import SETTINGS
from planscope.extractors.tables import grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-odt"

SKIPPED = {(TEXTNS, n) for n in ("table-of-content", "alphabetical-index", "illustration-index",
                                 "bibliography", "tracked-changes", "sequence-decls", "variable-decls")}
CONTAINERS = {(TEXTNS, "section"), (TEXTNS, "index-body"), (TEXTNS, "soft-page-break")}
LABEL_RE = re.compile(r"^\s*([^\W\d][\w'’ .-]{0,50}?)\s*[:：]\s*$")
BOLD_WEIGHTS = {"bold", "600", "700", "800", "900"}
MAX_LIST_DEPTH = 10


def read_odt(data: bytes, ex: Extraction) -> None:
    """Fill ``ex`` with the blocks and metadata of an OpenDocument text."""
    doc = load_quietly(data, ex)
    read_meta(doc, ex)
    reader = _Reader(doc, ex.source)
    reader.walk(doc.text)
    ex.blocks = reader.blocks
    ex.warnings += reader.warnings


class _Styles:
    """Paragraph/text styles (bold, size, parent, outline level) and list styles, by name."""

    def __init__(self, doc):
        self.props: dict[str, dict] = {}
        self.lists: dict[str, dict[int, tuple[str, str, str, int, int]]] = {}
        self.default_size: float | None = None  # the default paragraph style's size (body text)
        for container in (doc.styles, doc.automaticstyles):
            for st in getattr(container, "childNodes", []):
                if st.qname == (STYLENS, "default-style") and st.getAttrNS(STYLENS, "family") == "paragraph":
                    self.default_size = self._style(st).get("size")
                elif st.qname == (STYLENS, "style"):
                    self._style(st)
                elif st.qname == (TEXTNS, "list-style"):
                    self._list_style(st)

    def _style(self, st) -> dict:
        p = {"parent": st.getAttrNS(STYLENS, "parent-style-name"),
             "outline": st.getAttrNS(STYLENS, "default-outline-level"),
             "list": st.getAttrNS(STYLENS, "list-style-name")}
        for prop in st.childNodes:
            if prop.qname == (STYLENS, "text-properties"):
                w = prop.getAttrNS(FONS, "font-weight")
                if w:
                    p["bold"] = w in BOLD_WEIGHTS
                size = prop.getAttrNS(FONS, "font-size") or ""
                m = re.match(r"([\d.]+)pt$", size)
                if m:
                    p["size"] = float(m.group(1))
        if st.getAttrNS(STYLENS, "name"):
            self.props[st.getAttrNS(STYLENS, "name")] = p
        return p

    def _list_style(self, st) -> None:
        levels = {}
        for lv in st.childNodes:
            try:
                level = int(lv.getAttrNS(TEXTNS, "level") or 1)
            except ValueError:
                continue
            if lv.qname == (TEXTNS, "list-level-style-number"):
                levels[level] = ("number", lv.getAttrNS(STYLENS, "num-format") or "",
                                 (lv.getAttrNS(STYLENS, "num-prefix") or "") + "\x00" +
                                 (lv.getAttrNS(STYLENS, "num-suffix") or ""),
                                 _int(lv.getAttrNS(TEXTNS, "display-levels"), 1),
                                 _int(lv.getAttrNS(TEXTNS, "start-value"), 1))
            elif lv.qname == (TEXTNS, "list-level-style-bullet"):
                levels[level] = ("bullet", bullet_glyph(lv.getAttrNS(TEXTNS, "bullet-char")), "", 1, 1)
        self.lists[st.getAttrNS(STYLENS, "name")] = levels

    def get(self, name: str | None, key: str):
        """A property of a style or, failing that, of the styles it derives from."""
        for _ in range(20):
            p = self.props.get(name or "")
            if p is None:
                return None
            if p.get(key) not in (None, ""):
                return p[key]
            name = p.get("parent")
        return None


class _Reader:
    def __init__(self, doc, source: str):
        self.source = source
        self.styles = _Styles(doc)
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.table_id = 0
        self.list_id = 0
        self.counters: dict[str, Counters] = {}
        self.last_list: dict[str, int] = {}

    def walk(self, root) -> None:
        stack = [iter(root.childNodes)]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                stack.pop()
                continue
            if node.nodeType != node.ELEMENT_NODE or node.qname in SKIPPED:
                continue
            q = node.qname
            if q == (TEXTNS, "h"):
                self._block(HEADING, node, level=_int(node.getAttrNS(TEXTNS, "outline-level"), 1))
            elif q == (TEXTNS, "p"):
                outline = self.styles.get(node.getAttrNS(TEXTNS, "style-name"), "outline")
                if outline:
                    self._block(HEADING, node, level=_int(outline, 1))
                else:
                    self._block(PARAGRAPH, node)
            elif q == (TEXTNS, "list"):
                self._list(node)
            elif q == (TABLENS, "table"):
                self._table(node)
            elif q in CONTAINERS and len(stack) < 50:
                stack.append(iter(node.childNodes))

    def _style(self, node) -> BlockStyle:
        """Bold when every text run is bold (the paragraph's style or its spans'), the size of the
        paragraph style, and a bold lead label ("Objectif :")."""
        pstyle = node.getAttrNS(TEXTNS, "style-name")
        base_bold = bool(self.styles.get(pstyle, "bold"))
        runs: list[tuple[str, bool]] = []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                runs.append((child.data, base_bold))
            elif child.nodeType == child.ELEMENT_NODE:
                b = base_bold
                if child.qname == (TEXTNS, "span"):
                    sb = self.styles.get(child.getAttrNS(TEXTNS, "style-name"), "bold")
                    b = base_bold if sb is None else sb
                runs.append((odf_text(child) if child.qname != (TEXTNS, "line-break") else "\n", b))
        style = BlockStyle(tag=node.qname[1])
        texts = [(t, b) for t, b in runs if t.strip()]
        if texts and all(b for _, b in texts):
            style.bold = True
        elif texts and texts[0][1]:
            lead = one_line("".join(t for t, _ in _leading(texts)))
            m = LABEL_RE.match(lead)
            if m:
                style.label, style.lead = True, one_line(m.group(1))
        size = self.styles.get(pstyle, "size") or self.styles.default_size
        if size:
            style.font_size = size
        return style

    def _block(self, kind: str, node, **kw) -> None:
        text = clean_text(odf_text(node))
        if text:
            self.blocks.append(Block(kind=kind, text=text, path=f"{node.qname[1]} {len(self.blocks) + 1}",
                                     style=self._style(node), source=self.source, extractor=NAME,
                                     extractor_version=EXTRACTOR_VERSION, **kw))

    def _list(self, top) -> None:
        """Items of one list and its nested lists, with their markers (explicit stack)."""
        style_name = top.getAttrNS(TEXTNS, "style-name") or ""
        levels = self.styles.lists.get(style_name, {})
        key = style_name or f"#{self.list_id + 1}"
        continues = top.getAttrNS(TEXTNS, "continue-numbering") == "true" or top.getAttrNS(TEXTNS, "continue-list")
        if continues and key in self.last_list:
            lid = self.last_list[key]
        else:
            self.list_id += 1
            lid = self.list_id
            self.counters[key] = Counters()
        self.last_list[key] = lid
        counters = self.counters.setdefault(key, Counters())
        stack = [(iter(top.childNodes), 0)]
        while stack:
            node = next(stack[-1][0], None)
            if node is None:
                stack.pop()
                continue
            depth = stack[-1][1]
            if node.nodeType != node.ELEMENT_NODE:
                continue
            if node.qname == (TEXTNS, "list") and depth + 1 < MAX_LIST_DEPTH:
                stack.append((iter(node.childNodes), depth + 1))
            elif node.qname in ((TEXTNS, "list-item"), (TEXTNS, "list-header")):
                numbered = node.qname == (TEXTNS, "list-item")
                stack.append((iter(node.childNodes), depth))
                first = True
                for child in node.childNodes:
                    if child.nodeType != child.ELEMENT_NODE or child.qname not in ((TEXTNS, "p"), (TEXTNS, "h")):
                        continue
                    if first and numbered:
                        self._item(child, depth, lid, levels, counters)
                    else:  # a list item's further paragraphs, or an unnumbered list header
                        self._block(PARAGRAPH, child)
                    first = False
            elif node.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                pass  # read with its list item above

    def _item(self, node, depth: int, lid: int, levels: dict, counters: Counters) -> None:
        kind, fmt, affix, display, start = levels.get(depth + 1, ("bullet", BULLET, "", 1, 1))
        if node.qname == (TEXTNS, "h"):  # a numbered heading (chapter numbering): still a heading
            self._block(HEADING, node, level=_int(node.getAttrNS(TEXTNS, "outline-level"), depth + 1))
            return
        ordered = kind == "number" and fmt != ""
        marker = fmt if kind == "bullet" else BULLET
        if ordered:
            values = counters.step(depth, start)
            prefix, suffix = affix.split("\x00")
            shown = [format_number(values.get(lv, 1), levels.get(lv + 1, (None, fmt))[1] or fmt)
                     for lv in range(max(0, depth - display + 1), depth + 1)]
            marker = prefix + ".".join(shown) + suffix
        self._block(LIST_ITEM, node, list_depth=depth, list_id=lid, marker=marker.strip() or BULLET,
                    ordered=ordered)

    def _table(self, table) -> None:
        grid: dict[tuple[int, int], tuple[str, bool]] = {}
        r = 0
        cells_read = 0
        for row in table_rows(table):
            c = 0
            for cell in row.childNodes:
                if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                    continue
                rep = min(_int(cell.getAttrNS(TABLENS, "number-columns-repeated"), 1), SETTINGS.max_repeat)
                for _ in range(rep):
                    while (r, c) in grid:
                        c += 1
                    if cell.qname == (TABLENS, "table-cell"):
                        text = clean_text("\n".join(odf_text(p) for p in _cell_paragraphs(cell)))
                        rs = _int(cell.getAttrNS(TABLENS, "number-rows-spanned"), 1)
                        cs = _int(cell.getAttrNS(TABLENS, "number-columns-spanned"), 1)
                        for dr in range(min(rs, SETTINGS.max_repeat)):
                            for dc in range(min(cs, SETTINGS.max_repeat)):
                                grid[(r + dr, c + dc)] = (text, bool(dr or dc))
                    c += 1
                    cells_read += 1
            r += 1
            if cells_read > SETTINGS.max_table_cells:
                self.warnings.append(f"more than {SETTINGS.max_table_cells} table cells: the rest was not read")
                break
        if not grid:
            return
        nrows, ncols = max(k[0] for k in grid) + 1, max(k[1] for k in grid) + 1
        rows = [[grid.get((i, j), ("", False)) for j in range(ncols)] for i in range(nrows)]
        base = Block(kind=PARAGRAPH, text="", path=f"table {self.table_id + 1}", source=self.source,
                     extractor=NAME, extractor_version=EXTRACTOR_VERSION)
        blocks, _ = grid_to_blocks(rows, self.table_id, base)
        self.blocks.extend(blocks)
        self.table_id += 1


def _cell_paragraphs(cell):
    """The paragraphs of a cell, list items' included (nested tables read as their text)."""
    stack = list(reversed(cell.childNodes))
    while stack:
        node = stack.pop()
        if node.nodeType != node.ELEMENT_NODE:
            continue
        if node.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
            yield node
        else:
            stack.extend(reversed(node.childNodes))


def _leading(texts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out = []
    for t, b in texts:
        if not b:
            break
        out.append((t, b))
    return out


def _int(v, default: int) -> int:
    try:
        return max(1, int(v))
    except (TypeError, ValueError):
        return default
