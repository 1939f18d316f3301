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
        rows = [{"key": k, "value": v} for k, v in rows.items()]
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: csv_safe(r.get(c)) for c in cols})
        return buf.getvalue().rstrip("\n")
    return table(rows, cols)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): OWASP's advice
# is to prefix such text with a single quote, which the spreadsheet shows as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, with a leading quote."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_safe(v: Any) -> str:
    """A CSV cell: numbers as they are (-1 stays a number), text that could be a formula neutralised."""
    text = _cell(v)
    return neutralise(text) if isinstance(v, (str, dict, list)) else text


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, dict):  # e.g. stats' statuses: « ok: 11, partial: 2 », not raw JSON
        return ", ".join(f"{k}: {_cell(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(_cell(x) for x in v)
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
