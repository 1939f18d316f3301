"""The ZIP and OLE2 containers of Office files: which format is inside, and the bomb guard.

Office Open XML (DOCX, XLSX…) names its main part's content type in ``[Content_Types].xml``;
OpenDocument stores its media type as the first, uncompressed ``mimetype`` entry. Legacy Word and
Excel files, and password-protected OOXML files, are OLE2 compound files (``D0 CF 11 E0``): the
latter hold ``EncryptionInfo`` and ``EncryptedPackage`` streams instead of the ZIP package.

The guard reads only the ZIP central directory (names and declared sizes) before any library opens
the archive, then inflates every entry once with a running budget, so an entry whose headers
understate its size cannot inflate beyond the budget either.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from planscope.extractors.blocks import ENCRYPTED, FAILED, UNSUPPORTED
from planscope.extractors.office.settings import SETTINGS, OfficeSettings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCM = "application/vnd.ms-word.document.macroEnabled.12"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
OLE = "application/x-ole-storage"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ENCRYPTED_OOXML = "application/x-encrypted-office"  # OLE2 holding an EncryptedPackage

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_TYPES = (DOCX, DOCM)
SHEET_TYPES = (XLSX, XLSM)
MACRO_TYPES = (DOCM, XLSM)

# The main part's content type in [Content_Types].xml → the file's media type.
_MAIN_PARTS = {
    "wordprocessingml.document.main+xml": DOCX,
    "wordprocessingml.template.main+xml": DOCX,
    "ms-word.document.macroenabled.main+xml": DOCM,
    "ms-word.template.macroenabledtemplate.main+xml": DOCM,
    "spreadsheetml.sheet.main+xml": XLSX,
    "spreadsheetml.template.main+xml": XLSX,
    "ms-excel.sheet.macroenabled.main+xml": XLSM,
    "ms-excel.template.macroenabled.main+xml": XLSM,
    "presentationml.presentation.main+xml": PPTX,
}
_ODF_TYPES = {ODT: ODT, ODS: ODS, ODP: ODP, ODT.replace("text", "text-template"): ODT,
              ODS.replace("spreadsheet", "spreadsheet-template"): ODS}
# Part names that tell the format when only the first bytes are at hand (a harvest's head).
_HEAD_PARTS = ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX))
# What zipfile raises on a damaged archive: a bad signature, a truncated directory, an unknown
# "version needed" (NotImplementedError), offsets past the end (ValueError, struct.error)…
ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError, zlib.error,
              KeyError, IndexError)
_CT_RE = re.compile(rb'ContentType="application/vnd\.(?:openxmlformats-officedocument\.)?([^"]+)"', re.I)


class ArchiveRefused(Exception):
    """The archive is refused before (or while) being inflated, with the document status to record:
    ``unsupported`` for a bomb or an oversized archive (refused, as a gzip bomb is), ``failed`` for
    a damaged one, ``encrypted`` for password-protected entries."""

    def __init__(self, reason: str, status: str = UNSUPPORTED):
        super().__init__(reason)
        self.reason, self.status = reason, status


def zip_media(data: bytes, cfg: OfficeSettings = SETTINGS) -> str | None:
    """The Office media type of a ZIP container, or None for another ZIP.

    The whole file: its central directory and the tiny ``mimetype`` / ``[Content_Types].xml``
    entries (size checked first). Only a head (a harvest's first bytes): the local headers in it.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return _head_media(data)
    with zf:
        names = {i.filename: i for i in zf.infolist()[: cfg.max_entries]}
        info = names.get("mimetype")
        if info is not None and info.file_size <= 200:
            try:
                mt = zf.read(info).decode("ascii", "replace").strip()
            except ZIP_ERRORS:
                mt = ""
            return _ODF_TYPES.get(mt, mt or None)
        info = names.get("[Content_Types].xml")
        if info is not None and info.file_size <= cfg.max_content_types:
            try:
                xml = zf.read(info)
            except ZIP_ERRORS:
                xml = b""
            found = _main_part(xml)
            if found:
                return found
        return _by_names(names)


def _main_part(xml: bytes) -> str | None:
    for m in _CT_RE.finditer(xml):
        found = _MAIN_PARTS.get(m.group(1).decode("ascii", "replace").lower())
        if found:
            return found
    return None


def _by_names(names) -> str | None:
    """The format from its part names, when the content types name no main part."""
    if "word/document.xml" in names:
        return DOCM if "word/vbaProject.bin" in names else DOCX
    if "xl/workbook.xml" in names:
        return XLSM if "xl/vbaProject.bin" in names else XLSX
    return None


def _head_media(head: bytes) -> str | None:
    """From local file headers alone (the start of the file): ODF's stored ``mimetype``, or the
    first OOXML part names."""
    if head[30:38] == b"mimetype":
        m = re.match(rb"application/vnd\.oasis\.opendocument\.[a-z-]+", head[38:120])
        if m:
            mt = m.group(0).decode()
            return _ODF_TYPES.get(mt, mt)
    found = _main_part(head)  # a stored (uncompressed) [Content_Types].xml
    if found:
        return found
    for part, media in _HEAD_PARTS:
        if b"PK\x03\x04" in head and part in head:
            return media
    return None


def ole_media(data: bytes) -> str:
    """What an OLE2 compound file holds: an encrypted OOXML package, a Word 97-2003 or Excel
    97-2003 file, or another kind."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises many kinds on a damaged compound file
        return _ole_head_media(data)
    with ole:
        streams = {"/".join(p).lower() for p in ole.listdir(streams=True, storages=True)}
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return ENCRYPTED_OOXML
    if "worddocument" in streams:
        return DOC
    if "workbook" in streams or "book" in streams:
        return XLS
    return OLE


def _ole_head_media(data: bytes) -> str:
    """Stream names in UTF-16, when the compound file cannot be parsed (a head, a truncation)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ENCRYPTED_OOXML
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data:
        return XLS
    return OLE


def check_archive(data: bytes, cfg: OfficeSettings = SETTINGS) -> None:
    """Raise ArchiveRefused for an archive a reader must not open: too many entries, a declared
    total beyond the budget, a bomb-like ratio, or entries inflating past what they declare."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ArchiveRefused(f"damaged ZIP container: {exc}", FAILED) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > cfg.max_entries:
            raise ArchiveRefused(f"archive with {len(infos)} entries (limit {cfg.max_entries})")
        total = sum(i.file_size for i in infos)
        if total > cfg.max_total_uncompressed:
            raise ArchiveRefused(f"archive inflating to {total // 2**20} MB (limit "
                                 f"{cfg.max_total_uncompressed // 2**20} MB): decompression bomb?")
        for i in infos:
            if i.file_size >= cfg.ratio_min_size and i.file_size > cfg.max_entry_ratio * max(i.compress_size, 1):
                raise ArchiveRefused(f"entry {i.filename[:80]!r} inflates {i.file_size // max(i.compress_size, 1)}"
                                     f" times (limit {cfg.max_entry_ratio:.0f}): decompression bomb?")
        _inflate_all(zf, infos, cfg)


def _inflate_all(zf: zipfile.ZipFile, infos, cfg: OfficeSettings) -> None:
    """Inflate each entry once, in chunks, under the total budget; zipfile stops an entry at its
    declared size and checks its CRC, so lying headers end here rather than inside a reader."""
    budget = cfg.max_total_uncompressed
    for i in infos:
        if i.is_dir():
            continue
        if i.flag_bits & 0x1:  # ZIP's own entry encryption (a "password required" archive)
            raise ArchiveRefused(f"ZIP entry {i.filename[:80]!r} is password-protected", ENCRYPTED)
        try:
            with zf.open(i) as fh:
                while True:
                    chunk = fh.read(cfg.inflate_chunk)
                    if not chunk:
                        break
                    budget -= len(chunk)
                    if budget < 0:
                        raise ArchiveRefused("archive inflating beyond its budget: decompression bomb?")
        except ArchiveRefused:
            raise
        except ZIP_ERRORS as exc:
            raise ArchiveRefused(f"damaged ZIP entry {i.filename[:80]!r}: {exc}", FAILED) from None
