"""Benchmark one organisation's plan against a peer group.

The heavy work is SQL aggregates (records per level, practices, themes per plan), run once for
the target's and the peers' plans. Similar actions use TF-IDF cosine (:mod:`.similarity`) between the
target's actions and at most `max_peer_actions` peer actions, taken evenly across the
`max_similarity_peers` peers whose theme profile is closest to the target's and, within a peer,
those sharing the most top themes with the target first.

One plan represents an organisation: among the current plans of its sources (plan.is_current: the
plan of the bytes each source serves now, under the newest rules), the plan whose period ends last
(then the one with most actions, then the newest row).
The French rendering of the result (terminal table, CSV rows) is :mod:`.benchmark_text`; the
HTML report is :mod:`.html`.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine

from planscope.pipeline.structure.lexicon import fold
from planscope.pipeline.normalise.records import org_identity
from planscope.pipeline.report.similarity import tfidf

LEVELS = ("axis", "orientation", "action")
PRACTICES = (("with_indicator", "actions avec un indicateur"), ("with_deadline", "actions avec une échéance"),
             ("with_owner", "actions avec un responsable"))
LEVEL_LABELS = {"axis": "axes", "orientation": "orientations", "action": "actions"}



class BenchmarkError(ValueError):
    pass


@dataclass
class Org:
    id: int
    name: str
    org_type: str | None
    region: str | None
    population: int | None


def _orgs(conn: Connection) -> dict[int, Org]:
    return {r.id: Org(r.id, r.name, r.org_type, r.region, r.population) for r in conn.execute(text(
        "SELECT id, name, org_type, region, population FROM organization"))}


def resolve_org(conn: Connection, name: str, orgs: dict[int, Org] | None = None) -> Org:
    """By folded identity (org_identity), else exact name, else a unique name containing the text."""
    orgs = orgs or _orgs(conn)
    _, _, key = org_identity(name)
    row = conn.execute(text("SELECT id FROM organization WHERE key = :k"), {"k": key}).first()
    if row:
        return orgs[row.id]
    want = fold(name).strip()
    exact = [o for o in orgs.values() if fold(o.name) == want]
    if len(exact) == 1:
        return exact[0]
    core = key.split(":", 1)[1]
    by_core = [o for o in orgs.values() if org_identity(o.name, o.org_type)[2].split(":", 1)[1] == core]
    if len(by_core) == 1:
        return by_core[0]
    partial = [o for o in orgs.values() if want in fold(o.name)]
    if len(partial) == 1:
        return partial[0]
    hint = ", ".join(sorted(o.name for o in (by_core or partial))[:8])
    raise BenchmarkError(f"aucune organisation ne correspond seule à « {name} »"
                         + (f" (candidates : {hint})" if hint else " ; `planscope query \"select name from "
                            "organization\"` les liste"))


def reference_plans(conn: Connection) -> dict[int, dict]:
    """organization id → its reference plan (see module doc)."""
    rows = conn.execute(text("""
        SELECT p.id, p.organization_id, p.source_id, p.version, p.title, p.period_start, p.period_end,
               (SELECT count(*) FROM record r WHERE r.plan_id = p.id AND r.level = 'action') AS actions
        FROM plan p WHERE p.organization_id IS NOT NULL AND p.is_current""")).all()
    best: dict[int, tuple] = {}
    for r in rows:
        rank = (r.period_end if r.period_end is not None else -1, r.actions, r.id)
        if r.organization_id not in best or rank > best[r.organization_id][0]:
            best[r.organization_id] = (rank, {"plan_id": r.id, "title": r.title, "period_start": r.period_start,
                                              "period_end": r.period_end, "version": r.version})
    return {org: plan for org, (_, plan) in best.items()}


def choose_peers(conn: Connection, target: Org, peers: str, min_peers: int, orgs: dict[int, Org],
                 plans: dict[int, dict]) -> tuple[list[Org], dict]:
    """The peer group and how it was chosen (basis, fallback and a message saying so)."""
    others = [o for o in orgs.values() if o.id != target.id and o.id in plans]
    asked = peers.strip()
    info = {"asked": asked, "basis": asked.lower(), "fallback": False, "message": "", "unknown": []}
    if asked.lower() == "type":
        chosen = [o for o in others if target.org_type and o.org_type == target.org_type]
        what = f"de type « {target.org_type} »" if target.org_type else "(type de la cible inconnu)"
    elif asked.lower() == "region":
        chosen = [o for o in others if target.region and fold(o.region or "") == fold(target.region)]
        what = f"de la région « {target.region} »" if target.region else "(région de la cible inconnue)"
    elif asked.lower() == "all":
        chosen, what = others, "de la base"
    else:
        info["basis"] = "list"
        chosen, what = [], "nommée(s)"
        for name in [n.strip() for n in asked.split(",") if n.strip()]:
            try:
                o = resolve_org(conn, name, orgs)
            except BenchmarkError:
                info["unknown"].append(name)
                continue
            if o.id == target.id:
                continue
            if o.id not in plans:
                info["unknown"].append(f"{name} (no plan)")
                continue
            if o not in chosen:
                chosen.append(o)
        min_peers = 1 if asked else min_peers
    chosen.sort(key=lambda o: o.name)
    if len(chosen) < min_peers:
        info["fallback"] = True
        info["basis"] = "all"
        found = ", ".join(o.name for o in chosen) or "aucune"
        names = ", ".join(o.name for o in sorted(others, key=lambda o: o.name)[:10])
        more = f" et {plural(len(others) - 10, 'autre')}" if len(others) > 10 else ""
        few = _orgs_phrase(len(chosen), "autre organisation avec un plan", "autres organisations avec un plan")
        info["message"] = (f"{few} {what} ({found}) ; il en faut au moins {min_peers}. "
                           f"Comparaison faite avec {_all_others(len(others))} : {names}{more}.")
        if info["unknown"]:
            info["message"] += f" Introuvable(s) : {', '.join(info['unknown'])}."
        chosen = sorted(others, key=lambda o: o.name)
    else:
        info["message"] = f"Comparaison avec {plural(len(chosen), 'organisation')} {what}."
        if info["unknown"]:
            info["message"] += f" Introuvable(s) : {', '.join(info['unknown'])}."
    return chosen, info


def plural(n: int, word: str, words: str | None = None) -> str:
    """« 1 an », « 2 ans », « 0 an » (French: 0 and 1 take the singular)."""
    return f"{n} {word if abs(n) < 2 else (words or word + 's')}"


def _orgs_phrase(n: int, one: str, many: str) -> str:
    return "Aucune " + one if n == 0 else f"Seulement {n} {one if n == 1 else many}"


def _all_others(n: int) -> str:
    return "la seule autre organisation qui a un plan" if n == 1 else \
        f"les {n} autres organisations qui ont un plan"


def _in(sql: str, *names: str):
    return text(sql).bindparams(*[bindparam(n, expanding=True) for n in names])


def _level_stats(conn: Connection, plan_ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {pid: {lv: 0 for lv in LEVELS} | {p: 0 for p, _ in PRACTICES} for pid in plan_ids}
    for r in conn.execute(_in("""
        SELECT r.plan_id, r.level, count(*) AS n,
               sum(CASE WHEN r.responsible IS NOT NULL AND r.responsible <> '' THEN 1 ELSE 0 END) AS with_owner,
               sum(CASE WHEN r.deadline IS NOT NULL AND r.deadline <> '' THEN 1 ELSE 0 END) AS with_deadline,
               sum(CASE WHEN EXISTS (SELECT 1 FROM indicator i WHERE i.record_id = r.id) THEN 1 ELSE 0 END)
                   AS with_indicator
        FROM record r WHERE r.plan_id IN :plans GROUP BY r.plan_id, r.level""", "plans"), {"plans": plan_ids}):
        d = out[r.plan_id]
        d[r.level] = d.get(r.level, 0) + r.n
        if r.level == "action":
            for p, _ in PRACTICES:
                d[p] = int(getattr(r, p) or 0)
    return out


def _theme_stats(conn: Connection, plan_ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {pid: {} for pid in plan_ids}
    for r in conn.execute(_in("""
        SELECT r.plan_id, rt.theme_code, count(*) AS n
        FROM record r JOIN record_theme rt ON rt.record_id = r.id
        JOIN theme t ON t.code = rt.theme_code AND t.parent IS NULL
        WHERE r.plan_id IN :plans GROUP BY r.plan_id, rt.theme_code""", "plans"), {"plans": plan_ids}):
        out[r.plan_id][r.theme_code] = r.n
    return out


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 3) if values else None


def _share(n: int, total: int) -> float | None:
    return round(n / total, 3) if total else None


def similar_actions(conn: Connection, target_plan: int, peer_plans: dict[int, str], top_k: int = 3,
                    max_peer_actions: int = 3000, min_score: float = 0.1) -> tuple[list[dict], dict]:
    """For each target action, its top_k most similar peer actions (TF-IDF cosine)."""
    import numpy as np

    target = conn.execute(text("""
        SELECT r.id, r.title FROM record r WHERE r.plan_id = :p AND r.level = 'action' ORDER BY r.position"""),
        {"p": target_plan}).all()
    meta = {"peer_actions_considered": 0, "peer_actions_cap": max_peer_actions}
    if not target or not peer_plans:
        return [], meta
    themes = [r.theme_code for r in conn.execute(text("""
        SELECT DISTINCT rt.theme_code FROM record r JOIN record_theme rt ON rt.record_id = r.id
        WHERE r.plan_id = :p"""), {"p": target_plan})] or ["-"]
    per_peer = max(10, max_peer_actions // len(peer_plans))
    cands = conn.execute(_in("""
        SELECT id, plan_id, title FROM (
          SELECT r.id, r.plan_id, r.title,
                 row_number() OVER (PARTITION BY r.plan_id ORDER BY
                   (SELECT count(*) FROM record_theme rt WHERE rt.record_id = r.id AND rt.theme_code IN :themes) DESC,
                   r.id) AS rn
          FROM record r WHERE r.plan_id IN :plans AND r.level = 'action') x
        WHERE rn <= :cap ORDER BY id""", "themes", "plans"),
        {"themes": themes, "plans": list(peer_plans), "cap": per_peer}).all()
    cands = cands[:max_peer_actions]
    meta["peer_actions_considered"] = len(cands)
    out = []
    if not cands:
        return [{"action_id": t.id, "title": t.title, "matches": []} for t in target], meta
    matrix = tfidf([t.title for t in target] + [c.title for c in cands])
    if matrix is None:  # only stop words
        return [{"action_id": t.id, "title": t.title, "matches": []} for t in target], meta
    sims = (matrix[: len(target)] @ matrix[len(target):].T).toarray()
    k = min(top_k, len(cands))
    for i, t in enumerate(target):
        row = sims[i]
        idx = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
        idx = sorted(idx, key=lambda j: (-row[j], cands[j].id))
        matches = [{"organization": peer_plans[cands[j].plan_id], "plan_id": cands[j].plan_id,
                    "action_id": cands[j].id, "title": cands[j].title, "score": round(float(row[j]), 3)}
                   for j in idx if row[j] >= min_score]
        out.append({"action_id": t.id, "title": t.title, "matches": matches})
    return out, meta


def gap_examples(conn: Connection, codes: list[str], peer_plans: list[int], names: dict[int, str],
                 per_theme: int = 3) -> dict[str, list[dict]]:
    """For each theme the target lacks, a few peer actions tagged with it: the first action of each
    peer plan, peers in the given order (closest theme profile first), one per organisation."""
    out: dict[str, list[dict]] = {c: [] for c in codes}
    if not codes or not peer_plans:
        return out
    rank = {pid: i for i, pid in enumerate(peer_plans)}
    rows = conn.execute(_in("""
        SELECT id, plan_id, title, theme_code FROM (
          SELECT r.id, r.plan_id, r.title, rt.theme_code,
                 row_number() OVER (PARTITION BY rt.theme_code, r.plan_id ORDER BY r.position, r.id) AS rn
          FROM record r JOIN record_theme rt ON rt.record_id = r.id
          WHERE r.plan_id IN :plans AND r.level = 'action' AND rt.theme_code IN :codes) x
        WHERE rn = 1""", "plans", "codes"), {"plans": peer_plans, "codes": codes}).all()
    for r in sorted(rows, key=lambda r: (rank[r.plan_id], r.id)):
        if len(out[r.theme_code]) < per_theme:
            out[r.theme_code].append({"organization": names[r.plan_id], "plan_id": r.plan_id, "action_id": r.id,
                                      "title": r.title})
    return out


def closest_peers(themes: dict[int, dict[str, int]], target: int, peers: list[int], limit: int) -> list[int]:
    """The `limit` peer plans whose theme profile is closest to the target's (cosine of theme counts)."""
    if len(peers) <= limit:
        return list(peers)

    def norm(v: dict[str, int]) -> float:
        return math.sqrt(sum(x * x for x in v.values())) or 1.0

    t, tn = themes[target], norm(themes[target])
    score = {p: sum(t.get(k, 0) * x for k, x in themes[p].items()) / (tn * norm(themes[p])) for p in peers}
    return sorted(peers, key=lambda p: (-score[p], p))[:limit]


def benchmark(engine: Engine, org: str, peers: str = "type", min_peers: int = 3, top_k: int = 3,
              max_peer_actions: int = 3000, max_similarity_peers: int = 100, year: int | None = None,
              similar: bool = True) -> dict:
    """The benchmark report as a JSON-ready dict (keys are stable; see README)."""
    from planscope.pipeline.normalise.themes import codebook

    year = year or date.today().year
    with engine.connect() as conn:
        orgs = _orgs(conn)
        target = resolve_org(conn, org, orgs)
        plans = reference_plans(conn)
        if target.id not in plans:
            raise BenchmarkError(f"{target.name} n’a aucun plan dans la base")
        peer_orgs, group = choose_peers(conn, target, peers, min_peers, orgs, plans)
        tplan = plans[target.id]
        peer_plan_ids = [plans[o.id]["plan_id"] for o in peer_orgs]
        all_ids = [tplan["plan_id"]] + peer_plan_ids
        levels = _level_stats(conn, all_ids)
        themes = _theme_stats(conn, all_ids)
        sim_peers = closest_peers(themes, tplan["plan_id"], peer_plan_ids, max_similarity_peers)
        names = {plans[o.id]["plan_id"]: o.name for o in peer_orgs}
        sims, sim_meta = (similar_actions(conn, tplan["plan_id"], {pid: names[pid] for pid in sim_peers}, top_k,
                                          max_peer_actions) if similar else ([], {}))
        sim_meta["peers_compared"] = len(sim_peers)
        n = len(peer_plan_ids)
        missing = [th.code for th in codebook().top_themes if n and not themes[tplan["plan_id"]].get(th.code)
                   and sum(1 for p in peer_plan_ids if themes[p].get(th.code)) / n >= 0.5]
        examples = gap_examples(conn, missing, closest_peers(themes, tplan["plan_id"], peer_plan_ids, n), names)

    def age(plan: dict) -> dict:
        start, end = plan["period_start"], plan["period_end"]
        # an ended plan has 0 years left (not a negative count); years since its end are derived from period_end
        return {"age_years": year - start if start else None, "years_left": max(end - year, 0) if end else None,
                "length_years": end - start + 1 if start and end else None,
                "state": None if not (start or end) else ("ended" if end and end < year else
                                                          "not started" if start and start > year else "current")}

    t_lv = levels[tplan["plan_id"]]
    p_lv = [levels[p] for p in peer_plan_ids]
    level_rows = []
    for lv in LEVELS:
        vals = [d[lv] for d in p_lv]
        level_rows.append({"level": lv, "target": t_lv[lv], "peer_mean": _mean(vals),
                           "peer_min": min(vals) if vals else None, "peer_max": max(vals) if vals else None})
    practice_rows = []
    for key, label in PRACTICES:
        practice_rows.append({"metric": key, "label": label, "target": _share(t_lv[key], t_lv["action"]),
                              "peer_mean": _mean([_share(d[key], d["action"]) for d in p_lv]),
                              "peers_with_any": sum(1 for d in p_lv if d[key])})
    book = codebook()
    totals = {pid: sum(levels[pid][lv] for lv in LEVELS) for pid in all_ids}
    t_th = themes[tplan["plan_id"]]
    theme_rows = []
    for th in book.top_themes:
        peer_counts = [themes[p].get(th.code, 0) for p in peer_plan_ids]
        theme_rows.append({
            "code": th.code, "label": th.label, "target_records": t_th.get(th.code, 0),
            "target_share": _share(t_th.get(th.code, 0), totals[tplan["plan_id"]]) or 0.0,
            "peers_covering": sum(1 for c in peer_counts if c),
            "peers_covering_share": _share(sum(1 for c in peer_counts if c), len(peer_counts)),
            "peer_mean_share": _mean([_share(themes[p].get(th.code, 0), totals[p]) or 0.0 for p in peer_plan_ids]),
        })
    only = [r["code"] for r in theme_rows if r["target_records"] and n and r["peers_covering"] == 0]
    peer_rows = []
    for o in peer_orgs:
        pl = plans[o.id]
        peer_rows.append({"organization": o.name, "org_type": o.org_type, "region": o.region,
                          "plan_id": pl["plan_id"], "plan_title": pl["title"], "period_start": pl["period_start"],
                          "period_end": pl["period_end"], **{lv: levels[pl["plan_id"]][lv] for lv in LEVELS}})
    peer_ages = [age(plans[o.id]) for o in peer_orgs]
    return {
        "target": {"organization": target.name, "org_type": target.org_type, "region": target.region,
                   "population": target.population,
                   "plan": {"plan_id": tplan["plan_id"], "title": tplan["title"], "version": tplan["version"],
                            "period_start": tplan["period_start"], "period_end": tplan["period_end"],
                            **age(tplan)}},
        "peer_group": {**group, "count": len(peer_orgs), "peers": peer_rows},
        "levels": level_rows,
        "practices": practice_rows,
        "themes": theme_rows,
        "theme_gaps": {"missing_in_target": missing, "only_in_target": only, "examples": examples},
        "theme_matrix": {"themes": [t.code for t in book.top_themes],
                         "organizations": [target.name] + [o.name for o in peer_orgs],
                         "shares": [[_share(themes[pid].get(t.code, 0), totals[pid]) or 0.0
                                     for t in book.top_themes] for pid in all_ids]},
        "plan_age": {"year": year, "target": age(tplan),
                     "peer_mean_age_years": _mean([a["age_years"] for a in peer_ages]),
                     "peer_mean_length_years": _mean([a["length_years"] for a in peer_ages]),
                     "peers_current": sum(1 for a in peer_ages if a["state"] == "current"),
                     "peers_ended": sum(1 for a in peer_ages if a["state"] == "ended"),
                     # the means above leave these out: the renderers say so
                     "peers_without_period": [o.name for o, a in zip(peer_orgs, peer_ages) if a["age_years"] is None]},
        "similar_actions": sims,
        "similarity": {"method": "tf-idf cosine (word 1-2 grams, accents folded)", "top_k": top_k, **sim_meta},
    }
