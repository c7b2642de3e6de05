"""One run per source: an exclusive lock file per source name, held for the run.

The lock is ``flock`` on ``<lock_dir>/<name>.lock``: the kernel drops it when
the holder exits, even after ``kill -9``, so a crashed run never leaves a
stale lock behind. The file holds the holder's pid, for the message.

Raises errors.SourceBusy when another run (any process, any thread) holds it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harvester.errors import SourceBusy


@contextmanager
def source_lock(lock_dir: Path, name: str) -> Iterator[None]:
    """Hold the lock of source ``name`` for the ``with`` block; SourceBusy if taken."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise SourceBusy(
                f"{name}: another run of this source is under way (pid {holder})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
