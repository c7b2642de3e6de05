"""Accepting or rejecting a pending change, as a compare-and-set like every other write.

Accepting makes one new version of the list (in the same transaction that
checks ``if_version`` and marks the change accepted):

================  ==============================================================
kind              accepting it
================  ==============================================================
item-updated      each item citing the record gets upstream's reading of it (the
                  item's and the resource's own notes kept)
item-withdrawn    the items citing the record are removed
upstream-version  three-way merge of base, this archive's latest and upstream
                  (:mod:`repository.archive.merge`); conflicts are refused
                  unless ``prefer`` is ``upstream`` or ``local``; one that
                  holds upstream's deletion of the list deletes it here
================  ==============================================================

Rejecting records who, when and why; that upstream state is not proposed
again (for ``upstream-version`` it also becomes the base of later merges).

Exception tree (ArchiveError)::

    MergeConflict       the merge has conflicts and no ``prefer`` was given
"""

from __future__ import annotations

from dataclasses import replace

from crosswalks.rli import Item, Resource, ResourceList, Section, VersionInfo, binding
from harvester.shared.db import transaction
from harvester.shared.protocol import format_datestamp
from repository.archive.changes import StoredChange, decide, load
from repository.archive.merge import merge_lists
from repository.archive.store import Archive, ArchiveError, ListDeleted
from repository.archive.upstream import took_upstream
from repository.archive.writes import check_version

PREFER = ("upstream", "local")


class MergeConflict(ArchiveError):
    pass


def accept(
    archive: Archive,
    list_id: str,
    change_id: int,
    *,
    editor: str,
    note: str = "",
    prefer: str | None = None,
    if_version: int | None = None,
) -> VersionInfo:
    """Apply pending change ``change_id`` to ``list_id`` as a new version (see module table).

    Raises ChangeNotFound, VersionConflict, ListDeleted, MergeConflict; nothing
    is written when it raises. If the change leaves the list as it was (or deletes
    it), no version is made and the latest is returned (the change is still accepted;
    its ``note`` is then not the change's).
    """
    with transaction(archive.db):
        check_version(archive, list_id, if_version)
        stored = load(archive.db.conn, list_id, change_id)
        if archive.state(list_id).deleted:
            raise ListDeleted(f"list {list_id!r} is deleted; `rli restore {list_id}` first")
        why = note or f"accepted change {change_id} ({stored.change.kind} from"\
            f" {stored.change.source})"
        if stored.change.kind == "upstream-version" and stored.upstream is None:
            archive.delete(list_id, editor=editor, note=why)  # deleted upstream
            decide(archive.db.conn, change_id, "accepted", at=format_datestamp(archive.clock()),
                   by=editor, note=why)
            return archive.history(list_id)[-1]
        local = archive.get(list_id)
        merged, origin = _apply(local, stored, prefer)
        info = archive.save(merged, editor=editor, note=why, origin=origin)
        if stored.change.kind == "upstream-version" and stored.upstream is not None:
            took_upstream(archive, list_id, stored.change.source, stored.upstream)
        decide(archive.db.conn, change_id, "accepted", at=info.archived_at, by=editor,
               note=why)
    return info


def reject(
    archive: Archive,
    list_id: str,
    change_id: int,
    *,
    editor: str,
    note: str = "",
    if_version: int | None = None,
) -> None:
    """Record that ``change_id`` is declined; the same upstream state is not proposed again."""
    with transaction(archive.db):
        check_version(archive, list_id, if_version)
        stored = load(archive.db.conn, list_id, change_id)
        if stored.change.kind == "upstream-version" and stored.upstream is not None:
            took_upstream(archive, list_id, stored.change.source, stored.upstream)
        decide(archive.db.conn, change_id, "rejected", at=format_datestamp(archive.clock()),
               by=editor, note=note or "rejected")


def _apply(
    local: ResourceList, stored: StoredChange, prefer: str | None
) -> tuple[ResourceList, bytes | None]:
    change = stored.change
    if change.kind == "upstream-version":
        assert stored.upstream is not None
        upstream = binding.read_list(stored.upstream)
        # No known base: every difference between the two sides is a conflict.
        base = (binding.read_list(stored.base) if stored.base is not None
                else ResourceList(local.identifier, title="", owner=""))
        result = merge_lists(base, local, upstream, prefer,
                             known_base=stored.base is not None)
        if result.conflicts and prefer is None:
            raise MergeConflict(
                f"change {change.id} conflicts with edits here ({'; '.join(result.conflicts)});"
                " give --prefer upstream or --prefer local"
            )
        return result.value, stored.origin
    new = binding.read_resource(stored.upstream) if stored.upstream is not None else None
    items = _replace_cited(local.items, change.source, change.identifier, new)
    return replace(local, items=items), None


def _replace_cited(
    items: tuple[Item, ...], source: str, identifier: str, new: Resource | None
) -> tuple[Item, ...]:
    """``items`` with each item citing the record updated to ``new`` (removed if None)."""
    out: list[Item] = []
    for item in items:
        content = item.content
        if isinstance(content, Section):
            inner = _replace_cited(content.items, source, identifier, new)
            out.append(replace(item, content=replace(content, items=inner)))
            continue
        origin = content.origin
        if origin is None or (origin.source, origin.identifier) != (source, identifier):
            out.append(item)
        elif new is not None:
            out.append(replace(item, content=replace(new, annotations=content.annotations)))
    return tuple(out)
