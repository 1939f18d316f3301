"""Reading order of a page's items (blocks and tables): recursive cuts into bands separated by
horizontal gaps, and bands sharing a column gutter read column by column."""
from __future__ import annotations

from planscope.extractors.pdf.settings import SETTINGS as S


def _bb(it):
    """An item's box (blocks and tables both have ``bbox``)."""
    return it.bbox


def reading_order(items: list, page_width: float) -> list:
    """Recursive cuts: rows of items separated by horizontal gaps; consecutive rows sharing a
    column gutter are read column by column."""
    if len(items) <= 1:
        return list(items)
    bands = _split(items, axis=1)
    if len(bands) == 1:
        cut = _gutter(items, page_width)
        if cut is None:
            return sorted(items, key=lambda it: (_bb(it)[1], _bb(it)[0]))
        left = [it for it in items if _bb(it)[2] <= cut]
        right = [it for it in items if _bb(it)[2] > cut]
        return reading_order(left, page_width) + reading_order(right, page_width)
    groups: list[tuple[list, float | None]] = []
    for band in bands:
        g = _gutter(band, page_width) if len(band) > 1 else None
        if groups and g is not None and groups[-1][1] is not None:
            merged = groups[-1][0] + band
            g2 = _gutter(merged, page_width)
            if g2 is not None:
                groups[-1] = (merged, g2)
                continue
        groups.append((band, g))
    out = []
    for band, g in groups:
        if g is None:
            out += reading_order(band, page_width) if len(bands) > 1 else sorted(band, key=lambda it: _bb(it)[1])
        else:
            left = [it for it in band if _bb(it)[2] <= g]
            right = [it for it in band if _bb(it)[2] > g]
            out += reading_order(left, page_width) + reading_order(right, page_width)
    return out


def _split(items: list, axis: int) -> list[list]:
    """Split items into groups separated by gaps along y (axis=1) or x (axis=0)."""
    lo, hi = (1, 3) if axis == 1 else (0, 2)
    order = sorted(items, key=lambda it: _bb(it)[lo])
    groups = [[order[0]]]
    end = _bb(order[0])[hi]
    for it in order[1:]:
        b = _bb(it)
        if b[lo] >= end - S.band_slack:
            groups.append([it])
        else:
            groups[-1].append(it)
        end = max(end, b[hi])
    return groups


def _gutter(items: list, page_width: float) -> float | None:
    """The x of the widest valid vertical gap between items: both sides hold text columns."""
    order = sorted(items, key=lambda it: _bb(it)[0])
    best = None
    end = _bb(order[0])[2]
    for k in range(1, len(order)):
        b = _bb(order[k])
        if b[0] - end >= S.min_gutter:
            left, right = order[:k], order[k:]
            wl = max(_bb(it)[2] - _bb(it)[0] for it in left)
            wr = max(_bb(it)[2] - _bb(it)[0] for it in right)
            if min(wl, wr) >= S.column_min_width * page_width and (best is None or b[0] - end > best[0]):
                best = (b[0] - end, (end + b[0]) / 2)
        end = max(end, b[2])
    return best[1] if best else None
