"""planscope's defaults, read in one place: a command-line option, else the environment, else the
project home (``$PLANSCOPE_HOME``, else the current directory, as git and sqlite-utils do).

Every path default is relative to the home, never to where the code is installed: an installed
wheel and a checkout behave alike, and a scheduled worker gets its home from the deployment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

ENV_HOME = "PLANSCOPE_HOME"
ENV_DB = "PLANSCOPE_DB"
ENV_RAW = "PLANSCOPE_RAW"
ENV_SOURCES = "PLANSCOPE_SOURCES"
ENV_DOC_MEMORY_MB = "PLANSCOPE_DOC_MEMORY_MB"
ENV_DOC_TIMEOUT = "PLANSCOPE_DOC_TIMEOUT"
ENV_DEBUG = "PLANSCOPE_DEBUG"
ENV_RULES_FINGERPRINT = "PLANSCOPE_RULES_FINGERPRINT"

DB_FILE = Path("data/curated/planscope.db")
RAW_DIR = Path("data/raw/store")
EXPORTS_DIR = Path("data/curated/exports")
SOURCES_FILE = Path("data/raw/samples/sources.csv")
DOC_MEMORY_MB = 2048          # one document's extraction is killed above this (a hostile PDF)
DOC_TIMEOUT_S = 300.0         # ... or after this many seconds
MAX_BODY_BYTES = 200 * 1024 * 1024   # largest HTTP body a harvest accepts
HOST_DELAY_S = 2.0            # seconds between two requests to one host (politeness)
HOST_CONCURRENCY = 4          # hosts fetched at once


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    raw_dir: Path
    exports_dir: Path
    sources: Path
    doc_memory_bytes: int
    doc_timeout_s: float
    debug: bool
    rules_fingerprint: str  # an operator's own tag for the rules (empty: computed from code and data)


def _under(home: Path, value: str | os.PathLike | None, default: Path) -> Path:
    p = Path(value) if value else default
    return p if p.is_absolute() else home / p


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def normalise_db_url(url: str) -> str:
    """A bare postgresql:// URL gets the psycopg 3 driver planscope installs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def load_settings(db_url: str | None = None, raw_dir: str | os.PathLike | None = None,
                  sources: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Options win over the environment, the environment over the defaults."""
    env = os.environ if env is None else env
    home = Path(env.get(ENV_HOME) or ".")
    if env.get(ENV_HOME):
        home = home.resolve()
    url = db_url or env.get(ENV_DB) or sqlite_url(_under(home, None, DB_FILE))
    return Settings(
        home=home,
        db_url=normalise_db_url(url),
        raw_dir=_under(home, raw_dir or env.get(ENV_RAW), RAW_DIR),
        exports_dir=_under(home, None, EXPORTS_DIR),
        sources=_under(home, sources or env.get(ENV_SOURCES), SOURCES_FILE),
        doc_memory_bytes=int(env.get(ENV_DOC_MEMORY_MB) or DOC_MEMORY_MB) * 1024 * 1024,
        doc_timeout_s=float(env.get(ENV_DOC_TIMEOUT) or DOC_TIMEOUT_S),
        debug=env.get(ENV_DEBUG) == "1",
        rules_fingerprint=(env.get(ENV_RULES_FINGERPRINT) or "")[:64],
    )
