"""The archive's set membership: which OAI sets each list is in.

A version's items, resources and annotations are not kept in tables of their
own: its RLI XML document holds them (the full-text index and item origins
answer the queries over them).

Functions take the open connection and run inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from crosswalks.rli import ResourceList

SET_FAMILIES: dict[str, str] = {
    "course": "Lists by course or context code",
    "owner": "Lists by owner",
    "source": "Lists harvested from another repository, by harvest source",
}


def sets_for(lst: ResourceList, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Set specs a list belongs to, parents included (``course`` for ``course:X``).

    A spec is a family or ``family:value``; a ``:`` inside the value (a course code
    that is a URL) is the value's, not another level (the OAI setSpec escapes it).
    """
    leaves = [f"course:{c}" for c in lst.courses if c] + [f"owner:{lst.owner}"] + list(extra)
    return tuple(sorted({*leaves, *(leaf.partition(":")[0] for leaf in leaves)}))


def set_membership(
    conn: sqlite3.Connection, lst: ResourceList, seq: int, extra: Sequence[str]
) -> None:
    """Put ``lst`` in exactly the sets it belongs to now, at change ``seq``."""
    before = {
        r[0]
        for r in conn.execute(
            "SELECT spec FROM set_members WHERE list_id = ?", (lst.identifier,)
        )
    }
    conn.execute("DELETE FROM set_members WHERE list_id = ?", (lst.identifier,))
    now = sets_for(lst, extra)
    for spec in now:
        conn.execute(
            "INSERT OR IGNORE INTO sets (spec, name) VALUES (?, ?)", (spec, set_name(spec))
        )
        conn.execute(
            "INSERT INTO set_members (spec, list_id, seq) VALUES (?, ?, ?)",
            (spec, lst.identifier, seq),
        )
    count_members(conn, [(1, spec) for spec in set(now) - before]
                  + [(-1, spec) for spec in before - set(now)])
    # A set this list left and no other list is in is no longer offered by ListSets.
    for spec in before.difference(now):
        conn.execute(
            "DELETE FROM sets WHERE spec = ? AND NOT EXISTS"
            " (SELECT 1 FROM set_members WHERE spec = ?)",
            (spec, spec),
        )


def kept_sets(conn: sqlite3.Connection, list_id: str) -> tuple[str, ...]:
    """The memberships of ``list_id`` its content does not give (``source:NAME``), which a
    new version keeps."""
    rows = conn.execute(
        "SELECT spec FROM set_members WHERE list_id = ? AND spec LIKE 'source:%'", (list_id,))
    return tuple(r[0] for r in rows)


def count_members(conn: sqlite3.Connection, changes: Iterable[tuple[int, str]]) -> None:
    """Add each ``(delta, spec)`` to the set's member count (``sets.members``), which
    every write to ``set_members`` keeps equal to the set's rows there."""
    conn.executemany("UPDATE sets SET members = members + ? WHERE spec = ?", changes)


def set_name(spec: str) -> str:
    """The ListSets name of set ``spec``."""
    family, _, rest = spec.partition(":")
    if not rest:
        return SET_FAMILIES.get(family, family)
    label = {"course": "Course", "owner": "Owner", "source": "Harvest source"}.get(family, family)
    return f"{label} {rest}"
