"""The processes of one session, read from /proc (Linux): for tests and benchmarks that watch
what a command started (its workers, parsing servers and their children)."""
from __future__ import annotations

import os
from pathlib import Path


def session_stats(sid: int) -> dict[int, list[str]]:
    """pid → the fields of /proc/<pid>/stat after the command name, for every process of
    session sid (fields[0] is the state, "Z" for a zombie; fields[11:13] user and system ticks)."""
    out: dict[int, list[str]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:
            out[int(d)] = fields
    return out
