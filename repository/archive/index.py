"""The archive's derived tables: set membership, and each version's items and resources.

Items, resources and annotations are kept for querying; the canonical record
of a version stays its RLI XML document.

Functions take the open connection and run inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from crosswalks.rli import Item, Resource, ResourceList, Section

SET_FAMILIES: dict[str, str] = {
    "course": "Lists by course or context code",
    "owner": "Lists by owner",
    "source": "Lists harvested from another repository, by harvest source",
}


def sets_for(lst: ResourceList, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Set specs a list belongs to, parents included (``course`` for ``course:X``)."""
    leaves = [f"course:{c}" for c in lst.courses if c] + [f"owner:{lst.owner}"] + list(extra)
    specs: set[str] = set()
    for leaf in leaves:
        parts = leaf.split(":")
        for depth in range(1, len(parts) + 1):
            specs.add(":".join(parts[:depth]))
    return tuple(sorted(specs))


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
            "INSERT OR IGNORE INTO sets (spec, name) VALUES (?, ?)", (spec, _set_name(spec))
        )
        conn.execute(
            "INSERT INTO set_members (spec, list_id, seq) VALUES (?, ?, ?)",
            (spec, lst.identifier, seq),
        )
    # A set this list left and no other list is in is no longer offered by ListSets.
    for spec in before.difference(now):
        conn.execute(
            "DELETE FROM sets WHERE spec = ? AND NOT EXISTS"
            " (SELECT 1 FROM set_members WHERE spec = ?)",
            (spec, spec),
        )

def resource_key(res: Resource) -> str:
    """The content key a resource is indexed under: 128 bits of the sha256 of its value's repr."""
    return hashlib.sha256(repr(res).encode("utf-8")).hexdigest()[:32]


def store_resource(conn: sqlite3.Connection, res: Resource) -> str:
    """Keep one row for each distinct resource; returns its content key.

    The key is the first 128 bits (32 hex digits) of the sha256 of the
    value's repr (frozen dataclasses: stable and cheap), so a resource
    unchanged between versions is not stored again. Its XML is not kept
    here: the version documents that cite it hold it already.
    """
    key = resource_key(res)
    conn.execute(
        "INSERT OR IGNORE INTO resources (key, type, title) VALUES (?, ?, ?)",
        (key, res.type.value, res.title),
    )
    return key

def index_items(conn: sqlite3.Connection, lst: ResourceList, version: int) -> None:
    """Record a version's items, their resources and annotations for querying."""
    rows = list(_flatten(lst.items, None))
    for position, (parent, item) in enumerate(rows):
        sha = None
        title = None
        if isinstance(item.content, Section):
            kind, title = "section", item.content.title
        else:
            kind = "resource"
            sha = store_resource(conn, item.content)
        conn.execute(
            "INSERT INTO list_items (list_id, version, position, item_id, parent_item, kind,"
            " resource_key, section_title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (lst.identifier, version, position, item.id, parent, kind, sha, title),
        )
        for n, note in enumerate(item.annotations):
            conn.execute(
                "INSERT INTO annotations (list_id, version, item_id, position, kind, text,"
                " author, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (lst.identifier, version, item.id, n, note.kind, note.text, note.author,
                 note.date),
            )
    for n, note in enumerate(lst.annotations):
        conn.execute(
            "INSERT INTO annotations (list_id, version, item_id, position, kind, text, author,"
            " date) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
            (lst.identifier, version, n, note.kind, note.text, note.author, note.date),
        )


def _flatten(items: tuple[Item, ...], parent: str | None) -> Iterator[tuple[str | None, Item]]:
    for item in items:
        yield parent, item
        if isinstance(item.content, Section):
            yield from _flatten(item.content.items, item.id)


def _set_name(spec: str) -> str:
    family, _, rest = spec.partition(":")
    if not rest:
        return SET_FAMILIES.get(family, family)
    label = {"course": "Course", "owner": "Owner", "source": "Harvest source"}.get(family, family)
    return f"{label} {rest}"
