"""Read-only questions the pages ask of the archive: recent lists, counts, who cites what.

Every query is bounded (``LIMIT``) or an aggregate, so a page costs the same
on ten lists as on a million.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswalks.rli import Resource
from repository.archive.index import resource_key
from repository.archive.store import Archive, ListSummary

_SUMMARY = "SELECT id, title, owner, version, items, deleted, datestamp FROM lists"


@dataclass(frozen=True)
class ArchiveCounts:
    """How much the archive holds."""

    lists: int
    deleted: int
    versions: int


def recent_lists(archive: Archive, limit: int = 20) -> list[ListSummary]:
    """The ``limit`` lists changed most recently (deletions too), newest first."""
    rows = archive.db.conn.execute(f"{_SUMMARY} ORDER BY seq DESC LIMIT ?", (limit,))
    return [ListSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def counts(archive: Archive) -> ArchiveCounts:
    """Live lists, deleted lists and archived versions."""
    live, deleted = archive.db.conn.execute(
        "SELECT COALESCE(SUM(deleted = 0), 0), COALESCE(SUM(deleted = 1), 0) FROM lists"
    ).fetchone()
    versions = archive.db.conn.execute("SELECT count(*) FROM list_versions").fetchone()[0]
    return ArchiveCounts(int(live), int(deleted), int(versions))


def lists_citing(
    archive: Archive, resource: Resource, limit: int = 100, *,
    record: tuple[str, str] | None = None,
) -> list[ListSummary]:
    """Live lists whose latest version cites ``resource`` (the same value), by identifier.

    With ``record`` (source, OAI identifier), also the lists with an item taken
    from that harvested record (its origin), whatever the item's value now.
    """
    source, identifier = record if record is not None else (None, None)
    rows = archive.db.conn.execute(
        f"{_SUMMARY} l WHERE l.deleted = 0 AND (EXISTS (SELECT 1 FROM list_items i"
        " WHERE i.list_id = l.id AND i.version = l.version AND i.resource_key = ?)"
        " OR EXISTS (SELECT 1 FROM item_origins o WHERE o.list_id = l.id"
        " AND o.source = ? AND o.identifier = ?))"
        " ORDER BY l.id LIMIT ?",
        (resource_key(resource), source, identifier, limit),
    )
    return [ListSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]
