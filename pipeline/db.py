"""Database URLs, engines and migrations (Alembic, run programmatically)."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

DEFAULT_DB = "sqlite:///data/curated/planscope.db"
ENV_DB = "PLANSCOPE_DB"


def resolve_url(url: str | None) -> str:
    """--db, else $PLANSCOPE_DB, else SQLite in data/curated/; bare postgresql:// gets psycopg 3."""
    url = url or os.environ.get(ENV_DB) or DEFAULT_DB
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None) -> Engine:
    url = resolve_url(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # foreign keys are off by default in SQLite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    return engine


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "models" / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def create_database_if_missing(engine: Engine) -> bool:
    """On PostgreSQL, create the URL's database when the server does not have it yet (as SQLite
    creates its file); returns whether it was created. Needs the CREATEDB right."""
    if engine.dialect.name != "postgresql" or not engine.url.database:
        return False
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect():
            return False
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = engine.url.database.replace('"', '""')
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # an identifier: it cannot be a bound parameter
    finally:
        admin.dispose()
    return True


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent), creating a missing PostgreSQL database."""
    from alembic import command

    create_database_if_missing(engine)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
