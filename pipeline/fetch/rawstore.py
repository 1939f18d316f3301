"""Content-addressed store of raw downloaded bytes.

Every blob lives at ``<root>/<sha[:2]>/<sha>`` where ``sha`` is the SHA-256 of its bytes.
Blobs are written atomically (temporary file in ``<root>/tmp`` + ``os.replace``), never
overwritten and made read-only; names are validated as 64 lowercase hex digits, so no
path traversal is possible through :meth:`RawStore.get`.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

SHA_RE = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20


class RawStoreError(ValueError):
    pass


def check_sha(sha: str) -> str:
    """The sha itself if it is 64 lowercase hex digits; RawStoreError otherwise."""
    if not isinstance(sha, str) or not SHA_RE.fullmatch(sha):
        raise RawStoreError(f"not a sha256 hex digest: {sha!r}")
    return sha


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class RawStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"

    def __repr__(self) -> str:
        return f"RawStore({str(self.root)!r})"

    # --- paths -------------------------------------------------------------------------
    def path_for(self, sha: str) -> Path:
        sha = check_sha(sha)
        return self.root / sha[:2] / sha

    def has(self, sha: str) -> bool:
        try:
            return self.path_for(sha).is_file()
        except RawStoreError:
            return False

    __contains__ = has

    def get(self, sha: str) -> Path:
        """Path of a stored blob; FileNotFoundError if absent, RawStoreError if not a sha."""
        path = self.path_for(sha)
        if not path.is_file():
            raise FileNotFoundError(f"no blob {sha} in {self.root}")
        return path

    def read(self, sha: str) -> bytes:
        return self.get(sha).read_bytes()

    def temp_file(self, suffix: str = ".part"):
        """A new temporary file (open, binary) on the store's filesystem; for streaming downloads.

        The caller passes its path to ``put(path, move=True)`` or deletes it.
        """
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=self.tmp_dir, suffix=suffix, delete=False)

    # --- writing ------------------------------------------------------------------------
    def put(self, data: bytes | str | os.PathLike, *, move: bool = False) -> str:
        """Store bytes or the content of a file; return its sha256.

        A ``str`` or path-like is a file to read, not content. With ``move=True`` a file that is
        already in the store's tmp directory is renamed into place instead of copied (and removed
        if the blob already exists). An existing blob is never overwritten.
        """
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            if self.has(sha):
                return sha
            with self.temp_file() as fh:
                tmp = Path(fh.name)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            self._commit(tmp, sha)
            return sha

        src = Path(data)
        sha = sha256_file(src)
        if self.has(sha):
            if move:
                src.unlink(missing_ok=True)
            return sha
        if move and src.resolve().parent == self.tmp_dir.resolve():
            with open(src, "rb+") as fh:
                os.fsync(fh.fileno())
            self._commit(src, sha)
            return sha
        with open(src, "rb") as rf, self.temp_file() as fh:
            tmp = Path(fh.name)
            for chunk in iter(lambda: rf.read(CHUNK), b""):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if sha256_file(tmp) != sha:  # the source changed while it was copied
            tmp.unlink(missing_ok=True)
            raise RawStoreError(f"{src} changed while being stored")
        self._commit(tmp, sha)
        if move:
            src.unlink(missing_ok=True)
        return sha

    def _commit(self, tmp: Path, sha: str) -> None:
        final = self.path_for(sha)
        try:
            if final.exists():  # content-addressed: same name, same bytes; keep the first
                return
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
            os.replace(tmp, final)
        finally:
            if tmp.exists():
                tmp.unlink()

    def discard(self, tmp: str | os.PathLike) -> None:
        """Delete a temporary file made by :meth:`temp_file` (a failed download)."""
        Path(tmp).unlink(missing_ok=True)
