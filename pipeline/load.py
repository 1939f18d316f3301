"""Load plan results into the database: one transaction per document, idempotent.

The same bytes from the same source load once (document unique on source + sha256);
a changed document adds a new plan version and keeps the old one. Records and
indicators are inserted in bulk (executemany), not one round trip per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models.records import PlanResult
from models.schema import Document, IndicatorRow, Organization, Plan, RecordRow, Source

from .normalise import normalise_records, org_identity


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
    created: bool  # False when the same document was already loaded


def upsert_organization(session: Session, info: OrgInfo) -> Organization | None:
    """One row per identity; known fields fill blanks, never erase them."""
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


def load_result(engine: Engine, location: str, result: PlanResult, org: OrgInfo | None = None,
                size: int | None = None, fetched_at: datetime | None = None) -> LoadOutcome:
    """Load one document's result in its own transaction."""
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
        if doc is not None:
            plan_id = session.execute(select(Plan.id).where(Plan.document_id == doc.id)).scalar_one_or_none()
            return LoadOutcome(doc.id, plan_id, False)
        doc = Document(source_id=source.id, sha256=result.sha256 or "", media_type=result.media_type, size=size,
                       fetched_at=fetched_at or datetime.now(timezone.utc), status=result.status,
                       error=result.error, warnings=result.warnings or None, reasons=result.reasons or None,
                       is_plan=result.is_plan, parser=result.parser or None)
        session.add(doc)
        session.flush()
        if not result.is_plan:
            return LoadOutcome(doc.id, None, True)
        version = (session.execute(select(func.max(Plan.version)).where(Plan.source_id == source.id))
                   .scalar_one_or_none() or 0) + 1
        plan = Plan(organization_id=organization.id if organization else None, document_id=doc.id,
                    source_id=source.id, title=result.title,
                    period_start=result.period[0] if result.period else None,
                    period_end=result.period[1] if result.period else None, version=version)
        session.add(plan)
        session.flush()
        _insert_records(session, plan.id, result)
        return LoadOutcome(doc.id, plan.id, True)


def _insert_records(session: Session, plan_id: int, result: PlanResult) -> None:
    records = normalise_records(list(result.records))
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
    from .themes import store_record_themes  # themes (issue 7): one bulk insert into record_theme

    store_record_themes(session, [(ids[r.id], r.title) for r in records])


def stats(engine: Engine) -> dict:
    """Counts for `planscope stats`: the keys the README documents, plus statuses."""
    with Session(engine) as s:
        out = {
            "organizations": s.scalar(select(func.count()).select_from(Organization)),
            "documents": s.scalar(select(func.count()).select_from(Document)),
            "plans": s.scalar(select(func.count()).select_from(Plan)),
        }
        for level in ("axis", "orientation", "action"):
            out[level] = s.scalar(select(func.count()).select_from(RecordRow).where(RecordRow.level == level))
        out["indicators"] = s.scalar(select(func.count()).select_from(IndicatorRow))
        out["statuses"] = {st: n for st, n in s.execute(select(Document.status, func.count())
                                                          .group_by(Document.status).order_by(Document.status))}
    return out
