"""Converting an archive written before compression, and giving the freed space back.

:func:`plain_documents` counts the version documents still stored plain;
:func:`compress_documents` packs them in batches, each batch its own
transaction, walking ``rowid`` as a keyset (never OFFSET), so an interrupted
run loses at most one batch and the next run carries on. A document's bytes,
and so its sha256 and ``/lists/<id>/versions/<n>.xml``, never change: only
how they are kept. :func:`vacuum` rewrites the file to return freed pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from harvester.shared.blobs import is_packed, pack
from harvester.shared.db import transaction

BATCH = 200


def plain_documents(db: sqlite_utils.Database) -> int:
    """How many version documents are stored uncompressed (written before compression)."""
    row = db.conn.execute(
        "SELECT COUNT(*) FROM list_versions WHERE substr(document, 1, 1) != X'78'"
    ).fetchone()
    return int(row[0])


def compress_documents(
    db: sqlite_utils.Database, progress: Callable[[int], None] | None = None
) -> int:
    """Compress every plain version document; returns how many were converted.

    ``progress`` is called after each committed batch with the running count.
    """
    done = 0
    after = 0
    while True:
        rows = db.conn.execute(
            "SELECT rowid, document FROM list_versions WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, BATCH),
        ).fetchall()
        if not rows:
            return done
        with transaction(db):
            for rowid, blob in rows:
                if not is_packed(blob):
                    db.conn.execute(
                        "UPDATE list_versions SET document = ? WHERE rowid = ?",
                        (pack(bytes(blob)), rowid),
                    )
                    done += 1
        after = rows[-1][0]
        if progress is not None:
            progress(done)


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
