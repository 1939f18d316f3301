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
    held: list[list] = []  # one-sided rows after columns: theirs if the columns go on below them
    for band in bands:
        g = _gutter(band, page_width) if len(band) > 1 else None
        gprev = groups[-1][1] if groups else None
        if g is None and gprev is not None and all(_bb(it)[2] <= gprev or _bb(it)[0] >= gprev for it in band):
            # A row that keeps to one side of the columns' gutter ("Les actions :" over one
            # column's list) continues those columns when both columns go on below it; a row
            # after which they stop (a closing heading on the left) follows them.
            held.append(band)
            continue
        if groups and g is not None and groups[-1][1] is not None:
            merged = groups[-1][0] + [it for h in held for it in h] + band
            g2 = _gutter(merged, page_width)
            if g2 is not None:
                groups[-1] = (merged, g2)
                held = []
                continue
        _settle(groups, held)
        held = []
        groups.append((band, g))
    _settle(groups, held)
    out = []
    for band, g in groups:
        if g is None:
            out += reading_order(band, page_width) if len(bands) > 1 else sorted(band, key=lambda it: _bb(it)[1])
        else:
            left = [it for it in band if _bb(it)[2] <= g]
            right = [it for it in band if _bb(it)[2] > g]
            out += reading_order(left, page_width) + reading_order(right, page_width)
    return out


def _settle(groups: list[tuple[list, float | None]], held: list[list]) -> None:
    """One-sided rows held after columns that stop: those that go on their column's last item
    (close below it, on its left edge) are that column's; the rest follow the columns."""
    k = 0
    while k < len(held) and groups and groups[-1][1] is not None and _goes_on(groups[-1], held[k]):
        groups[-1] = (groups[-1][0] + held[k], groups[-1][1])
        k += 1
    groups.extend((h, None) for h in held[k:])


def _goes_on(group: tuple[list, float | None], band: list) -> bool:
    items, g = group
    side = [it for it in items if (_bb(it)[2] <= g) == (_bb(band[0])[2] <= g)]
    if not side:
        return False
    last = max(side, key=lambda it: _bb(it)[3])
    top = min(_bb(it)[1] for it in band)
    height = max(_bb(it)[3] - _bb(it)[1] for it in band)
    aligned = any(abs(_bb(it)[0] - _bb(b)[0]) <= S.column_edge_tolerance for it in side for b in band)
    return aligned and top - _bb(last)[3] <= max(height, S.column_line_gap)


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
