"""Set memberships made before a ``:`` inside a course code or owner was the value's.

Archives written before then split ``course:http://lms/c/7`` into levels, so the
list was also in ``course:http``, a set offered by ListSets that no course is.
:func:`repair_set_values` runs once, when migration 7 has marked the archive:
each list with a spec deeper than ``family:value`` gets its memberships again
from its latest version, as a change of its own (its OAI header changed: its
setSpecs lose the parent and are written with the ``:`` escaped), so an
incremental harvest sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlite_utils

from crosswalks.rli import ResourceList
from harvester.shared.db import transaction
from repository.archive import dating, paging
from repository.archive.index import kept_sets, set_membership

MARKER = "archive-set-values"  # what the archive's migration 7 (schema.py) leaves
_MARKED = "SELECT 1 FROM search_stale WHERE component = ?"


def repair_set_values(
    db: sqlite_utils.Database, clock: Callable[[], datetime], latest: Callable[[str], ResourceList]
) -> int:
    """Give each list its sets again if migration 7 asks for it; how many lists changed.

    ``latest`` reads a list's latest version (deleted or not)."""
    conn = db.conn
    if conn.execute(_MARKED, (MARKER,)).fetchone() is None:
        return 0
    with transaction(db):
        if conn.execute(_MARKED, (MARKER,)).fetchone() is None:  # another process did it
            return 0
        split = [r[0] for r in conn.execute(
            "SELECT DISTINCT list_id FROM set_members WHERE spec LIKE '%:%:%' ORDER BY list_id")]
        for list_id in split:
            old = conn.execute("SELECT seq FROM lists WHERE id = ?", (list_id,)).fetchone()[0]
            extra = kept_sets(conn, list_id)
            seq, stamp = dating.next_change(db, clock, list_id, "sets")
            paging.count_moves(conn, [(old, seq)])
            conn.execute("UPDATE lists SET seq = ?, datestamp = ? WHERE id = ?",
                         (seq, stamp, list_id))
            set_membership(conn, latest(list_id), seq, extra)
        conn.execute("DELETE FROM search_stale WHERE component = ?", (MARKER,))
    return len(split)
