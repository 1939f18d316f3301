"""The `planscope` command line: one group, verb subcommands."""
from __future__ import annotations

import atexit
import gc
import json
import os
import signal
import sys
import time
from pathlib import Path

import click

from planscope.cli.options import allow_host_option, db_option, format_option
from planscope.pipeline.report.tables import render
from planscope.settings import load_settings

# Quiet, offline-friendly Prefect defaults; the operator's own settings win.
for _key, _value in {"PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                     "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
                     "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
                     # Dask's scheduler and workers log every start and stop at INFO on the console
                     "DASK_LOGGING__DISTRIBUTED": "warning"}.items():
    os.environ.setdefault(_key, _value)


# At exit, the interpreter's last garbage collections walk every object Prefect, pydantic and
# SQLAlchemy built (~2 s after a run's summary); frozen, they are skipped. Registered first, so it
# runs after every other exit handler; nothing here relies on a collector-run finaliser at exit.
atexit.register(gc.freeze)


class _Main(click.Group):
    """Expected failures (bad registry, missing file, unreachable or read-only database…) end as one
    line and exit status 1; --debug (or PLANSCOPE_DEBUG=1) shows the traceback instead."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - every other failure becomes one line
            if ctx.params.get("debug") or load_settings().debug:
                raise
            from planscope.errors import one_line

            raise click.ClickException(one_line(exc)) from exc


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planscope")
@click.option("--debug", is_flag=True, help="Show the full traceback of a failure instead of one line.")
def main(debug: bool) -> None:
    """planscope: municipal plans (PDF, web pages, text) → axis / orientation / action records
    → a comparative SQL database."""


def read_registry(path: Path):
    """The registry's rows, or a one-line error naming the file (and the line)."""
    from planscope.errors import UserError, registry_message
    from planscope.pipeline.fetch.registry import RegistryError, read_sources

    if not path.exists():
        raise UserError(f"sources registry {path} does not exist; give an existing CSV with --sources")
    if path.is_dir():
        raise UserError(f"sources registry {path} is a folder; give the CSV file with --sources")
    try:
        return read_sources(path, allow_local=True)
    except RegistryError as exc:
        raise UserError(registry_message(exc)) from None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one <file name>.json per input, in the exchange format.")
@click.option("--blocks/--no-blocks", default=False, help="Also write <file name>.blocks.json (the typed blocks).")
def extract(files: tuple[Path, ...], out_dir: Path, blocks: bool) -> None:
    """Extract plan records from FILES into OUT/<file name>.json (exchange format).

    A file that cannot be read gives a one-line error naming it; the others go on.
    The exit status is 1 when any file failed."""
    from planscope.extractors.blocks import OK, PARTIAL
    from planscope.pipeline.process import process

    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for n, path in enumerate(files, 1):
        if path.is_dir():
            click.echo(f"{path}: is a folder, skipped (give its files: {path}/*)", err=True)
            failed += 1
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"{path}: cannot read ({exc.strerror or exc})", err=True)
            failed += 1
            continue
        try:
            ex, result = process(data, path.name)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            if load_settings().debug or click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"{path}: failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                       err=True)
            failed += 1
            continue
        (out_dir / f"{path.name}.json").write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
        if blocks:
            (out_dir / f"{path.name}.blocks.json").write_text(json.dumps(ex.to_dict(), ensure_ascii=False),
                                                              encoding="utf-8")
        if ex.status not in (OK, PARTIAL):
            click.echo(f"{path}: {ex.status}: {ex.reason}", err=True)
            failed += 1
        elif len(files) > 1:
            click.echo(f"[{n}/{len(files)}] {path.name}: {'plan' if result.is_plan else 'not a plan'}, "
                       f"{len(result.records)} records", err=True)
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) failed", err=True)
        sys.exit(1)


@main.command()
@click.option("--sources", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources registry CSV (organization,url,...). Default: the bundled sample corpus.")
@db_option
@click.option("--workers", type=int, default=1, show_default=True,
              help="Extract documents in N processes through Prefect's DaskTaskRunner.")
@click.option("--dask-address", default=None, metavar="tcp://HOST:PORT",
              help="Use an existing Dask scheduler instead of a local cluster.")
@allow_host_option
@click.option("--reprocess", is_flag=True,
              help="Extract every document again, even those loaded under the same rules (a plan version is "
                   "added only where the records change).")
@format_option
def run(sources: Path | None, db_url: str | None, workers: int, dask_address: str | None,
        allow_hosts: tuple[str, ...], reprocess: bool, fmt: str) -> None:
    """The main job (a Prefect flow): read the registry, extract, structure, normalise, load."""
    from planscope.pipeline.load.db import dispose_shared, open_db, resolve_url
    from planscope.pipeline.load.runplan import finish_summary, new_summary, nothing_to_extract, plan_work, read_entries

    t0 = time.monotonic()
    sources = sources or _default_sources()
    rows = read_registry(sources)  # a bad or missing registry is one line, before Prefect starts
    url = resolve_url(db_url)
    engine = open_db(url, write=True, shared=True)  # so is an unreachable or read-only database
    # Nothing to fetch and nothing to parse (every document loaded under these rules): the database
    # answers without Prefect, whose start-up would be most of the run's time.
    if not any(r.is_remote for r in rows):
        entries = read_entries(str(sources), rows)
        hashed = nothing_to_extract(engine, entries, reprocess)
        if hashed is not None:
            summary = new_summary(url)
            plan_work(engine, entries, summary, reprocess, hashed=hashed)
            summary["prefect_started"] = False
            summary = finish_summary(summary, engine)
            dispose_shared()
            _report(summary, t0, fmt)
            return

    previous = _stop_promptly()
    try:
        if not dask_address:  # local batches parse in children of this process's parsing server
            from planscope.pipeline.isolate import start_early

            start_early()  # the parsers and word lists load in the background while Prefect starts
        from planscope.flows.harvest_flow import run_pipeline
        from planscope.flows.local_server import api_for_run

        with api_for_run():  # $PREFECT_API_URL, else the API in a thread of this process
            summary = run_pipeline(sources=str(sources), db_url=url, workers=workers, dask_address=dask_address,
                                   allowed_hosts=list(allow_hosts) or None, reprocess=reprocess, rows=rows)
    finally:
        dispose_shared()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    summary["prefect_started"] = True
    _report(summary, t0, fmt)


def _report(summary: dict, t0: float, fmt: str) -> None:
    summary["seconds"] = round(time.monotonic() - t0, 1)
    click.echo(render(summary, fmt) if fmt != "table" else format_summary(summary))
    if summary["failures"]:
        sys.exit(1)  # any document failed (not loaded, or loaded with a failure status): a script must know


STOP_LINE = ("planscope run: stopped; the documents loaded so far are kept, each complete (one transaction "
             "each), the others not loaded; run again to finish")


def _stop_promptly() -> dict:
    """Ctrl-C (SIGINT, to the process group or not) or SIGTERM ends `run` at once with one line and
    status 130 (143): the document being loaded is rolled back by the database (its transaction never
    commits), the parse in progress dies with its parent, the Prefect API thread with the process.
    Returns the previous handlers."""
    def stop(signum, _frame):
        try:
            os.write(2, (STOP_LINE + "\n").encode())
            import multiprocessing

            for child in multiprocessing.active_children():
                child.kill()
        finally:
            os._exit(128 + signum)

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, stop)
        except ValueError:  # not the main thread (an embedding caller): leave signals alone
            pass
    return previous


def _default_sources() -> Path:
    from planscope.settings import load_settings

    return load_settings().sources


def format_summary(s: dict) -> str:
    """documents = loaded + restored + unchanged + not loaded; "failed" are the loaded ones recorded
    with a failure status (needs_ocr, encrypted, failed…)."""
    failed_loaded = s["loaded"] - s.get("loaded_ok", s["loaded"])
    notes = []
    if s.get("reextracted"):
        notes.append(f"{s['reextracted']} re-extracted under new rules, {s.get('new_versions', 0)} new plan version(s)")
    if failed_loaded:
        notes.append(f"{failed_loaded} of them failed")
    parts = [f"{s['loaded']} loaded" + (f" ({'; '.join(notes)})" if notes else "")]
    if s.get("restored"):
        parts.append(f"{s['restored']} restored (an older version is current again)")
    parts.append(f"{s['unchanged']} unchanged")
    if s.get("not_loaded"):
        parts.append(f"{s['not_loaded']} not loaded (failed to fetch or read)")
    lines = [f"{s['documents']} documents: {', '.join(parts)} → {s['plans']} plans: "
             f"{s['records'].get('axis', 0)} axes, {s['records'].get('orientation', 0)} orientations, "
             f"{s['records'].get('action', 0)} actions  [{s.get('seconds', '?')} s, {s['db']}]"]
    for f in s["failures"]:
        lines.append(f"  ✗ {f['source']}: {f['status']}: {f['reason']}")
    return "\n".join(lines)


@main.command()
@click.option("--sources", type=click.Path(path_type=Path), required=True,
              help="Sources registry CSV (organization,url,organization_type,region,population,notes).")
@click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Content-addressed store for the fetched bytes (default: $PLANSCOPE_RAW or data/raw/store).")
@db_option
@click.option("--delay", type=float, default=2.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--concurrency", type=int, default=4, show_default=True, help="Hosts fetched at once.")
@click.option("--max-bytes", type=int, default=200 * 1024 * 1024, show_default=True, help="Largest body accepted.")
@click.option("--user-agent", default=None, help="User-Agent with a contact address (default: planscope's).")
@allow_host_option
@format_option
def harvest(sources: Path, raw_dir: Path, db_url: str | None, delay: float, concurrency: int, max_bytes: int,
            user_agent: str | None, allow_hosts: tuple[str, ...], fmt: str) -> None:
    """Fetch the registry's web sources politely into the raw store (robots.txt, per-host delay,
    retries, size limits, conditional requests); every request is logged in fetch_log."""
    from planscope.pipeline.load.db import open_db
    from planscope.pipeline.fetch.harvest import HarvestConfig, harvest as run_harvest
    from planscope.pipeline.fetch.rawstore import RawStore

    rows = [r for r in read_registry(sources) if r.is_remote]
    engine = open_db(db_url, write=True)
    kw = {"user_agent": user_agent} if user_agent else {}
    from planscope.settings import load_settings

    report = run_harvest(rows, RawStore(load_settings(raw_dir=raw_dir).raw_dir), engine,
                         HarvestConfig(delay=delay, concurrency=concurrency, max_body_bytes=max_bytes,
                                       allowed_hosts=frozenset(allow_hosts), **kw))
    if fmt != "table":
        click.echo(render(report.to_dict(), fmt))
        return
    rows_out = [{"url": d.url, "outcome": d.outcome, "type": d.media_type, "bytes": d.size,
                 "error": d.error} for d in report.documents()]
    click.echo(render(rows_out, "table"))
    c = report.counts()
    click.echo(f"\n{c['new']} new, {c['unchanged']} unchanged, {c['error']} errors; {report.requests} requests, "
               f"{report.bytes_downloaded} bytes in {report.seconds:.1f} s")


@main.command()
@db_option
@format_option
def stats(db_url: str | None, fmt: str) -> None:
    """Counts of organisations, documents, plans and records per level (and document statuses)."""
    from planscope.pipeline.load.db import open_db
    from planscope.pipeline.load.store import stats as db_stats

    engine = open_db(db_url, create=False)
    click.echo(render(db_stats(engine), fmt))


@main.command("eval")
@click.option("--gold", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--docs", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@format_option
def evaluate(gold: Path, docs: Path, fmt: str) -> None:
    """Extract DOCS and score them against GOLD: per-level precision, recall, F1, structure accuracy."""
    from planscope.pipeline.report.evaluate import score_dirs
    from planscope.pipeline.process import process_file

    preds = {}
    for path in sorted(p for p in docs.iterdir() if p.is_file() and (gold / f"{p.name}.json").exists()):
        preds[path.name] = process_file(path).to_dict()
    scores = score_dirs(gold, preds)
    if fmt == "json":
        click.echo(render(scores, "json"))
        return
    rows = [{"level": lv, **v} for lv, v in scores["levels"].items()] + [{"level": "overall", **scores["overall"]}]
    click.echo(render(scores["documents"], fmt))
    click.echo()
    click.echo(render(rows, fmt))
    if fmt == "table":
        click.echo(f"\nstructure accuracy {scores['structure_accuracy']:.3f}  is_plan {scores['is_plan_accuracy']:.3f}"
                   f"  period {scores['period_accuracy']:.3f}  organization {scores['organization_accuracy']:.3f}")


@main.command()
@click.argument("sql")
@db_option
@format_option
def query(sql: str, db_url: str | None, fmt: str) -> None:
    """Run one read-only SQL statement and print its rows."""
    from sqlalchemy import text

    from planscope.pipeline.load.db import open_db

    engine = open_db(db_url, create=False)
    with engine.connect() as conn:
        res = conn.execute(text(sql))
        rows = [dict(r._mapping) for r in res] if res.returns_rows else []
        conn.rollback()  # read-only: nothing a query does is kept
    click.echo(render(rows, fmt))


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json"]), default="csv", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the files (default: data/curated/exports).")
def export(db_url: str | None, fmt: str, out_dir: Path | None) -> None:
    """Export the analyst views (one row per record, with organisation and plan) to files."""
    from planscope.pipeline.load.db import open_db
    from planscope.pipeline.report.exports import export_tables

    engine = open_db(db_url, create=False)
    for path, n in export_tables(engine, out_dir or load_settings().exports_dir, fmt):
        click.echo(f"{path}  ({n} rows)")


@main.command()
@db_option
def migrate_db(db_url: str | None) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    from planscope.pipeline.load.db import open_db, resolve_url

    open_db(db_url).dispose()
    click.echo(f"schema up to date: {resolve_url(db_url)}")


@main.command()
@click.option("--sources", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources registry CSV. Default: the bundled sample corpus.")
@db_option
@click.option("--cron", default="0 3 * * 1", show_default=True, help="When to run (cron syntax).")
@click.option("--interval", type=float, default=None, metavar="SECONDS",
              help="Run every SECONDS instead of on the cron schedule.")
@click.option("--name", default="planscope-weekly", show_default=True, help="Deployment name.")
@click.option("--port", type=int, default=None,
              help="Port of the local Prefect server started when no PREFECT_API_URL is set (default: a free one).")
def schedule(sources: Path | None, db_url: str | None, cron: str, interval: float | None, name: str,
             port: int | None) -> None:
    """Serve the pipeline as a scheduled Prefect deployment until stopped (Ctrl-C).

    Without PREFECT_API_URL a Prefect server is started on 127.0.0.1 for as long as the command
    runs (its database is $PREFECT_HOME/prefect.db); with it, the deployment goes to that server."""
    from planscope.flows.harvest_flow import serve
    from planscope.flows.local_server import ServerError

    from planscope.pipeline.load.db import resolve_url

    try:
        serve(name=name, cron=cron, interval=interval, port=port, sources=str((sources or _default_sources()).resolve()),
              db_url=resolve_url(db_url), say=lambda m: click.echo(m, err=True))
    except ServerError as exc:
        raise click.ClickException(str(exc))
    except KeyboardInterrupt:
        click.echo("schedule stopped", err=True)
        sys.exit(130)


from planscope.cli.compare import COMMANDS  # noqa: E402 - the comparison commands

for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":
    main()
