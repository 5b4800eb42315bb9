"""One run at a time: an exclusive lock on `$KITH_HOME/kith.lock`.

The lock is an `flock` held for the life of the process, so the kernel drops it when the
process dies (even by SIGKILL): a stale lock cannot outlive its owner. The file records
the holder's pid so a second run can say which process it is waiting on.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another kith run holds the lock."""


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the lock for the block, or raise AlreadyRunning at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise AlreadyRunning(f"another kith run (pid {holder}) is in progress") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
