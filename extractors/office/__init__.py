"""Office documents → blocks: Word, OpenDocument text, spreadsheets (XLSX/XLSM, ODS) and CSV.

``extract_office`` guards the container first (``container.check_archive``: entry count, declared
sizes, ratio, then a budgeted inflate) and only then lets a library open it. Legacy binary files
(``.doc``, ``.xls``) are ``unsupported`` with that reason; a password-protected OOXML file is
``encrypted``, as an encrypted PDF; a macro-enabled file is read (its macros are neither read nor
run) and keeps status ``ok`` with a reason and a warning saying so.
"""
from __future__ import annotations

from planscope.extractors.blocks import ENCRYPTED, FAILED, PARTIAL, UNSUPPORTED, Extraction
from planscope.extractors.office import container as C
from planscope.extractors.version import EXTRACTOR_VERSION

OFFICE_TYPES = (C.DOCX, C.DOCM, C.XLSX, C.XLSM, C.ODT, C.ODS)
BINARY_TYPES = (C.OLE, C.DOC, C.XLS, C.ENCRYPTED_OOXML)
MACRO_REASON = "macro-enabled file: its content was read; its macros were neither read nor run"
MAX_MESSAGE = 300


def extract_office(data: bytes, source: str, media: str) -> Extraction:
    """Read one Office container of the sniffed ``media`` type; never raises for bad input."""
    ex = Extraction(source=source, media_type=media, extractor=_name(media), extractor_version=EXTRACTOR_VERSION)
    if media in BINARY_TYPES:
        ex.status, ex.reason = _binary_status(media)
        return ex
    try:
        C.check_archive(data)
    except C.ArchiveRefused as exc:
        ex.status, ex.reason = exc.status, exc.reason
        return ex
    try:
        if media in C.WORD_TYPES:
            from planscope.extractors.office.docx import read_docx
            read_docx(data, ex)
        elif media == C.ODT:
            from planscope.extractors.office.odt import read_odt
            read_odt(data, ex)
        elif media in C.SHEET_TYPES:
            from planscope.extractors.office.sheets import read_xlsx
            read_xlsx(data, ex)
        elif media == C.ODS:
            from planscope.extractors.office.sheets import read_ods
            read_ods(data, ex)
        else:
            ex.status, ex.reason = UNSUPPORTED, f"Office container of an unread kind ({media})"
            return ex
    except RecursionError:
        raise  # extract_bytes records it (nesting too deep)
    except Exception as exc:  # noqa: BLE001 - each library has its own errors for a damaged part
        # (python-docx PackageNotFoundError, openpyxl InvalidFileException, lxml XMLSyntaxError, expat,
        # KeyError for a missing part…): the file is damaged, whatever the library calls it.
        ex.blocks = []
        ex.status, ex.reason = FAILED, f"damaged {_kind(media)} file: {type(exc).__name__}: {exc}"[:MAX_MESSAGE]
        return ex
    if media in C.MACRO_TYPES:
        ex.reason = MACRO_REASON
        ex.warnings.append(MACRO_REASON)
    if not ex.blocks and ex.status == PARTIAL:
        ex.status = FAILED  # damaged before anything could be read
    elif not ex.blocks and ex.status not in (FAILED, UNSUPPORTED):
        ex.status, ex.reason = UNSUPPORTED, f"no readable text in the {_kind(media)} file (empty document)"
    return ex


def _binary_status(media: str) -> tuple[str, str]:
    if media == C.ENCRYPTED_OOXML:
        return ENCRYPTED, "password-protected Office file (an encrypted package): a password is required"
    if media == C.DOC:
        return UNSUPPORTED, "legacy Word 97-2003 file (.doc): only DOCX and ODT are read; save it as DOCX"
    if media == C.XLS:
        return UNSUPPORTED, "legacy Excel 97-2003 file (.xls): only XLSX and ODS are read; save it as XLSX"
    return UNSUPPORTED, "OLE2 compound file of another kind (not a Word, Excel or encrypted Office file)"


def _kind(media: str) -> str:
    return {C.DOCX: "DOCX", C.DOCM: "DOCM", C.XLSX: "XLSX", C.XLSM: "XLSM", C.ODT: "ODT",
            C.ODS: "ODS"}.get(media, "Office")


def _name(media: str) -> str:
    return "planscope-" + _kind(media).lower()


__all__ = ["OFFICE_TYPES", "BINARY_TYPES", "extract_office"]
