"""Parse one document in a child process under a time limit and a memory cap.

A pathological file (a PDF that loops, a page that eats gigabytes) ends as a
recorded failure; the run goes on. The child is killed when it overruns.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
from pathlib import Path

from planscope.models.records import PlanResult

from planscope.settings import load_settings


def _die_with_parent() -> None:
    """SIGKILL this process when its parent (the forkserver, which ends with the command) dies, so
    that no parse outlives a stopped or killed `planscope run` (Linux PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent already died before the call
        os._exit(1)


def _serve(conn, memory_limit: int) -> None:
    """The child: parse the documents it is sent, one at a time, until told to stop (None)."""
    _die_with_parent()
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass
    from planscope.pipeline.process import process_bytes

    try:
        while (job := conn.recv()) is not None:
            path, source, sha = job
            try:
                conn.send(("ok", process_bytes(Path(path).read_bytes(), source, sha)))
            except MemoryError:
                conn.send(("failed", f"memory cap of {memory_limit // 2**20} MB exceeded"))
                return  # a heap that ran out may be inconsistent: the next document gets a new child
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a child reports every failure, one line
                conn.send(("failed", f"{type(exc).__name__}: {exc}"[:300]))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the command stops, not a document
        os._exit(130)
    except EOFError:  # the parent closed the pipe
        pass
    except OSError:  # the parent stopped while this child answered (BrokenPipeError): nothing to tell
        os._exit(0)
    finally:
        conn.close()


_CTX = None


def _context():
    """A forkserver: children fork from a clean single-threaded server that has already imported
    the parsers and read the word lists, so a child starts in milliseconds and never inherits the locks
    of the caller's threads (Prefect's event loop, loggers), which a plain fork could deadlock on."""
    global _CTX
    if _CTX is None:
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["planscope.flows.warm"])
    return _CTX


def start_early() -> None:
    """Start the forkserver now: it imports the parsers and reads the word lists in its own process, on
    another core, while the caller starts Prefect, instead of when the first document arrives."""
    if mp.current_process().daemon:  # may not start children: parses in-process (see process_isolated)
        return
    _context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


# A child serves several documents in turn: its caches (the parsers' compiled patterns, the
# pdfium and lexicon state) stay warm and a fork is paid per MAX_DOCS_PER_CHILD documents, not per
# document (a fresh child per document cost ~90 ms each, more than a small document's parse). It is
# replaced after that many, so that what a long batch leaves on its heap does not eat the memory cap.
MAX_DOCS_PER_CHILD = 50


def _failed(source: str, sha: str, reason: str) -> PlanResult:
    return PlanResult(source=source, is_plan=False, status="failed", error=reason, sha256=sha,
                      reasons=[f"not structured: {reason}"])


class IsolatedParser:
    """Parses documents in a child process under a time limit (per document) and a memory cap (the
    child's address space); a document that overruns, crashes or exhausts memory ends as a failed
    result and the child is replaced. Use as a context manager, or call close()."""

    def __init__(self, time_limit: float | None = None, memory_limit: int | None = None,
                 max_docs: int = MAX_DOCS_PER_CHILD):
        cfg = load_settings()
        self.time_limit = cfg.doc_timeout_s if time_limit is None else time_limit
        self.memory_limit = memory_limit or cfg.doc_memory_bytes
        self.max_docs = max_docs
        self._proc = self._conn = None
        self._served = 0

    def __enter__(self) -> "IsolatedParser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        ctx = _context()
        self._conn, child = ctx.Pipe(duplex=True)
        self._proc = ctx.Process(target=_serve, args=(child, self.memory_limit), daemon=True)
        self._proc.start()
        child.close()
        self._served = 0

    def close(self, kill: bool = False) -> None:
        """Stop the child: told to finish (or killed, after a failure)."""
        if self._proc is None:
            return
        try:
            if not kill:
                self._conn.send(None)
        except OSError:
            kill = True
        self._conn.close()
        self._proc.join(0 if kill else 5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._proc = self._conn = None

    def parse(self, path: str, source: str, sha: str) -> PlanResult:
        if self._proc is not None and self._served >= self.max_docs:
            self.close()
        if self._proc is None:
            self._start()
        self._served += 1
        try:
            self._conn.send((path, source, sha))
            answered = self._conn.poll(self.time_limit)
            kind, payload = self._conn.recv() if answered else ("failed", None)
        except (EOFError, OSError):
            kind, payload = "failed", ""
        if kind == "ok":
            return payload
        self.close(kill=True)  # after any failure the next document gets a fresh child
        if payload is None:
            payload = f"time limit of {self.time_limit:g} s exceeded"
        elif payload == "":
            payload = "worker died without an answer"
        return _failed(source, sha, payload)


def process_isolated(path: str, source: str, sha: str, time_limit: float | None = None,
                     memory_limit: int | None = None, parser: IsolatedParser | None = None) -> PlanResult:
    """process_bytes in a child process; a timeout, crash or memory blow-up gives status failed.
    ``parser``: a child kept across documents (a batch), else one for this document."""
    if mp.current_process().daemon:
        # Inside a daemon process (a Dask worker started as one, which may not start children): the
        # worker is the isolation, its nanny enforces the memory limit and restarts it; the
        # extractors cap their own time.
        from planscope.pipeline.process import process_bytes

        try:
            return process_bytes(Path(path).read_bytes(), source, sha)
        except Exception as exc:  # noqa: BLE001 - one bad document must not fail the run
            return _failed(source, sha, f"{type(exc).__name__}: {exc}"[:300])
    if parser is not None:
        return parser.parse(path, source, sha)
    with IsolatedParser(time_limit, memory_limit) as one:
        return one.parse(path, source, sha)
