"""Read-only questions the pages ask of the archive: recent lists, counts, who cites what.

Every query is bounded (``LIMIT``) or an aggregate, so a page costs the same
on ten lists as on a million.
"""

from __future__ import annotations

from dataclasses import dataclass

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



def lists_citing_record(
    archive: Archive, source: str, identifier: str, limit: int = 100
) -> list[ListSummary]:
    """Live lists whose latest version has an item built from the harvested record
    ``identifier`` of ``source`` (by the items' origins, whatever reading they cite)."""
    rows = archive.db.conn.execute(
        f"{_SUMMARY} l WHERE l.deleted = 0 AND l.id IN (SELECT o.list_id FROM item_origins o"
        " WHERE o.source = ? AND o.identifier = ?) ORDER BY l.id LIMIT ?",
        (source, identifier, limit),
    )
    return [ListSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]
