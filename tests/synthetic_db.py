"""Build a synthetic comparative database: 1,000 organisations with one plan each, 100,000 actions
(a test fixture, also used by bench/bench_benchmark.py).

    .venv/bin/python tests/synthetic_db.py --db sqlite:////tmp/synth.db
    .venv/bin/python tests/synthetic_db.py --db postgresql://postgres@127.0.0.1:5432/planscope_bench

The schema comes from the migrations; the rows are bulk-inserted with explicit ids (executemany
on SQLite, COPY on PostgreSQL). Titles are drawn from theme-specific phrases, and each action's
themes are the phrase's theme (rule "synthetic"), so no theme matching runs. An existing SQLite
file is replaced; a PostgreSQL database is emptied (TRUNCATE) first. Deterministic (--seed).
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timezone
from pathlib import Path


from planscope.pipeline.load.db import make_engine, migrate, resolve_url

REGIONS = ["Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean", "Capitale-Nationale", "Mauricie", "Estrie", "Montréal",
           "Outaouais", "Abitibi-Témiscamingue", "Côte-Nord", "Nord-du-Québec", "Gaspésie–Îles-de-la-Madeleine",
           "Chaudière-Appalaches", "Laval", "Lanaudière", "Laurentides", "Montérégie", "Centre-du-Québec"]
TYPES = [("municipalité", "Municipalité", 0.6), ("ville", "Ville", 0.28), ("mrc", "MRC", 0.1),
         ("agglomération", "Agglomération", 0.02)]
SAINTS = ["Saint-", "Sainte-", "Notre-Dame-de-", "Lac-", "Val-", "Mont-", "Rivière-", ""]
ROOTS = ["Anselme", "Claire", "Lazare", "Bernard", "Hénédine", "Gervais", "Charles", "Raphaël", "Damien", "Malachie",
         "Nérée", "Vallier", "Michel", "Cœur", "Frontenac", "Beauce", "Etchemin", "Bois", "Roches", "Pins", "Érables",
         "Cèdres", "Laurent", "Joseph", "Élisabeth", "Philémon", "Léon", "Agapit", "Apollinaire", "Sylvestre"]
VERBS = ["Élaborer", "Mettre en place", "Développer", "Réviser", "Soutenir", "Adopter", "Implanter", "Améliorer",
         "Planifier", "Réaliser", "Créer", "Bonifier", "Évaluer", "Promouvoir", "Déployer", "Consolider"]
OBJECTS = {
    "gouvernance": ["un tableau de bord de gestion", "la structure de gestion de projets", "le code d'éthique des élus",
                    "une entente intermunicipale de services"],
    "finances": ["le programme triennal d'immobilisations", "la politique de taxation", "une stratégie de réduction "
                 "de la dette", "la politique d'approvisionnement"],
    "communication": ["un bulletin municipal trimestriel", "la présence sur les réseaux sociaux",
                      "le site web municipal", "une campagne de sensibilisation"],
    "participation": ["des consultations publiques", "un budget participatif", "un comité citoyen consultatif"],
    "services": ["un guichet unique pour les citoyens", "les services en ligne", "la gestion des requêtes citoyennes",
                 "l'offre de services aux citoyens"],
    "rh": ["un plan de formation du personnel", "une stratégie de recrutement", "la politique de télétravail"],
    "economie": ["l'accueil des entreprises", "le parc industriel", "l'achat local", "le soutien aux entrepreneurs"],
    "tourisme": ["l'offre touristique régionale", "un circuit touristique", "le bureau d'information touristique"],
    "agriculture": ["le plan de développement de la zone agricole", "la relève agricole", "les circuits courts"],
    "environnement": ["la protection des milieux humides", "la plantation d'arbres", "un plan de développement durable"],
    "climat": ["un plan d'adaptation aux changements climatiques", "la réduction des émissions de GES",
               "l'efficacité énergétique des bâtiments"],
    "matieres-residuelles": ["la collecte des matières organiques", "un écocentre", "le plan de gestion des "
                             "matières résiduelles"],
    "eau": ["la mise aux normes de l'eau potable", "la gestion des eaux pluviales", "la protection des lacs"],
    "mobilite": ["le réseau cyclable", "le transport collectif", "la sécurité des déplacements piétons"],
    "amenagement": ["le plan d'urbanisme", "la revitalisation du noyau villageois", "la mise en valeur du patrimoine"],
    "habitation": ["l'accès au logement abordable", "un programme de rénovation résidentielle"],
    "loisirs-culture-sport": ["la politique culturelle", "les parcs et terrains de jeux", "l'offre de loisirs",
                              "la bibliothèque municipale"],
    "social": ["la politique familiale et MADA", "le soutien aux organismes communautaires", "l'inclusion sociale"],
    "securite": ["le plan de mesures d'urgence", "le schéma de couverture de risques incendie"],
    "infrastructures": ["la réfection des chaussées", "le plan de gestion des actifs", "la rénovation de l'hôtel de "
                        "ville"],
}
AXES = ["Gouvernance et services", "Milieu de vie", "Développement durable", "Économie et attractivité",
        "Communauté", "Territoire"]


def build(url: str, plans: int = 1000, actions: int = 100_000, seed: int = 7) -> dict:
    rng = random.Random(seed)
    url = resolve_url(url)
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    engine = make_engine(url)
    migrate(engine)
    t0 = time.monotonic()
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    themes = list(OBJECTS)
    orgs, sources, documents, plan_rows, records, indicators, record_themes = [], [], [], [], [], [], []
    per_plan = [max(20, int(rng.gauss(actions / plans, 30))) for _ in range(plans)]
    diff = actions - sum(per_plan)
    for i in range(abs(diff)):  # make the total exact
        j = i % plans
        per_plan[j] += 1 if diff > 0 else (-1 if per_plan[j] > 20 else 0)
    while sum(per_plan) > actions:
        j = rng.randrange(plans)
        if per_plan[j] > 20:
            per_plan[j] -= 1
    rid = 0
    names = set()
    for p in range(1, plans + 1):
        r = rng.random()
        typ, word = next((t, w) for t, w, share in TYPES if (r := r - share) < 0) if r < 1 else TYPES[0][:2]
        while True:
            name = f"{word} de {rng.choice(SAINTS)}{rng.choice(ROOTS)}-{rng.choice(ROOTS)}"
            if name not in names:
                names.add(name)
                break
        key = f"{typ}:synth-{p}"
        orgs.append({"id": p, "name": name, "key": key, "org_type": typ, "region": rng.choice(REGIONS),
                     "population": rng.randint(300, 150_000), "code": f"S{p:05d}"})
        sources.append({"id": p, "location": f"synthetic://plan/{p}", "organization_id": p, "notes": None})
        documents.append({"id": p, "source_id": p, "sha256": f"{p:064x}", "media_type": "application/pdf",
                          "size": 100_000, "fetched_at": now, "status": "ok", "error": None, "warnings": None,
                          "reasons": None, "is_plan": True, "parser": None, "is_current": True})
        start = rng.randint(2012, 2026)
        plan_rows.append({"id": p, "organization_id": p, "document_id": p, "source_id": p,
                          "title": f"Plan stratégique {start}-{start + 4}", "period_start": start,
                          "period_end": start + 4, "version": 1, "is_current": True})
        focus = rng.sample(themes, rng.randint(5, 12))  # each plan covers some themes
        pos = 0
        n_axes = rng.randint(3, 5)
        axis_ids, orient_ids = [], []
        for a in range(n_axes):
            rid += 1
            axis_ids.append(rid)
            records.append(_rec(rid, p, f"r{pos}", "axis", AXES[a % len(AXES)], None, pos))
            pos += 1
            for o in range(3):
                rid += 1
                orient_ids.append(rid)
                th = rng.choice(focus)
                records.append(_rec(rid, p, f"r{pos}", "orientation", f"Orientation : {rng.choice(OBJECTS[th])}",
                                    axis_ids[-1], pos))
                record_themes.append({"record_id": rid, "theme_code": th, "rule": "synthetic"})
                pos += 1
        for k in range(per_plan[p - 1]):
            rid += 1
            th = rng.choice(focus)
            title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS[th])}"
            if rng.random() < 0.3:
                title += f" ({rng.choice(['phase', 'volet', 'secteur'])} {rng.randint(1, 9)})"
            row = _rec(rid, p, f"r{pos}", "action", title, rng.choice(orient_ids), pos)
            row["deadline"] = str(rng.randint(start, start + 4)) if rng.random() < 0.5 else None
            row["responsible"] = rng.choice(["Direction générale", "Service des loisirs", "Travaux publics",
                                             "Urbanisme"]) if rng.random() < 0.6 else None
            records.append(row)
            record_themes.append({"record_id": rid, "theme_code": th, "rule": "synthetic"})
            if rng.random() < 0.4:
                indicators.append({"id": len(indicators) + 1, "record_id": rid, "label": "Indicateur",
                                   "text": "Nombre de réalisations"})
            pos += 1
    built = time.monotonic() - t0
    tables = [("organization", orgs), ("source", sources), ("document", documents), ("plan", plan_rows),
              ("record", records), ("indicator", indicators), ("record_theme", record_themes)]
    t1 = time.monotonic()
    if engine.dialect.name == "postgresql":
        _load_postgres(engine, tables)
    else:
        _load_generic(engine, tables)
    return {"url": engine.url.render_as_string(hide_password=True), "plans": plans,
            "actions": sum(1 for r in records if r["level"] == "action"), "records": len(records),
            "indicators": len(indicators), "record_themes": len(record_themes),
            "generate_s": round(built, 1), "insert_s": round(time.monotonic() - t1, 1)}


def _rec(rid, plan, key, level, title, parent, pos) -> dict:
    return {"id": rid, "plan_id": plan, "key": key, "level": level, "label": None, "number": None, "title": title,
            "description": None, "group": None, "parent_id": parent, "position": pos, "page": None, "bbox": None,
            "path": None, "responsible": None, "deadline": None, "status": None, "partners": None, "budget": None}


def _load_generic(engine, tables) -> None:
    from sqlalchemy import MetaData

    meta = MetaData()
    meta.reflect(engine, only=[t for t, _ in tables])
    with engine.begin() as conn:
        for name, rows in tables:
            table = meta.tables[name]
            for i in range(0, len(rows), 20_000):
                conn.execute(table.insert(), rows[i:i + 20_000])
        conn.exec_driver_sql("ANALYZE")


def _load_postgres(engine, tables) -> None:
    import json

    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE organization, source, document, plan, record, indicator, record_theme "
                             "RESTART IDENTITY CASCADE")
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            for name, rows in tables:
                cols = list(rows[0])
                quoted = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row([json.dumps(v) if isinstance(v, (list, dict)) else v for v in
                                        (r[c] for c in cols)])
        for name in ("organization", "source", "document", "plan", "record", "indicator"):
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                 f"(SELECT coalesce(max(id), 1) FROM {name}))")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="sqlite:////path/file.db or postgresql://user@host/db")
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--actions", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    t = time.monotonic()
    out = build(args.db, args.plans, args.actions, args.seed)
    out["total_s"] = round(time.monotonic() - t, 1)
    print(out)


if __name__ == "__main__":
    main()
