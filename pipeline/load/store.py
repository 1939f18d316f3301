"""Load plan results into the database: one transaction per document, idempotent.

The same bytes from the same source load once (document unique on source + sha256);
a changed document adds a new plan version and keeps the old one; the same bytes
re-extracted under other rules add a version only when the records change. The last
document loaded or restored for a source is its current one (document.is_current,
plan.is_current). Records and
indicators are inserted in bulk (executemany), not one round trip per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from planscope.models.records import PlanResult
from planscope.models.schema import Document, IndicatorRow, Organization, Plan, RecordRow, Source



@dataclass
class OrgInfo:
    name: str | None = None
    org_type: str | None = None
    region: str | None = None
    population: int | None = None
    code: str | None = None


@dataclass
class LoadOutcome:
    document_id: int
    plan_id: int | None
    created: bool  # a new document row (bytes not seen from this source before)
    # "new" (new bytes), "new_version" (same bytes re-extracted, records changed: a plan version
    # added), "same" (re-extracted, records unchanged: fingerprint updated), "kept" (re-extraction
    # failed: the previous result stays, to be retried), "unchanged" (already loaded, nothing done)
    action: str = "new"


def upsert_organization(session: Session, info: OrgInfo) -> Organization | None:
    """One row per identity; known fields fill blanks, never erase them."""
    from planscope.pipeline.normalise.records import org_identity

    if not info.name:
        return None
    display, typ, key = org_identity(info.name, info.org_type)
    org = session.execute(select(Organization).where(Organization.key == key)).scalar_one_or_none()
    if org is None:
        org = Organization(name=display, key=key, org_type=typ)
        session.add(org)
    for attr in ("region", "population", "code"):
        if getattr(info, attr) is not None and getattr(org, attr) in (None, ""):
            setattr(org, attr, getattr(info, attr))
    if typ and not org.org_type:
        org.org_type = typ
    session.flush()
    return org


def latest_plan(session: Session, document_id: int) -> Plan | None:
    """The document's plan under the newest rules (the highest version made from it)."""
    return session.execute(select(Plan).where(Plan.document_id == document_id)
                           .order_by(Plan.version.desc()).limit(1)).scalar_one_or_none()


def make_current(session: Session, doc: Document) -> int | None:
    """The document becomes what its source serves now, and its newest plan (if it is a plan) the
    source's current plan; every other document and plan of the source stops being current.
    Returns the current plan's id."""
    session.execute(update(Document).where(Document.source_id == doc.source_id, Document.id != doc.id)
                    .values(is_current=False))
    doc.is_current = True
    plan = latest_plan(session, doc.id) if doc.is_plan else None
    session.execute(update(Plan).where(Plan.source_id == doc.source_id,
                                       Plan.id != (plan.id if plan else -1)).values(is_current=False))
    if plan is not None:
        plan.is_current = True
    session.flush()
    return plan.id if plan else None


def restore_current(engine: Engine, location: str, sha256: str) -> int | None:
    """The source serves bytes loaded before: that document (and its plan) is current again, without
    extracting anything or adding a row. Returns the current plan's id."""
    with Session(engine) as session, session.begin():
        doc = session.execute(select(Document).join(Source, Source.id == Document.source_id)
                              .where(Source.location == location, Document.sha256 == sha256)).scalar_one()
        return make_current(session, doc)


def _record_tuples(records) -> list[tuple]:
    """What a plan says, for comparing two extractions: every field of every record, its parent by
    key and its indicators; not the provenance (page, box, DOM path)."""
    return [(r["key"], r["level"], r["label"], r["number"], r["title"], r["description"], r["group"],
             r["parent"], r["responsible"], r["deadline"], r["status"], r["partners"], r["budget"],
             tuple(r["indicators"])) for r in records]


def _result_records(records) -> list[dict]:
    return [{"key": r.id, "level": r.level, "label": r.label, "number": r.number, "title": r.title,
             "description": r.description, "group": r.group, "parent": r.parent, "responsible": r.responsible,
             "deadline": r.deadline, "status": r.status, "partners": r.partners, "budget": r.budget,
             "indicators": [(i.label, i.text) for i in r.indicators]} for r in records]


def stored_records(session: Session, plan_id: int) -> list[dict]:
    """A loaded plan's records in order, in the shape of _result_records."""
    from sqlalchemy.orm import aliased

    parent = aliased(RecordRow)
    rows = session.execute(select(RecordRow, parent.key).outerjoin(parent, parent.id == RecordRow.parent_id)
                           .where(RecordRow.plan_id == plan_id).order_by(RecordRow.position)).all()
    inds: dict[int, list] = {}
    if rows:
        for rid, label, text in session.execute(
                select(IndicatorRow.record_id, IndicatorRow.label, IndicatorRow.text)
                .join(RecordRow, RecordRow.id == IndicatorRow.record_id)
                .where(RecordRow.plan_id == plan_id).order_by(IndicatorRow.id)):
            inds.setdefault(rid, []).append((label, text))
    return [{"key": r.key, "level": r.level, "label": r.label, "number": r.number, "title": r.title,
             "description": r.description, "group": r.group_name, "parent": pkey, "responsible": r.responsible,
             "deadline": r.deadline, "status": r.status, "partners": r.partners, "budget": r.budget,
             "indicators": inds.get(r.id, []), "id": r.id} for r, pkey in rows]


def _same_plan(session: Session, plan: Plan | None, result: PlanResult, records) -> bool:
    if plan is None or not result.is_plan:
        return plan is None and not result.is_plan
    period = tuple(result.period) if result.period else (None, None)
    if (plan.title, plan.period_start, plan.period_end) != (result.title, *period):
        return False
    return _record_tuples(stored_records(session, plan.id)) == _record_tuples(_result_records(records))


def load_result(engine: Engine, location: str, result: PlanResult, org: OrgInfo | None = None,
                size: int | None = None, fetched_at: datetime | None = None,
                fingerprint: str | None = None, force: bool = False) -> LoadOutcome:
    """Load one document's result in its own transaction; the document becomes its source's current one.

    New bytes add a document and, for a plan, a plan version. Bytes loaded before (a re-extraction
    under other rules, ``fingerprint``) add a plan version only when the plan's title, period or
    normalised records changed; otherwise only the document's fingerprint (and status, reasons,
    parser versions) is updated. A failed re-extraction keeps the previous result and fingerprint.
    ``fingerprint`` defaults to the running rules'; ``force`` compares even under the same rules
    (``planscope run --reprocess``)."""
    if fingerprint is None:
        from planscope.pipeline.load.fingerprint import rules_fingerprint

        fingerprint = rules_fingerprint()
    with Session(engine) as session, session.begin():
        source = session.execute(select(Source).where(Source.location == location)).scalar_one_or_none()
        info = org or OrgInfo()
        if not info.name and result.organization:
            info = OrgInfo(name=result.organization)
        organization = upsert_organization(session, info) if result.is_plan or info.name else None
        if source is None:
            source = Source(location=location, organization_id=organization.id if organization else None)
            session.add(source)
            session.flush()
        doc = session.execute(select(Document).where(Document.source_id == source.id,
                                                     Document.sha256 == result.sha256)).scalar_one_or_none()
        records = list(result.records) if result.is_plan else []  # normalised and tagged upstream (pipeline.process)
        if doc is not None:
            if doc.rules_fingerprint == fingerprint and not force:
                return LoadOutcome(doc.id, make_current(session, doc), False, "unchanged")
            if result.status not in ("ok", "partial") and doc.status in ("ok", "partial"):
                return LoadOutcome(doc.id, make_current(session, doc), False, "kept")
            same = _same_plan(session, latest_plan(session, doc.id), result, records)
            _set_document(doc, result, fingerprint)
            if same:
                plan_id = make_current(session, doc)
                if plan_id is not None:  # the codebook may have changed with the rules: its tags are new
                    _retag(session, plan_id, records)
                return LoadOutcome(doc.id, plan_id, False, "same")
            created, action = False, "new_version"
        else:
            doc = Document(source_id=source.id, size=size, fetched_at=fetched_at or datetime.now(timezone.utc))
            _set_document(doc, result, fingerprint)
            session.add(doc)
            session.flush()
            created, action = True, "new"
        if result.is_plan:
            version = (session.execute(select(func.max(Plan.version)).where(Plan.source_id == source.id))
                       .scalar_one_or_none() or 0) + 1
            plan = Plan(organization_id=organization.id if organization else None, document_id=doc.id,
                        source_id=source.id, title=result.title,
                        period_start=result.period[0] if result.period else None,
                        period_end=result.period[1] if result.period else None, version=version)
            session.add(plan)
            session.flush()
            _insert_records(session, plan.id, records)
        return LoadOutcome(doc.id, make_current(session, doc), created, action)


def _set_document(doc: Document, result: PlanResult, fingerprint: str | None) -> None:
    doc.sha256 = result.sha256 or ""
    doc.media_type = result.media_type
    doc.status = result.status
    doc.error = result.error
    doc.warnings = result.warnings or None
    doc.reasons = result.reasons or None
    doc.is_plan = result.is_plan
    doc.parser = result.parser or None
    doc.rules_fingerprint = fingerprint


def _retag(session: Session, plan_id: int, records) -> None:
    """Replace the theme tags of a plan's stored records by those of the same records just extracted."""
    from sqlalchemy import delete

    from planscope.models.schema import RecordThemeRow
    from planscope.pipeline.normalise.themes import store_themes

    ids = dict(session.execute(select(RecordRow.key, RecordRow.id).where(RecordRow.plan_id == plan_id)).all())
    session.execute(delete(RecordThemeRow).where(RecordThemeRow.record_id.in_(list(ids.values()))))
    store_themes(session, [(ids[r.id], r.themes) for r in records if r.id in ids])


def _insert_records(session: Session, plan_id: int, records) -> None:
    if not records:
        return
    rows = [{"plan_id": plan_id, "key": r.id, "level": r.level, "label": r.label, "number": r.number,
             "title": r.title, "description": r.description, "group_name": r.group, "position": i,
             "page": r.page, "bbox": list(r.bbox) if r.bbox else None, "path": r.path,
             "responsible": r.responsible, "deadline": r.deadline, "status": r.status,
             "partners": r.partners, "budget": r.budget, "parent_id": None}
            for i, r in enumerate(records)]
    ids = {key: rid for rid, key in session.execute(
        insert(RecordRow).returning(RecordRow.id, RecordRow.key, sort_by_parameter_order=True), rows)}
    parents = [{"id": ids[r.id], "parent_id": ids[r.parent]} for r in records if r.parent in ids]
    if parents:
        session.execute(update(RecordRow), parents)
    indicators = [{"record_id": ids[r.id], "label": i.label, "text": i.text} for r in records for i in r.indicators]
    if indicators:
        session.execute(insert(IndicatorRow), indicators)
    from planscope.pipeline.normalise.themes import store_themes

    store_themes(session, [(ids[r.id], r.themes) for r in records])


def stats(engine: Engine) -> dict:
    """Counts for `planscope stats`: the keys the README documents, plus statuses."""
    with Session(engine) as s:
        out = {
            "organizations": s.scalar(select(func.count()).select_from(Organization)),
            "documents": s.scalar(select(func.count()).select_from(Document)),
            "plans": s.scalar(select(func.count()).select_from(Plan)),
            "current_plans": s.scalar(select(func.count()).select_from(Plan).where(Plan.is_current.is_(True))),
        }
        for level in ("axis", "orientation", "action"):
            out[level] = s.scalar(select(func.count()).select_from(RecordRow).where(RecordRow.level == level))
        out["indicators"] = s.scalar(select(func.count()).select_from(IndicatorRow))
        out["statuses"] = {st: n for st, n in s.execute(select(Document.status, func.count())
                                                          .group_by(Document.status).order_by(Document.status))}
    return out
