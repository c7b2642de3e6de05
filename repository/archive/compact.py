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
the file to return freed pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from harvester.shared.blobs import FAST, LEVEL
from harvester.shared.repack import repack, stale_rows

_DOCUMENTS = ("list_versions", ("document",))
_RECORDS = ("harvest_records", ("metadata", "about"))


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


def vacuum(db: sqlite_utils.Database, path: Path) -> tuple[int, int]:
    """Rewrite the database file; returns its size in bytes before and after."""
    before = _size(path)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("VACUUM")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return before, _size(path)


def _size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
