"""What a harvest is told (HarvestConfig) and what it answers (HarvestReport, one DocumentResult
per source and per linked document)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from planscope import __version__
from planscope.settings import HOST_CONCURRENCY, HOST_DELAY_S, MAX_BODY_BYTES

NEW, UNCHANGED, ERROR = "new", "unchanged", "error"


@dataclass
class HarvestConfig:
    user_agent: str = f"planscope/{__version__} (+https://www.example.org/planscope; mailto:planscope@example.org)"
    delay: float = HOST_DELAY_S  # seconds between two requests to the same host
    concurrency: int = HOST_CONCURRENCY  # hosts fetched at once (one request at a time per host)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence while waiting for bytes
    request_seconds: float = 900.0  # longest time for one whole request (a slow trickle ends too)
    max_retries: int = 3  # retries after the first attempt
    backoff_base: float = 1.0  # first backoff; doubles each retry
    max_backoff: float = 60.0  # cap on one wait; a longer Retry-After gives up instead
    max_redirects: int = 5
    max_body_bytes: int = MAX_BODY_BYTES
    allow_private: bool = False  # allow loopback/private/link-local addresses (never in production)
    allowed_hosts: frozenset[str] = frozenset()  # hosts/IP literals exempt from the address check
    follow_links: bool = True  # fetch the document links (PDF, Office, CSV) of an HTML source, same host, one level
    max_links: int = 50  # per HTML page
    max_crawl_delay: float = 60.0  # cap on a robots.txt Crawl-delay

    def __post_init__(self):
        if not re.search(r"@|https?://", self.user_agent):
            raise ValueError("user_agent must carry a contact address (an e-mail or a URL)")
        self.allowed_hosts = frozenset(h.lower().strip("[]") for h in self.allowed_hosts)
        if self.concurrency < 1 or self.max_redirects < 0 or self.max_retries < 0:
            raise ValueError("concurrency ≥ 1, max_redirects ≥ 0 and max_retries ≥ 0")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")


@dataclass
class DocumentResult:
    url: str
    final_url: str | None = None
    sha256: str | None = None
    media_type: str | None = None  # sniffed from the bytes
    declared_type: str | None = None  # the server's Content-Type, when it sent one
    outcome: str = ERROR  # new | unchanged | error
    error: str | None = None
    status_code: int | None = None
    size: int | None = None  # bytes of the document
    organization: str | None = None
    children: list[DocumentResult] = field(default_factory=list)  # documents linked from an HTML page

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class HarvestReport:
    results: list[DocumentResult] = field(default_factory=list)
    requests: int = 0  # HTTP requests sent (robots.txt, redirects and retries included)
    bytes_downloaded: int = 0  # bytes received on the wire
    documents_stored: int = 0  # blobs newly added to the store
    seconds: float = 0.0

    def documents(self) -> Iterator[DocumentResult]:
        """Every result, children after their page."""
        for r in self.results:
            yield r
            yield from r.children

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, UNCHANGED: 0, ERROR: 0}
        for d in self.documents():
            out[d.outcome] = out.get(d.outcome, 0) + 1
        return out

    def to_dict(self) -> dict:
        return {"results": [r.to_dict() for r in self.results], "requests": self.requests,
                "bytes_downloaded": self.bytes_downloaded, "documents_stored": self.documents_stored,
                "seconds": round(self.seconds, 3), "counts": self.counts()}
