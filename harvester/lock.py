"""One run per source: an exclusive lock file per source name, held for the run.

The lock is ``flock`` on ``<lock_dir>/<name>.lock``: the kernel drops it when
the holder exits, even after ``kill -9``, so a crashed run never leaves a
stale lock behind. The file holds the holder's pid, for the message.

Raises errors.SourceBusy when another run (any process, any thread) holds it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harvester.errors import SourceBusy


def lock_dir_of(db_file: Path) -> Path:
    """Where the runs over archive ``db_file`` keep their source locks."""
    return db_file.parent / f"{db_file.stem}-harvest-locks"


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


def run_status(db: sqlite3.Connection, name: str, stored: str) -> str:
    """A run's ``stored`` status as it stands: 'running' reads 'interrupted' once the process
    that took source ``name``'s lock has exited (``kill -9`` leaves its run 'running').
    Reads the lock file's pid, takes no lock (a run starting now is not refused for it);
    a pid reused since reads as alive, the old answer."""
    if stored != "running":
        return stored
    file = db.execute("PRAGMA database_list").fetchone()[2]
    if not file:  # no lock files beside a database in memory
        return stored
    try:
        pid = int((lock_dir_of(Path(file)) / f"{name}.lock").read_text("ascii").strip())
        os.kill(pid, 0)
    except ProcessLookupError:
        return "interrupted"
    except (OSError, ValueError):  # no file, unreadable, or another user's live process
        pass
    return stored
