"""The benchmark as one self-contained HTML file: inline CSS and SVG, no scripts, no external assets."""
from __future__ import annotations

from html import escape

MAX_HEATMAP_COLUMNS = 25  # the target, the peer mean, then the peers closest to the target's theme profile

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #dde3ea;padding-bottom:.25rem}
.sub{color:#5a6675}.note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5rem .75rem;margin:1rem 0}
.info{background:#eef5ff;border-left:4px solid #3a7bd5;padding:.5rem .75rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{padding:.3rem .5rem;border-bottom:1px solid #edf0f4;text-align:left;vertical-align:top}
th{background:#f5f7fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;background:#eef1f5;border-radius:3px;padding:0 .35rem;margin:0 .2rem .2rem 0;font-size:.85em}
.gap{background:#fde2e1}.only{background:#dff3e4}
.heat{overflow-x:auto}.legend{font-size:.85em;color:#5a6675}
"""


def _f(v, pct: bool = False) -> str:
    if v is None:
        return "–"
    if pct:
        return f"{100 * v:.0f} %"
    return f"{v:.1f}" if isinstance(v, float) else escape(str(v))


def _bars(levels: list[dict]) -> str:
    """Grouped horizontal bars: target vs peer mean per level."""
    top = max([r["target"] or 0 for r in levels] + [r["peer_mean"] or 0 for r in levels] + [1])
    w, label_w, bar_h, gap = 640, 110, 16, 14
    h = len(levels) * (2 * bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             f'aria-label="records per level">']
    y = 10
    for r in levels:
        for i, (key, color, name) in enumerate((("target", "#3a7bd5", "target"), ("peer_mean", "#9aa7b6", "peers"))):
            v = r[key] or 0
            bw = (w - label_w - 60) * v / top
            parts.append(f'<rect x="{label_w}" y="{y + i * bar_h}" width="{bw:.1f}" height="{bar_h - 2}" '
                         f'fill="{color}"><title>{escape(r["level"])} {name}: {_f(r[key])}</title></rect>')
            parts.append(f'<text x="{label_w + bw + 4:.1f}" y="{y + i * bar_h + bar_h - 5}" font-size="11">'
                         f'{_f(r[key])}</text>')
        parts.append(f'<text x="0" y="{y + bar_h + 4}" font-size="12">{escape(r["level"])}</text>')
        y += 2 * bar_h + gap
    parts.append(f'<rect x="{label_w}" y="{y}" width="10" height="10" fill="#3a7bd5"/>'
                 f'<text x="{label_w + 14}" y="{y + 9}" font-size="11">target</text>'
                 f'<rect x="{label_w + 70}" y="{y}" width="10" height="10" fill="#9aa7b6"/>'
                 f'<text x="{label_w + 84}" y="{y + 9}" font-size="11">peer mean</text></svg>')
    return "".join(parts)


def _heatmap(rep: dict) -> str:
    m = rep["theme_matrix"]
    labels = {t["code"]: t["label"] for t in rep["themes"]}
    orgs, shares = m["organizations"], m["shares"]
    target, peers = shares[0], shares[1:]
    mean = [sum(col) / len(peers) if peers else 0.0 for col in zip(*peers)] if peers else [0.0] * len(target)
    # peers closest to the target's profile first (L1 distance), so the heat map stays readable
    order = sorted(range(len(peers)), key=lambda i: (sum(abs(a - b) for a, b in zip(peers[i], target)), orgs[i + 1]))
    keep = order[: MAX_HEATMAP_COLUMNS - 2]
    cols = [("target: " + orgs[0], target), ("peer mean", mean)] + [(orgs[i + 1], peers[i]) for i in keep]
    top = max([v for _, col in cols for v in col] + [0.01])
    cw, ch, left, head = 28, 20, 230, 150
    w, h = left + cw * len(cols) + 10, head + ch * len(m["themes"]) + 10
    p = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="theme heat map">']
    for j, (name, _) in enumerate(cols):
        x = left + j * cw + cw / 2
        short = name if len(name) <= 26 else name[:25] + "…"
        weight = ' font-weight="bold"' if j < 2 else ""
        p.append(f'<text transform="translate({x + 4:.0f},{head - 6}) rotate(-60)" font-size="11"{weight}>'
                 f'{escape(short)}<title>{escape(name)}</title></text>')
    for i, code in enumerate(m["themes"]):
        y = head + i * ch
        p.append(f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
                 f'{escape(labels.get(code, code))}</text>')
        for j, (name, col) in enumerate(cols):
            v = col[i]
            a = 0.06 + 0.94 * (v / top) if v else 0
            fill = f"rgba(58,123,213,{a:.2f})" if v else "#f3f5f8"
            p.append(f'<rect x="{left + j * cw}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{fill}">'
                     f'<title>{escape(name)} — {escape(labels.get(code, code))}: {100 * v:.1f} %</title></rect>')
    p.append("</svg>")
    more = len(peers) - len(keep)
    note = (f'<p class="legend">{more} more peer(s) not shown (the {len(keep)} closest to the target are); '
            f'the peer mean covers all {len(peers)}.</p>' if more > 0 else "")
    return ('<div class="heat">' + "".join(p) + '</div><p class="legend">Cell colour: share of the plan\'s records '
            'tagged with the theme (darker = larger share; grey = none).</p>' + note)


def render_html(rep: dict) -> str:
    t, g, pl = rep["target"], rep["peer_group"], rep["target"]["plan"]
    gaps = rep["theme_gaps"]
    labels = {r["code"]: r["label"] for r in rep["themes"]}
    h = ['<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">',
         f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>Benchmark — '
         f'{escape(t["organization"])}</title><style>{CSS}</style></head><body>',
         f'<h1>Benchmark — {escape(t["organization"])}</h1>',
         f'<p class="sub">{escape(t["org_type"] or "type inconnu")} · {escape(t["region"] or "région inconnue")}'
         f'{" · population " + _f(t["population"]) if t["population"] else ""}</p>',
         f'<p>Plan: <b>{escape(pl["title"] or "(sans titre)")}</b> — période {_f(pl["period_start"])}–'
         f'{_f(pl["period_end"])}, {escape(pl["state"] or "période inconnue")}; âge {_f(pl["age_years"])} an(s), '
         f'{_f(pl["years_left"])} an(s) restant(s).</p>',
         f'<div class="{"note" if g["fallback"] else "info"}">{escape(g["message"])}</div>',
         "<h2>Records per level</h2>", _bars(rep["levels"]),
         "<table><tr><th>level</th><th>target</th><th>peer mean</th><th>peer min</th><th>peer max</th></tr>"]
    for r in rep["levels"]:
        h.append(f'<tr><td>{escape(r["level"])}</td><td class="n">{_f(r["target"])}</td><td class="n">'
                 f'{_f(r["peer_mean"])}</td><td class="n">{_f(r["peer_min"])}</td><td class="n">'
                 f'{_f(r["peer_max"])}</td></tr>')
    h.append("</table><h2>Practices</h2><table><tr><th>share of actions</th><th>target</th><th>peer mean</th>"
             "<th>peers with any</th></tr>")
    for r in rep["practices"]:
        h.append(f'<tr><td>{escape(r["label"])}</td><td class="n">{_f(r["target"], True)}</td><td class="n">'
                 f'{_f(r["peer_mean"], True)}</td><td class="n">{r["peers_with_any"]}/{g["count"]}</td></tr>')
    h.append("</table><h2>Themes</h2>")
    h.append("<p>Most peers have, the target lacks: " + ("".join(
        f'<span class="tag gap">{escape(labels[c])}</span>' for c in gaps["missing_in_target"]) or "none") + "</p>")
    h.append("<p>Only the target has: " + ("".join(
        f'<span class="tag only">{escape(labels[c])}</span>' for c in gaps["only_in_target"]) or "none") + "</p>")
    h.append(_heatmap(rep))
    h.append("<table><tr><th>theme</th><th>target records</th><th>target share</th><th>peers covering</th>"
             "<th>peer mean share</th></tr>")
    for r in rep["themes"]:
        cls = ' class="gap"' if r["code"] in gaps["missing_in_target"] else \
            ' class="only"' if r["code"] in gaps["only_in_target"] else ""
        h.append(f'<tr{cls}><td>{escape(r["label"])}</td><td class="n">{r["target_records"]}</td><td class="n">'
                 f'{_f(r["target_share"], True)}</td><td class="n">{r["peers_covering"]}/{g["count"]}</td>'
                 f'<td class="n">{_f(r["peer_mean_share"], True)}</td></tr>')
    a = rep["plan_age"]
    h.append(f'</table><h2>Plan period and age</h2><p>Target: {_f(a["target"]["age_years"])} year(s) since the start '
             f'({escape(a["target"]["state"] or "unknown")}); peers: mean age {_f(a["peer_mean_age_years"])}, mean '
             f'length {_f(a["peer_mean_length_years"])}; {a["peers_current"]} current, {a["peers_ended"]} ended '
             f'(in {a["year"]}).</p>')
    sim = rep["similarity"]
    h.append(f'<h2>Similar peer actions</h2><p class="legend">{escape(sim.get("method", ""))}; '
             f'{sim.get("peer_actions_considered", 0)} peer actions compared (cap {sim.get("peer_actions_cap", "–")}).'
             '</p><table><tr><th>target action</th><th>similar peer actions (score)</th></tr>')
    for s in rep["similar_actions"]:
        ms = "<br>".join(f'{escape(m["title"])} <span class="sub">— {escape(m["organization"])} '
                         f'({m["score"]:.2f})</span>' for m in s["matches"]) or '<span class="sub">none</span>'
        h.append(f'<tr><td>{escape(s["title"])}</td><td>{ms}</td></tr>')
    h.append("</table><h2>Peers</h2><table><tr><th>organisation</th><th>type</th><th>region</th><th>plan</th>"
             "<th>period</th><th>actions</th></tr>")
    for p in g["peers"]:
        h.append(f'<tr><td>{escape(p["organization"])}</td><td>{escape(p["org_type"] or "")}</td><td>'
                 f'{escape(p["region"] or "")}</td><td>{escape(p["plan_title"] or "")}</td><td>'
                 f'{_f(p["period_start"])}–{_f(p["period_end"])}</td><td class="n">{p["action"]}</td></tr>')
    h.append('</table><p class="legend">Generated by planscope benchmark.</p></body></html>')
    return "\n".join(h)
