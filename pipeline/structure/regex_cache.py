"""spaCy's French tokenizer pattern, compiled once per machine instead of once per process.

The French tokenizer's ``token_match`` is one 1.4 MB regular expression (hyphenated and elided
words over every Unicode letter, case-insensitive). Python compiles it in 2.5–5 s, more than half
of ``spacy.load``, in every process that loads the model. A compiled pattern cannot be pickled,
but the compiler's output is a list of integers (``re._compiler``'s code for ``_sre.compile``):
kept in a file keyed by the Python and spaCy versions, it becomes the same ``Pattern`` in a few
milliseconds. The pattern is put in the ``re`` module's cache, where the import of
``spacy.lang.fr`` and the tokenizer's ``from_disk`` find it instead of compiling it again.

Everything here is an optimisation: an unknown Python, a missing, stale or corrupt file give the
ordinary (slow) compile, never a different tokenizer — ``_sre.compile`` validates the code, and a
cached pattern is used only for the exact text spaCy asks to compile.
"""
from __future__ import annotations

import array
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path

ENV_CACHE = "PLANSCOPE_CACHE"
FORMAT = 1  # bump when the file's layout changes
ERRORS = (AttributeError, ImportError, OSError, OverflowError, RuntimeError, TypeError, ValueError, EOFError,
          KeyError)


def cache_dir() -> Path:
    """$PLANSCOPE_CACHE, else $XDG_CACHE_HOME/planscope, else ~/.cache/planscope."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "planscope"


def cache_file(spacy_version: str) -> Path:
    py = ".".join(map(str, sys.version_info[:3]))
    return cache_dir() / f"spacy-{spacy_version}-py{py}-token-match.v{FORMAT}.marshal"


def _code(pattern: str, flags: int) -> tuple[int, list[int], int, dict, tuple]:
    """What re.compile hands to _sre.compile (re._compiler.compile, minus the last call)."""
    from re import _compiler, _parser  # the stdlib's own compiler (Python 3.11+)

    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    indexgroup = [None] * p.state.groups
    for name, i in p.state.groupdict.items():
        indexgroup[i] = name
    return flags | p.state.flags, code, p.state.groups - 1, dict(p.state.groupdict), tuple(indexgroup)


def _pattern(pattern: str, compiled: tuple) -> re.Pattern:
    import _sre

    flags, code, groups, groupindex, indexgroup = compiled
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def save(path: Path, patterns: list[re.Pattern]) -> None:
    """Write the compiled code of ``patterns`` (atomically: a concurrent reader sees all or nothing)."""
    entries = []
    for p in patterns:
        # spaCy compiles its patterns with no flags argument (inline flags only): so do we, and keep
        # a pattern only when the result is the very one spaCy holds.
        flags, code, groups, groupindex, indexgroup = _code(p.pattern, 0)
        if _pattern(p.pattern, (flags, code, groups, groupindex, indexgroup)) != p:
            continue
        entries.append((p.pattern, flags, array.array("I", code).tobytes(), groups, groupindex, indexgroup))
    blob = marshal.dumps(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(hashlib.sha256(blob).digest() + blob)
    os.replace(tmp, path)


def preload(path: Path) -> int:
    """Put the cached patterns in the re module's cache; how many (0 when the file is absent or bad)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return 0
    digest, blob = raw[:32], raw[32:]
    if hashlib.sha256(blob).digest() != digest:
        return 0
    try:
        entries = marshal.loads(blob)
        n = 0
        for text, flags, code_bytes, groups, groupindex, indexgroup in entries:
            code = array.array("I")
            code.frombytes(code_bytes)
            compiled = _pattern(text, (flags, code.tolist(), groups, groupindex, indexgroup))
            re._cache[type(text), text, 0] = compiled  # where re.compile(text) looks first
            n += 1
        return n
    except ERRORS:
        return 0
