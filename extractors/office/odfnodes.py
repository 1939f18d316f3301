"""What the OpenDocument readers (text and spreadsheet) share: a node's text, its metadata."""
from __future__ import annotations

import contextlib
import io
import re

from odf.namespaces import DCNS, METANS, TABLENS, TEXTNS

from planscope.extractors.blocks import PARTIAL, Extraction
from planscope.extractors.hygiene import one_line

MAX_SPACES = 100  # <text:s text:c="N">: N spaces, capped (a hostile N would allocate gigabytes)
NOTE_TAGS = {(TEXTNS, "note"), (TEXTNS, "tracked-changes"), (TEXTNS, "bookmark-ref")}


def odf_text(node) -> str:
    """A node's text as displayed: ``text:s`` spaces, tabs and line breaks expanded, footnotes and
    tracked changes left out (iterative: deep nesting cannot exhaust the stack)."""
    parts: list[str] = []
    stack = list(reversed(node.childNodes))
    while stack:
        n = stack.pop()
        if n.nodeType == n.TEXT_NODE:
            parts.append(n.data)
            continue
        if n.nodeType != n.ELEMENT_NODE or n.qname in NOTE_TAGS:
            continue
        local = n.qname[1] if n.qname[0] == TEXTNS else None
        if local == "line-break":
            parts.append("\n")
        elif local == "tab":
            parts.append("\t")
        elif local == "s":
            try:
                parts.append(" " * max(1, min(int(n.getAttrNS(TEXTNS, "c") or 1), MAX_SPACES)))
            except ValueError:
                parts.append(" ")
        else:
            stack.extend(reversed(n.childNodes))
    return "".join(parts)


def load_quietly(data: bytes, ex: Extraction):
    """odfpy's ``load``. On a part that is not well-formed XML odfpy prints the part to standard
    output and goes on with what it parsed before the damage: the print is kept out of the
    command's output, and the extraction says it is partial."""
    from odf.opendocument import load

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        doc = load(io.BytesIO(data))
    if "FAILED TO PARSE" in printed.getvalue():
        ex.status = PARTIAL
        ex.reason = "damaged OpenDocument part (not well-formed XML): read up to the damage"
        ex.warnings.append(ex.reason)
    return doc


def read_meta(doc, ex: Extraction) -> None:
    """Title, author and creation date from meta.xml."""
    for node in getattr(doc.meta, "childNodes", []):
        text = one_line(odf_text(node))
        if node.qname == (DCNS, "title") and text:
            ex.title = text
        elif node.qname in ((METANS, "initial-creator"), (DCNS, "creator")) and text and not ex.author:
            ex.author = text
        elif node.qname == (METANS, "creation-date") and re.match(r"\d{4}-\d\d-\d\d", text):
            ex.published = text[:10]


def table_rows(table):
    """table:table-row elements of a table, also inside header-rows, row sets and row groups."""
    stack = list(reversed(table.childNodes))
    while stack:
        node = stack.pop()
        if node.qname == (TABLENS, "table-row"):
            yield node
        elif node.qname in ((TABLENS, "table-header-rows"), (TABLENS, "table-rows"), (TABLENS, "table-row-group")):
            stack.extend(reversed(node.childNodes))
