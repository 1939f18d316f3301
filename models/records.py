"""Plan records: the structurer's output and the JSON exchange format (docs: plan-records.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("axis", "orientation", "action")
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}


@dataclass
class Indicator:
    label: str | None
    text: str


@dataclass
class Record:
    id: str
    level: str
    title: str
    label: str | None = None
    number: str | None = None
    parent: str | None = None
    description: str | None = None
    group: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    responsible: str | None = None
    deadline: str | None = None
    status: str | None = None
    partners: str | None = None
    budget: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    path: str | None = None
    themes: list[tuple[str, str]] = field(default_factory=list)  # (theme code, matching rule)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "level": self.level, "label": self.label, "number": self.number,
                             "title": self.title, "parent": self.parent}
        for key in ("description", "group", "responsible", "deadline", "status", "partners", "budget"):
            value = getattr(self, key)
            if value:
                d[key] = value
        if self.indicators:
            d["indicators"] = [{"label": i.label, "text": i.text} for i in self.indicators]
        if self.themes:
            d["themes"] = [{"code": code, "rule": rule} for code, rule in self.themes]
        prov = {k: v for k, v in (("page", self.page), ("bbox", self.bbox), ("path", self.path)) if v}
        if prov:
            d["provenance"] = prov
        return d


@dataclass
class PlanResult:
    source: str
    is_plan: bool
    organization: str | None = None
    title: str | None = None
    period: tuple[int, int] | None = None
    records: list[Record] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    status: str = "ok"
    error: str | None = None
    media_type: str | None = None
    sha256: str | None = None
    parser: dict[str, str] = field(default_factory=dict)
    reading: dict[str, Any] = field(default_factory=dict)  # the kept reading: score, reasons, evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "is_plan": self.is_plan,
            "organization": self.organization,
            "title": self.title,
            "period": list(self.period) if self.period else None,
            "records": [r.to_dict() for r in self.records],
            "reasons": self.reasons,
            "warnings": self.warnings,
            "status": self.status,
            "error": self.error,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "parser": self.parser,
            "reading": self.reading,
        }
