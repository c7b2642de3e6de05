"""The archive's derived tables: set membership, and each version's items and resources.

Items, resources and annotations are kept for querying; the canonical record
of a version stays its RLI XML document.

Functions take the open connection and run inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

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
            "INSERT OR IGNORE INTO sets (spec, name) VALUES (?, ?)", (spec, set_name(spec))
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
    """A resource's content key: the first 128 bits (32 hex digits) of the sha256 of
    the value's repr (frozen dataclasses: stable and cheap)."""
    return hashlib.sha256(repr(res).encode("utf-8")).hexdigest()[:32]


def store_resource(conn: sqlite3.Connection, res: Resource) -> str:
    """Keep one row for each distinct resource; returns its content key (:func:`resource_key`).

    A resource unchanged between versions is not stored again. Its XML is not
    kept here: the version documents that cite it hold it already.
    """
    key = resource_key(res)
    conn.execute(
        "INSERT OR IGNORE INTO resources (key, type, title) VALUES (?, ?, ?)",
        (key, res.type.value, res.title),
    )
    return key


@dataclass(frozen=True)
class IndexRows:
    """The derived rows of one or more list versions, ready for ``executemany``."""

    resources: list[tuple[str, str, str]] = field(default_factory=list)
    items: list[tuple[object, ...]] = field(default_factory=list)
    annotations: list[tuple[object, ...]] = field(default_factory=list)

    def add(self, lst: ResourceList, version: int) -> None:
        """Append the rows of ``lst`` as ``version``."""
        for position, (parent, item) in enumerate(_flatten(lst.items, None)):
            key = title = None
            if isinstance(item.content, Section):
                kind, title = "section", item.content.title
            else:
                kind, key = "resource", resource_key(item.content)
                self.resources.append((key, item.content.type.value, item.content.title))
            self.items.append(
                (lst.identifier, version, position, item.id, parent, kind, key, title))
            self.annotations.extend(
                (lst.identifier, version, item.id, n, a.kind, a.text, a.author, a.date)
                for n, a in enumerate(item.annotations)
            )
        self.annotations.extend(
            (lst.identifier, version, None, n, a.kind, a.text, a.author, a.date)
            for n, a in enumerate(lst.annotations)
        )

    def extend(self, other: IndexRows) -> None:
        """Append ``other``'s rows."""
        self.resources.extend(other.resources)
        self.items.extend(other.items)
        self.annotations.extend(other.annotations)

    def write(self, conn: sqlite3.Connection) -> None:
        """Insert every row (in the caller's transaction)."""
        conn.executemany(
            "INSERT OR IGNORE INTO resources (key, type, title) VALUES (?, ?, ?)", self.resources)
        conn.executemany(
            "INSERT INTO list_items (list_id, version, position, item_id, parent_item, kind,"
            " resource_key, section_title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.items)
        conn.executemany(
            "INSERT INTO annotations (list_id, version, item_id, position, kind, text, author,"
            " date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.annotations)


def index_items(conn: sqlite3.Connection, lst: ResourceList, version: int) -> None:
    """Record a version's items, their resources and annotations for querying."""
    rows = IndexRows()
    rows.add(lst, version)
    rows.write(conn)


def _flatten(items: tuple[Item, ...], parent: str | None) -> Iterator[tuple[str | None, Item]]:
    for item in items:
        yield parent, item
        if isinstance(item.content, Section):
            yield from _flatten(item.content.items, item.id)


def set_name(spec: str) -> str:
    """The ListSets name of set ``spec``."""
    family, _, rest = spec.partition(":")
    if not rest:
        return SET_FAMILIES.get(family, family)
    label = {"course": "Course", "owner": "Owner", "source": "Harvest source"}.get(family, family)
    return f"{label} {rest}"
