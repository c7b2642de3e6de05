"""When the archive's changes are dated: the change sequence and its datestamps.

Each change (a version, a deletion, a restore) takes the next number of the
change sequence and a datestamp that never goes backwards along it, even if the
clock does (keyset paging by sequence and from/until filtering by datestamp
must agree). A transaction's changes are dated again as it commits, when that
is later than when they were made: a harvester asking ``from`` the
responseDate of an answer given while the transaction was open (its changes not
yet visible) would otherwise never see changes dated before that answer. The
OAI datestamps (``changes.at``, ``lists.datestamp``) move; the versions keep
the moment they were archived.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

import sqlite_utils

from harvester.shared.db import before_commit
from harvester.shared.protocol import format_datestamp


def next_change(
    db: sqlite_utils.Database, clock: Callable[[], datetime], list_id: str, kind: str
) -> tuple[int, str]:
    """Record a change of ``list_id`` in the open transaction: its number and datestamp."""
    stamp = format_datestamp(clock())
    last = db.conn.execute("SELECT at FROM changes ORDER BY seq DESC LIMIT 1").fetchone()
    if last is not None and last[0] > stamp:
        stamp = last[0]
    cur = db.conn.execute(
        "INSERT INTO changes (list_id, kind, at) VALUES (?, ?, ?)", (list_id, kind, stamp))
    seq = int(cur.lastrowid or 0)
    before_commit(db, "archive.restamp", partial(_restamp, db, clock, seq))
    return seq, stamp


def _restamp(db: sqlite_utils.Database, clock: Callable[[], datetime], first: int) -> None:
    """Date the committing transaction's changes (change ``first`` on) now, if later."""
    row = db.conn.execute("SELECT at FROM changes WHERE seq = ?", (first,)).fetchone()
    now = format_datestamp(clock())
    if row is None or now <= row[0]:
        return  # the common case: made and committed within one second
    db.conn.execute("UPDATE changes SET at = ? WHERE seq >= ? AND at < ?", (now, first, now))
    db.conn.execute(
        "UPDATE lists SET datestamp = ? WHERE seq >= ? AND datestamp < ?", (now, first, now))
