"""Expected failures as one line naming the thing and the fix (the traceback is for --debug)."""
from __future__ import annotations

import re


class UserError(Exception):
    """A failure whose message is already the one line to print."""


class DatabaseMissing(UserError):
    pass


class RegistryError(ValueError):
    """A sources registry with bad lines; every problem is listed."""

    def __init__(self, path: str, problems: list[tuple[int, str]]):
        self.path = path
        self.problems = problems  # (line number, message); line 1 is the header
        lines = "\n".join(f"  line {n}: {msg}" for n, msg in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the source registry\n{lines}")


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")


def _db_name(url) -> str:
    try:
        return url.render_as_string(hide_password=True)
    except AttributeError:
        return str(url)


def registry_message(exc) -> str:
    """A RegistryError: one line per problem, the file named on each."""
    probs = getattr(exc, "problems", None) or []
    if len(probs) == 1:
        n, msg = probs[0]
        return f"{exc.path}, line {n}: {msg}"
    return f"{exc.path}: {len(probs)} problems in the source registry: " + "; ".join(
        f"line {n}: {msg}" for n, msg in probs[:5]) + ("; …" if len(probs) > 5 else "")


def database_message(exc, url=None) -> str | None:
    """A SQLAlchemy/DBAPI error about reaching or writing the database, or None."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if not isinstance(exc, DBAPIError):
        return None
    url = url if url is not None else getattr(getattr(exc, "connection_invalidated", None), "url", None)
    orig = _first_line(getattr(exc, "orig", exc))
    low = orig.lower()
    where = f"database {_db_name(url)}" if url is not None else "the database"
    if "readonly database" in low or "read-only" in low or "read only" in low:
        return f"{where} is read-only ({orig}); make the file and its folder writable, or give another --db"
    if "unable to open database file" in low:
        return f"cannot open {where}: its folder is missing or not writable; check --db / $PLANSCOPE_DB"
    if isinstance(exc, OperationalError) and re.search(
            r"connection refused|could not connect|connection to server|timeout expired|name or service|"
            r"could not translate host|no route to host|is the server running", low):
        return f"cannot reach {where} ({orig}); is the server running? check --db / $PLANSCOPE_DB"
    if "password authentication failed" in low or "role" in low and "does not exist" in low:
        return f"{where} refused the login ({orig}); check the user and password in --db"
    if "database is locked" in low:
        return f"{where} is locked by another process; try again when it has finished"
    return f"{where}: {orig}"


def one_line(exc: BaseException, db_url=None) -> str:
    """The line to print for an exception a command did not handle itself."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, RegistryError):
        return registry_message(exc)
    msg = database_message(exc, db_url)
    if msg:
        return msg
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file" if exc.filename else f"file not found: {exc}"
    if isinstance(exc, PermissionError):
        return f"{exc.filename}: permission denied" if exc.filename else f"permission denied: {exc}"
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename}: is a folder, not a file"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    text = _first_line(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text} (rerun with --debug for the traceback)"
