"""What changed between two versions of a plan: records added, removed, retitled, moved.

Versions are numbered per source (plan.version). Records of the two versions are paired on the
same level: first by the same folded title, then (for those left) by the same number under the
same parent, then by a similar title (difflib ratio ≥ 0.6) under the same parent. A pair whose
titles differ is *retitled*; a pair whose parent (by its title) differs is *moved*; records left
unpaired are *added* (in the newer version) or *removed*.
"""
from __future__ import annotations

import difflib

from sqlalchemy import text
from sqlalchemy.engine import Engine

from planscope.pipeline.structure.lexicon import fold

LEVEL_FR = {"axis": "axe", "orientation": "orientation", "action": "action"}


class DiffError(Exception):
    """An expected failure: one line for the user."""


def _records(conn, plan_id: int) -> list[dict]:
    rows = conn.execute(text(
        "SELECT r.id, r.level, r.number, r.title, p.title AS parent_title FROM record r "
        "LEFT JOIN record p ON p.id = r.parent_id WHERE r.plan_id = :p ORDER BY r.position"), {"p": plan_id})
    return [{"id": r.id, "level": r.level, "number": r.number, "title": r.title, "parent": r.parent_title}
            for r in rows]


def _key(title: str | None) -> str:
    return " ".join(fold(title or "").split())


def diff_records(old: list[dict], new: list[dict]) -> dict:
    left, right = list(old), list(new)
    pairs: list[tuple[dict, dict]] = []

    def pair(match) -> None:
        for a in list(left):
            for b in right:
                if a["level"] == b["level"] and match(a, b):
                    pairs.append((a, b))
                    left.remove(a)
                    right.remove(b)
                    break

    pair(lambda a, b: _key(a["title"]) == _key(b["title"]))
    same_parent = lambda a, b: _key(a["parent"]) == _key(b["parent"])  # noqa: E731
    pair(lambda a, b: bool(a["number"]) and a["number"] == b["number"] and same_parent(a, b))
    pair(lambda a, b: same_parent(a, b)
         and difflib.SequenceMatcher(None, _key(a["title"]), _key(b["title"])).ratio() >= 0.6)
    out = {"added": [_brief(b) for b in right], "removed": [_brief(a) for a in left], "retitled": [], "moved": []}
    for a, b in sorted(pairs, key=lambda p: new.index(p[1])):
        if _key(a["title"]) != _key(b["title"]):
            out["retitled"].append({**_brief(b), "old_title": a["title"]})
        if _key(a["parent"]) != _key(b["parent"]):
            out["moved"].append({**_brief(b), "old_parent": a["parent"], "parent": b["parent"]})
    return out


def _brief(r: dict) -> dict:
    return {"level": r["level"], "number": r["number"], "title": r["title"]}


def plan_diff(engine: Engine, org: str, source: str | None = None, old: int | None = None,
              new: int | None = None) -> dict:
    """The diff between versions ``old`` and ``new`` of ORG's plan (default: the current version
    and the one before it). With several sources, ``source`` (a location or part of one) picks one;
    by default the source of the organisation's benchmark plan."""
    from planscope.pipeline.report.benchmark import BenchmarkError, reference_plans, resolve_org

    with engine.connect() as conn:
        try:
            target = resolve_org(conn, org)
        except BenchmarkError as exc:
            raise DiffError(str(exc)) from None
        plans = conn.execute(text(
            "SELECT p.id, p.version, p.is_current, p.title, p.source_id, s.location FROM plan p "
            "JOIN source s ON s.id = p.source_id WHERE p.organization_id = :o ORDER BY p.source_id, p.version"),
            {"o": target.id}).all()
        if not plans:
            raise DiffError(f"{target.name} has no plan in this database")
        sources = {p.source_id: p.location for p in plans}
        if source:
            chosen = [sid for sid, loc in sources.items() if loc == source] or \
                     [sid for sid, loc in sources.items() if source in loc]
            if len(chosen) != 1:
                raise DiffError(f"--source {source!r} matches {len(chosen)} of {target.name}'s sources: "
                                + ", ".join(sorted(sources.values())))
            sid = chosen[0]
        elif len(sources) == 1:
            sid = next(iter(sources))
        else:
            ref = reference_plans(conn).get(target.id)
            ref_source = next((p.source_id for p in plans if ref and p.id == ref["plan_id"]), None)
            sid = ref_source or max(sources, key=lambda s: sum(p.source_id == s for p in plans))
        versions = {p.version: p for p in plans if p.source_id == sid}
        current = next((v for v, p in versions.items() if p.is_current), max(versions))
        new = new if new is not None else current
        if old is None:
            older = [v for v in versions if v < new]
            if not older:
                raise DiffError(f"{target.name} ({sources[sid]}) has only version {new}: nothing to compare "
                                f"(versions: {', '.join(map(str, sorted(versions)))})")
            old = max(older)
        for v in (old, new):
            if v not in versions:
                raise DiffError(f"{target.name} ({sources[sid]}) has no version {v} "
                                f"(versions: {', '.join(map(str, sorted(versions)))})")
        changes = diff_records(_records(conn, versions[old].id), _records(conn, versions[new].id))
    return {"organization": target.name, "source": sources[sid], "from": old, "to": new, "current": current,
            "versions": sorted(versions), **changes,
            "counts": {k: len(changes[k]) for k in ("added", "removed", "retitled", "moved")}}


def _label(r: dict) -> str:
    num = f" {r['number']}" if r.get("number") else ""
    return f"{LEVEL_FR.get(r['level'], r['level'])}{num} « {r['title']} »"


def render_diff(d: dict) -> str:
    """A short French report."""
    c = d["counts"]
    head = (f"{d['organization']} — {d['source']} : version {d['from']} → version {d['to']}"
            + (" (courante)" if d["to"] == d["current"] else ""))
    lines = [head, f"{c['added']} ajouté(s), {c['removed']} retiré(s), {c['retitled']} renommé(s), "
                   f"{c['moved']} déplacé(s)"]
    if not any(c.values()):
        lines.append("aucun changement dans les fiches")
    lines += [f"+ {_label(r)}" for r in d["added"]]
    lines += [f"- {_label(r)}" for r in d["removed"]]
    lines += [f"~ {_label(r)}, auparavant « {r['old_title']} »" for r in d["retitled"]]
    lines += [f"> {_label(r)} : sous « {r['old_parent'] or '(racine)'} » → sous « {r['parent'] or '(racine)'} »"
              for r in d["moved"]]
    return "\n".join(lines)
