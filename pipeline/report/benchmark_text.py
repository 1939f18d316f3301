"""The benchmark in French, for the terminal and CSV (the people who read it are French-speaking
planning officers); JSON keys stay those of :func:`.benchmark.benchmark`."""
from __future__ import annotations

import math
import textwrap

from planscope.pipeline.report.benchmark import LEVEL_LABELS, _mean, plural

def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",") if not math.isnan(v) else "–"
    return str(v)


def pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.0f} %"


def period_text(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return "période inconnue"
    return f"{start if start is not None else '?'}–{end if end is not None else '?'}"


def plan_state_text(plan: dict, year: int) -> str:
    """« en cours, 2 ans restants », « terminé depuis 1 an », « à venir »; never a negative count."""
    end, state = plan.get("period_end"), plan.get("state")
    if state is None:
        return "période inconnue"
    if state == "ended":
        return f"terminé depuis {plural(year - end, 'an')}"
    if state == "not started":
        return "à venir"
    left = plan.get("years_left")
    if end is None:
        return "en cours"
    return "en cours, dernière année" if left == 0 else f"en cours, {plural(left, 'an restant', 'ans restants')}"


def summary(rep: dict) -> dict:
    """The one-screen summary: a paragraph and three key figures (target vs peers), from the report."""
    t, g, lv = rep["target"], rep["peer_group"], {r["level"]: r for r in rep["levels"]}
    pr = {r["metric"]: r for r in rep["practices"]}
    labels = {r["code"]: r["label"] for r in rep["themes"]}
    shares = rep["theme_matrix"]["shares"]
    covered = sum(1 for v in shares[0] if v) if shares else 0
    peer_cov = [sum(1 for v in row if v) for row in shares[1:]]
    peer_cov_mean = _mean(peer_cov)
    n_themes = len(rep["theme_matrix"]["themes"])
    actions, mean_actions = lv["action"]["target"], lv["action"]["peer_mean"]
    ind = pr["with_indicator"]
    missing = [labels[c] for c in rep["theme_gaps"]["missing_in_target"]]
    plan, year = t["plan"], rep["plan_age"]["year"]
    parts = [f"{t['organization']} : le plan"
             + (f" {period_text(plan['period_start'], plan['period_end'])}" if plan["state"] else "")
             + f" compte {plural(actions, 'action')}, contre {_fmt(mean_actions)} en moyenne chez ses {plural(g['count'], 'pair')}"
             + (" (groupe élargi à toutes les organisations : voir la note)"
                if g["fallback"] else "") + "."]
    parts.append(f"Il couvre {covered} des {n_themes} thèmes (pairs : {_fmt(peer_cov_mean)} en moyenne)"
                 + (f" ; {plural(len(missing), 'thème présent', 'thèmes présents')} chez la plupart des pairs "
                    f"{'y manque' if len(missing) == 1 else 'y manquent'}, dont {', '.join(missing[:3])}."
                    if missing else " ; aucun thème présent chez la plupart des pairs n’y manque."))
    parts.append(f"{pct(ind['target'])} de ses actions ont un indicateur (pairs : {pct(ind['peer_mean'])}). "
                 f"Plan {plan_state_text(plan, year)}.")
    figures = [
        {"label": "actions", "target": _fmt(actions), "peers": _fmt(mean_actions)},
        {"label": "thèmes couverts", "target": f"{covered}/{n_themes}", "peers": _fmt(peer_cov_mean)},
        {"label": "actions avec indicateur", "target": pct(ind["target"]), "peers": pct(ind["peer_mean"])},
    ]
    return {"text": " ".join(parts), "figures": figures}


def age_text(rep: dict) -> str:
    a, pl = rep["plan_age"], rep["target"]["plan"]
    target = (f"Plan de la cible : {period_text(pl['period_start'], pl['period_end'])}, "
              + (f"{plural(pl['age_years'], 'an')} depuis son début, " if pl["age_years"] is not None else "")
              + f"{plan_state_text(pl, a['year'])}.")
    peers = (f"Pairs : âge moyen {_fmt(a['peer_mean_age_years'])} ans, durée moyenne "
             f"{_fmt(a['peer_mean_length_years'])} ans ; {a['peers_current']} en cours, "
             f"{plural(a['peers_ended'], 'terminé')} (en {a['year']}).")
    unknown = a.get("peers_without_period") or []
    if unknown:
        peers += (f" {plural(len(unknown), 'pair')} sans période connue, "
                  f"{'exclu' if len(unknown) == 1 else 'exclus'} de ces moyennes : {', '.join(unknown)}.")
    return target + " " + peers


def render_table(rep: dict, width: int = 100) -> str:
    from planscope.pipeline.report.tables import table

    t, g = rep["target"], rep["peer_group"]
    pl = t["plan"]
    labels = {r["code"]: r["label"] for r in rep["themes"]}
    s = summary(rep)
    out = [f"Analyse comparative : {t['organization']} ({t['org_type'] or 'type inconnu'}, "
           f"{t['region'] or 'région inconnue'})",
           *textwrap.wrap(f"Plan : {pl['title'] or '(sans titre)'} [{period_text(pl['period_start'], pl['period_end'])}]"
                          f", {plan_state_text(pl, rep['plan_age']['year'])}", width), "",
           "En bref", *textwrap.wrap(s["text"], width),
           *(f"  {f['label']} : {f['target']} (moyenne des pairs : {f['peers']})" for f in s["figures"]), "",
           *textwrap.wrap(("NOTE : " if g["fallback"] else "") + g["message"], width), ""]
    cols = ["niveau", "cible", "moyenne des pairs", "min. pairs", "max. pairs"]
    out += ["Éléments par niveau", table([dict(zip(cols, (LEVEL_LABELS[r["level"]], r["target"], _fmt(r["peer_mean"]),
                                                           r["peer_min"], r["peer_max"]))) for r in rep["levels"]],
                                         cols, width), ""]
    cols = ["part des actions", "cible", "moyenne des pairs", "pairs qui en ont"]
    out += ["Pratiques de suivi", table([dict(zip(cols, (r["label"], pct(r["target"]), pct(r["peer_mean"]),
                                                         f"{r['peers_with_any']}/{g['count']}")))
                                        for r in rep["practices"]], cols, width), ""]
    cols = ["thème", "éléments cible", "part cible", "pairs", "part moy. pairs"]
    rows = [dict(zip(cols, (r["label"], r["target_records"], pct(r["target_share"]),
                            f"{r['peers_covering']}/{g['count']}", pct(r["peer_mean_share"]))))
            for r in rep["themes"] if r["target_records"] or r["peers_covering"]]
    out += ["Thèmes (part des éléments du plan)", table(rows, cols, width), ""]
    gaps = rep["theme_gaps"]
    out += textwrap.wrap("Présents chez la plupart des pairs, absents de la cible (un exemple chacun) : "
                         + (", ".join(labels[c] for c in gaps["missing_in_target"]) or "aucun"), width,
                         subsequent_indent="  ")
    for c in gaps["missing_in_target"]:
        for ex in gaps.get("examples", {}).get(c, [])[:1]:  # one here; the HTML report shows more
            out += textwrap.wrap(f"{labels[c]} — {ex['organization']} : {ex['title']}", width,
                                 initial_indent="  · ", subsequent_indent="    ")
    out += textwrap.wrap("Seule la cible a : " + (", ".join(labels[c] for c in gaps["only_in_target"]) or "aucun"),
                         width, subsequent_indent="  ")
    out += ["", "Période et âge", *textwrap.wrap(age_text(rep), width), ""]
    sim_rows = []
    cols = ["action de la cible", "action semblable d’un pair", "pair", "score"]
    for sa in rep["similar_actions"]:
        for i, m in enumerate(sa["matches"] or [None]):
            sim_rows.append(dict(zip(cols, (sa["title"] if i == 0 else "", m["title"] if m else "(aucune)",
                                            m["organization"] if m else "",
                                            f"{m['score']:.2f}".replace(".", ",") if m else ""))))
    if sim_rows:
        sim = rep["similarity"]
        out += [f"Actions semblables chez les pairs ({plural(sim.get('peer_actions_considered', 0), 'action')} de "
                f"{plural(sim.get('peers_compared', 0), 'pair')} comparées)", table(sim_rows, cols, width), ""]
    cols = ["organisation", "type", "région", "période", "actions"]
    out += ["Pairs", table([dict(zip(cols, (p["organization"], p["org_type"], p["region"],
                                            period_text(p["period_start"], p["period_end"]), p["action"])))
                            for p in g["peers"]], cols, width)]
    return "\n".join(out)


def render_rows(rep: dict) -> list[dict]:
    """A long table for CSV: section, item, target, peers, detail. Section and item are stable codes
    (like the JSON keys); detail is the French label. Numbers are plain numbers."""
    labels = {r["code"]: r["label"] for r in rep["themes"]}
    g = rep["peer_group"]
    rows = [{"section": "peer_group", "item": k, "target": None, "peers": None, "detail": v}
            for k, v in (("basis", g["basis"]), ("fallback", g["fallback"]), ("message", g["message"]),
                         ("count", g["count"]))]
    rows += [{"section": "peer", "item": p["organization"], "target": None, "peers": p["action"],
              "detail": f"{p['org_type'] or 'type inconnu'} ; {p['region'] or 'région inconnue'} ; "
                        f"{period_text(p['period_start'], p['period_end'])} ; {p['plan_title'] or '(sans titre)'}"}
             for p in g["peers"]]
    rows += [{"section": "level", "item": r["level"], "target": r["target"], "peers": r["peer_mean"],
              "detail": LEVEL_LABELS[r["level"]]} for r in rep["levels"]]
    rows += [{"section": "practice", "item": r["metric"], "target": r["target"], "peers": r["peer_mean"],
              "detail": r["label"]} for r in rep["practices"]]
    rows += [{"section": "theme", "item": r["code"], "target": r["target_share"], "peers": r["peer_mean_share"],
              "detail": f"{r['label']} ; {r['peers_covering']}/{g['count']} pairs"} for r in rep["themes"]]
    for c in rep["theme_gaps"]["missing_in_target"]:
        rows.append({"section": "theme_gap", "item": c, "target": 0, "peers": None,
                     "detail": f"{labels[c]} : présent chez la plupart des pairs"})
        rows += [{"section": "theme_gap_example", "item": c, "target": None, "peers": None,
                  "detail": f"{ex['organization']} : {ex['title']}"}
                 for ex in rep["theme_gaps"].get("examples", {}).get(c, [])]
    rows += [{"section": "theme_only", "item": c, "target": None, "peers": 0,
              "detail": f"{labels[c]} : seule la cible l’a"} for c in rep["theme_gaps"]["only_in_target"]]
    a = rep["plan_age"]
    rows.append({"section": "plan_age", "item": "age_years", "target": a["target"]["age_years"],
                 "peers": a["peer_mean_age_years"], "detail": age_text(rep)})
    # similar: the target action's title is the item, the score sits in `peers`; no record ids
    for sa in rep["similar_actions"]:
        for m in sa["matches"]:
            rows.append({"section": "similar", "item": sa["title"], "target": None, "peers": m["score"],
                         "detail": f"{m['organization']} : {m['title']}"})
    return rows
