"""`planscope serve`: browse the curated database in Datasette (registered by planscope.cli.compare)."""
from __future__ import annotations

import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from planscope.cli.options import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
def serve(db_url: str | None, host: str, port: int) -> None:
    """Browse the database in Datasette, read-only: facets by organisation, region, theme, level and
    period, canned queries, full-text search on titles. Serves a snapshot taken at start-up."""
    from planscope.pipeline.load.db import open_db, resolve_url
    from planscope.pipeline.report.browse import DB_NAME, make_app, snapshot

    url = resolve_url(db_url)
    engine = open_db(url, create=False)  # a missing database is one line, before anything starts
    tmp = Path(tempfile.mkdtemp(prefix="planscope-serve-"))
    try:
        path = tmp / f"{DB_NAME}.db"
        info = snapshot(engine, path)
        engine.dispose()
        kind = "PostgreSQL" if info["source"] == "postgresql" else "SQLite"
        click.echo(f"Base {kind} {engine.url.render_as_string(hide_password=True)} : instantané SQLite en lecture "
                   f"seule pris le {info['taken_at']} ({info['plans']} plans, {info['records']} éléments) ; "
                   f"relancer serve pour voir les chargements suivants.", err=True)
        click.echo(f"Datasette : http://{host}:{port}/{DB_NAME} (actions : /{DB_NAME}/v_action) ; Ctrl-C pour arrêter.",
                   err=True)
        import uvicorn

        # uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again: as exceptions, both
        # come back here, and the snapshot is removed.
        signal.signal(signal.SIGTERM, _exit)
        uvicorn.run(make_app(path), host=host, port=port, log_level="warning", lifespan="off")
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        click.echo("serve arrêté ; instantané supprimé.", err=True)


def _exit(signum, _frame):
    sys.exit(128 + signum)
