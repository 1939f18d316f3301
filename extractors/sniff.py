"""Media type from the bytes themselves, never from the name alone.

A ZIP container is named by what it holds (``[Content_Types].xml`` or ODF's ``mimetype``), an OLE2
file by its streams (``office/container.py``); text is CSV only when its lines are a consistent
table (``office/csvtable.py``), the ``.csv`` name lowering the bar, never deciding alone.
"""
from __future__ import annotations

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
GZIP = "application/gzip"
ZIP = "application/zip"
PNG = "image/png"
JPEG = "image/jpeg"
UNKNOWN = "application/octet-stream"
CSV = "text/csv"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: .doc, .xls, encrypted OOXML

SNIFF_BYTES = 4096


def sniff(data: bytes, name: str = "") -> str:
    """Return the media type the bytes really are; the name only breaks ties for text."""
    head = data[:SNIFF_BYTES]
    if not head:
        return UNKNOWN
    if b"%PDF-" in head[:1024]:
        return PDF
    if head[:2] == b"\x1f\x8b":
        return GZIP
    if head[:4] == b"PK\x03\x04":
        from planscope.extractors.office.container import zip_media
        return zip_media(data) or ZIP
    if head[:8] == OLE_MAGIC:
        from planscope.extractors.office.container import ole_media
        return ole_media(data)
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head[:3] == b"\xff\xd8\xff":
        return JPEG
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return UNKNOWN
    low = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<body" in low \
            or b"<div" in low or b"<p>" in low:
        return HTML
    lname = name.lower()
    if lname.endswith((".md", ".markdown")):
        return MARKDOWN
    from planscope.extractors.office.csvtable import looks_like_csv
    if looks_like_csv(data, lname):
        return CSV
    return TEXT
