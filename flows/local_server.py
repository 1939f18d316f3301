"""A real Prefect server on 127.0.0.1 for scheduled runs.

Prefect's ephemeral server (what a process gets when no ``PREFECT_API_URL`` is set) cannot
schedule flows: ``flow.serve`` on it creates the deployment but no run ever fires. So
``planscope schedule`` starts ``prefect server start`` as a child process on a loopback port,
points itself at it, and stops it on exit. The child gets SIGTERM when its parent dies, even by
SIGKILL (Linux ``PR_SET_PDEATHSIG``), so no server outlives the command.

A one-shot ``planscope run`` needs no schedule: ``in_process_server`` serves the Prefect API from
a thread of the command itself (instead of Prefect's ephemeral server, a separate process that
outlived a killed command), so nothing can outlive it.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The local Prefect server did not start."""


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def configured_api_url() -> str | None:
    """The Prefect API the operator configured ($PREFECT_API_URL or the active profile), if any."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the parent's finally still stops the server
        pass


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def prefect_home() -> Path:
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home).expanduser()


@contextlib.contextmanager
def local_server(port: int | None = None, host: str = HOST, timeout: float = 180.0,
                 log_path: Path | None = None) -> Iterator[str]:
    """Start ``prefect server start`` on host:port (a free port when None); yield its API URL.

    The server keeps its database in $PREFECT_HOME (``prefect.db``), so the deployment and the
    history of its runs survive a restart. Its output goes to ``log_path``
    ($PREFECT_HOME/planscope-server.log by default)."""
    port = port or free_port(host)
    if not port_is_free(port, host):
        raise ServerError(f"port {host}:{port} is already in use: choose another with --port")
    api_url = f"http://{host}:{port}/api"
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log_path = log_path or home / "planscope-server.log"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    env.setdefault("PREFECT_UI_ENABLED", "true")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", host,
                                 "--port", str(port)], env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
    try:
        deadline = time.monotonic() + timeout
        while not healthy(api_url):
            if proc.poll() is not None:
                raise ServerError(f"the Prefect server exited with code {proc.returncode} at start; "
                                  f"see {log_path}")
            if time.monotonic() > deadline:
                raise ServerError(f"the Prefect server did not answer on {api_url} within {timeout:.0f} s; "
                                  f"see {log_path}")
            time.sleep(0.5)
        yield api_url
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextlib.contextmanager
def use_api(api_url: str) -> Iterator[None]:
    """Point this process, and the flow-run processes it starts, at api_url."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield
    finally:
        if old is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = old


@contextlib.contextmanager
def in_process_server(host: str = HOST, timeout: float = 120.0) -> Iterator[str]:
    """The Prefect API (ephemeral mode: no UI, no scheduler) served by uvicorn in a daemon thread of
    this process, on a free loopback port; this process uses it while the block runs. It ends with
    the process, however that ends."""
    import threading

    import uvicorn
    from prefect.server.api.server import create_app

    port = free_port(host)
    api_url = f"http://{host}:{port}/api"
    config = uvicorn.Config(create_app(ephemeral=True, final=True), host=host, port=port, log_level="error",
                            lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="prefect-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not healthy(api_url, timeout=1.0):
        if not thread.is_alive():
            raise ServerError(f"the in-process Prefect API did not start on {api_url}")
        if time.monotonic() > deadline:
            raise ServerError(f"the in-process Prefect API did not answer on {api_url} within {timeout:.0f} s")
        time.sleep(0.05)
    try:
        with use_api(api_url):
            yield api_url
    finally:
        server.should_exit = True
        thread.join(5)


@contextlib.contextmanager
def api_for_run() -> Iterator[str]:
    """The configured Prefect API ($PREFECT_API_URL, the profile, a test harness), else an in-process one."""
    url = configured_api_url()
    if url:
        yield url
        return
    with in_process_server() as url:
        yield url
