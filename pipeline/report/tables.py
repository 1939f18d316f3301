"""Output shared by every command that prints data: a terminal table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
import shutil
from typing import Any, Iterable

FORMATS = ("table", "json", "csv")


def render(rows: list[dict[str, Any]] | dict[str, Any], fmt: str, columns: Iterable[str] | None = None) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str)
    if isinstance(rows, dict):
        rows = [{"key": k, "value": v if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False)}
                for k, v in rows.items()]
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: _cell(r.get(c)) for c in cols})
        return buf.getvalue().rstrip("\n")
    return table(rows, cols)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def table(rows: list[dict[str, Any]], cols: list[str], width: int | None = None) -> str:
    """A plain aligned table that fits the terminal (100 columns when not a terminal)."""
    if not cols:
        return "(no rows)"
    width = width or min(shutil.get_terminal_size((100, 20)).columns, 160)
    cells = [[_cell(r.get(c)).replace("\n", " ") for c in cols] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    budget = width - 2 * (len(cols) - 1)
    while sum(widths) > budget and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    fit = lambda s, w: s if len(s) <= w else s[: max(w - 1, 0)] + "…"
    lines = ["  ".join(fit(c, w).ljust(w) for c, w in zip(cols, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(fit(v, w).ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)
