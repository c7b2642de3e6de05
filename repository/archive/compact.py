"""Converting an archive's stored blobs to the newest kind, and giving the freed space back.

:func:`stale_documents` counts the version documents stored plain (before
compression) or as zlib (the first compressing release); :func:`recompress_documents`
stores them as zstd, and :func:`stale_records` / :func:`recompress_records` do
the same for the raw harvested records (metadata and about) of the harvest log
in the same file. Both go in batches, each its own transaction, walking
``rowid`` as a keyset (:mod:`harvester.shared.repack`), so an interrupted run
loses at most one batch and the next run carries on. A document's bytes, and
so its sha256 and ``/lists/<id>/versions/<n>.xml``, never change: only how
they are kept. :func:`has_item_tables` tells an archive whose schema still has
the per-version item tables (dropped when it opens). :func:`vacuum` rewrites
the file to return freed pages and empties the write-ahead log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from harvester.shared.blobs import FAST, LEVEL
from harvester.shared.repack import repack, stale_rows

_DOCUMENTS = ("list_versions", ("document",))
_RECORDS = ("harvest_records", ("metadata", "about"))
# How long vacuum asks again for a checkpoint another connection's is in the way of: as
# long as a write waits for the lock (open_db's busy timeout).
LOG_WAIT = 30.0


@dataclass(frozen=True)
class Vacuumed:
    """What :func:`vacuum` did: the file's bytes (with its write-ahead log) before and after,
    and whether the log could be emptied (not while another process held it: see there)."""

    before: int
    after: int
    log_emptied: bool


def has_item_tables(db: sqlite_utils.Database) -> bool:
    """True if the file still has the per-version item tables schema step 3 drops."""
    row = db.conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
        " AND name IN ('list_items', 'resources', 'annotations')").fetchone()
    return bool(row[0])


def stale_documents(db: sqlite_utils.Database) -> int:
    """How many version documents are stored plain or as zlib (not yet as zstd)."""
    return stale_rows(db, *_DOCUMENTS)


def recompress_documents(
    db: sqlite_utils.Database, progress: Callable[[int], None] | None = None
) -> int:
    """Store every version document as zstd; returns how many were converted.

    ``progress`` is called after each committed batch with the running count.
    """
    return repack(db, *_DOCUMENTS, LEVEL, progress)


def stale_records(db: sqlite_utils.Database) -> int:
    """How many harvested records keep their metadata or about plain (0 without a harvest
    log)."""
    if not db["harvest_records"].exists():
        return 0
    return stale_rows(db, *_RECORDS)


def recompress_records(
    db: sqlite_utils.Database, progress: Callable[[int], None] | None = None
) -> int:
    """Compress the metadata and about of every harvested record; returns the rows converted."""
    return repack(db, *_RECORDS, FAST, progress)


def vacuum(db: sqlite_utils.Database, path: Path, *, wait: float = LOG_WAIT) -> Vacuumed:
    """Rewrite the database file and empty its write-ahead log (VACUUM writes a whole copy
    of the file there: left in it, the space taken doubles instead of shrinking)."""
    before = _size(path)
    _empty_log(db, wait)
    db.conn.execute("VACUUM")
    emptied = _empty_log(db, wait)
    return Vacuumed(before, _size(path), emptied)


def _empty_log(db: sqlite_utils.Database, wait: float) -> bool:
    """Checkpoint the write-ahead log into the file and truncate it; whether that was done.

    While another connection checkpoints (a server's or a writer's, after its commits),
    SQLite answers busy at once instead of waiting: ask again, for up to ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    while True:
        busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy or time.monotonic() >= deadline:
            return not busy
        time.sleep(0.05)


def _size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
