"""Harvest against a real local HTTP server (tests/httpfaults.py); registry and raw store."""
from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from sqlalchemy import create_engine, select

from planscope.models.schema import Base, FetchLog
from planscope.pipeline.fetch.guard import AddressPolicy, BlockedURL, _GuardedBackend
from planscope.pipeline.fetch.harvest import HarvestConfig, harvest
from planscope.pipeline.fetch.politeness import retry_after_seconds
from planscope.pipeline.fetch.rawstore import RawStore, RawStoreError
from planscope.pipeline.fetch.registry import RegistryError, SourceRow, example_sources, read_sources

from httpfaults import ETAG, PDF, PDF2, PDF3, FaultServer

MB = 1024 * 1024


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Nothing in this module may reach (or even resolve) anything outside 127.0.0.0/8.

    Returns the list of every address a socket tried to connect to.
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def loopback(address) -> bool:
        if not isinstance(address, tuple):
            return True  # unix socket
        try:
            return ipaddress.ip_address(address[0].split("%")[0]).is_loopback
        except ValueError:
            return False

    def connect(self, address):
        attempts.append(address[0] if isinstance(address, tuple) else str(address))
        if not loopback(address):
            raise OSError(f"test guard: connection to {address} refused")
        return real_connect(self, address)

    def connect_ex(self, address):
        attempts.append(address[0] if isinstance(address, tuple) else str(address))
        if not loopback(address):
            raise OSError(f"test guard: connection to {address} refused")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        h = host.decode() if isinstance(host, bytes) else host
        if h not in ("localhost", None):
            try:
                if not ipaddress.ip_address(h).is_loopback:
                    raise OSError
            except (ValueError, OSError):
                raise socket.gaierror(f"test guard: no resolving {h!r}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def server():
    srv = FaultServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def engine(tmp_path):
    eng = create_engine(f"sqlite:///{tmp_path / 'harvest.db'}")
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def store(tmp_path):
    return RawStore(tmp_path / "store")


def config(**kw) -> HarvestConfig:
    base = dict(user_agent="planscope-test/0.1 (mailto:tests@example.org)", delay=0.0, concurrency=4,
                connect_timeout=1.0, read_timeout=0.5, request_seconds=10.0, max_retries=1,
                backoff_base=0.01, max_backoff=2.0, max_redirects=5, max_body_bytes=1 * MB,
                allowed_hosts={"127.0.0.1"})
    base.update(kw)
    return HarvestConfig(**base)


def blobs(store: RawStore) -> list[str]:
    if not store.root.exists():
        return []
    return sorted(p.name for p in store.root.glob("??/*") if p.is_file())


def tmp_left(store: RawStore) -> list:
    return list(store.tmp_dir.glob("*")) if store.tmp_dir.exists() else []


def rows(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(FetchLog).order_by(FetchLog.id)))


def one(report):
    assert len(report.results) == 1
    return report.results[0]


# --- registry --------------------------------------------------------------------------------

def test_registry_reads_bom_and_optional_columns(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_bytes("\ufefforganization,url,population,region\n"
                     "Ville de Saint-Éxemple,https://www.example.org/plan.pdf,12 500,Bretagne\n"
                     "\n"
                     "MRC d'Exemple,http://www.example.org/page.html,,\n".encode("utf-8"))
    got = read_sources(path)
    assert [r.organization for r in got] == ["Ville de Saint-Éxemple", "MRC d'Exemple"]
    assert got[0].population == 12500 and got[0].region == "Bretagne" and got[0].line == 2
    assert got[1].population is None and got[1].notes is None and got[1].line == 4


def test_registry_errors_list_every_bad_line(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("organization,url,population\n"
                    "Ville A,https://www.example.org/a.pdf,100\n"
                    "Ville B,,200\n"
                    "Ville C,ftp://www.example.org/c.pdf,\n"
                    "Ville D,https://www.example.org/d.pdf,beaucoup\n"
                    "Ville E,https://www.example.org/e.pdf, 1_000\n"
                    "Ville F,https://www.example.org/a.pdf,\n"
                    "Ville G,plans/g.pdf,\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        read_sources(path)
    problems = dict(err.value.problems)
    assert set(problems) == {3, 4, 5, 6, 7, 8}
    assert "missing url" in problems[3]
    assert "bad scheme" in problems[4]
    assert "bad population" in problems[5]
    assert "bad population" in problems[6]
    assert "duplicate url" in problems[7]
    assert "bad scheme" in problems[8]
    assert "line 5" in str(err.value)


def test_registry_local_paths_and_blank_organization_when_allowed(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("organization,url\n,plans/g.pdf\nVille H,https://www.example.org/h.pdf\n"
                    "Ville I,file:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        read_sources(path, allow_local=True)
    assert [n for n, _ in err.value.problems] == [4]  # file: is a scheme, not a local path
    path.write_text("organization,url\n,plans/g.pdf\nVille H,https://www.example.org/h.pdf\n", encoding="utf-8")
    got = read_sources(path, allow_local=True)
    assert [(r.organization, r.is_remote) for r in got] == [(None, False), ("Ville H", True)]


def test_registry_missing_column(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("organisation,adresse\nA,https://www.example.org/\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="missing column"):
        read_sources(path)


def test_registry_bundled_example_is_valid():
    rows_ = example_sources()
    assert len(rows_) >= 3
    assert all(r.url.startswith("https://www.example.org/") for r in rows_)


# --- raw store -------------------------------------------------------------------------------

def test_rawstore_content_addressed_atomic_and_safe(tmp_path):
    store = RawStore(tmp_path / "s")
    sha = store.put(b"hello")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    path = store.get(sha)
    assert path == tmp_path / "s" / sha[:2] / sha and path.read_bytes() == b"hello"
    mtime = path.stat().st_mtime_ns
    src = tmp_path / "copy.bin"
    src.write_bytes(b"hello")
    assert store.put(src) == sha and src.exists()  # copied, source kept
    assert path.stat().st_mtime_ns == mtime  # never rewritten
    for bad in ("../../etc/passwd", sha[:10], sha.upper(), "/" + sha[1:], "g" * 64):
        with pytest.raises(RawStoreError):
            store.get(bad)
        assert not store.has(bad)
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)
    assert tmp_left(store) == []


# --- harvest ---------------------------------------------------------------------------------

def test_pdf_is_stored_once_byte_identical_and_logged(server, store, engine):
    report = harvest([server.url("/doc.pdf")], store, engine, config())
    r = one(report)
    assert (r.outcome, r.error, r.media_type, r.status_code) == ("new", None, "application/pdf", 200)
    assert store.get(r.sha256).read_bytes() == PDF and r.size == len(PDF)
    assert blobs(store) == [hashlib.sha256(PDF).hexdigest()] and tmp_left(store) == []
    log = rows(engine)
    assert [(x.url, x.status_code) for x in log] == [(server.url("/robots.txt"), 200), (server.url("/doc.pdf"), 200)]
    doc = log[1]
    assert (doc.final_url, doc.etag, doc.sha256, doc.bytes, doc.media_type) == (
        server.url("/doc.pdf"), ETAG, r.sha256, len(PDF), "application/pdf")
    assert doc.fetched_at is not None and doc.seconds is not None and doc.error is None
    assert server.hits("/doc.pdf")[0].headers["user-agent"].startswith("planscope-test/0.1 (mailto:")
    assert report.requests == 2 and report.documents_stored == 1


def test_503_then_200_honours_retry_after(server, store, engine):
    r = one(harvest([server.url("/flaky.pdf")], store, engine, config()))
    assert r.outcome == "new" and store.get(r.sha256).read_bytes() == PDF2
    first, second = server.hits("/flaky.pdf")
    assert (first.status, second.status) == (503, 200)
    assert second.start - first.end >= 0.95  # Retry-After: 1
    assert [x.status_code for x in rows(engine) if x.url.endswith("/flaky.pdf")] == [503, 200]


def test_retry_after_beyond_cap_gives_up_at_once(server, store, engine):
    t0 = time.monotonic()
    r = one(harvest([server.url("/busy")], store, engine, config(max_retries=3)))
    assert r.outcome == "error" and "Retry-After 3600s exceeds" in r.error
    assert len(server.hits("/busy")) == 1 and time.monotonic() - t0 < 2


def test_retry_after_parsing():
    now = datetime(2025, 6, 2, 10, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_response_slower_than_read_timeout(server, store, engine):
    t0 = time.monotonic()
    r = one(harvest([server.url("/slow.pdf")], store, engine, config(read_timeout=0.3, max_retries=1)))
    assert r.outcome == "error" and "timeout" in r.error and "2 attempts" in r.error
    assert time.monotonic() - t0 < 1.9  # did not wait for the 2 s answer
    assert len(server.hits("/slow.pdf")) == 2 and blobs(store) == []


def test_redirect_chain_followed(server, store, engine):
    r = one(harvest([server.url("/chain/3")], store, engine, config()))
    assert r.outcome == "new" and r.final_url == server.url("/doc.pdf")
    assert store.get(r.sha256).read_bytes() == PDF
    log = [(x.url.removeprefix(server.base), x.status_code, (x.final_url or "").removeprefix(server.base))
           for x in rows(engine) if not x.url.endswith("robots.txt")]
    assert log == [("/chain/3", 301, "/chain/2"), ("/chain/2", 302, "/chain/1"),
                   ("/chain/1", 307, "/doc.pdf"), ("/doc.pdf", 200, "/doc.pdf")]


def test_redirect_limit(server, store, engine):
    r = one(harvest([server.url("/chain/3")], store, engine, config(max_redirects=2)))
    assert r.outcome == "error" and "too many redirects" in r.error
    assert server.hits("/doc.pdf") == []


def test_redirect_loop_reported(server, store, engine):
    r = one(harvest([server.url("/loop/a")], store, engine, config(max_redirects=10)))
    assert r.outcome == "error" and r.error.startswith("redirect loop")
    assert "/loop/a -> " in r.error and "/loop/b" in r.error
    assert len(server.hits("/loop/a")) == 1 and len(server.hits("/loop/b")) == 1


def test_404_is_an_error(server, store, engine):
    r = one(harvest([server.url("/nothing-here.pdf")], store, engine, config()))
    assert (r.outcome, r.status_code, r.error, r.sha256) == ("error", 404, "HTTP 404", None)
    assert len(server.hits("/nothing-here.pdf")) == 1  # a 404 is not retried
    assert rows(engine)[-1].error == "HTTP 404" and blobs(store) == []


def test_truncated_body_is_an_error_and_not_stored(server, store, engine):
    r = one(harvest([server.url("/truncated.pdf")], store, engine, config(max_retries=0)))
    assert r.outcome == "error" and "truncated" in r.error and r.sha256 is None
    assert blobs(store) == [] and tmp_left(store) == []
    row = rows(engine)[-1]
    assert row.status_code == 200 and row.sha256 is None and "truncated" in row.error


def test_pdf_served_as_octet_stream_is_sniffed(server, store, engine):
    r = one(harvest([server.url("/download?id=7")], store, engine, config()))
    assert r.outcome == "new" and r.media_type == "application/pdf"
    assert r.declared_type == "application/octet-stream"
    assert server.hits("/download?id=7")[0].status == 200
    assert rows(engine)[-1].media_type == "application/pdf"


def test_robots_disallow_is_never_requested(server, store, engine):
    r = one(harvest([server.url("/private/secret.pdf")], store, engine, config()))
    assert r.outcome == "error" and "robots.txt" in r.error
    assert server.paths() == ["/robots.txt"]
    row = rows(engine)[-1]
    assert row.url == server.url("/private/secret.pdf") and row.status_code is None


def test_endless_body_stopped_at_limit(server, store, engine):
    r = one(harvest([server.url("/endless.pdf")], store, engine, config(max_body_bytes=1 * MB)))
    assert r.outcome == "error" and "limit" in r.error
    assert blobs(store) == [] and tmp_left(store) == []
    sent = server.hits("/endless.pdf")[0].sent
    assert sent < 32 * MB  # the server was cut off long before its own cap
    row = rows(engine)[-1]
    assert row.sha256 is None and 512 * 1024 < row.bytes <= 1 * MB  # received before the stop


def test_huge_content_length_refused_before_reading(server, store, engine):
    r = one(harvest([server.url("/huge.pdf")], store, engine, config(max_body_bytes=1 * MB)))
    assert r.outcome == "error" and "Content-Length 5368709120 exceeds" in r.error
    assert blobs(store) == [] and tmp_left(store) == []


@pytest.mark.parametrize("path,address", [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254"),
                                          ("/to-localhost", "localhost")])
def test_redirect_to_private_address_refused_without_connecting(server, store, engine, loopback_only,
                                                                path, address):
    r = one(harvest([server.url(path)], store, engine, config()))
    assert r.outcome == "error" and r.error.startswith("blocked:")
    assert address in r.final_url
    assert not any(a == address for a in loopback_only)  # never connected there
    assert sum(1 for a in loopback_only if a != "127.0.0.1") == 0
    assert server.paths() == ["/robots.txt", path]


def test_private_source_refused_unless_allowed(server, store, engine, loopback_only):
    r = one(harvest([server.url("/doc.pdf")], store, engine, config(allowed_hosts=set())))
    assert r.outcome == "error" and "127.0.0.1" in r.error and "refused" in r.error
    assert server.paths() == [] and loopback_only == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/plan.pdf", "gopher://127.0.0.1/"])
def test_non_http_scheme_refused(store, engine, url, loopback_only):
    r = one(harvest([url], store, engine, config()))
    assert r.outcome == "error" and "scheme" in r.error and loopback_only == []


def test_redirect_to_file_scheme_refused(server, store, engine):
    r = one(harvest([server.url("/to-file")], store, engine, config()))
    assert r.outcome == "error" and "scheme 'file'" in r.error


def test_connect_time_check_pins_addresses(loopback_only):
    """The backend re-checks at connect time (DNS rebinding) and refuses before any socket."""
    backend = _GuardedBackend(AddressPolicy(allow_private=False))
    with pytest.raises(BlockedURL):
        backend.connect_tcp("127.0.0.1", 9)
    with pytest.raises(BlockedURL):
        backend.connect_tcp("::ffff:169.254.169.254", 80)
    assert loopback_only == []


def test_second_harvest_is_conditional_and_downloads_nothing(server, store, engine):
    urls = [server.url("/doc.pdf"), server.url("/chain/2"), server.url("/download")]
    first = harvest(urls, store, engine, config())
    assert [r.outcome for r in first.results] == ["new", "new", "new"]
    n_first = len(server.log)
    second = harvest(urls, store, engine, config())
    assert [r.outcome for r in second.results] == ["unchanged"] * 3
    assert [r.sha256 for r in second.results] == [r.sha256 for r in first.results]
    again = server.log[n_first:]
    # /chain/2 ends on /doc.pdf, already answered in this harvest: asked once only
    assert [h.path for h in again] == ["/robots.txt", "/doc.pdf", "/chain/2", "/chain/1", "/download"]
    docs = [h for h in again if h.path in ("/doc.pdf", "/download")]
    assert len(docs) == 2 and all(h.headers.get("if-none-match") == ETAG for h in docs)
    assert all(h.status == 304 and h.sent == 0 for h in docs)
    assert sorted(blobs(store)) == sorted({hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PDF2).hexdigest()})
    assert second.documents_stored == 0 and second.bytes_downloaded < 1000 < first.bytes_downloaded


def test_unchanged_sha_without_validators(server, store, engine):
    url = server.url("/files/annexe.PDF")  # served without ETag / Last-Modified
    assert one(harvest([url], store, engine, config())).outcome == "new"
    r = one(harvest([url], store, engine, config()))
    assert r.outcome == "unchanged" and r.sha256 == hashlib.sha256(PDF3).hexdigest()
    assert blobs(store) == [r.sha256] and tmp_left(store) == []


def test_html_page_document_links_followed_one_level(server, store, engine):
    source = SourceRow(organization="Ville d'Exemple", url=server.url("/page.html"))
    report = harvest([source], store, engine, config())
    page = one(report)
    assert page.outcome == "new" and page.media_type == "text/html" and page.organization == "Ville d'Exemple"
    kids = {c.url.removeprefix(server.base): c for c in page.children}
    assert set(kids) == {"/doc.pdf", "/files/annexe.PDF", "/private/secret.pdf"}  # same host, documents only
    assert kids["/doc.pdf"].outcome == "new" and store.get(kids["/doc.pdf"].sha256).read_bytes() == PDF
    assert kids["/files/annexe.PDF"].media_type == "application/pdf"
    assert kids["/private/secret.pdf"].outcome == "error" and "robots" in kids["/private/secret.pdf"].error
    assert all(c.organization == "Ville d'Exemple" and c.children == [] for c in page.children)
    assert "/other.html" not in server.paths() and "/private/secret.pdf" not in server.paths()
    assert report.counts() == {"new": 3, "unchanged": 0, "error": 1}
    assert report.to_dict()["results"][0]["children"][0]["url"].startswith(server.base)
    # next time: page and children all answered by the stored copies
    again = harvest([source], store, engine, config())
    assert [c.outcome for c in one(again).children if c.outcome != "error"] == ["unchanged", "unchanged"]
    assert one(again).outcome == "unchanged" and again.documents_stored == 0


def test_one_request_at_a_time_per_host_with_delay(server, store, engine):
    urls = [server.url(p) for p in ("/doc.pdf", "/download", "/files/annexe.PDF", "/nothing")]
    report = harvest(urls, store, engine, config(delay=0.15, concurrency=4))
    assert [r.outcome for r in report.results] == ["new", "new", "new", "error"]
    hits = sorted(server.log, key=lambda h: h.start)
    assert len(hits) == 5  # robots.txt once, then the four
    for before, after in zip(hits, hits[1:]):
        # One at a time (no overlap), and request starts spaced by the delay (the client counts
        # the delay from a request's start, so a slow response does not stretch it).
        assert after.start >= before.end
        assert after.start >= before.start + 0.14


def test_robots_server_error_means_disallow_all(server, store, engine):
    server.robots_status = 503
    r = one(harvest([server.url("/doc.pdf")], store, engine, config(max_retries=0)))
    assert r.outcome == "error" and "robots.txt unreachable" in r.error
    assert server.paths() == ["/robots.txt"]


def test_robots_missing_means_allow_all(server, store, engine):
    server.robots_status = 404
    r = one(harvest([server.url("/private/secret.pdf")], store, engine, config()))
    assert r.outcome == "new"


def test_robots_crawl_delay_is_honoured(server, store, engine):
    server.robots = b"User-agent: planscope-test\nCrawl-delay: 0.3\n"
    report = harvest([server.url("/doc.pdf"), server.url("/download")], store, engine, config(delay=0))
    assert [r.outcome for r in report.results] == ["new", "new"]
    hits = sorted(server.log, key=lambda h: h.start)
    assert all(b.start >= a.end + 0.29 for a, b in zip(hits, hits[1:]))


def test_user_agent_needs_a_contact():
    with pytest.raises(ValueError, match="contact"):
        HarvestConfig(user_agent="planscope/0.1")


def test_registry_with_every_fault_then_a_second_harvest(server, store, engine, tmp_path):
    """Issue 6's whole case: one registry holding every fault, harvested twice."""
    good = {"/doc.pdf": PDF, "/flaky.pdf": PDF2, "/chain/3": PDF, "/download?id=7": PDF2,
            "/files/annexe.PDF": PDF3}
    bad = {"/slow.pdf": "timeout", "/loop/a": "redirect loop", "/nothing.pdf": "HTTP 404",
           "/truncated.pdf": "truncated", "/endless.pdf": "limit", "/huge.pdf": "exceeds",
           "/private/secret.pdf": "robots.txt", "/to-private": "blocked:"}
    csv = tmp_path / "sources.csv"
    csv.write_text("organization,url\n" + "".join(f"Ville {i},{server.url(p)}\n"
                                                 for i, p in enumerate([*good, *bad])), encoding="utf-8")
    sources = read_sources(csv)
    cfg = config(read_timeout=0.3, max_retries=1)
    first = harvest(sources, store, engine, cfg)
    by_path = {r.url.removeprefix(server.base): r for r in first.results}
    for path, body in good.items():
        assert by_path[path].outcome == "new", (path, by_path[path].error)
        assert store.get(by_path[path].sha256).read_bytes() == body  # byte-identical
    for path, why in bad.items():
        assert by_path[path].outcome == "error" and why in by_path[path].error, (path, by_path[path].error)
        assert by_path[path].sha256 is None
    # every good document once: three distinct bodies, three blobs, nothing half-written
    assert blobs(store) == sorted(hashlib.sha256(b).hexdigest() for b in (PDF, PDF2, PDF3))
    assert tmp_left(store) == []
    assert "/private/secret.pdf" not in server.paths()  # disallowed: never requested
    assert server.hits("/endless.pdf")[0].sent < 32 * MB  # the endless body was cut off early
    n_first, stored_first = len(server.log), blobs(store)

    second = harvest(sources, store, engine, cfg)
    by_path2 = {r.url.removeprefix(server.base): r for r in second.results}
    assert all(by_path2[p].outcome == "unchanged" for p in good)
    assert second.documents_stored == 0 and blobs(store) == stored_first
    documents_again = [h for h in server.log[n_first:] if h.path in ("/doc.pdf", "/download", "/flaky.pdf")]
    assert documents_again and all(h.status == 304 and h.sent == 0 for h in documents_again)
    annexe = [h for h in server.log[n_first:] if h.path == "/files/annexe.PDF"]
    assert all(h.sent == len(PDF3) for h in annexe)  # no validators: fetched, then found unchanged by hash
    print(f"\nharvest 1: {first.requests} requests, {first.bytes_downloaded} bytes, "
          f"{first.documents_stored} stored, {first.counts()}; harvest 2: {second.requests} requests, "
          f"{second.bytes_downloaded} bytes, {second.documents_stored} stored, {second.counts()}")
