"""The benchmark as one self-contained HTML file in French: inline CSS, no scripts, no external assets.

Charts are HTML and CSS (bars as sized boxes, the heat map as a table), not SVG text: labels wrap
in their boxes instead of being cut at a fixed width, and print as text. A summary comes first (a
paragraph and three figures), then levels, practices, themes (with peers' example actions for each
theme the target lacks), similar actions, period and age, the peers. Print CSS makes it an A4 report.
"""
from __future__ import annotations

import re
from html import escape

from planscope.pipeline.report.benchmark_text import (LEVEL_LABELS, age_text, pct, period_text, plan_state_text,
                                                 plural, summary)

MAX_HEATMAP_COLUMNS = 25  # the target, the peer mean, then the peers closest to the target's theme profile
PRINT_HEATMAP_COLUMNS = 16  # what fits an A4 page's width; the others are left out of print (and it says so)
BLUE = (58, 123, 213)

CSS = """
:root{--ink:#1d2430;--muted:#5a6675;--line:#dde3ea;--blue:#3a7bd5;--grey:#9aa7b6}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);
  margin:2rem auto;max-width:1100px;padding:0 1.25rem}
h1{font-size:1.6rem;margin:0 0 .25rem;line-height:1.25}
h2{font-size:1.2rem;margin:2.2rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
.sub{color:var(--muted)}.small{font-size:.85em}
.note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5rem .75rem;margin:1rem 0}
.info{background:#eef5ff;border-left:4px solid var(--blue);padding:.5rem .75rem;margin:1rem 0}
.summary{border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin:1.25rem 0;background:#fbfcfe}
.summary p{margin:0 0 1rem;font-size:1.05rem}
.figures{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:1rem}
.figure{border-left:4px solid var(--blue);padding:.25rem .75rem}
.figure .v{font-size:1.9rem;font-weight:700;line-height:1.2;overflow-wrap:anywhere}
.figure .l{font-weight:600}.figure .p{color:var(--muted);font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{padding:.3rem .5rem;border-bottom:1px solid #edf0f4;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f5f7fa;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
.tag{display:inline-block;background:#eef1f5;border-radius:3px;padding:0 .4rem;margin:0 .25rem .25rem 0;font-size:.9em}
.gap{background:#fde2e1}.only{background:#dff3e4}
.bars{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.35rem .75rem;align-items:center;margin:.5rem 0}
.bars .lbl{font-weight:600}
.bar{display:flex;align-items:center;gap:.4rem;height:1.1rem;font-size:.85em;white-space:nowrap}
.bar span.b{display:block;height:100%;border-radius:2px;min-width:1px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.key{display:inline-block;width:.8rem;height:.8rem;vertical-align:-1px;margin:0 .3rem 0 .8rem;
  -webkit-print-color-adjust:exact;print-color-adjust:exact}
table.heat{width:auto;table-layout:fixed;border-collapse:separate;border-spacing:2px}
table.heat th,table.heat td{border:0;padding:0}
table.heat th.row{width:17rem;font-weight:400;padding:.1rem .5rem .1rem 0;text-align:right;background:none;line-height:1.2}
table.heat th.col{width:1.9rem;height:auto;background:none;vertical-align:bottom;padding:.25rem 0;font-weight:400}
table.heat th.col span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;white-space:nowrap;
  font-size:.8rem;line-height:1.9rem}
table.heat th.col.strong{font-weight:700}
table.heat td{height:1.5rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.scale{display:flex;align-items:center;gap:.5rem;font-size:.85em;color:var(--muted);margin:.25rem 0 1rem}
.scale .g{width:12rem;height:.8rem;border:1px solid var(--line);-webkit-print-color-adjust:exact;print-color-adjust:exact}
.excols{columns:2 22rem;column-gap:2rem}.excols>div{break-inside:avoid}
.examples{margin:.1rem 0 .6rem;padding-left:1.2rem}.examples li{margin:.15rem 0}.excols p{margin:.2rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:.85em}
.print-only{display:none}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{font-size:10pt;margin:0;max-width:none;padding:0}
  h2{break-after:avoid;margin-top:1.4rem}h3{break-after:avoid}
  .summary,.figure,tr,.bars,.scale,li{break-inside:avoid}
  .heatmap{break-inside:avoid}
  .summary{background:none}
  thead{display:table-header-group}
  table.heat .x{display:none}.print-only{display:block}
  table.heat th.row{width:13rem;font-size:.9em}table.heat td{height:1.1rem}table.heat th.col span{font-size:.72rem}
}
@media (max-width:700px){.figures{grid-template-columns:1fr}}
"""


def _n(v) -> str:
    """A count or a mean, French decimal comma; « – » when unknown."""
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",")
    return escape(str(v))


# The heat map's column headers drop the kind of organisation ("Ville de", "MRC des"…): the names stay
# whole (the full name is the cell's tooltip) and the headers short enough for a printed page.
# The article is matched in lower case only: "Ville de La Tuque" keeps its "La".
ORG_KIND = re.compile(r"^(?i:municipalité régionale de comté|communauté métropolitaine|municipalité|ville|mrc|"
                      r"commune|paroisse|canton|village|cité)\s+(?:de la |de l’|de l'|des |du |de |d’|d')?")


def short_org(name: str) -> str:
    short = ORG_KIND.sub("", name).strip()
    return short[:1].upper() + short[1:] if short else name


def _score(v: float) -> str:
    return f"{v:.2f}".replace(".", ",")


def _colour(v: float, top: float) -> str:
    a = 0.08 + 0.92 * (v / top) if v else 0
    return f"rgba({BLUE[0]},{BLUE[1]},{BLUE[2]},{a:.2f})" if v else "#f3f5f8"


def _bars(levels: list[dict]) -> str:
    """Target vs peer mean per level, as sized boxes (their labels wrap instead of being cut)."""
    top = max([r["target"] or 0 for r in levels] + [r["peer_mean"] or 0 for r in levels] + [1])
    out = ['<div class="bars" role="img" aria-label="Éléments par niveau : cible et moyenne des pairs">']
    for r in levels:
        bars = "".join(
            f'<div class="bar"><span class="b" style="width:{80 * (r[key] or 0) / top:.1f}%;background:{colour}">'
            f'</span>{_n(r[key])}</div>' for key, colour in (("target", "var(--blue)"), ("peer_mean", "var(--grey)")))
        out.append(f'<div class="lbl">{escape(LEVEL_LABELS[r["level"]].capitalize())}</div><div>{bars}</div>')
    out.append('</div><p class="small sub"><span class="key" style="background:var(--blue)"></span>cible'
               '<span class="key" style="background:var(--grey)"></span>moyenne des pairs</p>')
    return "".join(out)


def _heatmap(rep: dict) -> str:
    """Themes × organisations: the target, the peer mean, then the closest peers; a colour scale."""
    m = rep["theme_matrix"]
    labels = {t["code"]: t["label"] for t in rep["themes"]}
    orgs, shares = m["organizations"], m["shares"]
    target, peers = shares[0], shares[1:]
    mean = [sum(col) / len(peers) for col in zip(*peers)] if peers else [0.0] * len(target)
    # peers closest to the target's profile first (L1 distance), so the heat map stays readable
    order = sorted(range(len(peers)), key=lambda i: (sum(abs(a - b) for a, b in zip(peers[i], target)), orgs[i + 1]))
    keep = order[: MAX_HEATMAP_COLUMNS - 2]
    cols = [("Cible", target, True, orgs[0]), ("Moyenne des pairs", mean, True, "Moyenne des pairs")] + \
        [(short_org(orgs[i + 1]), peers[i], False, orgs[i + 1]) for i in keep]
    top = max([v for _, col, _, _ in cols for v in col] + [0.01])
    h = ['<div class="heatmap"><table class="heat" aria-label="Carte des thèmes"><thead><tr><th class="row"></th>']
    x = lambda j: " x" if j >= PRINT_HEATMAP_COLUMNS else ""  # noqa: E731 - a column left out of print
    for j, (name, _, strong, full) in enumerate(cols):
        h.append(f'<th class="col{" strong" if strong else ""}{x(j)}" scope="col" title="{escape(full)}">'
                 f'<span class="lbl">{escape(name)}</span></th>')
    h.append("</tr></thead><tbody>")
    for i, code in enumerate(m["themes"]):
        h.append(f'<tr><th class="row lbl" scope="row">{escape(labels.get(code, code))}</th>')
        for j, (_, col, _, name) in enumerate(cols):
            v = col[i]
            h.append(f'<td class="{x(j).strip()}" style="background:{_colour(v, top)}" title="{escape(name)} — '
                     f'{escape(labels.get(code, code))} : {100 * v:.1f} %"></td>')
        h.append("</tr>")
    h.append("</tbody></table>")
    steps = ", ".join(_colour(top * k / 4, top) for k in range(5))
    h.append(f'<div class="scale"><span>0 %</span><span class="g" style="background:linear-gradient(to right,'
             f'#f3f5f8 0%,{steps})"></span><span>{100 * top:.0f} %</span><span>part des éléments du plan '
             f'associés au thème (gris : aucun)</span></div>')
    if len(cols) > PRINT_HEATMAP_COLUMNS:
        h.append(f'<p class="small sub print-only">Version imprimée : les {PRINT_HEATMAP_COLUMNS - 2} pairs les plus '
                 f'proches de la cible ; la page web en montre {len(cols) - 2}.</p>')
    h.append("</div>")
    more = len(peers) - len(keep)
    if more > 0:
        h.append(f'<p class="small sub">{plural(more, "autre pair", "autres pairs")} non {"affiché" if more == 1 else "affichés"} '
                 f'(les {len(keep)} plus proches de la cible le sont) ; la moyenne couvre les {len(peers)} pairs.</p>')
    return "".join(h)


def _table(head: list[tuple[str, bool]], rows: list[list[tuple[str, bool]]], cls: str = "") -> str:
    """head/rows: (html, numeric) cells; numeric cells are right-aligned."""
    out = [f'<table{f" class={cls!r}" if cls else ""}><thead><tr>']
    out += [f'<th{" class=n" if num else ""} scope="col">{txt}</th>' for txt, num in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f'<td{" class=n" if num else ""}>{txt}</td>' for txt, num in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(rep: dict) -> str:
    t, g, pl = rep["target"], rep["peer_group"], rep["target"]["plan"]
    gaps = rep["theme_gaps"]
    labels = {r["code"]: r["label"] for r in rep["themes"]}
    year = rep["plan_age"]["year"]
    s = summary(rep)
    sub = " · ".join(x for x in (t["org_type"] or "type inconnu", t["region"] or "région inconnue",
                                 f"{t['population']:,} habitants".replace(",", "\u202f") if t["population"] else "")
                     if x)
    h = ['<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">',
         f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>Analyse comparative — '
         f'{escape(t["organization"])}</title><style>{CSS}</style></head><body>',
         f'<header><h1>Analyse comparative — {escape(t["organization"])}</h1><p class="sub">{escape(sub)}</p>',
         f'<p>Plan : <b>{escape(pl["title"] or "(sans titre)")}</b> — '
         f'{escape(period_text(pl["period_start"], pl["period_end"]))}, {escape(plan_state_text(pl, year))}.</p>'
         "</header>",
         '<section class="summary" aria-label="En bref"><p>' + escape(s["text"]) + '</p><div class="figures">']
    for f in s["figures"]:
        h.append(f'<div class="figure"><div class="v">{escape(f["target"])}</div><div class="l">'
                 f'{escape(f["label"])}</div><div class="p">moyenne des pairs : {escape(f["peers"])}</div></div>')
    h.append("</div></section>")
    h.append(f'<div class="{"note" if g["fallback"] else "info"}">{escape(g["message"])}</div>')

    h.append("<h2>Éléments par niveau</h2>" + _bars(rep["levels"]))
    h.append(_table([("Niveau", False), ("Cible", True), ("Moyenne des pairs", True), ("Min. pairs", True),
                     ("Max. pairs", True)],
                    [[(escape(LEVEL_LABELS[r["level"]].capitalize()), False), (_n(r["target"]), True),
                      (_n(r["peer_mean"]), True), (_n(r["peer_min"]), True), (_n(r["peer_max"]), True)]
                     for r in rep["levels"]]))

    h.append("<h2>Pratiques de suivi</h2>")
    h.append(_table([("Part des actions", False), ("Cible", True), ("Moyenne des pairs", True),
                     ("Pairs qui en ont", True)],
                    [[(escape(r["label"].capitalize()), False), (pct(r["target"]), True), (pct(r["peer_mean"]), True),
                      (f'{r["peers_with_any"]}/{g["count"]}', True)] for r in rep["practices"]]))

    h.append("<h2>Thèmes</h2>")
    h.append("<p>Présents chez la plupart des pairs, absents de la cible : " + ("".join(
        f'<span class="tag gap">{escape(labels[c])}</span>' for c in gaps["missing_in_target"]) or "aucun") + "</p>")
    h.append("<p>Seule la cible a : " + ("".join(
        f'<span class="tag only">{escape(labels[c])}</span>' for c in gaps["only_in_target"]) or "aucun") + "</p>")
    examples = gaps.get("examples", {})
    if any(examples.get(c) for c in gaps["missing_in_target"]):
        h.append('<h3>Ce que font les pairs sur les thèmes absents</h3><div class="excols">')
        for c in gaps["missing_in_target"]:
            if examples.get(c):
                h.append(f'<div><p class="small"><b>{escape(labels[c])}</b></p><ul class="examples small">' + "".join(
                    f'<li>{escape(ex["title"])} <span class="sub">— {escape(ex["organization"])}</span></li>'
                    for ex in examples[c]) + "</ul></div>")
        h.append("</div>")
    h.append("<h3>Carte des thèmes</h3>" + _heatmap(rep))
    rows = []
    for r in rep["themes"]:
        mark = " gap" if r["code"] in gaps["missing_in_target"] else " only" if r["code"] in gaps["only_in_target"] \
            else ""
        rows.append([(f'<span class="{mark.strip()}">{escape(r["label"])}</span>' if mark else escape(r["label"]),
                      False), (_n(r["target_records"]), True), (pct(r["target_share"]), True),
                     (f'{r["peers_covering"]}/{g["count"]}', True), (pct(r["peer_mean_share"]), True)])
    h.append(_table([("Thème", False), ("Éléments de la cible", True), ("Part cible", True),
                     ("Pairs qui l’abordent", True), ("Part moyenne des pairs", True)], rows))

    sim = rep["similarity"]
    h.append("<h2>Actions semblables chez les pairs</h2>")
    h.append(f'<p class="small sub">Similarité TF-IDF (mots et paires de mots, accents ignorés) ; '
             f'{plural(sim.get("peer_actions_considered", 0), "action")} de '
             f'{plural(sim.get("peers_compared", 0), "pair")} comparées.</p>')
    rows = []
    for sa in rep["similar_actions"]:
        ms = "<br>".join(f'{escape(m["title"])} <span class="sub">— {escape(m["organization"])} '
                         f'({_score(m["score"])})</span>' for m in sa["matches"]) or '<span class="sub">aucune</span>'
        rows.append([(escape(sa["title"]), False), (ms, False)])
    h.append(_table([("Action de la cible", False), ("Actions semblables des pairs (score)", False)], rows))

    h.append("<h2>Période et âge du plan</h2><p>" + escape(age_text(rep)) + "</p>")

    h.append("<h2>Pairs</h2>")
    h.append(_table([("Organisation", False), ("Type", False), ("Région", False), ("Plan", False),
                     ("Période", False), ("Actions", True)],
                    [[(escape(p["organization"]), False), (escape(p["org_type"] or "–"), False),
                      (escape(p["region"] or "–"), False), (escape(p["plan_title"] or "(sans titre)"), False),
                      (escape(period_text(p["period_start"], p["period_end"])), False), (_n(p["action"]), True)]
                     for p in g["peers"]]))
    h.append(f'<footer>Produit par planscope benchmark (année de référence {year}).</footer></body></html>')
    return "\n".join(h)
