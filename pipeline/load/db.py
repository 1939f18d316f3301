"""Database URLs, engines and migrations (Alembic, run programmatically)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from planscope.settings import load_settings


def resolve_url(url: str | None) -> str:
    """--db, else $PLANSCOPE_DB, else SQLite in data/curated/; bare postgresql:// gets psycopg 3."""
    return load_settings(db_url=url).db_url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (also ``sqlite:///file:PATH?mode=ro&uri=true``); None for memory/other."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    db = u.database
    if db.startswith("file:"):
        db = db[len("file:"):].split("?", 1)[0]
        if not db or db == ":memory:" or u.query.get("mode") == "memory":
            return None
    return Path(db)


def make_engine(url: str | None = None, mkdir: bool = True) -> Engine:
    url = resolve_url(url)
    path = sqlite_path(url)
    if path is not None and mkdir:
        path.parent.mkdir(parents=True, exist_ok=True)
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


_SHARED: dict[str, Engine] = {}


def shared_engine(url: str | None = None) -> Engine:
    """This process's one engine for a URL: a run and its tasks share it (and its connection pool)
    instead of building one per document. Dask workers are processes: one engine each."""
    url = resolve_url(url)
    engine = _SHARED.get(url)
    if engine is None:
        engine = _SHARED[url] = make_engine(url)
    return engine


def dispose_shared() -> None:
    """Close the shared engines' connections (the end of a run)."""
    while _SHARED:
        _SHARED.popitem()[1].dispose()


def alembic_config(engine: Engine):
    from importlib import resources

    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("planscope.models") / "migrations"))
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


def migrate(engine: Engine, create: bool = True) -> None:
    """Bring the schema to the newest migration (idempotent), creating a missing PostgreSQL database
    unless ``create`` is False."""
    from alembic import command

    if create:
        create_database_if_missing(engine)
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename); with foreign keys on, dropping
            # plan would cascade into record. The pragma only takes effect outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def open_db(url: str | None = None, *, create: bool = True, write: bool = False, shared: bool = False) -> Engine:
    """An engine on an up-to-date schema, or a one-line error (planscope.errors.UserError).

    ``create=False`` (the read-only commands) never creates a database: a missing SQLite file or
    PostgreSQL database is an error saying so. ``write=True`` also checks, with a write that is
    rolled back, that the database accepts writes (a read-only file fails here, not mid-run).
    ``shared=True`` gives the process's shared engine (:func:`shared_engine`), for a run."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from planscope.errors import DatabaseMissing, UserError, database_message

    url = resolve_url(url)
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise DatabaseMissing(f"database {path} does not exist (mistyped --db?); `planscope run` or "
                              f"`planscope migrate-db --db URL` creates one")
    engine = shared_engine(url) if shared else make_engine(url, mkdir=create)
    try:
        if not create and engine.dialect.name == "postgresql":
            try:
                with engine.connect():
                    pass
            except DBAPIError as exc:
                if "does not exist" in str(exc.orig) and "database" in str(exc.orig):
                    raise DatabaseMissing(f"database {engine.url.database!r} does not exist on "
                                          f"{engine.url.host}:{engine.url.port or 5432} (mistyped --db?); "
                                          f"`planscope migrate-db --db URL` creates it") from None
                raise
        migrate(engine, create=create)
        if write:
            with engine.connect() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
                conn.rollback()
    except DBAPIError as exc:
        engine.dispose()
        if shared:
            _SHARED.pop(url, None)
        raise UserError(database_message(exc, engine.url)) from exc
    return engine
