"""The rules fingerprint: which version of the extraction rules produced a document's records.

sha256 over the planscope and extractor version strings, the source of the code that turns bytes
into records (the ``planscope.extractors`` and ``planscope.pipeline.structure`` packages and
``planscope.pipeline.normalise.records``) and the rule data (``pipeline/data/*.json``:
lexicon, regions, genres, gentiles, themes, verbs, languages). Files are read from the modules actually imported
(their ``__file__``), so a run always fingerprints the code it runs.

``PLANSCOPE_RULES_FINGERPRINT`` overrides the computed value (an operator's own tag, or a test).
Kept free of Prefect and heavy imports: ``planscope run`` computes it before deciding whether
anything needs Prefect at all.
"""
from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

from planscope.settings import ENV_RULES_FINGERPRINT as ENV, load_settings

__all__ = ["ENV", "rule_files", "rules_fingerprint"]

# modules outside the two packages whose code decides the records of a document
_MODULES = ("planscope.pipeline.normalise.records",)


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
    """(stable name, path) of every file the fingerprint covers, in a fixed order; names are the
    paths in the checkout (``extractors/pdf/model.py``, ``pipeline/data/lexicon.json``)."""
    out: list[tuple[str, Path]] = []
    for pkg in ("planscope.extractors", "planscope.pipeline.structure"):
        base = _package_dir(pkg)
        folder = pkg.removeprefix("planscope.").replace(".", "/")
        out += [(f"{folder}/{p.relative_to(base).as_posix()}", p) for p in sorted(base.rglob("*.py"))]
    out += [(m.removeprefix("planscope.").replace(".", "/") + ".py", _module_file(m)) for m in _MODULES]
    data = _package_dir("planscope.pipeline") / "data"
    out += [(f"pipeline/data/{p.name}", p) for p in sorted(data.glob("*.json"))]
    return out


@lru_cache(maxsize=1)
def _computed() -> str:
    from planscope.extractors.version import EXTRACTOR_VERSION

    from planscope import __version__

    h = hashlib.sha256()
    h.update(f"planscope {__version__}\0extractors {EXTRACTOR_VERSION}\0".encode())
    for name, path in rule_files():
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def rules_fingerprint() -> str:
    """64 hex digits; $PLANSCOPE_RULES_FINGERPRINT (its first 64 characters) when set, read on every call."""
    return load_settings().rules_fingerprint or _computed()
