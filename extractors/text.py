"""Plain text and markdown → blocks.

Scraped plan text keeps its shape in a few conventions: markdown headings
(``#``), bullets (``•``, ``-``, ``*``), numbered items (``1.``, ``a)``), pipe
tables (``| a | b |`` with ``||`` closing a row) and hard-wrapped paragraphs
whose continuation lines start in lowercase.
"""
from __future__ import annotations

import re

from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block, Extraction
from planscope.extractors.grammar import TEXT_BULLET_RE as BULLET_RE
from planscope.extractors.grammar import ITEM_START_RE, PAGE_NUMBER_RE
from planscope.extractors.grammar import TEXT_NUMBERED_RE as NUMBERED_RE
from planscope.extractors.hygiene import clean_text, join_hyphenated
from planscope.extractors.layout_table import read_layout_table
from planscope.extractors.tables import carry_merged, grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-text"

# A line that ends on one of these words goes on, whatever the case of the next line ("et\nSaint-Georges").
CONTINUING_WORDS = {"et", "ou", "de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "à", "au", "aux",
                    "en", "pour", "par", "sur", "avec", "un", "une", "dans", "entre", "vers"}
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*)$")
ROW_END_RE = re.compile(r"\|\s*\|+\s*$")
# GitHub-flavoured markdown table: a delimiter row "|---|:---:|" under the header, one line per row.
GFM_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Markdown emphasis around a whole line ("**Orientation 1 : …**") or inside it.
WHOLE_EMPHASIS_RE = re.compile(r"^(\*\*|__)(?P<text>\S(?:.*\S)?)\1$", re.S)
INNER_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
INDENT_PER_LEVEL = 3  # spaces: scraped lists indent sub-items by 2 to 4
# A footer ending on the page number: "Programme d'actions – page 2/7".
FOOTER_PAGE_RE = re.compile(r"^.{0,80}?[-–—|]\s*page\s+\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?\s*$", re.I)
BARE_PAGE_NUMBER_RE = re.compile(r"^\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*$", re.I)
FAR_RIGHT_INDENT = 20  # spaces before a number alone on its line: pdftotext -layout's page number
WRAPPED_LINE_CHARS = 60  # a prose line this long that stops mid-sentence was wrapped by the layout
CAPS_LINE_LETTERS = 8  # letters a line needs before its capitals make it a title line
RUNNING_LINE_REACH = 2  # non-blank lines between a page break and the running header or footer beside it
# Leading columns assumed merged (rowspan) when a pipe-table row has fewer cells than its header.
CARRIED_LEADING_COLUMNS = 1


def extract_text(data: bytes | str, source: str, markdown: bool = False) -> Extraction:
    """Decode and split text into typed blocks in reading order."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    base = Block(kind=PARAGRAPH, text="", source=source, extractor=NAME, extractor_version=EXTRACTOR_VERSION)
    blocks: list[Block] = []
    lines = text.split("\n")
    for k in page_furniture(lines):
        lines[k] = ""  # a page break: it ends the paragraph it interrupts
    lines = unfold_side_by_side([ln.replace("\f", "") for ln in lines])
    i = 0
    list_id = 0
    last_list_kind: str | None = None
    table_id = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        if not line.strip():
            i += 1
            continue
        where = f"line {i + 1}"
        if line.lstrip().startswith("|"):
            gfm = i + 1 < len(lines) and bool(GFM_DELIMITER_RE.match(lines[i + 1]))
            j, rows = _read_gfm_table(lines, i) if gfm else _read_pipe_table(lines, i)
            tb = Block(kind=PARAGRAPH, text="", path=where, source=source, extractor=NAME,
                       extractor_version=EXTRACTOR_VERSION)
            grid = _gfm_grid(rows) if gfm else _pipe_grid(rows)
            cells, _ = grid_to_blocks(grid, table_id, tb)
            blocks.extend(cells)
            table_id += 1
            last_list_kind = None
            i = j
            continue
        laid_out = read_layout_table(lines, i)
        if laid_out is not None:
            j, header, body = laid_out
            tb = Block(kind=PARAGRAPH, text="", path=where, source=source, extractor=NAME,
                       extractor_version=EXTRACTOR_VERSION)
            cells, _ = grid_to_blocks([[(c, False) for c in header]] + carry_merged(body), table_id, tb)
            blocks.extend(cells)
            table_id += 1
            last_list_kind = None
            i = j
            continue
        m = HEADING_RE.match(line)
        if m:
            blocks.append(_block(base, HEADING, m.group("text"), where, level=len(m.group("hashes"))))
            last_list_kind = None
            i += 1
            continue
        m = NUMBERED_RE.match(line)
        if m and m.group("marker")[:-1].isdigit() and not m.group("indent") and _is_caps(m.group("text")):
            # "2. MÉTHODOLOGIE": lists are not set in capitals, chapter titles are.
            blocks.append(_block(base, HEADING, m.group("text").strip(), where, level=2))
            last_list_kind = None
            i += 1
            continue
        m = BULLET_RE.match(line) or NUMBERED_RE.match(line)
        if m:
            ordered = m.re is NUMBERED_RE
            kind = "ol" if ordered else "ul"
            if kind != last_list_kind:
                list_id += 1
            last_list_kind = kind
            body, i = _continue(lines, i + 1, m.group("text"), item=True)
            depth = (len(m.group("indent").expandtabs(4)) + 1) // INDENT_PER_LEVEL
            marker = m.group("marker").split()[0]
            blocks.append(_block(base, LIST_ITEM, body, where, list_depth=depth, list_id=list_id,
                                 marker=marker, ordered=ordered))
            continue
        body, i = _continue(lines, i + 1, line.strip(), item=False)
        blocks.append(_block(base, PARAGRAPH, body, where))
        # An indented line under an item ("   Responsable : …") belongs to it: the list goes on.
        if not (last_list_kind and raw[:1].isspace()):
            last_list_kind = None
    return Extraction(source=source, media_type="text/markdown" if markdown else "text/plain",
                      blocks=blocks, extractor=NAME, extractor_version=EXTRACTOR_VERSION)


SIDE_GAP = 3  # spaces between two columns set side by side
SIDE_MIN_X = 16  # a right column starts this far in: nearer, the gap is an indent
SIDE_GAP_RE = re.compile(r"\S( {%d,})(?=\S)" % SIDE_GAP)  # the first wide gap of a line
SIDE_ITEM_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){1,3}|[•▪–-])\s")  # an outline item or a bullet


def _split_at(line: str, x: int) -> tuple[str, str] | None:
    """(left, right) when ``line`` has a gap of SIDE_GAP spaces or more ending at column x (±1)."""
    for at in (x, x - 1, x + 1):
        if 0 < at <= len(line) and line[at - SIDE_GAP:at] == " " * SIDE_GAP and line[at:at + 1].strip() \
                and line[:at].strip():
            return line[:at].rstrip(), line[at:].strip()
    return None


def unfold_side_by_side(lines: list[str]) -> list[str]:
    """Two columns set side by side (``pdftotext -layout`` of an overview: an axis title on the left,
    its numbered objectives on the right) as the left column, a blank line, then the right one.

    A run of lines qualifies when its right column holds two items or more, each opening with an
    outline number or a bullet ("1.1 …") at one position, and every line of the run is split there
    or sits wholly on one side. A label and its value set apart ("Responsable :   Travaux")
    never qualify: their right side is no numbered item."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        m = SIDE_GAP_RE.search(line)
        x = m.end() if m else 0
        if x < SIDE_MIN_X or not SIDE_ITEM_RE.match(line[x:]) or line[:x].strip().endswith(":"):
            out.append(lines[i])
            i += 1
            continue
        left, right, splits, j = [], [], 0, i
        while j < len(lines) and lines[j].strip():
            ln = lines[j].rstrip()
            parts = _split_at(ln, x)
            if parts is not None:
                left.append(parts[0].strip())
                right.append(parts[1])
                splits += 1
            elif len(ln) - len(ln.lstrip()) >= x - 1:
                right.append(ln.strip())
            elif len(ln) <= x - SIDE_GAP:
                left.append(ln.strip())
            else:
                break
            j += 1
        items = sum(1 for r in right if SIDE_ITEM_RE.match(r))
        if not splits or items < 2 or j < len(lines) and lines[j].strip():
            out.append(lines[i])
            i += 1
            continue
        out += left + [""] + right
        i = j
    return out


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= CAPS_LINE_LETTERS and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _caps_run_goes_on(text: str, nxt: str) -> bool:
    """A title set in capitals wraps onto a second line in capitals: the line goes on unless the
    title ended on a stop or the next line opens an item of its own ("AXE 2 – …")."""
    return _is_caps(text) and _is_caps(nxt) and not text.rstrip().endswith((".", ":", "!", "?")) \
        and not ITEM_START_RE.match(nxt) and not NUMBERED_RE.match(nxt)


def _prose_runs_on(last: str, nxt: str) -> bool:
    """A full line of prose cut mid-sentence goes on when the next line opens with a bracket or
    a quotation mark ("…objectifs opérationnels" / "(OO), eux-mêmes…"): a title does not open so.
    A next line opening with a capital may be a title under a long one, so it starts afresh."""
    words = last.split()
    return len(last) >= WRAPPED_LINE_CHARS and bool(words) and words[-1][:1].islower() \
        and not last.endswith((".", ":", ";", "!", "?")) and nxt[:1] in "(«“\""


def _is_page_number(line: str) -> bool:
    """A page number as the printer sets it ("- 2 -", "Page 3 sur 12", "3/12", a footer ending
    on one); a number alone counts only far to the right, where pdftotext -layout puts it (at
    the margin it may be a heading's number printed apart from its title)."""
    if BARE_PAGE_NUMBER_RE.match(line):
        return len(line) - len(line.lstrip(" ")) >= FAR_RIGHT_INDENT
    return bool(PAGE_NUMBER_RE.match(line) or FOOTER_PAGE_RE.match(line))


def page_furniture(lines: list[str]) -> set[int]:
    """Indexes of the lines a page layout repeats, not the text: page numbers ("- 2 -", "Page 3")
    and a running header or footer, a line printed again beside each page break."""
    numbers = {k for k, ln in enumerate(lines) if _is_page_number(ln.replace("\f", ""))}
    breaks = sorted(numbers | {k for k, ln in enumerate(lines) if "\f" in ln})
    near: dict[str, list[int]] = {}
    for b in breaks:
        first = lines[b].replace("\f", "").strip()
        if "\f" in lines[b] and first and b not in numbers:
            near.setdefault(first, []).append(b)  # the form feed opens the page on its first line
        for step in (-1, 1):
            k, seen = b + step, 0
            while 0 <= k < len(lines) and seen < RUNNING_LINE_REACH:
                text = lines[k].replace("\f", "").strip()
                if text:
                    seen += 1
                    if k not in numbers:
                        near.setdefault(text, []).append(k)
                k += step
    running = {k for text, ks in near.items() if len(set(ks)) >= 2
               and sum(1 for ln in lines if ln.replace("\f", "").strip() == text) == len(set(ks))
               for k in ks}
    return numbers | running


def _continue(lines: list[str], i: int, text: str, item: bool) -> tuple[str, int]:
    """Join hard-wrapped continuation lines: the next line starts in lowercase,
    or the text so far ends with a comma or a hyphen."""
    while i < len(lines):
        nxt = lines[i].strip()
        if not nxt or nxt.startswith(("|", "#")) or BULLET_RE.match(lines[i]) or NUMBERED_RE.match(lines[i]):
            break
        last_word = text.rsplit(None, 1)[-1].lower() if text.strip() else ""
        if nxt[0].islower() or last_word in CONTINUING_WORDS or _caps_run_goes_on(text, nxt) or \
                _prose_runs_on(lines[i - 1].strip(), nxt) or \
                text.endswith((",", "-", "–")) and not text.endswith(" -"):
            text = join_hyphenated(text + "\n" + nxt) if text.endswith("-") else text + " " + nxt
            i += 1
            continue
        break
    return text, i


def _read_gfm_table(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """Rows of a GitHub-flavoured table: one line each, the delimiter row dropped."""
    rows: list[list[str]] = []
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        if not GFM_DELIMITER_RE.match(lines[i]):
            body = lines[i].strip()
            body = body[1:] if body.startswith("|") else body
            body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
            rows.append([clean_text(_strip_emphasis(c)[0]) for c in re.split(r"(?<!\\)\|", body)])
        i += 1
    return i, rows


def _gfm_grid(rows: list[list[str]]) -> list[list[tuple[str, bool]]]:
    """Cells of each row; an empty leading cell repeats the row above (the plain-text form of a
    merged cell: "| | | Créer un club |" sits under the previous row's orientation)."""
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    header = [(c, False) for c in rows[0]] + [("", False)] * (ncols - len(rows[0]))
    body = [[c or None for c in r] + [None] * (ncols - len(r)) for r in rows[1:]]
    return [header] + carry_merged(body)


def _strip_emphasis(text: str) -> tuple[str, bool]:
    """Text without markdown emphasis markers, and whether the whole of it was bold."""
    m = WHOLE_EMPHASIS_RE.match(text.strip())
    bold = bool(m) and "**" not in m.group("text") and "__" not in m.group("text")
    if bold:
        text = m.group("text")
    return INNER_EMPHASIS_RE.sub(lambda x: x.group("text"), text), bold


def _read_pipe_table(lines: list[str], i: int) -> tuple[int, list[str]]:
    """Collect the rows of a pipe table; a row ends on a line ending in two pipes."""
    rows: list[str] = []
    current: list[str] = []
    while i < len(lines):
        line = lines[i].rstrip()
        if not current and not line.lstrip().startswith("|"):
            break
        current.append(line)
        i += 1
        if ROW_END_RE.search(line) or line.strip() == "||":
            rows.append("\n".join(current))
            current = []
    if current:
        rows.append("\n".join(current))
    return i, rows


def _pipe_grid(rows: list[str]) -> list[list[tuple[str, bool]]]:
    """Cells of each row; a short row takes its leading column(s) from the row above."""
    parsed = []
    for row in rows:
        body = row.strip()
        body = re.sub(r"\|[\s|]*$", "", body)  # closing pipes
        body = body[1:] if body.startswith("|") else body
        cells = [clean_text(c) for c in body.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        parsed.append(cells)
    ncols = max((len(r) for r in parsed), default=0)
    grid: list[list[tuple[str, bool]]] = []
    prev: list[tuple[str, bool]] | None = None
    header = parsed[0] if parsed else []
    for cells in parsed:
        if not cells:
            continue
        is_header_row = prev is not None and [c for c, _ in prev if c] == header
        if len(cells) == 1 or ncols < 3:
            row = [(cells[0], False)] + [(cells[0], True)] * (ncols - 1) if len(cells) == 1 else \
                [(c, False) for c in cells] + [("", False)] * (ncols - len(cells))
            grid.append(row)
            prev = None if len(cells) == 1 else row
            continue
        if len(cells) < ncols and prev is not None and not is_header_row:
            carried = min(ncols - len(cells), CARRIED_LEADING_COLUMNS)
            row = [(prev[k][0], True) for k in range(carried)] + [(c, False) for c in cells]
        else:
            row = [(c, False) for c in cells]
        row += [("", False)] * (ncols - len(row))
        grid.append(row)
        prev = row
    return grid


def _block(base: Block, kind: str, text: str, where: str, **kw) -> Block:
    text, bold = _strip_emphasis(text)
    b = Block(kind=kind, text=clean_text(text), path=where, source=base.source,
              extractor=base.extractor, extractor_version=base.extractor_version, **kw)
    if bold:
        b.style.bold = True
    return b
