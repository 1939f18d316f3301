"""Deterministic benchmark inputs: plan PDFs (text, lists, ruled tables), a 300 KB web page and a
registry of documents (a test fixture generator, also used by bench/run_bench.py).

    .venv/bin/python tests/plan_inputs.py OUT_DIR [--pages 60,240,500] [--registry 200]

Writes OUT_DIR/plan{N}.pdf, OUT_DIR/page300k.html and OUT_DIR/registry/{sources.csv, docs/*}.
The PDFs look like a municipal strategic plan: a running header and footer, an axis heading
(H1) every few pages, orientation headings (H2), justified paragraphs, bullet lists of actions
and, on every third page, a ruled 6-column table of actions (header row + 12 rows, wrapped
cells, full grid). Fonts are DejaVu TTF (embedded, subset) when present, else Helvetica.
"""
from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

VERBS = ["Élaborer", "Mettre en place", "Développer", "Réviser", "Soutenir", "Adopter", "Implanter", "Améliorer",
         "Planifier", "Réaliser", "Créer", "Bonifier", "Évaluer", "Promouvoir", "Déployer", "Consolider"]
OBJECTS = ["un tableau de bord de gestion", "la politique de taxation", "le site web municipal",
           "un budget participatif", "les services en ligne", "un plan de formation du personnel",
           "l'accueil des entreprises", "l'offre touristique régionale", "la relève agricole",
           "la protection des milieux humides", "la réduction des émissions de GES", "un écocentre",
           "la gestion des eaux pluviales", "le réseau cyclable", "la revitalisation du noyau villageois",
           "l'accès au logement abordable", "la politique culturelle", "les parcs et terrains de jeux",
           "l'éclairage public et la sobriété énergétique", "la sécurité des déplacements piétons"]
TAILS = ["avec le soutien de la MRC", "en collaboration avec les organismes du milieu", "d'ici la fin du plan",
         "dans l'ensemble des quartiers", "auprès des citoyens et des entreprises", ""]
SERVICES = ["Direction générale", "Services techniques", "Urbanisme", "Loisirs et culture", "Greffe", "Trésorerie"]
WORDS = ("la municipalité souhaite améliorer qualité de vie des citoyens soutenir vitalité quartiers grâce "
         "à des services proximité accessibles toutes et tous le conseil entend poursuivre les efforts "
         "consentis depuis plusieurs années afin de favoriser un développement harmonieux durable du territoire "
         "en misant sur la concertation partenaires régionaux ainsi que sur participation citoyenne").split()
AXES = ["Gouvernance et services aux citoyens", "Développement économique", "Environnement et climat",
        "Aménagement du territoire", "Vie communautaire, loisirs et culture", "Mobilité et sécurité"]


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = Path("/usr/share/fonts/truetype/dejavu")
    if (base / "DejaVuSans.ttf").exists() and (base / "DejaVuSans-Bold.ttf").exists():
        try:
            pdfmetrics.registerFont(TTFont("DejaVu", str(base / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(base / "DejaVuSans-Bold.ttf")))
            return "DejaVu", "DejaVu-Bold"
        except Exception:
            pass
    return "Helvetica", "Helvetica-Bold"


def _sentence(rng: random.Random) -> str:
    n = rng.randint(12, 24)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[:1].upper() + s[1:] + "."


def _action(rng: random.Random) -> str:
    return " ".join(x for x in (rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)) if x)


def _fit(c, text: str, font: str, size: float, width: float) -> str:
    while c.stringWidth(text, font, size) > width and " " in text:
        text = text.rsplit(" ", 1)[0]
    return text


def _wrap(c, text: str, font: str, size: float, width: float) -> list[str]:
    out, cur = [], ""
    for w in text.split():
        t = f"{cur} {w}".strip()
        if cur and c.stringWidth(t, font, size) > width:
            out.append(cur)
            cur = w
        else:
            cur = t
    return out + ([cur] if cur else [])


def make_plan_pdf(n_pages: int, seed: int = 7, town: str = "Saint-Exemple-sur-Loire") -> bytes:
    """A plan of n_pages: every third page carries a ruled action table, the others text and lists."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    rng = random.Random(seed)
    body, bold = _fonts()
    w, h = A4
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(f"Plan stratégique 2025-2030 — {town}")
    axis = orient = act = 0
    left, right = 60, w - 60

    def y(top: float) -> float:
        return h - top

    for p in range(1, n_pages + 1):
        c.setFont(body, 8)
        c.drawString(left, y(30), f"Municipalité de {town} — Plan stratégique 2025-2030")
        c.drawRightString(right, y(815), f"Page {p}")
        top = 70.0
        if p % 6 == 1:
            axis += 1
            orient = 0
            c.setFont(bold, 16)
            c.drawString(left, y(top + 16), f"Axe {axis} : {AXES[(axis - 1) % len(AXES)]}")
            top += 34
        if p % 3 == 1:  # a table page: an orientation heading then a ruled action table
            orient += 1
            c.setFont(bold, 12)
            c.drawString(left, y(top + 12), _fit(c, f"Orientation {axis}.{orient} : {_action(rng).capitalize()}",
                                                bold, 12, right - left))
            top += 26
            cols = [44, 170, 90, 60, 50, 61]
            head = ["No", "Action", "Responsable", "Échéance", "Budget", "Partenaires"]
            rows = [head]
            for _ in range(12):
                act += 1
                rows.append([f"{axis}.{orient}.{act}", _action(rng), rng.choice(SERVICES),
                             f"{2025 + rng.randint(0, 4)}", f"{rng.randint(1, 90) * 5} 000 $",
                             rng.choice(["MRC", "CLD", "OBV", "—"])])
            x_edges = [left]
            for cw in cols:
                x_edges.append(x_edges[-1] + cw)
            row_tops = []
            for r, row in enumerate(rows):
                font, size = (bold, 8) if r == 0 else (body, 8)
                cells = [_wrap(c, txt, font, size, cols[k] - 6) for k, txt in enumerate(row)]
                height = max(len(cl) for cl in cells) * 10 + 6
                row_tops.append(top)
                for k, cl in enumerate(cells):
                    c.setFont(font, size)
                    for n, line in enumerate(cl):
                        c.drawString(x_edges[k] + 3, y(top + 3 + (n + 1) * 10 - 2), line)
                top += height
            row_tops.append(top)
            c.setLineWidth(0.5)
            for t in row_tops:
                c.line(x_edges[0], y(t), x_edges[-1], y(t))
            for x in x_edges:
                c.line(x, y(row_tops[0]), x, y(row_tops[-1]))
            top += 16
        # Text: paragraphs and a bullet list of actions until the page is full.
        while top < 760:
            if rng.random() < 0.3:
                c.setFont(bold, 11)
                c.drawString(left, y(top + 11), _fit(c, _action(rng).capitalize(), bold, 11, right - left))
                top += 20
            para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
            c.setFont(body, 10)
            for line in _wrap(c, para, body, 10, right - left):
                if top > 780:
                    break
                c.drawString(left, y(top + 10), line)
                top += 13
            top += 8
            if top < 700 and rng.random() < 0.6:
                for _ in range(rng.randint(3, 6)):
                    lines = _wrap(c, _action(rng) + ".", body, 10, right - left - 20)
                    c.drawString(left + 6, y(top + 10), "•")
                    for line in lines:
                        c.drawString(left + 20, y(top + 10), line)
                        top += 13
                    if top > 770:
                        break
                top += 8
        c.showPage()
    c.save()
    return buf.getvalue()


def make_html(target_bytes: int = 300_000, seed: int = 11) -> str:
    """A CMS-like page: mega-menu, inline CSS/JS, a plan body with headings, lists and tables."""
    rng = random.Random(seed)
    menu = "".join(f"<li><a href='/s{i}/{j}'>Rubrique {i}.{j}</a></li>" for i in range(12) for j in range(15))
    head = ("<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Plan stratégique — Ville</title>"
            "<style>" + ".c{color:#123;margin:0 auto}" * 300 + "</style><script>" + "var x=1;" * 600 +
            "</script></head><body><header><nav><ul>" + menu + "</ul></nav></header><main>")
    parts = [head, "<h1>Plan stratégique 2025-2030</h1>"]
    axis = 0
    while sum(map(len, parts)) < target_bytes - 200:
        axis += 1
        parts.append(f"<h2>Axe {axis} : {AXES[(axis - 1) % len(AXES)]}</h2>")
        for o in range(1, 4):
            parts.append(f"<h3>Orientation {axis}.{o} : {_action(rng)}</h3>")
            parts.append("<p>" + " ".join(_sentence(rng) for _ in range(4)) + "</p>")
            parts.append("<ul>" + "".join(f"<li>{_action(rng)}</li>" for _ in range(5)) + "</ul>")
        rows = "".join(f"<tr><td>{axis}.{k}</td><td>{_action(rng)}</td><td>{rng.choice(SERVICES)}</td>"
                       f"<td>{2025 + k % 5}</td></tr>" for k in range(1, 13))
        parts.append("<table><tr><th>No</th><th>Action</th><th>Responsable</th><th>Échéance</th></tr>" + rows +
                     "</table>")
    parts.append("</main><footer>© Ville</footer></body></html>")
    return "".join(parts)


def make_text_plan(k: int, rng: random.Random) -> str:
    """A small plain-text plan (registry documents): 3 axes × 2 orientations × 4 actions."""
    out = [f"Plan d'action 2025-2029 de la Municipalité de Saint-Exemple-{k}", ""]
    for a in range(1, 4):
        out += [f"Axe {a} : {AXES[(a + k) % len(AXES)]}", ""]
        for o in range(1, 3):
            out += [f"Orientation {a}.{o} : {_action(rng)}", ""]
            out += [f"Action {a}.{o}.{n} : {_action(rng)}" for n in range(1, 5)] + [""]
    return "\n".join(out)


def make_registry(out: Path, n: int = 200, seed: int = 5, pdf_every: int = 10, pdf_pages: int = 4) -> Path:
    """n local documents (mostly text plans, every pdf_every-th a pdf_pages-page PDF plan) and a sources.csv."""
    rng = random.Random(seed)
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    lines = ["organization,organization_type,region,url"]
    for k in range(n):
        if pdf_every and k % pdf_every == 0:
            name = f"plan{k:03d}.pdf"
            (docs / name).write_bytes(make_plan_pdf(pdf_pages, seed=k, town=f"Saint-Exemple-{k}"))
        else:
            name = f"plan{k:03d}.txt"
            (docs / name).write_text(make_text_plan(k, rng), encoding="utf-8")
        lines.append(f"Saint-Exemple-{k},municipalité,Estrie,docs/{name}")
    (out / "sources.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out / "sources.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--pages", default="60,240,500")
    ap.add_argument("--registry", type=int, default=200)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for n in [int(x) for x in a.pages.split(",") if x]:
        p = out / f"plan{n}.pdf"
        if not p.exists():
            p.write_bytes(make_plan_pdf(n))
    (out / "page300k.html").write_text(make_html(), encoding="utf-8")
    if a.registry:
        make_registry(out / "registry", a.registry)
    print(out)


if __name__ == "__main__":
    main()
