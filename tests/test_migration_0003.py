"""Migration 0003 keeps every row (no cascade from the SQLite table rebuild) and backfills the current flags."""
from __future__ import annotations

from sqlalchemy import text


def test_upgrade_from_0002_keeps_rows_and_marks_the_newest_current(db_url):
    from alembic import command

    from planscope.pipeline.load.db import alembic_config, make_engine, migrate

    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO source (id, location) VALUES (1, 'a.pdf')"))
        for i in (1, 2):
            conn.execute(text("INSERT INTO document (id, source_id, sha256, status) VALUES (:i, 1, :s, 'ok')"),
                         {"i": i, "s": f"sha{i}"})
            conn.execute(text("INSERT INTO plan (id, document_id, source_id, version) VALUES (:i, :i, 1, :i)"),
                         {"i": i})
            conn.execute(text("INSERT INTO record (id, plan_id, key, level, title, position) "
                              "VALUES (:i, :i, 'r1', 'axis', 'Axe', 0)"), {"i": i})
            conn.execute(text("INSERT INTO record_theme (record_id, theme_code) VALUES (:i, 'gouvernance')"),
                         {"i": i})
    migrate(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM record")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM record_theme")).scalar() == 2
        assert [tuple(r) for r in conn.execute(text("SELECT id, is_current FROM plan ORDER BY id"))] == \
            [(1, False), (2, True)]
        assert [tuple(r) for r in conn.execute(text(
            "SELECT id, is_current, rules_fingerprint FROM document ORDER BY id"))] == [(1, False, None), (2, True, None)]
        # several plans may now share one document
        conn.execute(text("INSERT INTO plan (id, document_id, source_id, version) VALUES (3, 2, 1, 3)"))
        assert conn.execute(text("SELECT count(*) FROM v_action")).scalar() == 0
    engine.dispose()
