"""Bytes → typed blocks. One extractor per format, chosen from the bytes (sniffed), not the name."""
from __future__ import annotations

import gzip

from planscope.extractors import sniff as _sniff
from planscope.extractors.blocks import FAILED, UNSUPPORTED, Block, Extraction
from planscope.extractors.version import EXTRACTOR_VERSION

MAX_GUNZIP = 50 * 1024 * 1024  # a gzip page larger than this once inflated is refused (bomb)


def extract_bytes(data: bytes, source: str, base_url: str | None = None,
                  http_charset: str | None = None) -> Extraction:
    """Route bytes to the right extractor; never raises for bad input, returns a status instead."""
    media = _sniff.sniff(data, source)
    if media == _sniff.GZIP:
        try:
            with gzip.GzipFile(fileobj=__import__("io").BytesIO(data)) as fh:
                inner = fh.read(MAX_GUNZIP + 1)
        except (OSError, EOFError) as exc:
            return Extraction(source=source, media_type=media, status=UNSUPPORTED,
                              reason=f"gzip data that does not decompress: {exc}")
        if len(inner) > MAX_GUNZIP:
            return Extraction(source=source, media_type=media, status=UNSUPPORTED,
                              reason="gzip data inflating beyond 50 MB (decompression bomb?)")
        data, media = inner, _sniff.sniff(inner, source)
    if not data:
        return Extraction(source=source, media_type=media, status=UNSUPPORTED, reason="empty file (0 bytes)")
    try:
        if media == _sniff.PDF:
            from planscope.extractors.pdf import extract_pdf
            return extract_pdf(data, source)
        if media == _sniff.HTML:
            from planscope.extractors.html import extract_html
            return extract_html(data, source, base_url=base_url, http_charset=http_charset)
        if media == _sniff.CSV:
            from planscope.extractors.office.csvtable import extract_csv
            return extract_csv(data, source)
        from planscope.extractors.office import BINARY_TYPES, OFFICE_TYPES, extract_office
        if media in OFFICE_TYPES or media in BINARY_TYPES:
            return extract_office(data, source, media)
        if media in (_sniff.TEXT, _sniff.MARKDOWN):
            from planscope.extractors.text import extract_text
            return extract_text(data, source, markdown=media == _sniff.MARKDOWN)
    except RecursionError:
        return Extraction(source=source, media_type=media, status=FAILED,
                          reason="document structure nested too deeply (recursion limit)")
    return Extraction(source=source, media_type=media, status=UNSUPPORTED,
                      reason=f"not a PDF, HTML, text, Word, OpenDocument, spreadsheet or CSV document "
                             f"(looks like {media})")


__all__ = ["Block", "Extraction", "extract_bytes", "EXTRACTOR_VERSION"]
