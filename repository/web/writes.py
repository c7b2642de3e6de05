"""The writes a browser form makes, each a compare-and-set on the version the form was made from.

Each function hands the same edit function the CLI uses
(:mod:`repository.archive.editing`) to the archive's compare-and-set writes
(:mod:`repository.archive.writes`, what ``rli edit --if-version`` runs): the
list is read, checked to be still at ``expected`` (the version the page
showed), changed and saved in one write transaction, one version per call.
Raises the archive's VersionConflict (the list changed since the form was
made) and NothingChanged (the edit would change nothing), both ArchiveError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from crosswalks.rli import ResourceList, VersionInfo
from harvester.query import harvested_resource
from repository.archive import Archive, editing
from repository.archive.upstream import upstream_item_ids
from repository.archive.writes import (
    NothingChanged,
    VersionConflict,
    change_list,
    delete_list,
    restore_list,
)

__all__ = ["NothingChanged", "VersionConflict"]


T = TypeVar("T")


def _as_form(archive: Archive, list_id: str, expected: int, write: Callable[[], T]) -> T:
    """Run ``write``; a VersionConflict is said again in the form's terms."""
    try:
        return write()
    except VersionConflict as exc:
        raise VersionConflict(
            f"list {list_id!r} has changed: this form was made from version {expected},"
            f" the latest is version {archive.state(list_id).version}. Nothing was saved;"
            " reload the page and make the change again."
        ) from exc


def _edit(
    archive: Archive,
    list_id: str,
    expected: int,
    change: Callable[[ResourceList], ResourceList],
    *,
    editor: str,
    note: str,
) -> VersionInfo:
    return _as_form(archive, list_id, expected, lambda: change_list(
        archive, list_id, change, editor=editor, note=note, if_version=expected))


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
    """A new list (version 1) with the content of ``version`` of ``list_id``, as shown;
    created today (as ``rli new``), not on the source's dates.

    Raises DuplicateList if ``new_id`` is taken, InvalidList if it is unusable.
    """
    source = archive.get(list_id, version)
    copy = replace(source, identifier=new_id, title=title.strip() or source.title,
                   created=archive.clock().strftime("%Y-%m-%d"), modified="")
    return archive.add(copy, editor=editor, note=f"duplicated from {list_id} version {version}")


def delete(
    archive: Archive, list_id: str, expected: int, *, editor: str, note: str = ""
) -> None:
    """Tombstone the list (as ``rli delete --if-version``)."""
    _as_form(archive, list_id, expected, lambda: delete_list(
        archive, list_id, editor=editor, note=note.strip() or "deleted", if_version=expected))


def restore(
    archive: Archive, list_id: str, expected: int, *, editor: str, note: str = ""
) -> VersionInfo:
    """Bring a deleted list back (as ``rli restore --if-version``)."""
    return _as_form(archive, list_id, expected, lambda: restore_list(
        archive, list_id, editor=editor, note=note.strip() or "restored", if_version=expected))


def add_picked(
    archive: Archive, list_id: str, resource_ids: list[str], *, editor: str
) -> VersionInfo:
    """Append harvested resources, each keeping its origin (as ``rli edit --add-resource``).

    Appending commutes with any other change, so this saves on the latest
    version (no form version to compare). Raises SourceError for a resource
    that is gone, ListDeleted for a deleted list.
    """
    added = [harvested_resource(archive.db, resource_id).resource for resource_id in resource_ids]

    def change(lst: ResourceList) -> ResourceList:
        taken = upstream_item_ids(archive, list_id)
        for res in added:
            lst = editing.add_resource(lst, res, taken=taken)
        return lst

    note = f"added {len(resource_ids)} from search: {', '.join(resource_ids)}"
    return change_list(archive, list_id, change, editor=editor, note=note)


def new_from_picked(
    archive: Archive, lst: ResourceList, resource_ids: list[str], *, editor: str
) -> VersionInfo:
    """A new list (version 1) made of harvested resources with their origins (as ``rli new``).

    Raises DuplicateList if the identifier is taken, SourceError for a resource that is gone.
    """
    items = [harvested_resource(archive.db, resource_id).resource for resource_id in resource_ids]
    return archive.add(editing.append_resources(lst, items), editor=editor,
                       note=f"created from search: {', '.join(resource_ids)}")
