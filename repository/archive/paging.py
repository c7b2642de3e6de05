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

A count (``ordered=False``, for ``completeListSize`` of a window) reads the
window through the datestamp index and never asks for ``seq > 0`` (true of
every list), so SQLite can count a table whole; a whole set's count is kept
(``sets.members``, read by ``Archive.count_changes``).
"""

from __future__ import annotations

import sqlite3

NONE = (1, 0)  # an empty seq range


def change_query(
    conn: sqlite3.Connection,
    columns: str,
    after: int,
    set_spec: str | None,
    from_: str | None,
    until: str | None,
    *,
    ordered: bool = True,
) -> tuple[str, list[object]]:
    """SQL selecting ``columns`` (of ``lists l``) of the lists changed after ``after`` in
    the set and window, and its parameters; ``ordered``: in change order, a LIMIT to
    follow (else a count)."""
    key = "l.seq" if set_spec is None else "m.seq"
    where: list[str] = [] if set_spec is None else ["m.spec = ?"]
    args: list[object] = [] if set_spec is None else [set_spec]
    lo, hi = seq_range(conn, from_, until) if ordered else (None, None)
    start = after if lo is None else max(after, lo - 1)
    if start or ordered:  # every seq is above 0: a count need not read it
        where.append(f"{key} > ?")
        args.append(start)
    if hi is not None:
        where.append(f"{key} <= ?")
        args.append(hi)
    stamp = "+l.datestamp" if ordered else "l.datestamp"  # "+": not through its index
    for bound, value in ((">=", from_), ("<=", until)):
        if value is not None:
            where.append(f"{stamp} {bound} ?")
            args.append(value)
    tables = "lists l" if set_spec is None else "set_members m JOIN lists l ON l.id = m.list_id"
    sql = f"SELECT {columns} FROM {tables}" + "".join(
        f" {'AND' if n else 'WHERE'} {term}" for n, term in enumerate(where))
    return (f"{sql} ORDER BY {key}" if ordered else sql), args


def seq_range(
    conn: sqlite3.Connection, from_: str | None, until: str | None
) -> tuple[int | None, int | None]:
    """The first and last change seq of a list whose datestamp is in the window (None
    where the window is open; :data:`NONE` when no list is in it). Two lookups in the
    datestamp index, each reading the lists of one datestamp."""
    ends: list[int | None] = []
    for value, pick, bound in ((from_, "min", ">="), (until, "max", "<=")):
        if value is None:
            ends.append(None)
            continue
        seq = conn.execute(
            f"SELECT {pick}(seq) FROM lists WHERE datestamp ="
            f" (SELECT {pick}(datestamp) FROM lists WHERE datestamp {bound} ?)",
            (value,)).fetchone()[0]
        if seq is None:
            return NONE
        ends.append(int(seq))
    return ends[0], ends[1]
