"""What a run has to do, decided from the database before any parsing (and before Prefect starts).

A registry entry's bytes are hashed (sha256) and looked up under its source:
  - ``extract``: bytes not loaded from this source yet;
  - ``reextract``: loaded, but under other rules (the document's rules fingerprint differs) or
    ``--reprocess``;
  - ``restore``: loaded under the same rules but not the source's current document (the source
    serves older bytes again): it becomes current, nothing is parsed or added;
  - ``unchanged``: loaded under the same rules and current: nothing to do.
Free of Prefect, so that `planscope run` can answer an all-unchanged run in a second.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

EXTRACT, REEXTRACT, RESTORE, UNCHANGED = "extract", "reextract", "restore", "unchanged"


@dataclass
class Entry:
    location: str  # URL or path, as the registry gives it (the source's identity)
    path: str  # where the bytes are on disk
    organization: str | None = None
    organization_type: str | None = None
    region: str | None = None
    population: int | None = None
    sha256: str | None = None  # known when the bytes come from the content-addressed raw store


def entry_from_row(row, location: str, path: str, sha256: str | None = None) -> Entry:
    return Entry(location=location, path=path, organization=row.organization, sha256=sha256,
                 organization_type=row.organization_type, region=row.region, population=row.population)


def read_entries(sources: str, rows=None) -> list[Entry]:
    """Registry rows whose documents are on disk (local paths, relative to the CSV)."""
    from planscope.pipeline.fetch.registry import read_sources

    base = Path(sources).resolve().parent
    out = []
    for row in rows if rows is not None else read_sources(sources, allow_local=True):
        if row.is_remote:
            continue
        path = Path(row.url) if Path(row.url).is_absolute() else base / row.url
        out.append(entry_from_row(row, row.url, str(path)))
    return out


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def loaded_documents(engine, locations: list[str]) -> dict[tuple[str, str], tuple[str | None, bool]]:
    """(location, sha256) → (rules fingerprint, is current) of the documents loaded from these sources."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from planscope.models.schema import Document, Source

    out: dict[tuple[str, str], tuple[str | None, bool]] = {}
    with Session(engine) as s:
        for i in range(0, len(locations), 500):
            chunk = locations[i:i + 500]
            for loc, sha, fp, cur in s.execute(
                    select(Source.location, Document.sha256, Document.rules_fingerprint, Document.is_current)
                    .join(Source, Source.id == Document.source_id).where(Source.location.in_(chunk))):
                out[(loc, sha)] = (fp, bool(cur))
    return out


def triage(engine, items: list[tuple[Entry, str]], fingerprint: str, reprocess: bool = False
           ) -> list[tuple[Entry, str, str]]:
    """(entry, sha256) pairs → (entry, sha256, what to do), in order (see module doc)."""
    known = loaded_documents(engine, sorted({e.location for e, _ in items}))
    out = []
    for e, sha in items:
        doc = known.get((e.location, sha))
        if doc is None:
            what = EXTRACT
        elif reprocess or doc[0] != fingerprint:
            what = REEXTRACT
        else:
            what = UNCHANGED if doc[1] else RESTORE
        out.append((e, sha, what))
    return out


def new_summary(db_url: str, failures: list[dict] | None = None, figures: dict | None = None) -> dict:
    """documents = loaded + restored + unchanged + not_loaded. "failures" lists the documents not
    loaded and the loaded ones recorded with a failure status (or whose re-extraction failed)."""
    from planscope.pipeline.load.fingerprint import rules_fingerprint

    failures = list(failures or [])
    return {"documents": len(failures), "loaded": 0, "loaded_ok": 0, "reextracted": 0, "new_versions": 0,
            "restored": 0, "unchanged": 0, "not_loaded": len(failures), "failures": failures, "db": db_url,
            "harvest": figures or {}, "rules_fingerprint": rules_fingerprint()}


def hash_entries(entries: list[Entry]) -> tuple[list[tuple[Entry, str]], list[dict]]:
    """(entry, sha256) of the readable entries, and a failure for each unreadable one. Each
    document is hashed here only: extraction is given this sha256 (pipeline.process)."""
    hashed, failures = [], []
    for e in entries:
        try:
            hashed.append((e, e.sha256 or sha256_file(e.path)))
        except OSError as exc:
            failures.append({"source": e.location, "status": "failed", "reason": f"cannot read: {exc.strerror or exc}"})
    return hashed, failures


def plan_work(engine, entries: list[Entry], summary: dict, reprocess: bool = False,
              hashed: tuple[list, list] | None = None) -> list[tuple[Entry, str, str]]:
    """Hash the entries (unless ``hashed`` gives hash_entries' answer), count the unreadable,
    unchanged and restored ones (restoring them: the old version becomes current again); return
    those to extract."""
    from planscope.pipeline.load.store import restore_current

    hashed, failures = hashed or hash_entries(entries)
    summary["documents"] += len(entries)
    summary["failures"] += failures
    summary["not_loaded"] += len(failures)
    todo = []
    for e, sha, what in triage(engine, hashed, summary["rules_fingerprint"], reprocess):
        if what == UNCHANGED:
            summary["unchanged"] += 1
        elif what == RESTORE:
            restore_current(engine, e.location, sha)
            summary["restored"] += 1
        else:
            todo.append((e, sha, what))
    return todo


def count_loaded(summary: dict, e: Entry, what: str, result, outcome: dict) -> None:
    summary["loaded"] += 1
    action = outcome.get("action")
    if what == REEXTRACT:
        summary["reextracted"] += 1
    if action == "new_version":
        summary["new_versions"] += 1
    if action == "kept":
        summary["failures"].append({"source": e.location, "status": result.status,
                                    "reason": f"re-extraction failed, previous records kept: {result.error}"})
    elif result.status not in ("ok", "partial"):
        summary["failures"].append({"source": e.location, "status": result.status, "reason": result.error})
    else:
        summary["loaded_ok"] += 1


def finish_summary(summary: dict, engine) -> dict:
    from planscope.pipeline.load.store import stats

    counts = stats(engine)
    summary["plans"] = counts["plans"]
    summary["current_plans"] = counts.get("current_plans", counts["plans"])
    summary["records"] = {lv: counts[lv] for lv in ("axis", "orientation", "action")}
    summary["statuses"] = counts["statuses"]
    return summary


def nothing_to_extract(engine, entries: list[Entry], reprocess: bool = False) -> tuple[list, list] | None:
    """hash_entries' answer when no entry needs parsing (all unchanged, restored or unreadable), else None."""
    from planscope.pipeline.load.fingerprint import rules_fingerprint

    hashed, failures = hash_entries(entries)
    if all(what in (UNCHANGED, RESTORE) for _, _, what in triage(engine, hashed, rules_fingerprint(), reprocess)):
        return hashed, failures
    return None
