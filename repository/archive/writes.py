"""Every change to a list as a compare-and-set, read, changed and written in one transaction.

A writer opens one write transaction (``BEGIN IMMEDIATE``; other writers wait
on SQLite's busy timeout rather than fail), reads the latest version there,
checks it is the version the change was made from (``if_version``, when
given), applies the change and archives the result. So concurrent writers
land one on top of the other, or are refused; none is silently overwritten.

Exception tree (all ArchiveError)::

    VersionConflict     the latest version is not the one the change was made from
    NothingChanged      the change leaves the list as it was (no version made)
"""

from __future__ import annotations

from collections.abc import Callable

from crosswalks.rli import ResourceList, VersionInfo
from harvester.shared.db import transaction
from repository.archive.store import Archive, ArchiveError, ListDeleted


class VersionConflict(ArchiveError):
    pass


class NothingChanged(ArchiveError):
    pass


def check_version(archive: Archive, list_id: str, if_version: int | None) -> int:
    """The latest version number of ``list_id``; raises VersionConflict if not ``if_version``.

    Call inside a write transaction so the answer holds until it commits.
    """
    latest = archive.state(list_id).version
    if if_version is not None and latest != if_version:
        raise VersionConflict(
            f"list {list_id!r} is at version {latest}, not {if_version}: someone changed it"
            " since; nothing written"
        )
    return latest


def change_list(
    archive: Archive,
    list_id: str,
    change: Callable[[ResourceList], ResourceList],
    *,
    editor: str,
    note: str,
    if_version: int | None = None,
) -> VersionInfo:
    """Apply ``change`` to the latest live version and archive the result as the next one.

    Raises ListNotFound, ListDeleted, VersionConflict, NothingChanged, or what
    ``change`` raises (nothing written in every case).
    """
    with transaction(archive.db):
        latest = check_version(archive, list_id, if_version)
        if archive.state(list_id).deleted:
            raise ListDeleted(
                f"list {list_id!r} is deleted; `rli restore {list_id}` brings it back"
            )
        info = archive.save(change(archive.get(list_id)), editor=editor, note=note)
        if info.version == latest:
            raise NothingChanged(f"{list_id}: nothing changed, no new version made")
    return info


def delete_list(
    archive: Archive, list_id: str, *, editor: str, note: str, if_version: int | None = None
) -> None:
    """Tombstone ``list_id`` if it is still at ``if_version`` (see Archive.delete)."""
    with transaction(archive.db):
        check_version(archive, list_id, if_version)
        archive.delete(list_id, editor=editor, note=note)


def restore_list(
    archive: Archive, list_id: str, *, editor: str, note: str, if_version: int | None = None
) -> VersionInfo:
    """Reactivate ``list_id`` if it is still at ``if_version`` (see Archive.restore)."""
    with transaction(archive.db):
        check_version(archive, list_id, if_version)
        return archive.restore(list_id, editor=editor, note=note)
