"""Polite, bounded, safe harvesting of plan documents over HTTP(S).

``harvest(sources, store, engine, config)`` fetches every source URL (and, for an HTML page,
the PDF, Office and CSV documents it links to on the same host, one level deep) into the
content-addressed :class:`~pipeline.rawstore.RawStore` and writes one ``fetch_log`` row per
request. Safety and politeness:

* only http/https; every hop (redirects included, robots.txt included) has its host resolved
  and every address checked *before* connecting: loopback, private, link-local (cloud metadata
  169.254.169.254), shared, reserved, multicast and unspecified addresses are refused unless
  ``allow_private`` or the host is listed in ``allowed_hosts``. The check is repeated inside the
  connection backend, which connects to the checked address itself (no DNS rebinding);
* robots.txt (RFC 9309, via protego) is fetched once per origin and obeyed, Crawl-delay included;
* one request at a time per host with ``delay`` seconds between them, at most ``concurrency``
  hosts at once (one worker thread per host);
* 408/429/5xx and transport errors are retried with exponential backoff, honouring Retry-After
  (seconds or HTTP date); a Retry-After longer than ``max_backoff`` ends the attempts;
* redirects are followed by hand, at most ``max_redirects``, loops reported;
* bodies are streamed to a temporary file, stopped at ``max_body_bytes`` and checked against
  Content-Length: a truncated body is an error, never a document;
* the media type is sniffed from the bytes (a PDF served as application/octet-stream is a PDF);
* the next harvest sends If-None-Match / If-Modified-Since from the last good fetch_log row of
  the URL: a 304, or a 200 with the same sha256, is reported ``unchanged``.

fetch_log columns as written here: ``url`` the URL requested; ``final_url`` the redirect target
for a 3xx, else the URL itself; ``bytes`` the body bytes received; ``sha256``/``media_type`` the
document the request produced (for a 304, the one already stored); ``error`` what went wrong.
Attempts refused before any request (blocked address, robots.txt) are logged too, with no
status code.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import httpx
from protego import Protego
from sqlalchemy import Engine, func, insert, select

from planscope.extractors.office import container as C
from planscope.extractors.sniff import HTML, SNIFF_BYTES, ZIP, sniff
from planscope.models.schema import FetchLog

from planscope.pipeline.fetch.guard import AddressPolicy, BlockedURL, _GuardedTransport
from planscope.pipeline.fetch.politeness import HostGate, retry_after_seconds
from planscope.pipeline.fetch.rawstore import RawStore
from planscope.pipeline.fetch.registry import SourceRow
from planscope.pipeline.fetch.results import ERROR, NEW, UNCHANGED, DocumentResult, HarvestConfig, HarvestReport

log = logging.getLogger(__name__)

# A ZIP whose first bytes do not show which Office format it is (a large first part): the link's
# extension, then the declared Content-Type, name it; the extractor sniffs the whole file again.
ZIP_BY_SUFFIX = {".docx": C.DOCX, ".docm": C.DOCM, ".xlsx": C.XLSX, ".xlsm": C.XLSM, ".odt": C.ODT, ".ods": C.ODS}
ZIP_MEDIA = frozenset(ZIP_BY_SUFFIX.values())
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504}) | frozenset(range(520, 530))
# Links followed from a page: documents, word-processor files and spreadsheets (the legacy .doc and
# .xls are fetched too, and recorded as unsupported with that reason).
DOC_SUFFIXES = (".pdf", ".docx", ".docm", ".doc", ".odt", ".xlsx", ".xlsm", ".xls", ".ods", ".csv")
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least the first 500 KiB
ROBOTS_MAX_REDIRECTS = 5
HTML_PARSE_MAX_BYTES = 10 * 1024 * 1024


# --- one request --------------------------------------------------------------------------

@dataclass
class _Attempt:
    url: str
    status: int | None = None
    kind: str = "error"  # body | not_modified | redirect | error
    location: str | None = None
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    tmp: Path | None = None  # body streamed to the store's tmp dir
    content: bytes | None = None  # body kept in memory (robots.txt)
    sha256: str | None = None
    size: int = 0  # body bytes received (decoded)
    head: bytes = b""
    wire_bytes: int = 0
    sent: bool = False  # a request actually went out


@dataclass
class _Previous:
    sha256: str
    etag: str | None
    last_modified: str | None
    media_type: str | None


class _Harvester:
    def __init__(self, store: RawStore, engine: Engine, config: HarvestConfig):
        self.store, self.engine, self.config = store, engine, config
        self.policy = AddressPolicy(config.allow_private, config.allowed_hosts)
        self.gate = HostGate(config.delay)
        limits = httpx.Limits(max_connections=config.concurrency * 2,
                              max_keepalive_connections=config.concurrency * 2)
        self.client = httpx.Client(
            transport=_GuardedTransport(self.policy, limits=limits), trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                                  write=config.read_timeout, pool=config.connect_timeout + config.read_timeout),
            headers={"User-Agent": config.user_agent,
                     "Accept": "application/pdf, text/html;q=0.9, application/*;q=0.8, */*;q=0.5",
                     "Accept-Language": "fr, en;q=0.5"})
        self.report = HarvestReport()
        self._lock = threading.Lock()
        self._robots: dict[tuple[str, str, int], Protego | bool] = {}
        self._robots_locks: dict[tuple[str, str, int], threading.Lock] = {}
        self._memo: dict[str, DocumentResult] = {}  # source/link URL -> its result in this harvest
        self._hops: dict[str, tuple] = {}  # URL answered with a document in this harvest -> outcome
        with engine.connect() as conn:  # "previous" means before this harvest started
            self.baseline = conn.execute(select(func.max(FetchLog.id))).scalar() or 0

    def close(self) -> None:
        self.client.close()

    # -- bookkeeping
    def _log(self, attempt: _Attempt, seconds: float | None, media_type: str | None = None) -> None:
        final = attempt.location if attempt.kind == "redirect" else attempt.url
        row = dict(url=attempt.url[:2000], final_url=(final or "")[:2000] or None, status_code=attempt.status,
                   etag=(attempt.etag or None) and attempt.etag[:500],
                   last_modified=(attempt.last_modified or None) and attempt.last_modified[:100],
                   media_type=media_type, bytes=attempt.size if attempt.sent else 0, sha256=attempt.sha256,
                   fetched_at=datetime.now(timezone.utc), seconds=None if seconds is None else round(seconds, 4),
                   error=attempt.error)
        with self._lock:
            if attempt.sent:
                self.report.requests += 1
                self.report.bytes_downloaded += attempt.wire_bytes
            with self.engine.begin() as conn:
                conn.execute(insert(FetchLog), [row])

    def _previous(self, url: str) -> _Previous | None:
        """The last good fetch of url whose blob is still in the store."""
        stmt = (select(FetchLog.sha256, FetchLog.etag, FetchLog.last_modified, FetchLog.media_type)
                .where(FetchLog.url == url, FetchLog.id <= self.baseline,
                       FetchLog.sha256.is_not(None), FetchLog.error.is_(None),
                       FetchLog.status_code.in_((200, 203, 304)))
                .order_by(FetchLog.id.desc()).limit(1))
        with self._lock, self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        if row is None or not self.store.has(row.sha256):
            return None
        return _Previous(row.sha256, row.etag, row.last_modified, row.media_type)

    # -- robots.txt
    def _robots_allows(self, url: str) -> tuple[bool, str | None]:
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        port = parts.port or (443 if scheme == "https" else 80)
        key = (scheme, host, port)
        with self._lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._robots:
                self._robots[key] = self._fetch_robots(f"{scheme}://{parts.netloc}/robots.txt", host)
        rules = self._robots[key]
        if rules is True:
            return True, None
        if rules is False:
            return False, "robots.txt unreachable (server error): host treated as disallowed"
        if rules.can_fetch(url, self.config.user_agent):
            return True, None
        return False, "disallowed by robots.txt"

    def _fetch_robots(self, robots_url: str, host: str) -> Protego | bool:
        """Protego rules, True (allow all: 4xx, none) or False (disallow all: 5xx, unreachable)."""
        url, seen = robots_url, {robots_url}
        for _ in range(ROBOTS_MAX_REDIRECTS + 1):
            try:
                self.policy.check_url(url)
            except BlockedURL as exc:
                self._log(_Attempt(url=url, error=f"blocked: {exc}"), None)
                return False
            att = self._request(url, {}, to_memory=True, limit=ROBOTS_MAX_BYTES)
            if att.kind == "redirect":
                if att.location in seen:
                    return True
                seen.add(att.location)
                url = att.location
                continue
            if att.kind == "body":
                text = (att.content or b"").decode("utf-8", errors="replace")
                rules = Protego.parse(text)
                crawl_delay = rules.crawl_delay(self.config.user_agent)
                if crawl_delay:
                    self.gate.set_delay(host, min(float(crawl_delay), self.config.max_crawl_delay))
                return rules
            if att.status is not None and 400 <= att.status < 500 and att.status not in (408, 429):
                return True
            return False  # 5xx, 429 after retries, network error
        return True  # more than 5 redirects: RFC 9309 lets us treat it as unavailable

    # -- requests
    def _request(self, url: str, headers: dict, *, to_memory: bool = False, limit: int | None = None) -> _Attempt:
        """One URL with retries (408/429/5xx, transport errors)."""
        cfg = self.config
        host = (urlsplit(url).hostname or "").lower()
        for n in range(cfg.max_retries + 1):
            att = self._request_once(url, headers, to_memory=to_memory, limit=limit)
            if not att.retryable:
                return att
            if n == cfg.max_retries:
                att.error = f"{att.error} (gave up after {n + 1} attempts)"
                return att
            wait = cfg.backoff_base * (2 ** n)
            if att.retry_after is not None:
                if att.retry_after > cfg.max_backoff:
                    att.error = f"{att.error}; Retry-After {att.retry_after:.0f}s exceeds the {cfg.max_backoff:.0f}s cap"
                    return att
                wait = max(att.retry_after, 0.0)
            wait = min(wait, cfg.max_backoff)
            log.info("retrying %s in %.2fs (%s)", url, wait, att.error)
            self.gate.defer(host, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _request_once(self, url: str, headers: dict, *, to_memory: bool, limit: int | None) -> _Attempt:
        cfg = self.config
        limit = cfg.max_body_bytes if limit is None else limit
        att = _Attempt(url=url)
        host = (urlsplit(url).hostname or "").lower()
        t0 = time.monotonic()
        with self.gate.slot(host):
            t0 = time.monotonic()
            try:
                request = self.client.build_request("GET", url, headers=headers)
                response = self.client.send(request, stream=True)
            except BlockedURL as exc:
                att.error = f"blocked: {exc}"
            except httpx.TimeoutException as exc:
                att.sent, att.retryable = True, True
                att.error = f"timeout: {type(exc).__name__}"
            except httpx.TransportError as exc:
                att.sent, att.retryable = True, not isinstance(exc, httpx.UnsupportedProtocol)
                att.error = f"{type(exc).__name__}: {exc}"
            else:
                att.sent = True
                try:
                    self._read_response(att, response, to_memory=to_memory, limit=limit, t0=t0)
                finally:
                    response.close()
                    att.wire_bytes = response.num_bytes_downloaded
        if att.kind != "body" and att.tmp is not None:
            self.store.discard(att.tmp)
            att.tmp = None
        media = None
        if att.kind == "body" and not to_memory:
            media = self._media_type(att)
        self._log(att, time.monotonic() - t0, media)
        return att

    def _read_response(self, att: _Attempt, response: httpx.Response, *, to_memory: bool, limit: int,
                       t0: float) -> None:
        cfg = self.config
        status = att.status = response.status_code
        att.etag = response.headers.get("etag")
        att.last_modified = response.headers.get("last-modified")
        att.content_type = response.headers.get("content-type")
        if status in REDIRECTS:
            location = response.headers.get("location")
            if not location:
                att.error = f"HTTP {status} without Location"
                return
            att.kind = "redirect"
            att.location = urldefrag(urljoin(att.url, location.strip()))[0]
            return
        if status == 304:
            att.kind = "not_modified"
            return
        if status not in (200, 203):
            att.error = f"HTTP {status}"
            att.retryable = status in RETRY_STATUSES
            if att.retryable:
                att.retry_after = retry_after_seconds(response.headers.get("retry-after"))
            return
        declared = response.headers.get("content-length")
        expected = None
        if declared is not None:
            if not declared.strip().isdigit():
                att.error = f"invalid Content-Length {declared!r}"
                return
            expected = int(declared)
            if expected > limit and not to_memory:
                att.error = f"body too large: Content-Length {expected} exceeds the {limit}-byte limit"
                return
        h = hashlib.sha256()
        head = bytearray()
        size = 0
        deadline = t0 + cfg.request_seconds
        chunks: list[bytes] = []
        fh = None if to_memory else self.store.temp_file()
        try:
            if fh is not None:
                att.tmp = Path(fh.name)
            for chunk in response.iter_bytes(chunk_size=64 * 1024):
                if size + len(chunk) > limit:
                    if to_memory:  # robots.txt: the first `limit` bytes are enough
                        chunks.append(chunk[:limit - size])
                        size = limit
                        break
                    att.error = f"body exceeds the {limit}-byte limit: download stopped"
                    return
                size += len(chunk)
                att.size = size
                h.update(chunk)
                if len(head) < SNIFF_BYTES:
                    head += chunk[:SNIFF_BYTES - len(head)]
                if fh is not None:
                    fh.write(chunk)
                else:
                    chunks.append(chunk)
                if time.monotonic() > deadline:
                    att.error = f"download slower than {cfg.request_seconds:.0f}s: stopped"
                    att.retryable = True
                    return
            else:
                # Whole body read: the bytes received on the wire must match Content-Length.
                if expected is not None and response.num_bytes_downloaded != expected:
                    att.error = (f"truncated body: {response.num_bytes_downloaded} of {expected} bytes "
                                 f"(Content-Length)")
                    return
        except httpx.RemoteProtocolError as exc:
            att.error = f"truncated body: {exc}"
            att.retryable = True
            return
        except httpx.TimeoutException as exc:
            att.error = f"timeout while reading the body: {type(exc).__name__}"
            att.retryable = True
            return
        except httpx.TransportError as exc:
            att.error = f"{type(exc).__name__} while reading the body: {exc}"
            att.retryable = True
            return
        except httpx.DecodingError as exc:
            att.error = f"undecodable body: {exc}"
            return
        finally:
            if fh is not None:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
        att.kind = "body"
        att.size = size
        att.head = bytes(head)
        if to_memory:
            att.content = b"".join(chunks)
        else:
            att.sha256 = h.hexdigest()

    @staticmethod
    def _media_type(att: _Attempt) -> str:
        name = unquote(PurePosixPath(urlsplit(att.url).path).name)
        media = sniff(att.head, name)
        declared = (att.content_type or "").split(";")[0].strip().lower()
        if media == ZIP:
            by_name = ZIP_BY_SUFFIX.get(PurePosixPath(name.lower()).suffix)
            return by_name or (declared if declared in ZIP_MEDIA else ZIP)
        return media

    # -- documents
    def fetch_document(self, url: str, *, organization: str | None = None, depth: int = 0) -> DocumentResult:
        with self._lock:
            done = self._memo.get(url)
        if done is not None:  # already fetched in this harvest (a page linked twice)
            return DocumentResult(**{**done.to_dict(), "children": [], "organization": organization})
        result = self._fetch_document(url, organization)
        with self._lock:
            self._memo[url] = result
        if (depth == 0 and self.config.follow_links and result.outcome != ERROR
                and result.media_type == HTML and result.sha256):
            for link in self._document_links(result):
                result.children.append(self.fetch_document(link, organization=organization, depth=1))
        return result

    def _fetch_document(self, url: str, organization: str | None) -> DocumentResult:
        result = DocumentResult(url=url, organization=organization)
        current, seen = url, [url]
        for _ in range(self.config.max_redirects + 1):
            result.final_url = current
            try:
                self.policy.check_url(current)
            except BlockedURL as exc:
                return self._fail(result, current, f"blocked: {exc}")
            with self._lock:
                done = self._hops.get(current)
            if done is not None:  # this URL already answered in this harvest: no second request
                result.sha256, result.media_type, result.outcome, result.size, result.status_code = done
                return result
            allowed, why = self._robots_allows(current)
            if not allowed:
                return self._fail(result, current, why)
            prev = self._previous(current)
            headers = {}
            if prev is not None:
                if prev.etag:
                    headers["If-None-Match"] = prev.etag
                if prev.last_modified:
                    headers["If-Modified-Since"] = prev.last_modified
            att = self._request(current, headers)
            result.status_code = att.status
            if att.kind == "redirect":
                if att.location in seen:
                    chain = " -> ".join(seen[seen.index(att.location):] + [att.location])
                    result.error = f"redirect loop: {chain}"
                    return result
                seen.append(att.location)
                current = att.location
                continue
            if att.kind == "not_modified":
                if prev is None:  # 304 to an unconditional request
                    result.error = "HTTP 304 without a previous copy"
                    return result
                result.sha256, result.media_type, result.outcome = prev.sha256, prev.media_type, UNCHANGED
                result.size = self.store.get(prev.sha256).stat().st_size
                return self._done(current, result)
            if att.kind == "body":
                result.media_type = self._media_type(att)
                result.declared_type = (att.content_type or "").split(";")[0].strip().lower() or None
                result.size = att.size
                result.sha256 = att.sha256
                if prev is not None and prev.sha256 == att.sha256:
                    result.outcome = UNCHANGED
                    self.store.discard(att.tmp)
                    return self._done(current, result)
                existed = self.store.has(att.sha256)
                sha = self.store.put(att.tmp, move=True)
                assert sha == att.sha256
                if not existed:
                    with self._lock:
                        self.report.documents_stored += 1
                result.outcome = NEW
                return self._done(current, result)
            result.error = att.error
            return result
        result.error = f"too many redirects (more than {self.config.max_redirects}): {' -> '.join(seen)}"
        return result

    def _done(self, url: str, result: DocumentResult) -> DocumentResult:
        with self._lock:
            self._hops[url] = (result.sha256, result.media_type, result.outcome, result.size, result.status_code)
        return result

    def _fail(self, result: DocumentResult, url: str, error: str) -> DocumentResult:
        """An attempt refused before any request: logged without a status code."""
        self._log(_Attempt(url=url, error=error), None)
        result.error = error
        return result

    def _document_links(self, page: DocumentResult) -> list[str]:
        """Document links (PDF, Office, CSV) of an HTML page on the page's own host (scheme, host and port)."""
        from bs4 import BeautifulSoup

        base = page.final_url or page.url
        with open(self.store.get(page.sha256), "rb") as fh:
            data = fh.read(HTML_PARSE_MAX_BYTES)
        soup = BeautifulSoup(data, "lxml")
        tag = soup.find("base", href=True)
        if tag:
            base = urljoin(base, tag["href"].strip())
        origin = urlsplit(base)
        links: list[str] = []
        for a in soup.find_all("a", href=True):
            href = a["href"].strip()
            if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
                continue
            link = urldefrag(urljoin(base, href))[0]
            parts = urlsplit(link)
            if parts.scheme.lower() not in ("http", "https"):
                continue
            try:
                same = (parts.scheme.lower(), parts.hostname, parts.port) == \
                       (origin.scheme.lower(), origin.hostname, origin.port)
            except ValueError:
                continue
            if not same or not unquote(parts.path).lower().endswith(DOC_SUFFIXES):
                continue
            if link not in links and link not in (page.url, page.final_url):
                links.append(link)
            if len(links) >= self.config.max_links:
                break
        return links


def _host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def harvest(sources: Iterable[SourceRow | str], store: RawStore | str | os.PathLike, engine: Engine,
            config: HarvestConfig | None = None) -> HarvestReport:
    """Fetch every source into the store, logging each request in fetch_log; never raises for a source."""
    config = config or HarvestConfig()
    if not isinstance(store, RawStore):
        store = RawStore(store)
    rows = [s if isinstance(s, SourceRow) else SourceRow(organization="", url=str(s)) for s in sources]
    h = _Harvester(store, engine, config)
    t0 = time.monotonic()
    results: list[DocumentResult | None] = [None] * len(rows)

    by_host: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_host.setdefault(_host_of(row.url), []).append(i)

    def run_host(indexes: list[int]) -> None:
        for i in indexes:
            row = rows[i]
            try:
                results[i] = h.fetch_document(row.url, organization=row.organization or None)
            except Exception as exc:  # a bug must not lose the other sources
                log.exception("harvest of %s failed", row.url)
                results[i] = DocumentResult(url=row.url, organization=row.organization or None,
                                            error=f"internal error: {type(exc).__name__}: {exc}")

    try:
        workers = max(1, min(config.concurrency, len(by_host)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harvest") as pool:
            for fut in [pool.submit(run_host, idx) for idx in by_host.values()]:
                fut.result()
    finally:
        h.close()
    report = h.report
    report.results = [r for r in results if r is not None]
    report.seconds = time.monotonic() - t0
    return report
