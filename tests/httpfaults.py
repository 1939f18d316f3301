"""A real threaded HTTP/1.1 server on 127.0.0.1 with misbehaving endpoints, for harvest tests.

Every request is appended to ``server.log`` (method, path, headers, status, body bytes sent,
start/end times) so tests can assert what was, or was never, requested. All loops are bounded
and every sleep ends at shutdown.
"""
from __future__ import annotations

import contextlib
import functools
import random
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer

PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
       + random.Random(6).randbytes(150_000) + b"\n%%EOF\n")
PDF2 = b"%PDF-1.7\n" + random.Random(7).randbytes(40_000) + b"\n%%EOF\n"
PDF3 = b"%PDF-1.5\n" + random.Random(8).randbytes(20_000) + b"\n%%EOF\n"
ETAG = '"doc-v1"'
LAST_MODIFIED = "Mon, 02 Jun 2025 10:00:00 GMT"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
STREAM_CAP = 64 * 1024 * 1024  # an "endless" body still ends here
PAGE = b"""<!DOCTYPE html><html><head><title>Documents</title></head><body>
<h1>Plans et sch\xc3\xa9mas</h1>
<ul>
<li><a href="/doc.pdf">Plan climat (PDF)</a></li>
<li><a href="files/annexe.PDF#page=2">Annexe</a></li>
<li><a href="/doc.pdf#top">Plan climat, encore</a></li>
<li><a href="/private/secret.pdf">Interne</a></li>
<li><a href="http://www.example.org/elsewhere.pdf">Autre site</a></li>
<li><a href="/other.html">Autre page</a></li>
<li><a href="mailto:mairie@example.org">Contact</a></li>
</ul></body></html>"""


@dataclass
class Hit:
    method: str
    path: str
    headers: dict
    start: float
    status: int | None = None
    sent: int = 0  # body bytes written
    end: float | None = None


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.counts: dict[str, int] = {}
        self.robots_status = 200  # tests may make robots.txt fail
        self.robots = ROBOTS
        self.thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str | None = None, method: str = "GET") -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.method == method and (path is None or h.path == path)]

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.log]

    def count(self, path: str) -> int:
        with self.lock:
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]

    def start(self) -> "FaultServer":
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        if self.thread:
            self.thread.join(timeout=5)

    def handle_error(self, request, client_address):  # clients hanging up are expected here
        pass


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer

    def log_message(self, format, *args):  # quiet
        pass

    # --- plumbing --------------------------------------------------------------------------
    def _hit(self) -> Hit:
        hit = Hit(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        with self.server.lock:
            self.server.log.append(hit)
        return hit

    def _send(self, hit: Hit, status: int, body: bytes = b"", headers: dict | None = None,
              content_type: str | None = "application/octet-stream") -> None:
        hit.status = status
        self.send_response(status)
        if content_type and status not in (204, 304):
            self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
            hit.sent += len(body)

    def _document(self, hit: Hit, body: bytes, content_type: str, validators: bool = True) -> None:
        headers = {}
        if validators:
            headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == ETAG or (
                    self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                return self._send(hit, 304, headers=headers)
        self._send(hit, 200, body, headers, content_type)

    def _stream(self, hit: Hit, declared: int | None) -> None:
        """Headers, then bytes until the client hangs up (or STREAM_CAP)."""
        hit.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if declared is not None:
            self.send_header("Content-Length", str(declared))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"%PDF-1.4\n" + b"0" * (64 * 1024 - 9)
        try:
            while hit.sent < STREAM_CAP and not self.server.stopping.is_set():
                self.wfile.write(chunk)
                hit.sent += len(chunk)
        except OSError:
            pass

    # --- routes ----------------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        hit = self._hit()
        try:
            self._route(hit)
        except OSError:
            self.close_connection = True
        finally:
            hit.end = time.monotonic()

    def _route(self, hit: Hit) -> None:
        path = self.path.split("?")[0]
        s = self.server
        if path == "/robots.txt":
            return self._send(hit, s.robots_status, s.robots, content_type="text/plain")
        if path == "/doc.pdf":
            return self._document(hit, PDF, "application/pdf")
        if path == "/files/annexe.PDF":
            return self._document(hit, PDF3, "application/pdf", validators=False)
        if path == "/download":  # a PDF behind a generic type and no extension
            return self._document(hit, PDF2, "application/octet-stream")
        if path == "/page.html":
            return self._document(hit, PAGE, "text/html; charset=utf-8")
        if path == "/other.html":
            return self._send(hit, 200, b"<html><body><a href='/doc.pdf'>x</a></body></html>",
                              content_type="text/html")
        if path == "/flaky.pdf":  # 503 + Retry-After: 1, then the document
            if s.count(path) == 1:
                return self._send(hit, 503, b"busy", {"Retry-After": "1"}, "text/plain")
            return self._document(hit, PDF2, "application/pdf")
        if path == "/busy":  # asks for an hour
            return self._send(hit, 503, b"busy", {"Retry-After": "3600"}, "text/plain")
        if path == "/slow.pdf":  # headers only after 2 s
            s.stopping.wait(2.0)
            return self._send(hit, 200, PDF, content_type="application/pdf")
        if path.startswith("/chain/"):  # /chain/3 -> /chain/2 -> /chain/1 -> /doc.pdf
            n = int(path.rsplit("/", 1)[1])
            target = "/doc.pdf" if n <= 1 else f"/chain/{n - 1}"
            status = {3: 301, 2: 302}.get(n, 307)
            return self._send(hit, status, b"", {"Location": target}, None)
        if path == "/loop/a":
            return self._send(hit, 302, b"", {"Location": s.url("/loop/b")}, None)
        if path == "/loop/b":
            return self._send(hit, 302, b"", {"Location": "/loop/a"}, None)
        if path == "/truncated.pdf":  # Content-Length promises 100 000, 1 000 come, then close
            hit.status = 200
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(PDF[:1000])
            hit.sent = 1000
            self.wfile.flush()
            self.close_connection = True
            return
        if path == "/endless.pdf":
            return self._stream(hit, None)
        if path == "/huge.pdf":  # announces 5 GB
            return self._stream(hit, 5 * 1024 ** 3)
        if path == "/to-private":
            return self._send(hit, 302, b"", {"Location": "http://10.0.0.1/plan.pdf"}, None)
        if path == "/to-metadata":
            return self._send(hit, 302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}, None)
        if path == "/to-localhost":
            return self._send(hit, 302, b"", {"Location": f"http://localhost:{s.server_address[1]}/doc.pdf"}, None)
        if path == "/to-file":
            return self._send(hit, 302, b"", {"Location": "file:///etc/passwd"}, None)
        if path.startswith("/private/"):
            return self._document(hit, PDF3, "application/pdf")
        return self._send(hit, 404, b"not found", content_type="text/plain")


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_folder(directory):
    """A plain file server for ``directory`` on 127.0.0.1 (a free port); yields its base URL."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietFiles, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
