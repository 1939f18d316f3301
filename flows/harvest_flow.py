"""The Prefect flow: registry → extract → structure → normalise → load.

One task per document (never per page: a Prefect task costs ~50 ms). Unchanged
documents (same source, same sha256 already loaded) skip extraction and loading.
With workers > 1 extraction runs in processes through prefect-dask's DaskTaskRunner,
on a local cluster or on an existing scheduler (dask_address).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = ROOT / "data" / "raw" / "samples" / "sources.csv"
DEFAULT_RAW = ROOT / "data" / "raw" / "store"


@dataclass
class Entry:
    location: str  # URL or path, as the registry gives it (the source's identity)
    path: str  # where the bytes are on disk
    organization: str | None = None
    organization_type: str | None = None
    region: str | None = None
    population: int | None = None


def _entry(row, location: str, path: str) -> Entry:
    return Entry(location=location, path=path, organization=row.organization,
                 organization_type=row.organization_type, region=row.region, population=row.population)


def read_entries(sources: str) -> list[Entry]:
    """Registry rows whose documents are on disk (local paths, relative to the CSV)."""
    from pipeline.registry import read_sources

    base = Path(sources).resolve().parent
    out = []
    for row in read_sources(sources, allow_local=True):
        if row.is_remote:
            continue
        path = Path(row.url) if Path(row.url).is_absolute() else base / row.url
        out.append(_entry(row, row.url, str(path)))
    return out


@task(name="harvest", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def harvest_sources(sources: str, raw_dir: str, db_url: str, allowed_hosts: list[str] | None = None,
                    delay: float = 2.0) -> tuple[list[Entry], list[dict], dict]:
    """Fetch the registry's http(s) sources (and the documents their pages link to) into the
    content-addressed raw store; returns the entries to extract, the failures, and the figures."""
    from pipeline.db import make_engine
    from pipeline.harvest import HarvestConfig, harvest
    from pipeline.rawstore import RawStore
    from pipeline.registry import read_sources

    rows = [r for r in read_sources(sources, allow_local=True) if r.is_remote]
    if not rows:
        return [], [], {}
    store = RawStore(raw_dir)
    config = HarvestConfig(delay=delay, allowed_hosts=frozenset(allowed_hosts or ()))
    report = harvest(rows, store, make_engine(db_url), config)
    by_url = {r.url: r for r in rows}
    entries, failures = [], []
    for res in report.results:
        row = by_url.get(res.url)
        for doc in [res] + list(res.children):
            if doc.outcome == "error" or not doc.sha256:
                failures.append({"source": doc.url, "status": "failed", "reason": doc.error or "not fetched"})
                continue
            entries.append(_entry(row, doc.url, str(store.get(doc.sha256))))
    figures = {"requests": report.requests, "bytes_downloaded": report.bytes_downloaded,
               "documents_stored": report.documents_stored, **report.counts()}
    return entries, failures, figures


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def already_loaded(db_url: str, location: str, sha: str) -> bool:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models.schema import Document, Source
    from pipeline.db import make_engine

    with Session(make_engine(db_url)) as s:
        return s.execute(select(Document.id).join(Source, Source.id == Document.source_id)
                         .where(Source.location == location, Document.sha256 == sha)).first() is not None


def _content_key(context, parameters) -> str:
    """Cache key of an extraction: the bytes (sha256), the file name and the parser versions."""
    from extractors import EXTRACTOR_VERSION
    from pipeline import __version__

    return f"extract-{parameters['sha']}-{Path(parameters['entry'].path).name}-{EXTRACTOR_VERSION}-{__version__}"


@task(name="extract-structure", retries=1, retry_delay_seconds=2, cache_key_fn=_content_key, persist_result=True,
      cache_expiration=None)
def extract_document(entry: Entry, sha: str):
    """Bytes → blocks → plan records (runs in a worker process when workers > 1)."""
    from pipeline.isolate import process_isolated

    return process_isolated(entry.path, Path(entry.path).name, sha)


@task(name="load", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def load_document(db_url: str, entry: Entry, result, size: int) -> dict:
    from pipeline.db import make_engine
    from pipeline.load import OrgInfo, load_result

    org = OrgInfo(name=entry.organization, org_type=entry.organization_type, region=entry.region,
                  population=entry.population)
    outcome = load_result(make_engine(db_url), entry.location, result, org, size=size)
    return {"created": outcome.created, "plan_id": outcome.plan_id}


@flow(name="planscope-run", log_prints=False)
def pipeline_flow(sources: str = str(DEFAULT_SOURCES), db_url: str = "sqlite:///data/curated/planscope.db",
                  workers: int = 1, dask_address: str | None = None, raw_dir: str = str(DEFAULT_RAW),
                  allowed_hosts: list[str] | None = None, delay: float = 2.0) -> dict:
    """harvest → extract → structure → normalise → load, one task per document."""
    from pipeline.db import make_engine, migrate
    from pipeline.load import stats

    engine = make_engine(db_url)
    migrate(engine)
    harvested, failures, figures = harvest_sources(sources, raw_dir, db_url, allowed_hosts, delay)
    entries = read_entries(sources) + harvested
    # documents = loaded + unchanged + not_loaded; failures = not loaded + loaded with a failure status
    summary = {"documents": len(entries) + len(failures), "loaded": 0, "loaded_ok": 0, "unchanged": 0,
               "not_loaded": len(failures), "failures": failures, "db": db_url, "harvest": figures}
    todo = []
    for e in entries:
        try:
            sha = sha256_file(e.path)
        except OSError as exc:
            summary["failures"].append({"source": e.location, "status": "failed", "reason": f"cannot read: {exc}"})
            summary["not_loaded"] += 1
            continue
        if already_loaded(db_url, e.location, sha):
            summary["unchanged"] += 1
            continue
        todo.append((e, sha))
    extracted = [extract_document.submit(e, sha) for e, sha in todo]
    # On Dask workers each document's load follows its extraction there, so that loads (themes,
    # inserts; one transaction each) run in parallel too; in one process they run here, in order,
    # which saves a task submission per document.
    parallel = workers > 1 or bool(dask_address)
    loads = [load_document.submit(db_url, e, fut, Path(e.path).stat().st_size) if parallel else None
             for (e, _), fut in zip(todo, extracted)]
    for (e, _), ex_fut, load_fut in zip(todo, extracted, loads):
        result = ex_fut.result()
        if load_fut is not None:
            load_fut.result()
        else:
            load_document(db_url, e, result, Path(e.path).stat().st_size)
        if result.status not in ("ok", "partial"):
            summary["failures"].append({"source": e.location, "status": result.status, "reason": result.error})
        else:
            summary["loaded_ok"] += 1
        summary["loaded"] += 1
    counts = stats(engine)
    summary["plans"] = counts["plans"]
    summary["records"] = {lv: counts[lv] for lv in ("axis", "orientation", "action")}
    summary["statuses"] = counts["statuses"]
    return summary


def task_runner(workers: int, dask_address: str | None):
    if workers <= 1 and not dask_address:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None, "memory_limit": "2GiB"})


def run_pipeline(sources: str, db_url: str, workers: int = 1, dask_address: str | None = None,
                 raw_dir: str | None = None, allowed_hosts: list[str] | None = None, delay: float = 2.0) -> dict:
    flow_ = pipeline_flow.with_options(task_runner=task_runner(workers, dask_address))
    return flow_(sources=sources, db_url=db_url, workers=workers, dask_address=dask_address,
                 raw_dir=raw_dir or str(DEFAULT_RAW), allowed_hosts=allowed_hosts, delay=delay)


def absolute_db_url(db_url: str) -> str:
    """A relative SQLite path made absolute, so that flow runs started elsewhere find the same file."""
    if db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:////") and ":memory:" not in db_url:
        return "sqlite:///" + str(Path(db_url[len("sqlite:///"):]).resolve())
    return db_url


def serve(name: str, sources: str, db_url: str, cron: str | None = None, interval: float | None = None,
          port: int | None = None, say=print) -> None:
    """Serve the flow as a scheduled deployment until stopped.

    With a Prefect API configured ($PREFECT_API_URL or the active profile) the deployment goes
    there; otherwise a Prefect server is started on 127.0.0.1 as a child of this process (the
    ephemeral server Prefect would use instead cannot schedule) and stopped with it."""
    import contextlib

    from prefect.deployments.runner import EntrypointType

    from flows.local_server import configured_api_url, local_server, use_api

    params = {"sources": str(Path(sources).resolve()), "db_url": absolute_db_url(db_url)}
    with contextlib.ExitStack() as stack:
        api_url = configured_api_url()
        if api_url is None:
            api_url = stack.enter_context(local_server(port))
            say(f"Prefect server started on {api_url[:-len('/api')]} (dashboard); it stops with this command")
        else:
            say(f"Prefect server: {api_url}")
        stack.enter_context(use_api(api_url))
        when = f"every {interval:g} s" if interval else f"cron {cron!r}"
        say(f"serving deployment planscope-run/{name} ({when}) → {params['db_url']}; stop with Ctrl-C")
        pipeline_flow.serve(name=name, cron=None if interval else cron, interval=interval, parameters=params,
                            limit=1,  # a harvest never overlaps itself
                            entrypoint_type=EntrypointType.MODULE_PATH,  # importable from any folder
                            print_starting_message=False)
