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
from dataclasses import dataclass, replace
from typing import TypeVar

from crosswalks.rli import ResourceList, VersionInfo, iter_resources
from harvester.query import harvested_resource
from harvester.shared.db import snapshot, transaction
from repository.archive import Archive, ArchiveError, ListDeleted, editing
from repository.archive.upstream import upstream_item_ids
from repository.archive.writes import (
    NothingChanged,
    VersionConflict,
    change_list,
    delete_list,
    restore_list,
)

__all__ = ["NothingChanged", "VersionConflict"]


def reason(exc: Exception) -> str:
    """Why a write was refused, as a page says it (the archive's words name CLI commands)."""
    if isinstance(exc, ListDeleted):
        return "the list is deleted: restore it on its page first (its versions are kept)"
    return str(exc)


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
    """``change`` saved on ``expected``; the latest version instead if it holds that change
    made on ``expected`` already (the form sent twice: a double click, Back and again)."""
    try:
        return _as_form(archive, list_id, expected, lambda: change_list(
            archive, list_id, change, editor=editor, note=note, if_version=expected))
    except VersionConflict:
        with snapshot(archive.db):
            state = archive.state(list_id)
            if not state.deleted and _same(archive.get(list_id), change, archive, list_id,
                                           expected):
                return archive.history(list_id)[-1]
        raise


def _same(
    latest: ResourceList, change: Callable[[ResourceList], ResourceList], archive: Archive,
    list_id: str, expected: int,
) -> bool:
    try:
        return change(archive.get(list_id, expected)) == latest
    except (editing.EditError, ArchiveError):
        return False


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


def new_list(archive: Archive, lst: ResourceList, *, editor: str) -> VersionInfo:
    """A new list (version 1), empty, as ``rli new`` makes it.

    Raises DuplicateList if the identifier is taken, InvalidList if it is unusable.
    """
    return archive.add(lst, editor=editor, note="created")


# The list's own fields a details form sets, in the order a change note names them.
DETAILS = ("title", "description", "courses")


def set_details(
    archive: Archive, list_id: str, expected: int, *, title: str, description: str,
    courses: tuple[str, ...], editor: str,
) -> VersionInfo:
    """Set the list's title, description and courses (as ``rli edit --title --description``).

    Raises NothingChanged if they are as ``expected`` has them, EditError for an empty title.
    """
    if not title.strip():
        raise editing.EditError("the title is empty")
    wanted = {"title": title.strip(), "description": description.strip(), "courses": courses}
    shown = archive.get(list_id, expected)
    changed = [name for name in DETAILS if getattr(shown, name) != wanted[name]]
    return _edit(archive, list_id, expected, lambda lst: replace(
        lst, title=title.strip(), description=description.strip(), courses=courses),
        editor=editor, note=f"changed {', '.join(changed) or 'nothing'}")


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


@dataclass(frozen=True)
class Added:
    """What :func:`add_picked` saved: the new version, and the picks it left out because
    the list cites their records already."""

    info: VersionInfo
    already: tuple[str, ...] = ()


def add_picked(
    archive: Archive, list_id: str, resource_ids: list[str], *, editor: str
) -> Added:
    """Append harvested resources, each keeping its origin (as ``rli edit --add-resource``).

    A record the list already cites (an item with its origin, at any depth) is left
    out, and so is a pick named twice: a form sent twice, or a hit picked again, adds
    nothing twice. Appending commutes with any other change, so this saves on the
    latest version (no form version to compare). Raises SourceError for a resource
    that is gone, ListDeleted for a deleted list, NothingChanged if every pick is on
    the list already.
    """
    picked = {resource_id: harvested_resource(archive.db, resource_id)
              for resource_id in dict.fromkeys(resource_ids)}
    with transaction(archive.db):  # the list read here is the one saved on: nothing between
        cited = {(res.origin.source, res.origin.identifier)
                 for _, res in iter_resources(archive.get(list_id).items)
                 if res.origin is not None}
        already = [r for r, found in picked.items() if (found.source, found.identifier) in cited]
        new = [r for r in picked if r not in already]

        def change(lst: ResourceList) -> ResourceList:  # run once the list is known live
            if not new:
                raise NothingChanged(f"{list_id} cites {', '.join(already)} already;"
                                     " nothing added")
            return editing.append_resources(lst, [picked[r].resource for r in new],
                                            upstream_item_ids(archive, list_id))

        info = change_list(archive, list_id, change, editor=editor,
                           note=f"added {len(new)} from search: {', '.join(new)}")
    return Added(info, tuple(already))


def new_from_picked(
    archive: Archive, lst: ResourceList, resource_ids: list[str], *, editor: str
) -> VersionInfo:
    """A new list (version 1) made of harvested resources with their origins (as ``rli new``).

    Raises DuplicateList if the identifier is taken, SourceError for a resource that is gone.
    """
    picked = list(dict.fromkeys(resource_ids))  # a pick named twice is one item
    items = [harvested_resource(archive.db, resource_id).resource for resource_id in picked]
    return archive.add(editing.append_resources(lst, items), editor=editor,
                       note=f"created from search: {', '.join(picked)}")
