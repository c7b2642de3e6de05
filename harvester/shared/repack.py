"""Bringing stored blobs to the newest kind in place: plain or zlib -> zstd, batch by batch.

Both stores use it: the archive's version documents and the harvest log's raw
records. :func:`stale_rows` counts the rows with a blob not yet in the newest
kind (:func:`harvester.shared.blobs.is_current`); :func:`repack` rewrites them
in batches, each batch its own transaction, walking ``rowid`` as a keyset
(never OFFSET), so an interrupted run loses at most one batch and the next run
carries on where it stopped. A blob's bytes, once unpacked, never change: each
new blob is read back and compared before it replaces the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlite_utils

from harvester.shared.blobs import ZSTD_MAGIC, is_current, pack, unpack
from harvester.shared.db import transaction

BATCH = 200


class RepackError(RuntimeError):
    """A blob did not read back as the bytes it held before (nothing of its batch is kept)."""


def stale_rows(db: sqlite_utils.Database, table: str, columns: Sequence[str]) -> int:
    """How many rows of ``table`` hold a blob in ``columns`` not stored the newest way."""
    row = db.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {_stale(columns)}").fetchone()
    return int(row[0])


def repack(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    level: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Store every blob of ``columns`` in ``table`` the newest way; returns the rows rewritten.

    ``progress`` is called after each committed batch with the running count.
    Raises RepackError if a new blob does not give back the old bytes.
    """
    names = ", ".join(columns)
    sets = ", ".join(f"{c} = ?" for c in columns)
    done = after = 0
    while True:
        rows = db.conn.execute(
            f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, BATCH),
        ).fetchall()
        if not rows:
            return done
        with transaction(db):
            for rowid, *blobs in rows:
                if all(b is None or is_current(b) for b in blobs):
                    continue
                db.conn.execute(f"UPDATE {table} SET {sets} WHERE rowid = ?",
                                (*(_renew(b, level) for b in blobs), rowid))
                done += 1
        after = rows[-1][0]
        if progress is not None:
            progress(done)


def _renew(blob: bytes | None, level: int) -> bytes | None:
    if blob is None or is_current(blob):
        return blob
    data = unpack(bytes(blob))
    new = pack(data, level)
    if unpack(new) != data:
        raise RepackError("a recompressed blob did not read back the same; nothing changed")
    return new


def _stale(columns: Sequence[str]) -> str:
    magic = ZSTD_MAGIC.hex().upper()
    return " OR ".join(f"({c} IS NOT NULL AND substr({c}, 1, 4) != X'{magic}')"
                       for c in columns)
