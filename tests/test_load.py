"""Loading into SQLite and PostgreSQL: idempotent, versioned, bulk."""
from __future__ import annotations

from planscope.pipeline.load.db import make_engine, migrate
from planscope.pipeline.load.store import OrgInfo, load_result, stats
from planscope.pipeline.process import process_bytes, process_file

DOCS = ["becancour-plan-100-jours.html", "drummondville-planification-2017-2022.html",
        "fiche-atelier-cadres-strategiques.pdf"]


def _load_samples(url, samples):
    engine = make_engine(url)
    migrate(engine)
    for name in DOCS:
        load_result(engine, name, process_file(samples / name))
    return engine


def test_load_is_idempotent(db_url, samples):
    engine = _load_samples(db_url, samples)
    first = stats(engine)
    assert first["documents"] == 3 and first["plans"] == 2
    assert first["axis"] == 6 and first["orientation"] == 20 and first["action"] == 27
    assert first["indicators"] > 0
    migrate(engine)  # a second migrate is a no-op
    for name in DOCS:
        assert load_result(engine, name, process_file(samples / name)).created is False
    assert stats(engine) == first


def test_changed_document_makes_a_new_plan_version(db_url, samples):
    engine = make_engine(db_url)
    migrate(engine)
    raw = (samples / "drummondville-planification-2017-2022.html").read_bytes()
    v1 = load_result(engine, "https://example.org/plan", process_bytes(raw, "plan.html"))
    changed = raw.replace(b"Valoriser les quartiers", b"Valoriser tous les quartiers")
    v2 = load_result(engine, "https://example.org/plan", process_bytes(changed, "plan.html"))
    assert v1.created and v2.created and v1.plan_id != v2.plan_id
    with engine.connect() as conn:
        versions = conn.exec_driver_sql("select version from plan order by version").scalars().all()
        parents = conn.exec_driver_sql("select count(*) from record where level='orientation' and parent_id is null"
                                       ).scalar_one()
    assert versions == [1, 2] and parents == 0


def test_organization_identity_is_resolved(sqlite_url, samples):
    engine = make_engine(sqlite_url)
    migrate(engine)
    r = process_file(samples / "003_820aabac6aeefe41.txt")
    load_result(engine, "a", r, OrgInfo(name="MRC de Bellechasse", org_type="mrc"))
    load_result(engine, "b", r, OrgInfo(name="Bellechasse (MRC)", population=52000))
    load_result(engine, "c", r, OrgInfo(name="MRC BELLECHASSE"))
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select name, org_type, population from organization").all()
    assert rows == [("MRC de Bellechasse", "mrc", 52000)]


def test_hostile_text_is_stored_verbatim(sqlite_url):
    engine = make_engine(sqlite_url)
    migrate(engine)
    text = ("Axe 1 : Robert'); DROP TABLE record;--\n\nObjectif : Réduire \x01 les % _ déchets\n\n"
            "Action : Mettre en place \"un plan\" ; DELETE FROM plan\n\nAction : Former les élus").encode()
    r = process_bytes(text, "evil.txt")
    assert r.is_plan
    load_result(engine, "evil", r)
    with engine.connect() as conn:
        titles = conn.exec_driver_sql("select title from record order by position").scalars().all()
    assert titles[0] == "Robert’); DROP TABLE record;--"  # apostrophes are unified, the rest kept
    assert "\x01" not in titles[1]


def test_migrations_match_the_models(db_url):
    """Alembic's autogenerate finds nothing to do after the migrations: schema.py and the
    migrations describe the same database, in SQLite and in PostgreSQL."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from planscope.models.schema import Base, include_object

    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []


def test_migrate_creates_a_missing_postgres_database(pg_url):
    """`migrate-db` on a server that lacks the URL's database creates it, as SQLite creates its file."""
    from sqlalchemy import create_engine, inspect

    from planscope.pipeline.load.db import make_engine, migrate

    missing = pg_url + "_new"
    engine = make_engine(missing)
    try:
        migrate(engine)
        assert "record" in inspect(engine).get_table_names()
        migrate(engine)  # a second time: nothing to create, nothing to upgrade
    finally:
        engine.dispose()
        admin = create_engine(pg_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{missing.rsplit("/", 1)[1]}" WITH (FORCE)')
        admin.dispose()
