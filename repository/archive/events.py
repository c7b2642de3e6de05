"""A list's history as events: each version, and each deletion and restore, with who/when/why.

Versions come from ``list_versions``, deletions from ``tombstones`` (which
stay after a restore, marked with the restore's time). The version after a
restored tombstone's last is the restore (``rli restore``, a new version saved
over a deleted list, or a copied history's next version): a deleted list gets
no other.
"""

from __future__ import annotations

from dataclasses import dataclass

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
