"""The rules fingerprint: which version of the extraction rules produced a document's records.

sha256 over the planscope and extractor version strings, the source of the code that turns bytes
into records (the ``extractors`` package, ``pipeline/structuring`` and the modules structuring
calls: plan, lexicon, metadata, nlp, normalise) and the rule data (``pipeline/data/*.json``:
lexicon, regions, genres, gentiles, themes). Files are read from the modules actually imported
(their ``__file__``), so a run always fingerprints the code it runs.

``PLANSCOPE_RULES_FINGERPRINT`` overrides the computed value (an operator's own tag, or a test).
Kept free of Prefect and heavy imports: ``planscope run`` computes it before deciding whether
anything needs Prefect at all.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

ENV = "PLANSCOPE_RULES_FINGERPRINT"
# modules outside the two packages whose code decides the records of a document
_MODULES = ("pipeline.plan", "pipeline.lexicon", "pipeline.metadata", "pipeline.nlp", "pipeline.normalise")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"package {name} not found")
    return Path(next(iter(spec.submodule_search_locations)))


def _module_file(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise ImportError(f"module {name} not found")
    return Path(spec.origin)


def rule_files() -> list[tuple[str, Path]]:
    """(stable name, path) of every file the fingerprint covers, in a fixed order."""
    out: list[tuple[str, Path]] = []
    for pkg in ("extractors", "pipeline.structuring"):
        base = _package_dir(pkg)
        out += [(f"{pkg}/{p.relative_to(base).as_posix()}", p) for p in sorted(base.rglob("*.py"))]
    out += [(m, _module_file(m)) for m in _MODULES]
    data = _package_dir("pipeline") / "data"
    out += [(f"pipeline/data/{p.name}", p) for p in sorted(data.glob("*.json"))]
    return out


@lru_cache(maxsize=1)
def _computed() -> str:
    from extractors.version import EXTRACTOR_VERSION

    from . import __version__

    h = hashlib.sha256()
    h.update(f"planscope {__version__}\0extractors {EXTRACTOR_VERSION}\0".encode())
    for name, path in rule_files():
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def rules_fingerprint() -> str:
    """64 hex digits; $PLANSCOPE_RULES_FINGERPRINT (its first 64 characters) when set, read on every call."""
    return os.environ.get(ENV, "")[:64] or _computed()
