"""Shared fixtures: the vendored sample corpus and gold, SQLite and PostgreSQL databases."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw" / "samples"
GOLD = ROOT / "tests" / "fixtures" / "gold"
PG_ADMIN_URL = os.environ.get("PLANSCOPE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'planscope.db'}"


def _pg_admin():
    from sqlalchemy import create_engine

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    with engine.connect() as conn:
        conn.exec_driver_sql("select 1")
    return engine


@pytest.fixture
def pg_url():
    """A database of its own on the shared PostgreSQL server, dropped afterwards.

    Skips (with the reason) when no server answers, unless PLANSCOPE_REQUIRE_POSTGRES=1 (CI)."""
    try:
        admin = _pg_admin()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("PLANSCOPE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}: {type(exc).__name__}")
    name = f"planscope_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """The same test on an embedded SQLite file and on the shared PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planscope.db'}"
    return request.getfixturevalue("pg_url")
