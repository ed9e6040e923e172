"""Files the integrations share between processes, read and written without surprises: only
regular files are read (a FIFO, a device or a directory is refused at once, never waited on),
and only up to a size the core sets; a file is replaced atomically through a temporary file
of its own beside it; a lock is waited for up to a bound."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fleetops._fleetops import STATE_LOCK_POLL_MS, InvalidArgumentError


def read_bounded(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; anything else is an
    ``InvalidArgumentError`` naming the file (``FileNotFoundError`` stays what it is)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidArgumentError(f"{what} {os.fspath(path)!r} is not a regular file")
        if info.st_size > limit:
            raise InvalidArgumentError(f"{what} {os.fspath(path)!r} holds {info.st_size} bytes; at most {limit}")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise InvalidArgumentError(f"{what} {os.fspath(path)!r} grew past {limit} bytes while read")
        return data
    finally:
        os.close(fd)


def replace_atomically(path: Path, data: bytes) -> None:
    """Writes ``data`` to a temporary file of its own beside ``path``, flushes it to disk and
    renames it over ``path``: readers see the old bytes or the new, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class LockTimeout(Exception):
    """The lock was not had within the wait."""


@contextmanager
def locked(path: Path, wait_seconds: float) -> Iterator[None]:
    """Holds an exclusive lock on the regular file at ``path`` (made if missing, mode 0600),
    waiting at most ``wait_seconds``; ``LockTimeout`` after that, ``InvalidArgumentError`` when
    ``path`` is not a regular file."""
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InvalidArgumentError(f"lock file {os.fspath(path)!r} is not a regular file")
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"{os.fspath(path)!r} stayed locked for {wait_seconds:g} s") from None
                time.sleep(STATE_LOCK_POLL_MS / 1000)
        yield
    finally:
        os.close(fd)
