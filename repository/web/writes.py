"""The writes a browser form makes, each a compare-and-set on the version the form was made from.

Each function reads the list, checks in the same write transaction that its
latest version is still ``expected`` (the version the page showed), applies
the same edit function the CLI uses (:mod:`repository.archive.editing`) and
saves through :class:`~repository.archive.Archive` exactly as ``rli edit`` /
``rli annotate`` / ``rli delete`` / ``rli restore`` do: one call, one version.

The compare-and-set lives here until the archive offers it itself (the CLI's
``--if-version``); then these functions call that and keep their signatures.

Exception tree (all ArchiveError, so callers handle them with the archive's)::

    ArchiveError
    ├── StaleVersion    the list changed since the form was made
    └── NothingChanged  the edit would make a version identical to the latest
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from crosswalks.rli import ResourceList, VersionInfo
from harvester.shared.db import transaction
from repository.archive import Archive, ArchiveError, ListDeleted, editing
from repository.archive.origin import picked


class StaleVersion(ArchiveError):
    pass


class NothingChanged(ArchiveError):
    pass


def _check(archive: Archive, list_id: str, expected: int, *, deleted: bool = False) -> None:
    state = archive.state(list_id)
    if state.version != expected:
        raise StaleVersion(
            f"list {list_id!r} has changed: this form was made from version {expected},"
            f" the latest is version {state.version}. Nothing was saved; reload the page"
            " and make the change again."
        )
    if state.deleted and not deleted:
        raise ListDeleted(f"list {list_id!r} is deleted; restore it first")
    if deleted and not state.deleted:
        raise ArchiveError(f"list {list_id!r} is not deleted")


def _edit(
    archive: Archive,
    list_id: str,
    expected: int,
    change: Callable[[ResourceList], ResourceList],
    *,
    editor: str,
    note: str,
) -> VersionInfo:
    with transaction(archive.db):
        _check(archive, list_id, expected)
        info = archive.save(change(archive.get(list_id)), editor=editor, note=note)
        if info.version == expected:
            raise NothingChanged(f"{list_id}: nothing changed, no new version made")
    return info


def annotate(
    archive: Archive, list_id: str, expected: int, text: str, *, item_id: str | None,
    kind: str, editor: str,
) -> VersionInfo:
    """Add a note or tag to the list or one item (as ``rli annotate``)."""
    if not text.strip() and kind == "note":
        raise editing.EditError("the annotation text is empty")
    date = archive.clock().strftime("%Y-%m-%d")
    return _edit(
        archive, list_id, expected,
        lambda lst: editing.annotate(lst, text.strip(), item_id=item_id, kind=kind,
                                     author=editor, date=date),
        editor=editor, note=f"annotated {item_id or 'list'}",
    )


def remove_item(
    archive: Archive, list_id: str, expected: int, item_id: str, *, editor: str, note: str = ""
) -> VersionInfo:
    """Remove one item (as ``rli edit --remove``)."""
    return _edit(archive, list_id, expected, lambda lst: editing.remove_item(lst, item_id),
                 editor=editor, note=note.strip() or f"removed {item_id}")


def move_item(
    archive: Archive, list_id: str, expected: int, item_id: str, position: int, *,
    editor: str, note: str = "",
) -> VersionInfo:
    """Move one item to a 1-based position among its siblings (as ``rli edit --move``)."""
    return _edit(archive, list_id, expected,
                 lambda lst: editing.move_item(lst, item_id, position),
                 editor=editor, note=note.strip() or f"moved {item_id} to {position}")


def duplicate(
    archive: Archive, list_id: str, version: int, new_id: str, *, title: str, editor: str
) -> VersionInfo:
    """A new list (version 1) with the content of ``version`` of ``list_id``, as shown.

    Raises DuplicateList if ``new_id`` is taken, InvalidList if it is unusable.
    """
    source = archive.get(list_id, version)
    copy = replace(source, identifier=new_id, title=title.strip() or source.title)
    return archive.add(copy, editor=editor, note=f"duplicated from {list_id} version {version}")


def delete(
    archive: Archive, list_id: str, expected: int, *, editor: str, note: str = ""
) -> None:
    """Tombstone the list (as ``rli delete``)."""
    with transaction(archive.db):
        _check(archive, list_id, expected)
        archive.delete(list_id, editor=editor, note=note.strip() or "deleted")


def restore(
    archive: Archive, list_id: str, expected: int, *, editor: str, note: str = ""
) -> VersionInfo:
    """Bring a deleted list back (as ``rli restore``)."""
    with transaction(archive.db):
        _check(archive, list_id, expected, deleted=True)
        return archive.restore(list_id, editor=editor, note=note.strip() or "restored")


def add_picked(
    archive: Archive, list_id: str, resource_ids: list[str], *, editor: str
) -> VersionInfo:
    """Append harvested resources, each keeping its origin (as ``rli edit --add-resource``).

    Appending commutes with any other change, so this saves on the latest
    version (no form version to compare). Raises SourceError for a resource
    that is gone, ListDeleted for a deleted list.
    """
    with transaction(archive.db):
        if archive.state(list_id).deleted:
            raise ListDeleted(f"list {list_id!r} is deleted; restore it first")
        lst = archive.get(list_id)
        for resource_id in resource_ids:
            lst = editing.add_resource(lst, picked(archive.db, resource_id))
        note = f"added {len(resource_ids)} from search: {', '.join(resource_ids)}"
        return archive.save(lst, editor=editor, note=note)


def new_from_picked(
    archive: Archive, lst: ResourceList, resource_ids: list[str], *, editor: str
) -> VersionInfo:
    """A new list (version 1) made of harvested resources with their origins (as ``rli new``).

    Raises DuplicateList if the identifier is taken, SourceError for a resource that is gone.
    """
    items = [picked(archive.db, resource_id) for resource_id in resource_ids]
    return archive.add(editing.append_resources(lst, items), editor=editor,
                       note=f"created from search: {', '.join(resource_ids)}")
