"""Bytes of a web page → text: BOM, declared charsets (HTTP, XML, meta) checked against the bytes,
mixed UTF-8/single-byte pages decoded per sequence, detection as a last resort; and the signatures
of other formats served as a page."""
from __future__ import annotations

import codecs
import re

_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|"
                       rb"\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|"
                       rb"\xf4[\x80-\x8f][\x80-\xbf]{2}")
# UTF-8 sequences that a single-byte page almost never produces by accident (Ã©, Å›, â€™ ...).
_UTF8_TELLTALE = re.compile(rb"[\xc3\xc4\xc5][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENC_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding used). See :func:`decode_html_ex`."""
    text, encoding, _ = decode_html_ex(data, http_charset)
    return text, encoding


def decode_html_ex(data: bytes, http_charset: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a page: BOM, then the declarations (HTTP charset, meta, XML) checked against the bytes.

    * Bytes that are valid UTF-8 (with non-ASCII) are read as UTF-8 whatever is declared: a
      legacy charset declared over UTF-8 bytes (gb2312 over UTF-8) would give garbage or nothing.
    * Mostly-UTF-8 bytes with a few invalid ones (UTF-8 declared over windows-1252 bytes, mixed
      encodings, a truncated character) are decoded per sequence: UTF-8 where valid, the declared
      single-byte charset (else windows-1252) for the rest.
    * Otherwise the first declared charset that decodes cleanly wins, then detection
      (charset-normalizer), then windows-1252 with replacement characters.
    Returns (text, encoding, notes) where notes say what did not match the declarations."""
    notes: list[str] = []
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc.replace("-le", "").replace("-be", ""), notes
    declared = _declared(data, http_charset)
    first = declared[0] if declared else None
    if not re.search(rb"[\x80-\xff]", data):
        return data.decode("ascii"), first or "utf-8", notes
    legacy = next((e for e in declared if e not in ("utf-8",)), None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if first and first != "utf-8":
            notes.append(f"declared {first} but the bytes are UTF-8: read as UTF-8")
        return text, "utf-8", notes
    n_seq = len(_UTF8_SEQ.findall(data))
    n_high = sum(data.count(bytes([b])) for b in range(0x80, 0x100))
    n_bad = n_high - sum(len(m) for m in _UTF8_SEQ.findall(data)) if n_seq else n_high
    single_byte = legacy is None or _is_single_byte(legacy)
    if n_seq and single_byte and (n_seq >= n_bad or len(_UTF8_TELLTALE.findall(data)) >= 3):
        fallback = legacy or "cp1252"
        text = data.decode("utf-8", errors=_fallback_handler(fallback))
        notes.append(f"mixed encodings: {n_seq} UTF-8 sequences and {n_bad} other bytes read as {fallback}"
                     + (f" (declared {first})" if first else ""))
        return text, "utf-8", notes
    for enc in declared:
        if enc == "utf-8":
            continue
        try:
            return data.decode(enc), enc, notes
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        if declared:
            notes.append(f"declared {', '.join(declared)} does not match the bytes: detected {best.encoding}")
        return data.decode(best.encoding, errors="replace"), best.encoding, notes
    notes.append("encoding not recognised: read as windows-1252 with replacement characters")
    return data.decode("cp1252", errors="replace"), "cp1252", notes


def _declared(data: bytes, http_charset: str | None) -> list[str]:
    """Charsets declared by HTTP, the XML declaration and <meta> (charset or http-equiv), in order."""
    out: list[str] = []
    found = [http_charset] if http_charset else []
    head = data[:16384]
    m = _XML_ENC_RE.search(head)
    if m:
        found.append(m.group(1).decode("ascii", "ignore"))
    found += [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET_RE.finditer(head)]
    for enc in found:
        alias = _alias(enc)
        try:
            alias = codecs.lookup(alias).name if alias not in ("windows-1252",) else alias
        except LookupError:
            continue
        if alias in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            alias = "utf-8"  # a UTF-16 declaration in bytes we can read as ASCII is false (WHATWG)
        if alias == "utf_8" or alias == "utf8":
            alias = "utf-8"
        if alias not in out:
            out.append(alias)
    return out


def _alias(enc: str) -> str:
    enc = enc.strip().lower()
    # Browsers treat latin-1 and ascii labels as windows-1252 (WHATWG encoding standard).
    return {"iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", "latin1": "windows-1252",
            "latin-1": "windows-1252", "us-ascii": "windows-1252", "ascii": "windows-1252",
            "cp1252": "windows-1252", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
            "utf8": "utf-8", "unicode": "utf-8", "iso-8859-9": "windows-1254",
            "tis-620": "cp874", "iso-8859-11": "cp874", "ks_c_5601-1987": "euc-kr"}.get(enc, enc)


def _is_single_byte(enc: str) -> bool:
    try:
        return len(bytes(range(0x80, 0x100)).decode(enc, errors="replace")) == 0x80
    except LookupError:
        return False


_HANDLERS: dict[str, str] = {}


def _fallback_handler(enc: str) -> str:
    """A codec error handler that decodes each invalid UTF-8 byte run with a single-byte charset."""
    name = _HANDLERS.get(enc)
    if name is None:
        name = f"planscope-fallback-{enc}"

        def handler(exc: UnicodeDecodeError, _enc=enc):
            chunk = exc.object[exc.start:exc.end]
            return chunk.decode(_enc, errors="replace").replace("\ufffd", "") or "", exc.end

        codecs.register_error(name, handler)
        _HANDLERS[enc] = name
    return name


def not_html(data: bytes) -> str | None:
    """Why these bytes are not a web page (another format's signature, binary), or None."""
    head = data[:4096]
    if b"%PDF-" in head[:1024]:
        return "a PDF document"
    for magic, what in ((b"\x1f\x8b", "gzip-compressed data"), (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT)"),
                        (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
                        (b"\xd0\xcf\x11\xe0", "an OLE document (DOC/XLS)")):
        if head.startswith(magic):
            return what
    if not head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) and head.count(b"\x00") > 8:
        return "binary data"
    return None
