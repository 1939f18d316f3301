"""The Prefect flow: registry → extract → structure → normalise → load.

Documents go to tasks in batches (a Prefect task costs more than a small document's work);
each document is parsed in its own capped child process and loaded in its own transaction. Unchanged
documents (same source, same sha256, loaded under the same rules fingerprint) skip
extraction and loading; documents loaded under other rules are extracted again
(planscope.pipeline.load.runplan decides, from the database).
With workers > 1 the batches run in processes through prefect-dask's DaskTaskRunner, on a local
cluster or on an existing scheduler (dask_address).
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from planscope.pipeline.load.runplan import Entry, count_loaded, finish_summary, new_summary, plan_work, read_entries
from planscope.pipeline.load.runplan import entry_from_row as _entry
from planscope.pipeline.fetch.registry import SourceRow

from planscope.settings import load_settings


@task(name="harvest", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def harvest_sources(rows: list[SourceRow], raw_dir: str, db_url: str, allowed_hosts: list[str] | None = None,
                    delay: float = 2.0) -> tuple[list[Entry], list[dict], dict]:
    """Fetch the registry's http(s) sources (and the documents their pages link to) into the
    content-addressed raw store; returns the entries to extract (with the sha256 the store
    already computed), the failures, and the figures."""
    from planscope.pipeline.fetch.harvest import HarvestConfig, harvest
    from planscope.pipeline.fetch.rawstore import RawStore
    from planscope.pipeline.load.db import shared_engine

    rows = [r for r in rows if r.is_remote]
    if not rows:
        return [], [], {}
    store = RawStore(raw_dir)
    config = HarvestConfig(delay=delay, allowed_hosts=frozenset(allowed_hosts or ()))
    report = harvest(rows, store, shared_engine(db_url), config)
    by_url = {r.url: r for r in rows}
    entries, failures = [], []
    for res in report.results:
        row = by_url.get(res.url)
        for doc in [res] + list(res.children):
            if doc.outcome == "error" or not doc.sha256:
                failures.append({"source": doc.url, "status": "failed", "reason": doc.error or "not fetched"})
                continue
            entries.append(_entry(row, doc.url, str(store.get(doc.sha256)), sha256=doc.sha256))
    figures = {"requests": report.requests, "bytes_downloaded": report.bytes_downloaded,
               "documents_stored": report.documents_stored, **report.counts()}
    return entries, failures, figures


@task(name="extract-load", cache_policy=NO_CACHE)
def process_documents(db_url: str, batch: list[tuple[Entry, str, str]], fingerprint: str,
                      force: bool = False) -> list[tuple[str, str | None, dict, float]]:
    """A batch of documents, each extracted in its own child process (time and memory capped), then
    loaded in its own transaction; returns each one's (status, error, load outcome, seconds), in order.

    No result caching: the database answers "done?" (sha256 + rules fingerprint, pipeline.runplan),
    and a cached extraction would outlive a change of the rules."""
    from planscope.pipeline.isolate import IsolatedParser, process_isolated

    import time

    out = []
    with IsolatedParser() as parser:
        for entry, sha, _ in batch:
            t = time.perf_counter()
            result = process_isolated(entry.path, Path(entry.path).name, sha, parser=parser)
            outcome = load_document(db_url, entry, result, Path(entry.path).stat().st_size, fingerprint, force)
            out.append((result.status, result.error, outcome, time.perf_counter() - t))
    return out


LOAD_ATTEMPTS = 3  # a load that meets a locked or dropped database connection is tried again
LOAD_RETRY_DELAY_S = 1.0


def load_document(db_url: str, entry: Entry, result, size: int, fingerprint: str | None = None,
                  force: bool = False) -> dict:
    """One document's result into the database, in one transaction (tried again on a failure)."""
    import time

    from planscope.pipeline.load.db import shared_engine
    from planscope.pipeline.load.store import OrgInfo, load_result

    org = OrgInfo(name=entry.organization, org_type=entry.organization_type, region=entry.region,
                  population=entry.population)
    for attempt in range(LOAD_ATTEMPTS):
        try:
            outcome = load_result(shared_engine(db_url), entry.location, result, org, size=size,
                                  fingerprint=fingerprint, force=force)
            return {"created": outcome.created, "plan_id": outcome.plan_id, "action": outcome.action}
        except Exception:  # noqa: BLE001 - the transaction rolled back: trying again is safe
            if attempt + 1 == LOAD_ATTEMPTS:
                raise
            time.sleep(LOAD_RETRY_DELAY_S)
    raise AssertionError("unreachable")


# A Prefect task costs tens of milliseconds of engine set-up, state changes and API calls, more than
# a small document's work: documents go to tasks in batches. At least BATCHES_PER_WORKER batches
# per worker, so that a worker that draws the slow documents does not leave the others idle; at
# most MAX_BATCH documents each, so that progress shows in the Prefect UI.
BATCHES_PER_WORKER = 4
MAX_BATCH = 50


def batches(todo: list, workers: int) -> list[list]:
    """The documents dealt round-robin into batches (so large documents spread over the batches)."""
    if not todo:
        return []
    n = max(-(-len(todo) // MAX_BATCH), workers * BATCHES_PER_WORKER if workers > 1 else 1)
    n = min(n, len(todo))
    return [todo[i::n] for i in range(n)]


@flow(name="planscope-run", log_prints=False)
def pipeline_flow(sources: str | None = None, db_url: str | None = None,
                  workers: int = 1, dask_address: str | None = None, raw_dir: str | None = None,
                  allowed_hosts: list[str] | None = None, delay: float = 2.0, reprocess: bool = False,
                  rows: list[dict] | None = None) -> dict:
    """harvest → extract → structure → normalise → load, one task per batch of documents. Unset paths and
    URL come from planscope's settings (environment, then the project home). ``rows``: the
    registry already read by the caller (`planscope run`), so that it is parsed once."""
    from planscope.pipeline.fetch.registry import read_sources
    from planscope.pipeline.load.db import migrate, shared_engine

    cfg = load_settings(db_url=db_url, raw_dir=raw_dir, sources=sources)
    sources, db_url, raw_dir = str(cfg.sources), cfg.db_url, str(cfg.raw_dir)
    engine = shared_engine(db_url)
    migrate(engine)
    registry = [SourceRow(**r) for r in rows] if rows is not None else read_sources(sources, allow_local=True)
    harvested, failures, figures = harvest_sources(registry, raw_dir, db_url, allowed_hosts, delay)
    summary = new_summary(db_url, failures, figures)
    todo = plan_work(engine, read_entries(sources, registry) + harvested, summary, reprocess)
    fingerprint = summary["rules_fingerprint"]
    parallel = max(workers, 2 if dask_address else 1)
    groups = batches(todo, parallel)
    futures = [process_documents.submit(db_url, group, fingerprint, reprocess) for group in groups]
    done = {}
    for group, fut in zip(groups, futures):
        for (e, _, what), (status, error, outcome, seconds) in zip(group, fut.result()):
            done[id(e)] = (e, what, status, error, outcome, seconds)
    summary["document_seconds"] = 0.0  # parsing and loading, summed over the documents (and workers)
    for e, _, _ in todo:  # the summary lists documents in the registry's order
        e, what, status, error, outcome, seconds = done[id(e)]
        count_loaded(summary, e, what, _Outcome(status, error), outcome)
        summary["document_seconds"] = round(summary["document_seconds"] + seconds, 1)
    return finish_summary(summary, engine)


class _Outcome:
    """What the summary reads of a plan result (a batch returns only that, not the records)."""

    def __init__(self, status: str, error: str | None):
        self.status, self.error = status, error


def task_runner(workers: int, dask_address: str | None):
    if workers <= 1 and not dask_address:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    # On one machine the workers are threads of this process: the parsing already happens in child
    # processes (planscope.pipeline.isolate), forked from this process's one parsing server, so N
    # batches in flight keep N cores busy. Worker processes cost each an interpreter, a nanny,
    # Prefect's imports and the parsers again, more than 200 small documents' work.
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": False,
                                          "dashboard_address": None})


def run_pipeline(sources: str, db_url: str, workers: int = 1, dask_address: str | None = None,
                 raw_dir: str | None = None, allowed_hosts: list[str] | None = None, delay: float = 2.0,
                 reprocess: bool = False, rows: list | None = None) -> dict:
    """The flow with the task runner for ``workers``; ``rows``: the registry's SourceRows when the
    caller has read them already."""
    from dataclasses import asdict

    flow_ = pipeline_flow.with_options(task_runner=task_runner(workers, dask_address))
    return flow_(sources=sources, db_url=db_url, workers=workers, dask_address=dask_address,
                 raw_dir=raw_dir, allowed_hosts=allowed_hosts, delay=delay, reprocess=reprocess,
                 rows=[asdict(r) for r in rows] if rows is not None else None)


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

    from planscope.flows.local_server import configured_api_url, local_server, use_api

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
