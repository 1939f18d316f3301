"""The pdfium C functions the pdfium engine calls, with light ctypes prototypes.

Plain pointers as ints: the generated bindings wrap every handle in a typed pointer object, which
costs more than the call itself.
"""
from __future__ import annotations

import ctypes
from ctypes import c_double, c_float, c_int, c_uint, c_void_p


def _get(name: str, argtypes, restype):
    """pdfium's C function ``name`` with the given prototype."""
    from pypdfium2_raw import bindings

    f = bindings._libs["pdfium"][name]  # a fresh function pointer: our own prototype
    f.argtypes, f.restype = argtypes, restype
    return f


LoadPage = _get("FPDFText_LoadPage", (c_void_p,), c_void_p)
ClosePage = _get("FPDFText_ClosePage", (c_void_p,), None)
CountChars = _get("FPDFText_CountChars", (c_void_p,), c_int)
GetText = _get("FPDFText_GetText", (c_void_p, c_int, c_int, c_void_p), c_int)
GetUnicode = _get("FPDFText_GetUnicode", (c_void_p, c_int), c_uint)
LooseBox = _get("FPDFText_GetLooseCharBox", (c_void_p, c_int, c_void_p), c_int)
TextObj = _get("FPDFText_GetTextObject", (c_void_p, c_int), c_void_p)
IsGenerated = _get("FPDFText_IsGenerated", (c_void_p, c_int), c_int)
MapError = _get("FPDFText_HasUnicodeMapError", (c_void_p, c_int), c_int)
FontSize = _get("FPDFText_GetFontSize", (c_void_p, c_int), c_double)
FontInfo = _get("FPDFText_GetFontInfo", (c_void_p, c_int, c_void_p, c_uint, c_void_p), c_uint)
FillColor = _get("FPDFText_GetFillColor", (c_void_p, c_int, c_void_p, c_void_p, c_void_p, c_void_p), c_int)
CharMatrix = _get("FPDFText_GetMatrix", (c_void_p, c_int, c_void_p), c_int)
CountObjects = _get("FPDFPage_CountObjects", (c_void_p,), c_int)
GetObject = _get("FPDFPage_GetObject", (c_void_p, c_int), c_void_p)
ObjType = _get("FPDFPageObj_GetType", (c_void_p,), c_int)
ObjMatrix = _get("FPDFPageObj_GetMatrix", (c_void_p, c_void_p), c_int)
FormCount = _get("FPDFFormObj_CountObjects", (c_void_p,), c_int)
FormObject = _get("FPDFFormObj_GetObject", (c_void_p, c_uint), c_void_p)
SegCount = _get("FPDFPath_CountSegments", (c_void_p,), c_int)
Seg = _get("FPDFPath_GetPathSegment", (c_void_p, c_int), c_void_p)
SegPoint = _get("FPDFPathSegment_GetPoint", (c_void_p, c_void_p, c_void_p), c_int)
SegType = _get("FPDFPathSegment_GetType", (c_void_p,), c_int)
SegClose = _get("FPDFPathSegment_GetClose", (c_void_p,), c_int)

# Page object types and path segment types (fpdf_edit.h).
TEXT, PATH, IMAGE, FORM = 1, 2, 3, 5
LINETO, MOVETO = 0, 2  # (1 is a Bézier segment)


class Rect(ctypes.Structure):
    _fields_ = [("left", c_float), ("top", c_float), ("right", c_float), ("bottom", c_float)]


class Matrix(ctypes.Structure):
    _fields_ = [("a", c_float), ("b", c_float), ("c", c_float), ("d", c_float), ("e", c_float), ("f", c_float)]


class NotModelled(Exception):
    """This page needs the pdfplumber engine."""
