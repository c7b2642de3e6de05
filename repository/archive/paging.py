"""The SQL of keyset paging over the archive's lists: in change order, by set, by window.

:meth:`Archive.changes` and the OAI provider's pages (:mod:`repository.oai.store`)
read a page as the lists whose latest change has ``seq > after``, in ``seq``
order, with a LIMIT: never OFFSET. Each page costs the same whatever follows
it, whatever the filter:

- a set is read in the order of its own index (``set_members (spec, seq)``;
  ``set_members.seq`` repeats ``lists.seq``), not sorted by ``lists.seq``,
  which sorted every member of the set still to come on each page;
- a ``from``/``until`` window is read in change order between the first and
  the last change seq of a list inside it: datestamps never decrease along
  the change sequence (``Archive._next_change`` keeps them so), so the lists
  of a window are a range of seq. Each row's datestamp is still checked, not
  through its index (``+l.datestamp``): read through the datestamp index, a
  page sorted the window still to come.

Counts, for ``completeListSize`` at a harvest's start, never read what they
count: a whole set's is kept (``sets.members``, read by
``Archive.count_changes``), and so is how many lists have their latest change
in each block of :data:`~repository.archive.schema.SEQ_BLOCK` seqs
(``seq_blocks``, kept by :func:`count_moves`), so the lists of everything or
of a window (a range of seq, as above) are counted by summing blocks and
reading the lists of the window's two end blocks, each from its end nearer the
window's bound (:func:`count`). Only a set with a window is counted by reading
it: its members in the window's seq range, from the set's own index alone.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from repository.archive import schema

NONE = (1, 0)  # an empty seq range
LAST = 2**63 - 1  # above every seq (SQLite's largest integer)


def change_query(
    conn: sqlite3.Connection,
    columns: str,
    after: int,
    set_spec: str | None,
    from_: str | None,
    until: str | None,
) -> tuple[str, list[object]]:
    """SQL selecting ``columns`` (of ``lists l``) of the lists changed after ``after`` in
    the set and window, in change order, a LIMIT to follow; and its parameters."""
    key = "l.seq" if set_spec is None else "m.seq"
    where: list[str] = [] if set_spec is None else ["m.spec = ?"]
    args: list[object] = [] if set_spec is None else [set_spec]
    lo, hi = seq_range(conn, from_, until)
    where.append(f"{key} > ?")
    args.append(after if lo is None else max(after, lo - 1))
    if hi is not None:
        where.append(f"{key} <= ?")
        args.append(hi)
    for bound, value in ((">=", from_), ("<=", until)):
        if value is not None:
            where.append(f"+l.datestamp {bound} ?")  # "+": not through its index
            args.append(value)
    tables = "lists l" if set_spec is None else "set_members m JOIN lists l ON l.id = m.list_id"
    sql = f"SELECT {columns} FROM {tables}" + "".join(
        f" {'AND' if n else 'WHERE'} {term}" for n, term in enumerate(where))
    return f"{sql} ORDER BY {key}", args


def seq_range(
    conn: sqlite3.Connection, from_: str | None, until: str | None
) -> tuple[int | None, int | None]:
    """The first and last change seq of a list whose datestamp is in the window (None
    where the window is open; :data:`NONE` when no list is in it): of the lists of the
    window's first datestamp the least seq, of its last the greatest. One seek each in
    the (datestamp, seq) index."""
    return _ends(conn, "lists", "datestamp", from_, until)


def change_range(
    conn: sqlite3.Connection, from_: str | None, until: str | None
) -> tuple[int | None, int | None]:
    """The first and last seq of any change (a list's latest or not) in the window, as
    :func:`seq_range` gives them for lists' latest changes: ``changes.at`` never
    decreases along seq either. One seek each in the ``changes (at)`` index."""
    return _ends(conn, "changes", "at", from_, until)


def _ends(
    conn: sqlite3.Connection, table: str, stamp: str, from_: str | None, until: str | None
) -> tuple[int | None, int | None]:
    ends: list[int | None] = []
    for value, bound, order in ((from_, ">=", ""), (until, "<=", " DESC")):
        if value is None:
            ends.append(None)
            continue
        row = conn.execute(
            f"SELECT seq FROM {table} WHERE {stamp} {bound} ?"
            f" ORDER BY {stamp}{order}, seq{order} LIMIT 1", (value,)).fetchone()
        if row is None:
            return NONE
        ends.append(int(row[0]))
    return ends[0], ends[1]


def count(
    conn: sqlite3.Connection, set_spec: str | None, from_: str | None, until: str | None
) -> int:
    """How many lists of the set (None: of all) have their latest change in the window
    (open ends: everything); a whole set's count is kept in ``sets.members`` instead."""
    lo, hi = seq_range(conn, from_, until)
    if lo is not None and hi is not None and lo > hi:  # no list in the window
        return 0
    if set_spec is None:
        return _upto(conn, hi) - (0 if lo is None else _upto(conn, lo - 1))
    # the set's members in the seq range, from its own (spec, seq) index alone
    return int(conn.execute(
        "SELECT count(*) FROM set_members WHERE spec = ? AND seq BETWEEN ? AND ?",
        (set_spec, 0 if lo is None else lo, LAST if hi is None else hi)).fetchone()[0])


def _upto(conn: sqlite3.Connection, seq: int | None) -> int:
    """How many lists have their latest change at ``seq`` or before (None: all of them):
    the blocks summed, and the lists of its own block read from the nearer end of it
    (those up to ``seq`` added to the blocks before, or those after it taken from the
    blocks up to its own)."""
    if seq is None:
        return int(conn.execute("SELECT total(lists) FROM seq_blocks").fetchone()[0])
    block = seq // schema.SEQ_BLOCK
    start = block * schema.SEQ_BLOCK
    lists = "SELECT count(*) FROM lists WHERE seq BETWEEN ? AND ?"
    if seq - start < schema.SEQ_BLOCK // 2:
        before = conn.execute("SELECT total(lists) FROM seq_blocks WHERE block < ?",
                              (block,)).fetchone()[0]
        return int(before) + int(conn.execute(lists, (start, seq)).fetchone()[0])
    through = conn.execute("SELECT total(lists) FROM seq_blocks WHERE block <= ?",
                           (block,)).fetchone()[0]
    after = conn.execute(lists, (seq + 1, start + schema.SEQ_BLOCK - 1)).fetchone()[0]
    return int(through) - int(after)


def count_moves(conn: sqlite3.Connection, moves: Iterable[tuple[int | None, int]]) -> None:
    """Keep ``seq_blocks`` as lists' latest changes move: each (old seq, or None for a new
    list; new seq). Called in the writing transaction, with the lists' rows."""
    delta: Counter[int] = Counter()
    for old, new in moves:
        delta[new // schema.SEQ_BLOCK] += 1
        if old is not None:
            delta[old // schema.SEQ_BLOCK] -= 1
    conn.executemany(
        "INSERT INTO seq_blocks (block, lists) VALUES (?, ?)"
        " ON CONFLICT (block) DO UPDATE SET lists = lists + excluded.lists",
        [(block, n) for block, n in sorted(delta.items()) if n])
