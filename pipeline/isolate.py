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


def _child(path: str, source: str, sha: str, conn, memory_limit: int) -> None:
    _die_with_parent()
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass
    try:
        from planscope.pipeline.process import process_bytes

        result = process_bytes(Path(path).read_bytes(), source, sha)
        conn.send(("ok", result))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the command stops, not a document
        os._exit(130)
    except MemoryError:
        conn.send(("failed", f"memory cap of {memory_limit // 2**20} MB exceeded"))
    except BaseException as exc:  # noqa: BLE001 - a child reports every failure, one line
        conn.send(("failed", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


_CTX = None


def _context():
    """A forkserver: children fork from a clean single-threaded server that has already imported
    the parsers (and loaded spaCy), so a child starts in milliseconds and never inherits the locks
    of the caller's threads (Prefect's event loop, loggers), which a plain fork could deadlock on."""
    global _CTX
    if _CTX is None:
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["planscope.flows.warm"])
    return _CTX


def process_isolated(path: str, source: str, sha: str, time_limit: float | None = None,
                     memory_limit: int | None = None) -> PlanResult:
    """process_bytes in a forked child; a timeout, crash or memory blow-up gives status failed."""
    limit = load_settings().doc_timeout_s if time_limit is None else time_limit
    if mp.current_process().daemon:
        # Inside a Dask worker (a daemon process, which may not fork): the worker is the isolation,
        # its nanny enforces the memory limit and restarts it; the extractors cap their own time.
        from planscope.pipeline.process import process_bytes

        try:
            return process_bytes(Path(path).read_bytes(), source, sha)
        except Exception as exc:  # noqa: BLE001 - one bad document must not fail the run
            return PlanResult(source=source, is_plan=False, status="failed", error=f"{type(exc).__name__}: {exc}"[:300],
                              sha256=sha, reasons=["not structured"])
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(path, source, sha, child, memory_limit or load_settings().doc_memory_bytes), daemon=True)
    proc.start()
    child.close()
    reason = None
    if parent.poll(limit):
        try:
            kind, payload = parent.recv()
        except EOFError:
            kind, payload = "failed", "worker died without an answer"
        if kind == "ok":
            proc.join(5)
            return payload
        reason = payload
    else:
        reason = f"time limit of {limit:g} s exceeded"
    proc.kill()
    proc.join(5)
    if reason is None or proc.exitcode not in (0, None) and reason == "":
        reason = f"worker exited with code {proc.exitcode}"
    return PlanResult(source=source, is_plan=False, status="failed", error=reason, sha256=sha,
                      reasons=[f"not structured: {reason}"])
