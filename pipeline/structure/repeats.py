"""Parts a plan prints twice, and fields run into a title.

A plan often lists its parts before it details them: a summary of its axes before their
sections, a table of its actions before one sheet per action ("fiche action", whose title is a
field: "Intitulé de l'action : …"). The second printing is the same part. A summary entry (a
numbered record with nothing under it, printed again later with its content) gives way to the
later one; a sheet whose action an earlier record already bears is merged into it, lending what
the first lacked (owner, deadline, indicators). A field label run into a heading ("OO 1.1
Améliorer… Indicateur : taux…") ends the title and starts that field.
"""
from __future__ import annotations

import re
from functools import lru_cache

from planscope.models.records import LEVEL_RANK, Indicator, Record
from planscope.pipeline.structure.levels import label_case, parse_label, singular_label
from planscope.pipeline.structure.lexicon import Lexicon, fold, lexicon

MIN_SHEET_TITLE_WORDS = 4  # shorter titles ("Sensibiliser le public") recur as distinct actions
SUMMARY_KEY_WORDS = 4  # a summary may cut a long title ("… un cadre de…"): its opening words decide
MIN_TITLE_WORDS_BEFORE_FIELD = 2  # "Indicateur : …" opening a line is a field line, not a run-in one
LENT_FIELDS = ("description", "responsible", "deadline", "status", "partners", "budget")


@lru_cache(maxsize=4)
def _title_field_re(lex: Lexicon) -> re.Pattern:
    """"Intitulé de l'action :", "Nom du projet :": a field naming the record (the title heads of
    data/lexicon.json, column_title_heads), then what it names."""
    heads = "|".join(re.escape(h) for h in sorted(lex.data.get("column_title_heads", []), key=len, reverse=True))
    return re.compile(rf"^(?:{heads})(?:\s+(?:de\s+l['’]|de\s+la|du|des|de)\s*[^\W\d_]+)?\s*:\s*(?=\S)", re.I)


def strip_title_field(title: str, lex: Lexicon | None = None) -> str:
    """"Intitulé de l'action : Rénover l'école" → "Rénover l'école"."""
    m = _title_field_re(lex or lexicon()).match(title)
    return title[m.end():] if m else title


@lru_cache(maxsize=4)
def _field_re(lex: Lexicon) -> re.Pattern:
    words = sorted({w for ws in lex.data["attributes"].values() for w in ws}, key=len, reverse=True)
    alt = "|".join(re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\s(?P<label>{alt})(?:\(s\))?\s*:\s*(?P<value>\S.*)$", re.I)


def split_run_in_fields(records: list[Record], lex: Lexicon) -> None:
    """"Améliorer la sécurité Indicateur : taux d'accidents" → the title, and the indicator."""
    field_re = _field_re(lex)
    attr_of = {fold(w): a for a, ws in lex.data["attributes"].items() for w in ws}
    for r in records:
        m = field_re.search(r.title)
        if not m or len(r.title[:m.start()].split()) < MIN_TITLE_WORDS_BEFORE_FIELD:
            continue
        attr = attr_of.get(fold(m.group("label")))
        value = m.group("value").strip()
        r.title = r.title[:m.start()].rstrip(" –—-:;,")
        if attr == "indicator":
            r.indicators.append(Indicator(label=m.group("label"), text=value))
        elif attr and hasattr(r, attr) and not getattr(r, attr):
            setattr(r, attr, value)


def split_label_after_number(records: list[Record], lex: Lexicon) -> None:
    """"1.1 Orientation – Soutenir l'emploi": the number came first, the label after it; the
    title is what follows the label."""
    for r in records:
        if not r.number:
            continue
        lab = parse_label(r.title, lex)
        if lab is not None and lab.hit.kind == "level" and lab.number is None and lab.title and lab.separated:
            r.title = lab.title
            r.label = r.label or label_case(singular_label(lab.text))


def _key(r: Record) -> str:
    return " ".join(fold(r.title).split()[:SUMMARY_KEY_WORDS])


def drop_summary_entries(records: list[Record]) -> list[Record]:
    """A numbered axis or orientation with nothing under it, printed again later at the same level
    with the same label and number and the same opening words: the first was the summary's entry.
    Actions have nothing under them by nature, and lists that restart their numbers under each
    objective repeat "1", "2", "3": they are left to the sheet rule."""
    has_child = {r.parent for r in records if r.parent}
    later: dict[tuple, int] = {}
    for k, r in enumerate(records):
        if r.number and r.level != "action":
            later[(r.level, r.label, r.number, _key(r))] = k
    return [r for k, r in enumerate(records)
            if not (r.number and r.level != "action" and r.id not in has_child
                    and later.get((r.level, r.label, r.number, _key(r)), k) > k)]


def merge_sheets(records: list[Record], lex: Lexicon | None = None) -> list[Record]:
    """Title fields stripped; an action whose long title an earlier action already bears is that
    action's sheet: merged into it (children follow)."""
    first: dict[str, Record] = {}
    alias: dict[str, str] = {}
    out: list[Record] = []
    for r in records:
        r.title = strip_title_field(r.title, lex)
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


REFERENCE_CHARS = 120  # where a sheet states the objective it serves: its first fields


def place_by_reference(records: list[Record]) -> None:
    """An action sheet that names the objective it serves at the head of its text ("Lot 1 Objectif
    de développement 1.1 Le projet consiste…") sits under that objective, when what it sits under
    now is no labelled record of that level (a chapter heading, the axis). A labelled parent of
    the right level stays: the sheet may cite another objective in passing."""
    by_ref = {(fold(r.label), r.number): r for r in records
              if r.label and r.number and r.level != "action"}
    if not by_ref:
        return
    by_id = {r.id: r for r in records}
    for r in records:
        if r.level != "action" or not r.description:
            continue
        head = " " + " ".join(fold(r.description[:REFERENCE_CHARS]).split()) + " "
        cited = [t for (label, number), t in by_ref.items() if f" {label} {number} " in head]
        if len(cited) != 1:
            continue
        target, parent = cited[0], by_id.get(r.parent or "")
        if parent is target or LEVEL_RANK[target.level] >= LEVEL_RANK[r.level]:
            continue
        if parent is None or not parent.label or LEVEL_RANK[parent.level] < LEVEL_RANK[target.level]:
            r.parent = target.id


def settle_repeats(records: list[Record], lex: Lexicon) -> list[Record]:
    """Every pass of this module, in order."""
    split_run_in_fields(records, lex)
    split_label_after_number(records, lex)
    out = merge_sheets(drop_summary_entries(records), lex)
    place_by_reference(out)
    return out
