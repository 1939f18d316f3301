"""Action sheets ("fiches action") that detail actions a plan has already listed.

A plan often lists its actions in a summary (a table, a list) and then gives each one a sheet
whose title is a field ("Intitulé de l'action : …"). The field's name is not part of the title,
and a sheet whose action the summary already holds is that action again, not a new one: it keeps
the place the summary gave it and lends it what the summary lacked (owner, deadline, indicators).
"""
from __future__ import annotations

import re

from planscope.models.records import Record
from planscope.pipeline.structure.lexicon import fold

# "Intitulé de l'action : …", "Nom du projet : …": a field naming the record, not its title.
TITLE_FIELD_RE = re.compile(r"^(?:intitul[ée]|libell[ée]|nom|titre)(?:\s+(?:de\s+l['’]|du|de\s+la|des)\s*"
                            r"(?:action|projet|mesure|fiche|opération))?\s*:\s*(?=\S)", re.I)
MIN_SHEET_TITLE_WORDS = 4  # shorter titles ("Sensibiliser le public") recur as distinct actions
LENT_FIELDS = ("description", "responsible", "deadline", "status", "partners", "budget")


def strip_title_field(title: str) -> str:
    """"Intitulé de l'action : Rénover l'école" → "Rénover l'école"."""
    m = TITLE_FIELD_RE.match(title)
    return title[m.end():] if m else title


def merge_sheets(records: list[Record]) -> list[Record]:
    """Title fields stripped; an action whose long title an earlier action already bears is that
    action's sheet: merged into it (children follow)."""
    first: dict[str, Record] = {}
    alias: dict[str, str] = {}
    out: list[Record] = []
    for r in records:
        r.title = strip_title_field(r.title)
        r.parent = alias.get(r.parent, r.parent)
        key = fold(r.title)
        if r.level == "action" and len(key.split()) >= MIN_SHEET_TITLE_WORDS:
            earlier = first.get(key)
            if earlier is not None:
                alias[r.id] = earlier.id
                for f in LENT_FIELDS:
                    if not getattr(earlier, f) and getattr(r, f):
                        setattr(earlier, f, getattr(r, f))
                earlier.indicators.extend(i for i in r.indicators if i not in earlier.indicators)
                continue
            first[key] = r
        out.append(r)
    return out
