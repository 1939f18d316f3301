"""The comparative database: SQLAlchemy 2 typed ORM, identical in SQLite and PostgreSQL.

organization ─< plan >─ document >─ source
                 └─< record ─< indicator
fetch_log rows record every HTTP request of a harvest.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text, false,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Organization(Base):
    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)  # folded identity: one row per body
    org_type: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(50))  # official code (e.g. code géographique)
    plans: Mapped[list["Plan"]] = relationship(back_populates="organization")


class Source(Base):
    __tablename__ = "source"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(String(2000), unique=True)  # URL or path
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(30))
    error: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list | None] = mapped_column(JSON)
    reasons: Mapped[list | None] = mapped_column(JSON)
    is_plan: Mapped[bool | None] = mapped_column()
    parser: Mapped[dict | None] = mapped_column(JSON)
    # pipeline.fingerprint.rules_fingerprint() of the rules that produced its records (None: before 0003)
    rules_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # the bytes its source serves now (the last ones harvested or read); one per source
    is_current: Mapped[bool] = mapped_column(default=False, server_default=false())
    __table_args__ = (UniqueConstraint("source_id", "sha256", name="uq_document_source_sha"),)


class Plan(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # several plans per document when re-extraction under new rules changed its records
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    title: Mapped[str | None] = mapped_column(String(500))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the plan of the source's current document, under the newest rules: one per source at most
    is_current: Mapped[bool] = mapped_column(default=False, server_default=false())
    organization: Mapped[Organization | None] = relationship(back_populates="plans")
    records: Mapped[list["RecordRow"]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("source_id", "version", name="uq_plan_source_version"),
                      Index("ix_plan_organization", "organization_id"))


class RecordRow(Base):
    __tablename__ = "record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))  # the record's id inside its plan ("r12")
    level: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    group_name: Mapped[str | None] = mapped_column("group", String(500))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list | None] = mapped_column(JSON)
    path: Mapped[str | None] = mapped_column(String(1000))
    responsible: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    partners: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[Plan] = relationship(back_populates="records")
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_record_plan_key"),
                      Index("ix_record_parent", "parent_id"),
                      Index("ix_record_plan_level", "plan_id", "level"))


class IndicatorRow(Base):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), index=True)
    label: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)


class FetchLog(Base):
    __tablename__ = "fetch_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    final_url: Mapped[str | None] = mapped_column(String(2000))
    status_code: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    media_type: Mapped[str | None] = mapped_column(String(100))
    bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class ThemeRow(Base):
    """The theme codebook (pipeline/data/themes.json): top themes have no parent."""
    __tablename__ = "theme"
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(ForeignKey("theme.code"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class RecordThemeRow(Base):
    """A theme assigned to a record, with the codebook rule that fired."""
    __tablename__ = "record_theme"
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code"), primary_key=True)
    rule: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (Index("ix_record_theme_code", "theme_code", "record_id"),)


# Objects made by migrations for one dialect only (PostgreSQL full-text search): not in the models.
DIALECT_ONLY = {"ix_record_title_fts"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: leave dialect-only objects alone."""
    return name not in DIALECT_ONLY
