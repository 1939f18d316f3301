"""Politeness: one request at a time per host with a delay between them (robots.txt's
Crawl-delay and Retry-After can lengthen it), and Retry-After read as seconds or an HTTP date."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime



class HostGate:
    """One request at a time per host, ``delay`` seconds apart (robots Crawl-delay may raise it)."""

    def __init__(self, delay: float):
        self.delay = delay
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(host, threading.Lock())

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delays[host] = max(self.delay, delay)
            # the request that brought the new delay (robots.txt) counts as the last one
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + self._delays[host])

    def defer(self, host: str, seconds: float) -> None:
        """No request to host before ``seconds`` from now (Retry-After, backoff)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    @contextmanager
    def slot(self, host: str):
        with self._host_lock(host):
            wait = self._next.get(host, 0.0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                with self._lock:
                    delay = self._delays.get(host, self.delay)
                    self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + delay)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
