"""Commands for comparing plans: `orgs`, `themes`, `benchmark` and `diff` (registered by planscope.cli.main)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from planscope.cli.options import db_option, format_option
from planscope.pipeline.report.tables import FORMATS, render


def _engine(db_url: str | None, write: bool = True):
    """Commands that write create the database if needed; read-only ones say it does not exist."""
    from planscope.pipeline.load.db import open_db

    return open_db(db_url, create=write, write=write)


@click.group("orgs")
def orgs() -> None:
    """Organisations: import a reference list (e.g. the Québec répertoire des municipalités)."""


@orgs.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@db_option
@format_option
def orgs_import(file: Path, db_url: str | None, fmt: str) -> None:
    """Upsert the organisations of a reference CSV (code géographique, nom, désignation, MRC,
    région administrative, population; `,` or `;`, UTF-8 or Windows-1252). Idempotent."""
    from planscope.pipeline.load.orgs import ImportErrorCSV, import_organizations

    try:
        report = import_organizations(_engine(db_url), file)
    except ImportErrorCSV as exc:
        raise click.ClickException(str(exc))
    click.echo(render(report.to_dict(), fmt))


@click.group("themes")
def themes() -> None:
    """The theme codebook (pipeline/data/themes.json) and theme tagging of records."""


@themes.command("list")
@format_option
def themes_list(fmt: str) -> None:
    """Print the codebook: code, parent, label, number of patterns."""
    from planscope.pipeline.normalise.themes import codebook

    rows = [{"code": t.code, "parent": t.parent, "label": t.label, "patterns": len(t.patterns)}
            for t in codebook().themes]
    click.echo(render(rows, fmt))


@themes.command("tag")
@db_option
@click.option("--all", "retag", is_flag=True, help="Re-tag every record (after a codebook change), not only "
                                                   "records without a theme.")
@format_option
def themes_tag(db_url: str | None, retag: bool, fmt: str) -> None:
    """Assign themes to records loaded before themes existed (or all records with --all)."""
    from planscope.pipeline.normalise.themes import tag_records

    click.echo(render(tag_records(_engine(db_url), retag=retag), fmt))


@click.command("benchmark")
@click.argument("org")
@click.option("--peers", default="type", show_default=True, metavar="type|region|all|ORG,ORG,...",
              help="Peer group: same type, same region, all organisations, or a comma-separated list of names.")
@click.option("--min-peers", type=int, default=3, show_default=True,
              help="With type/region: fewer peers than this → compare with all other organisations (and say so).")
@click.option("--top", "top_k", type=int, default=3, show_default=True, help="Similar peer actions per target action.")
@click.option("--max-peer-actions", type=int, default=3000, show_default=True,
              help="Peer actions compared for similarity (taken evenly across peers, theme overlap first).")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS + ("html",)), default="table", show_default=True,
              help="How to print the result (html: one self-contained file).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def benchmark(org: str, peers: str, min_peers: int, top_k: int, max_peer_actions: int, db_url: str | None, fmt: str,
              out_file: Path | None) -> None:
    """Compare ORG's plan with a peer group: records per level, indicator/deadline/owner shares,
    theme coverage and gaps, most similar peer actions, plan period and age."""
    from planscope.pipeline.report.benchmark import BenchmarkError, benchmark as run_benchmark
    from planscope.pipeline.report.benchmark_text import render_rows, render_table

    try:
        rep = run_benchmark(_engine(db_url, write=False), org, peers=peers, min_peers=min_peers, top_k=top_k,
                            max_peer_actions=max_peer_actions)
    except BenchmarkError as exc:
        raise click.ClickException(str(exc))
    if fmt == "json":
        text = json.dumps(rep, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        text = render(render_rows(rep), "csv", ["section", "item", "target", "peers", "detail"])
    elif fmt == "html":
        from planscope.pipeline.report.html import render_html
        text = render_html(rep)
    else:
        text = render_table(rep, width=100)
    if out_file:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out_file}", err=True)
    else:
        click.echo(text)
    if rep["peer_group"]["fallback"] and (out_file or fmt != "table"):
        click.echo(rep["peer_group"]["message"], err=True)


@click.command("diff")
@click.argument("org")
@click.option("--from", "old", type=int, default=None, metavar="V",
              help="The older version (default: the one before --to).")
@click.option("--to", "new", type=int, default=None, metavar="V", help="The newer version (default: the current one).")
@click.option("--source", default=None, metavar="LOCATION",
              help="Which of ORG's sources, when it has several (a location or part of one).")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def diff(org: str, old: int | None, new: int | None, source: str | None, db_url: str | None, fmt: str) -> None:
    """What changed between two versions of ORG's plan: records added, removed, retitled, moved."""
    from planscope.pipeline.report.diff import DiffError, plan_diff, render_diff

    try:
        d = plan_diff(_engine(db_url, write=False), org, source=source, old=old, new=new)
    except DiffError as exc:
        raise click.ClickException(str(exc))
    click.echo(json.dumps(d, ensure_ascii=False, indent=2) if fmt == "json" else render_diff(d))


from planscope.cli.serve import serve  # noqa: E402 - Datasette on the curated database

COMMANDS = (orgs, themes, benchmark, diff, serve)

