"""Build small PDFs inside the tests (reportlab for laid-out pages, a raw writer for odd fonts).

Coordinates given to the helpers are measured from the TOP of the page (like pdfplumber),
so tests read naturally: ``text(c, 72, 100, "Titre")`` writes at 100 pt from the top.
"""
from __future__ import annotations

import io
import zlib
from typing import Callable, Iterable

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4  # 595 x 842 pt
BODY = "Helvetica"
BOLD = "Helvetica-Bold"

LOREM = ("La municipalité souhaite améliorer la qualité de vie des citoyens et soutenir la vitalité "
         "des quartiers grâce à des services de proximité accessibles à toutes et à tous.")


def build(pages: Iterable[Callable[[Canvas], None]], title: str | None = None, author: str | None = None,
          encrypt=None, outline: bool = False) -> bytes:
    """One callable per page; each draws on the canvas. Returns the PDF bytes."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for draw in pages:
        draw(c)
        c.showPage()
    if outline:
        c.showOutline()
    c.save()
    return buf.getvalue()


def text(c: Canvas, x: float, top: float, s: str, font: str = BODY, size: float = 10,
         color: tuple[float, float, float] | None = None) -> None:
    """Draw one line whose baseline sits a font size below ``top``."""
    c.saveState()
    c.setFont(font, size)
    if color:
        c.setFillColor(Color(*color))
    c.drawString(x, HEIGHT - top - size, s)
    c.restoreState()


def lines(c: Canvas, x: float, top: float, rows: list[str], font: str = BODY, size: float = 10,
          leading: float | None = None, color=None) -> float:
    """Draw several lines; returns the top of the next line."""
    leading = leading or size * 1.25
    for r in rows:
        text(c, x, top, r, font, size, color)
        top += leading
    return top


def wrap(s: str, width_chars: int) -> list[str]:
    out, cur = [], ""
    for w in s.split():
        if cur and len(cur) + 1 + len(w) > width_chars:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return out + ([cur] if cur else [])


def rotated(c: Canvas, x: float, top: float, s: str, angle: float = 90, size: float = 10) -> None:
    c.saveState()
    c.translate(x, HEIGHT - top)
    c.rotate(angle)
    c.setFont(BODY, size)
    c.drawString(0, 0, s)
    c.restoreState()


def mirrored(c: Canvas, x: float, top: float, s: str, size: float = 10) -> None:
    c.saveState()
    c.transform(-1, 0, 0, 1, 2 * x + 100, 0)
    c.setFont(BODY, size)
    c.drawString(x, HEIGHT - top - size, s)
    c.restoreState()


def image_page(c: Canvas) -> None:
    """A page holding one grey image and no text (a scan)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (60, 80), 200)
    c.drawImage(ImageReader(img), 50, 100, width=480, height=640)


def table_pdf(rows: list[list[str]], style_cmds: list | None = None, repeat_rows: int = 0,
              col_widths: list[float] | None = None, before: list[str] | None = None) -> bytes:
    """A ruled (GRID) table laid out with platypus; long tables flow onto the next pages."""
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.lib.styles import getSampleStyleSheet

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1)
    t = LongTable(rows, repeatRows=repeat_rows, colWidths=col_widths)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)), ("FONT", (0, 0), (-1, -1), BODY, 9)] +
                          (style_cmds or [])))
    story = [Paragraph(p, getSampleStyleSheet()["BodyText"]) for p in (before or [])] + [t]
    doc.build(story)
    return buf.getvalue()


# --------------------------------------------------------------------------- raw PDF writer

def raw_pdf(content: bytes, font: dict[str, str], extra_objects: dict[int, bytes] | None = None) -> bytes:
    """A one-page PDF with one font resource /F1 given as raw dictionary entries.

    Objects 1-4 are catalog, pages, page, content; the font is object 5; extra objects
    (e.g. a ToUnicode stream or a descendant font) use numbers from 6.
    """
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
           b"/Contents 4 0 R >>",
        4: stream(content),
        5: ("<< " + " ".join(f"/{k} {v}" for k, v in font.items()) + " >>").encode("latin-1"),
    }
    objs.update(extra_objects or {})
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = out.tell()
        out.write(f"{n} 0 obj\n".encode() + objs[n] + b"\nendobj\n")
    xref = out.tell()
    size = max(objs) + 1
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for n in range(1, size):
        out.write(f"{offsets.get(n, 0):010d} 00000 {'n' if n in offsets else 'f'} \n".encode())
    out.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        return f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def to_unicode_cmap(mapping: dict[int, str], two_bytes: bool = False) -> bytes:
    """A ToUnicode CMap stream mapping codes to text."""
    w = 4 if two_bytes else 2
    lines = [f"<{code:0{w}X}> <{''.join(f'{ord(ch):04X}' for ch in s)}>" for code, s in mapping.items()]
    body = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CMapName /Test def /CMapType 2 def\n1 begincodespacerange\n"
            f"<{'0' * w}> <{'F' * w}>\nendcodespacerange\n"
            f"{len(lines)} beginbfchar\n" + "\n".join(lines) + "\nendbfchar\nendcmap\n"
            "CMapName currentdict /CMap defineresource pop end end\n")
    return stream(body.encode("latin-1"))
