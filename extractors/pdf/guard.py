"""Time limits and error messages: a slow page is interrupted at the document's deadline, and an
exception becomes one short line for a status reason."""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

MIN_ALARM = 0.05  # seconds: an already passed deadline still lets the call start
MAX_MESSAGE = 300  # characters of an exception message kept


class PageTimeout(Exception):
    """The document's time limit was reached inside a page."""


def exc_msg(exc: BaseException) -> str:
    """"Type: message" of an exception (of the one it wraps, if any), on one line."""
    inner = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], BaseException) else None
    e = inner or exc
    return f"{type(e).__name__}: {e}".replace("\n", " ")[:MAX_MESSAGE]


@contextmanager
def alarm(deadline: float):
    """Interrupt a single slow page at the deadline (main thread, no other SIGALRM user only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if usable:
        try:
            usable = signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        except Exception:
            usable = False
    if not usable:
        yield
        return

    def _raise(signum, frame):
        raise PageTimeout()

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        remaining = MIN_ALARM
    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
