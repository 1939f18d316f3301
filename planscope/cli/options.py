"""Options shared by the commands: database, output format, allowed private hosts."""
from __future__ import annotations

import click

from planscope.pipeline.report.tables import FORMATS
from planscope.settings import DB_FILE, ENV_DB

db_option = click.option("--db", "db_url", default=None, metavar="URL",
                         help=f"Database URL (default: ${ENV_DB} or sqlite:///{DB_FILE}).")

format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="How to print the result.")

allow_host_option = click.option(
    "--allow-host", "allow_hosts", multiple=True, metavar="HOST",
    help="Allow this host (name or IP literal) although it resolves to a loopback or private address: a local "
         "mirror, an intranet server, a test server. Repeatable; other private addresses stay refused.")
