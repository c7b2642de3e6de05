"""A list's history as events: each version, and each deletion and restore, with who/when/why.

Versions come from ``list_versions``, deletions from ``tombstones`` (which
stay after a restore, marked with the restore's time). The version after a
restored tombstone's last is the restore (``rli restore``, a new version saved
over a deleted list, or a copied history's next version): a deleted list gets
no other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crosswalks.rli import VersionInfo
from repository.archive.store import Archive


@dataclass(frozen=True)
class Event:
    """One line of ``rli history``; ``version`` is None for a deletion (it makes none)."""

    event: str  # version | deleted | restored
    version: int | None
    at: str
    editor: str
    note: str
    sha256: str = ""


def history_events(archive: Archive, list_id: str) -> list[Event]:
    """Every version, deletion and restore of ``list_id``, oldest first. Raises ListNotFound."""
    versions = archive.history(list_id)
    stones = archive.db.conn.execute(
        "SELECT deleted_at, editor, note, last_version, restored_at FROM tombstones"
        " WHERE list_id = ? ORDER BY seq",
        (list_id,),
    ).fetchall()
    restored = {int(r[3]) for r in stones if r[4] is not None}
    deleted_after: dict[int, list[Event]] = {}
    for at, editor, note, last, _ in stones:
        deleted_after.setdefault(int(last), []).append(Event("deleted", None, at, editor, note))
    events: list[Event] = []
    for v in versions:
        kind = "restored" if v.version - 1 in restored else "version"
        events.append(Event(kind, v.version, v.archived_at, v.editor, v.note, v.sha256))
        events += deleted_after.get(v.version, [])
    return events


def with_deletions(archive: Archive, list_id: str) -> list[VersionInfo]:
    """``list_id``'s versions, oldest first, each with the deletion that followed it (its
    ``deleted_at``, ``deleted_by``, ``deletion_note``), if one did. Raises ListNotFound."""
    versions = archive.history(list_id)
    after = {int(r[0]): r[1:] for r in archive.db.conn.execute(
        "SELECT last_version, deleted_at, editor, note FROM tombstones WHERE list_id = ?",
        (list_id,))}
    return [replace(v, deleted_at=after[v.version][0], deleted_by=after[v.version][1],
                    deletion_note=after[v.version][2]) if v.version in after else v
            for v in versions]
