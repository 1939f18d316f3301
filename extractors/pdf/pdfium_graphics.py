"""A page's vector graphics read with pdfium, listed as pdfminer lists them (lines, rects, curves)
and turned into pdfplumber's edges, so that pdfplumber's TableFinder runs on them unchanged."""
from __future__ import annotations

from ctypes import byref, c_float

from planscope.extractors.pdf import pdfium_api as api
from planscope.extractors.pdf.settings import SETTINGS as S


def _mul(m, n):
    """m then n (PDF row-vector convention): the matrix of m's space in n's parent space."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(handle, count, get, matrix, depth, out, images):
    """Path objects (with their page matrix) into ``out``, images counted, form XObjects entered."""
    mat = api.Matrix()
    for k in range(count(handle)):
        obj = get(handle, k)
        t = api.ObjType(obj)
        if t == api.PATH:
            api.ObjMatrix(obj, byref(mat))
            m = (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)
            out.append((obj, _mul(m, matrix) if matrix is not None else m))
        elif t == api.IMAGE:
            images[0] += 1
        elif t == api.FORM and depth < S.form_depth:
            api.ObjMatrix(obj, byref(mat))
            m = (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)
            _walk(obj, api.FormCount, api.FormObject, _mul(m, matrix) if matrix is not None else m, depth + 1, out,
                  images)


def _subpaths(obj, m, height: float) -> list[tuple[list, str, bool]]:
    """(points, shape such as "mlll", closed) of each subpath of a path object, top-based."""
    a, b, c, d, e, f = m
    fx, fy = c_float(), c_float()
    subs: list[tuple[list, str, bool]] = []
    pts: list = []
    shape = ""
    closed = False
    for s in range(api.SegCount(obj)):
        seg = api.Seg(obj, s)
        api.SegPoint(seg, byref(fx), byref(fy))
        x, y = fx.value, fy.value
        # Rounded: pdfium's float32 must not turn a horizontal rule into a slanted one.
        pt = (round(a * x + c * y + e, S.point_digits), round(height - (b * x + d * y + f), S.point_digits))
        typ = api.SegType(seg)
        if typ == api.MOVETO:
            if pts:
                subs.append((pts, shape, closed))
            pts, shape, closed = [pt], "m", False
        else:
            if not pts:
                pts, shape = [pt], "m"
                continue
            pts.append(pt)
            shape += "l" if typ == api.LINETO else "c"
        if api.SegClose(seg):
            closed = True
    if pts:
        subs.append((pts, shape, closed))
    return subs


def page_graphics(page_raw, height: float) -> tuple[list[dict], list[dict], list[dict], int]:
    """(lines, rects, curves, image count) as pdfplumber/pdfminer would list them (top-based)."""
    paths: list = []
    images = [0]
    _walk(page_raw, api.CountObjects, api.GetObject, None, 0, paths, images)
    lines, rects, curves = [], [], []
    for obj, m in paths:
        for pts, shape, closed in _subpaths(obj, m, height):
            _classify(pts, shape + ("h" if closed else ""), lines, rects, curves)
    for o in lines + rects + curves:
        o["y0"], o["y1"] = height - o["bottom"], height - o["top"]
    return lines, rects, curves, images[0]


def _near(a: float, b: float) -> bool:
    """Two coordinates of one point (float32 noise apart)."""
    return abs(a - b) < S.point_eps


def _same(p, q) -> bool:
    """Two points that are one."""
    return _near(p[0], q[0]) and _near(p[1], q[1])


def _bbox_obj(kind: str, pts: list) -> dict:
    """A pdfminer-style graphic object (line, rect, curve) around the points."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "pts": pts}


def _classify(pts, shape, lines, rects, curves) -> None:
    """pdfminer's rule: "ml" is a line; an axis-aligned "mlllh"/"mllll" box is a rect; else a curve."""
    if len(pts) < 2:
        return
    if shape.endswith("h") and len(pts) >= 3 and _same(pts[-1], pts[0]):
        # pdfium spells "re" / "... h" with an explicit line back to the start, pdfminer does not.
        pts, shape = pts[:-1], shape[:-2] + "h"
    if shape in ("ml", "mlh"):
        lines.append(_bbox_obj("line", pts[:2]))
        return
    if shape in ("mlllh", "mllll", "mlll"):
        p = pts[:4]
        closes = shape == "mlllh" or (len(pts) >= 5 and _same(pts[4], pts[0]))
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p
        q = _near
        axis = (q(x0, x1) and q(y1, y2) and q(x2, x3) and q(y3, y0)) or \
            (q(y0, y1) and q(x1, x2) and q(y2, y3) and q(x3, x0))
        if closes and axis:
            rects.append(_bbox_obj("rect", p))
            return
    curves.append(_bbox_obj("curve", pts if not shape.endswith("h") else pts + [pts[0]]))


def graphics_to_edges(lines, rects, curves) -> list[dict]:
    """pdfplumber's edges of the listed lines, rects and curves."""
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    return [line_to_edge(l) for l in lines] + [e for r in rects for e in rect_to_edges(r)] + \
        [e for c in curves for e in curve_to_edges(c)]
