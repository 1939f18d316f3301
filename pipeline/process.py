"""One document's bytes → its plan result, ready to write or load: extract, structure, normalise,
tag themes.

The one function behind both `planscope extract` (JSON) and `planscope run` (the database), so that
the two give the same records for the same bytes; loading only writes what it is given.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from planscope.extractors import extract_bytes
from planscope.extractors.blocks import Extraction
from planscope.models.records import PlanResult
from planscope.pipeline.normalise.records import normalise_records
from planscope.pipeline.normalise.themes import tag_themes
from planscope.pipeline.structure.plan import structure_extraction


def finish(result: PlanResult) -> PlanResult:
    """Normalise a structured result in place (titles cleaned, repeats merged) and tag its records' themes."""
    if result.is_plan and result.records:
        result.records = normalise_records(result.records)
        tag_themes(result.records)
    return result


def process(data: bytes, source: str, sha256: str | None = None,
            base_url: str | None = None) -> tuple[Extraction, PlanResult]:
    """The extraction (typed blocks) and the finished plan result; ``sha256`` when the caller has it."""
    ex = extract_bytes(data, source, base_url=base_url)
    result = structure_extraction(ex, sha256 or hashlib.sha256(data).hexdigest())
    return ex, finish(result)


def process_bytes(data: bytes, source: str, sha256: str | None = None, base_url: str | None = None) -> PlanResult:
    return process(data, source, sha256, base_url)[1]


def process_file(path: str | Path, sha256: str | None = None) -> PlanResult:
    p = Path(path)
    return process_bytes(p.read_bytes(), p.name, sha256)
