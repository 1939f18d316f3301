"""Browse the curated database in Datasette: a read-only SQLite snapshot with French metadata,
facets, canned queries and full-text search on record titles (`planscope serve`).

Why a snapshot, for SQLite too: Datasette serves SQLite only (a PostgreSQL database must be copied),
and the search index and the browsing tables (actions and records with their theme labels as JSON
arrays, so that Datasette can facet on them) must live in the served file, while the curated
database stays exactly as the migrations made it. The snapshot is served immutable, so nothing can
write to it either; `serve` says when it was taken.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

DB_NAME = "planscope"  # the snapshot's file stem: Datasette's database name and URL path
SKIP_TABLES = {"alembic_version"}

def snapshot(engine: Engine, dest: Path) -> dict:
    """Copy the curated database into the SQLite file `dest`, then add the browsing tables and the
    full-text index. Returns what was copied (tables, rows, kind of source)."""
    dest.unlink(missing_ok=True)
    if engine.dialect.name == "sqlite":
        src = sqlite3.connect(f"file:{engine.url.database}?mode=ro", uri=True)
        dst = sqlite3.connect(dest)
        with dst:
            src.backup(dst)  # a consistent copy, even while a run writes
        src.close()
        dst.close()
    else:
        _copy_rows(engine, dest)
    _add_browsing(dest)
    with sqlite3.connect(dest) as conn:
        records = conn.execute("SELECT count(*) FROM record").fetchone()[0]
        plans = conn.execute("SELECT count(*) FROM plan").fetchone()[0]
    return {"source": engine.dialect.name, "records": records, "plans": plans,
            "taken_at": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")}


def _copy_rows(engine: Engine, dest: Path) -> None:
    """PostgreSQL → SQLite: the schema from the migrations (SQLite views included), then the rows of
    every table, parents first; the codebook rows the migrations insert are replaced by the source's."""
    from planscope.pipeline.load.db import make_engine, migrate

    target = make_engine(f"sqlite:///{dest}")
    migrate(target)
    src_meta, dst_meta = MetaData(), MetaData()
    src_meta.reflect(engine)
    dst_meta.reflect(target)
    with engine.connect() as src, target.begin() as dst:
        dst.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        for table in reversed(dst_meta.sorted_tables):
            if table.name not in SKIP_TABLES:
                dst.execute(table.delete())
        for table in dst_meta.sorted_tables:
            if table.name in SKIP_TABLES or table.name not in src_meta.tables:
                continue
            src_table = src_meta.tables[table.name]
            cols = [c.name for c in table.columns if c.name in src_table.columns]
            result = src.execution_options(stream_results=True).execute(
                select(*[src_table.c[c] for c in cols]))
            for chunk in result.partitions(5000):
                dst.execute(table.insert(), [dict(zip(cols, row)) for row in chunk])
    target.dispose()


def _period_text(alias: str) -> str:
    """SQL: a plan's period as text ("2021–2025", "période inconnue") from ALIAS.period_start/end."""
    return (f"CASE WHEN {alias}.period_start IS NULL AND {alias}.period_end IS NULL THEN 'période inconnue' "
            f"ELSE coalesce(CAST({alias}.period_start AS TEXT), '?') || '–' || "
            f"coalesce(CAST({alias}.period_end AS TEXT), '?') END")


def _theme_labels(record_id: str) -> str:
    """SQL: the record's top theme labels, in codebook order, as a JSON array (Datasette facets it)."""
    return ("(SELECT json_group_array(label) FROM (SELECT t.label FROM record_theme rt "
            "JOIN theme t ON t.code = rt.theme_code "
            f"WHERE rt.record_id = {record_id} AND t.parent IS NULL ORDER BY t.position))")


def _add_browsing(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # one file: served immutable, no -wal beside it
        # v_action as a table: the view's columns, plus the period as text and the theme labels as a
        # JSON array (facets), and the action id as rowid (search joins on it)
        view_cols = [r[1] for r in conn.execute("PRAGMA table_info(v_action)")]
        conn.execute("CREATE TABLE v_action_t AS SELECT * FROM v_action")
        conn.execute("DROP VIEW v_action")
        cols = ", ".join(f'"{c}"' for c in view_cols)
        others = ", ".join(f'"{c}"' for c in view_cols if c != "action_id")
        conn.execute(f"CREATE TABLE v_action (action_id INTEGER PRIMARY KEY, {others}, period TEXT, theme_labels TEXT)")
        conn.execute(f"""INSERT INTO v_action ({cols}, period, theme_labels)
            SELECT {', '.join('v.' + f'"{c}"' for c in view_cols)},
                   {_period_text('v')}, {_theme_labels('v.action_id')}
            FROM v_action_t v""")
        conn.execute("DROP TABLE v_action_t")
        # every record (axes, orientations, actions) with its level in French: the level facet
        conn.execute("""CREATE TABLE v_record (record_id INTEGER PRIMARY KEY, organization TEXT, org_type TEXT,
            region TEXT, plan_id INTEGER, plan_title TEXT, level TEXT, number TEXT, title TEXT, parent_title TEXT,
            responsible TEXT, deadline TEXT, period_start INTEGER, period_end INTEGER, period TEXT,
            theme_labels TEXT)""")
        conn.execute(f"""INSERT INTO v_record
            SELECT r.id, o.name, o.org_type, o.region, p.id, p.title,
                   CASE r.level WHEN 'axis' THEN 'axe' ELSE r.level END, r.number, r.title, par.title,
                   r.responsible, r.deadline, p.period_start, p.period_end,
                   {_period_text('p')}, {_theme_labels('r.id')}
            FROM record r JOIN plan p ON p.id = r.plan_id LEFT JOIN organization o ON o.id = p.organization_id
            LEFT JOIN record par ON par.id = r.parent_id
            WHERE p.is_current""")
        # full-text search on record titles; accents folded so that « developpement » finds « développement »
        conn.execute("CREATE VIRTUAL TABLE record_fts USING fts5(title, content='record', content_rowid='id', "
                     "tokenize='unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO record_fts(record_fts) VALUES ('rebuild')")
    conn.execute("VACUUM")
    conn.close()


def metadata() -> dict:
    """Datasette metadata in French: descriptions, units, default facets, search, canned queries."""
    search = {"fts_table": "record_fts", "searchmode": "raw"}
    period_col = "période du plan, en texte (« 2021–2025 », « période inconnue »)"
    themes_col = "thèmes du codebook (libellés), en tableau JSON : facette « theme_labels »"
    return {
        "title": "planscope — plans municipaux",
        "description": "Axes, orientations et actions des plans stratégiques municipaux, par organisation, région, "
                       "thème et période. Instantané en lecture seule de la base curée.",
        "databases": {DB_NAME: {
            "description": "Base curée de planscope (instantané).",
            "tables": {
                "v_action": {
                    "title": "Actions",
                    "description": "Une ligne par action des plans : organisation, région, plan, période, axe, "
                                   "orientation, thèmes, nombre d’indicateurs. Recherche plein texte sur le titre.",
                    "facets": ["organization", "region", {"array": "theme_labels"}, "period"],
                    "sort": "organization", "fts_pk": "action_id", **search,
                    "columns": {
                        "action_id": "identifiant de l’action (record.id)", "organization": "organisation",
                        "org_type": "type d’organisation (ville, mrc, municipalité…)",
                        "region": "région administrative", "plan_title": "titre du plan",
                        "period_start": "première année du plan", "period_end": "dernière année du plan",
                        "plan_version": "version du plan pour sa source (1, 2…)", "axis": "axe parent",
                        "orientation": "orientation parente", "title": "titre de l’action",
                        "responsible": "responsable (service, direction)", "deadline": "échéance (texte du plan)",
                        "status": "état d’avancement (texte du plan)",
                        "themes": "codes des thèmes principaux, séparés par « ; »",
                        "subthemes": "codes des sous-thèmes", "indicators": "nombre d’indicateurs (nombre)",
                        "period": period_col, "theme_labels": themes_col},
                },
                "v_record": {
                    "title": "Éléments de plan (tous niveaux)",
                    "description": "Axes, orientations et actions des plans courants, avec le niveau en français.",
                    "facets": ["organization", "region", {"array": "theme_labels"}, "level", "period"],
                    "sort": "record_id", "fts_pk": "record_id", **search,
                    "columns": {"record_id": "identifiant (record.id)", "level": "niveau : axe, orientation, action",
                                "title": "titre", "parent_title": "titre de l’élément parent",
                                "organization": "organisation", "region": "région administrative",
                                "period": period_col, "theme_labels": themes_col},
                },
                "v_theme_coverage": {
                    "title": "Couverture des thèmes par plan",
                    "description": "Par plan et thème principal : éléments et actions associés au thème.",
                    "facets": ["organization", "theme_label"],
                    "columns": {"records": "éléments associés au thème (nombre)",
                                "actions": "actions associées au thème (nombre)",
                                "plan_actions": "actions du plan (nombre)",
                                "action_share": "part des actions du plan associées au thème (0 à 1)"},
                },
                "record": {"description": "Éléments extraits des plans (axes, orientations, actions).",
                           "fts_pk": "id", **search},
                "organization": {"description": "Organisations (municipalités, MRC…) et leur région.",
                                 "facets": ["org_type", "region"],
                                 "columns": {"population": "population (habitants)", "code": "code géographique"}},
                "plan": {"description": "Plans : un par document reconnu comme plan ; version par source.",
                         "columns": {"is_current": "1 : le plan que la source publie aujourd’hui",
                                     "period_start": "première année", "period_end": "dernière année"}},
                "document": {"description": "Documents lus (PDF, HTML, texte) et leur statut d’extraction.",
                             "facets": ["status", "media_type"], "units": {"size": "byte"},
                             "columns": {"size": "taille (octets)"}},
                "source": {"description": "Sources du registre (URL ou chemin)."},
                "indicator": {"description": "Indicateurs rattachés aux éléments."},
                "theme": {"description": "Codebook des thèmes (code, libellé, parent)."},
                "record_theme": {"description": "Thèmes associés à chaque élément (règle qui l’a déclenché)."},
                "fetch_log": {"description": "Journal des requêtes HTTP des moissonnages."},
                "record_fts": {"hidden": True},
            },
            "queries": {
                "actions_par_theme": {
                    "title": "Actions d’un thème, toutes organisations",
                    "description": "Code ou libellé du thème (ex. « environnement » ou « Eau »).",
                    "sql": "SELECT a.organization, a.region, a.period, a.axis, a.orientation, a.title\n"
                           "FROM v_action a\n"
                           "WHERE a.action_id IN (SELECT rt.record_id FROM record_theme rt JOIN theme t "
                           "ON t.code = rt.theme_code\n  WHERE t.code = :theme OR t.label = :theme)\n"
                           "ORDER BY a.organization, a.action_id",
                },
                "plans_par_region": {
                    "title": "Plans courants par région",
                    "sql": "SELECT coalesce(o.region, '(région inconnue)') AS region, count(*) AS plans,\n"
                           "       count(DISTINCT o.id) AS nb_organisations, group_concat(DISTINCT o.name) AS organisations\n"
                           "FROM plan p JOIN organization o ON o.id = p.organization_id\n"
                           "WHERE p.is_current GROUP BY 1 ORDER BY plans DESC, region",
                },
                "plans_finissant_cette_annee": {
                    "title": "Plans qui se terminent cette année",
                    "sql": "SELECT o.name AS organisation, o.region, p.title AS plan, p.period_start, p.period_end\n"
                           "FROM plan p JOIN organization o ON o.id = p.organization_id\n"
                           "WHERE p.is_current AND p.period_end = CAST(strftime('%Y', 'now') AS INTEGER)\n"
                           "ORDER BY o.name",
                },
            },
        }},
    }


def make_app(path: Path):
    """The Datasette ASGI app on the snapshot (immutable: read-only, counts and facets cached)."""
    import asyncio

    from datasette.app import Datasette  # first: importing its plugins before it breaks their registration
    from datasette import handle_exception

    # Datasette prints every error page's traceback, with its locals, when `rich` is installed (it is,
    # through prefect): a mistyped query is answered in the page, not dumped in the terminal.
    handle_exception.rich = None

    ds = Datasette(immutables=[str(path)], metadata=metadata(),
                   settings={"default_page_size": 50, "facet_time_limit_ms": 1000, "sql_time_limit_ms": 5000,
                             "max_returned_rows": 2000, "suggest_facets": False})
    asyncio.run(ds.invoke_startup())
    return ds.app()
