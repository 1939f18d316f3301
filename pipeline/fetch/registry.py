"""The source registry: a CSV of plans to harvest.

Columns: ``organization,url`` (required columns; an empty organization is allowed and left to
the document's metadata) and optionally ``organization_type, region,
population, notes``. UTF-8 with or without BOM. Every problem of the file is collected and
raised at once in a :class:`RegistryError` naming the line numbers.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from planscope.errors import RegistryError  # noqa: F401 - raised here, part of this module's API

REQUIRED = ("organization", "url")
OPTIONAL = ("organization_type", "region", "population", "notes")
SCHEMES = ("http", "https")
MAX_URL = 2000  # fetch_log.url / source.location are String(2000)


@dataclass(frozen=True)
class SourceRow:
    organization: str | None  # None: left to the document's own metadata
    url: str
    organization_type: str | None = None
    region: str | None = None
    population: int | None = None
    notes: str | None = None
    line: int | None = None  # line of the CSV file it came from

    @property
    def is_remote(self) -> bool:
        """An http(s) URL (False for a local path accepted with ``allow_local``)."""
        return self.url.lower().startswith(("http://", "https://"))


def check_url(url: str) -> str | None:
    """What is wrong with a registry URL, or None."""
    if not url:
        return "missing url"
    if len(url) > MAX_URL:
        return f"url longer than {MAX_URL} characters"
    if any(c.isspace() for c in url):
        return f"url contains whitespace: {url!r}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed url {url!r}: {exc}"
    if parts.scheme.lower() not in SCHEMES:
        return f"bad scheme {parts.scheme or '(none)'!r} in {url!r}: only http and https"
    if not parts.hostname:
        return f"url has no host: {url!r}"
    if parts.username or parts.password:
        return f"url carries credentials: {url!r}"
    return None


def _population(raw: str) -> tuple[int | None, str | None]:
    text = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text:
        return None, None
    if not text.isdigit():
        return None, f"bad population {raw!r}: a whole number"
    return int(text), None


def _is_local_path(url: str) -> bool:
    """A path, not a URL: absolute, or relative without any ``scheme:`` prefix."""
    if not url:
        return False
    return url.startswith("/") or ("://" not in url and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", url))


def parse_sources(text: str, path: str = "<string>", *, allow_local: bool = False) -> list[SourceRow]:
    """Parse registry CSV text (a leading BOM is ignored).

    With ``allow_local``, a ``url`` without a scheme is accepted as a local path (the sample
    corpus registry does this); ``SourceRow.is_remote`` tells them apart.
    """
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[tuple[int, str]] = []
    try:
        header = next(reader)
    except StopIteration:
        raise RegistryError(path, [(1, "empty file: expected a header organization,url,...")]) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h in names if h and h not in REQUIRED + OPTIONAL]
    dupes = sorted({h for h in names if h and names.count(h) > 1})
    if missing:
        problems.append((1, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        problems.append((1, f"unknown column(s): {', '.join(unknown)}"))
    if dupes:
        problems.append((1, f"duplicate column(s): {', '.join(dupes)}"))
    if problems:
        raise RegistryError(path, problems)

    rows: list[SourceRow] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) > len(names):
            problems.append((line, f"{len(record)} fields, the header has {len(names)}"))
            continue
        values = {n: (record[i].strip() if i < len(record) else "") for i, n in enumerate(names)}
        org, url = values["organization"], values["url"]
        row_problems = []
        bad = None if allow_local and _is_local_path(url) else check_url(url)
        if bad:
            row_problems.append(bad)
        elif url in seen:
            row_problems.append(f"duplicate url (first on line {seen[url]})")
        population, bad_pop = _population(values.get("population", ""))
        if bad_pop:
            row_problems.append(bad_pop)
        if row_problems:
            problems.extend((line, p) for p in row_problems)
            continue
        seen[url] = line
        rows.append(SourceRow(organization=org or None, url=url,
                              organization_type=values.get("organization_type") or None,
                              region=values.get("region") or None, population=population,
                              notes=values.get("notes") or None, line=line))
    if problems:
        raise RegistryError(path, problems)
    return rows


def read_sources(path: str | os.PathLike, *, allow_local: bool = False) -> list[SourceRow]:
    """Read and validate a registry CSV; RegistryError lists every bad line."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(str(path), [(raw[:exc.start].count(b"\n") + 1, f"not UTF-8: {exc.reason}")]) from None
    return parse_sources(text, str(path), allow_local=allow_local)


def example_sources() -> list[SourceRow]:
    """The bundled example registry (pipeline/data/sources.example.csv)."""
    res = resources.files("planscope.pipeline").joinpath("data/sources.example.csv")
    return parse_sources(res.read_text(encoding="utf-8-sig"), "sources.example.csv")
