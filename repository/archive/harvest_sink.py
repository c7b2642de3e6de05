"""The archive as the harvester's sink for whole lists, guarded so a source only touches its own.

A harvested ``rli`` list may be archived under its identifier only if no list
of that identifier exists here yet, or the existing one came from the same
harvest source (it is in set ``source:<name>``). A deleted header tombstones a
list only if its latest version came from that source, and deleting a list
already deleted is a no-op, so re-harvesting the same deletion is harmless.
A list edited here since the version the harvest last brought is not
replaced: upstream's new version waits as a pending change
(:mod:`repository.archive.upstream`), unless the source is a mirror.

Exception tree::

    ForeignList (an ArchiveError)   the identifier belongs to a local list or another source
"""

from __future__ import annotations

from collections.abc import Sequence

from crosswalks.rli import ResourceList, VersionInfo
from repository.archive.store import Archive, ArchiveError, ListNotFound
from repository.archive.upstream import hold_if_edited, took_upstream


class ForeignList(ArchiveError):
    pass


class HarvestedLists:
    """A ``harvester.sink.ListSink`` over an :class:`Archive` (see module docstring)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    def save(
        self,
        lst: ResourceList,
        *,
        editor: str,
        note: str,
        origin: bytes | None = None,
        sets: Sequence[str] = (),
    ) -> VersionInfo:
        """Archive a harvested list. Raises ForeignList if the identifier is not this source's."""
        source = editor.removeprefix("harvest:")
        if self.archive.exists(lst.identifier):
            have = self.archive.state(lst.identifier).sets
            if not any(spec in have for spec in sets if spec.startswith("source:")):
                raise ForeignList(
                    f"list {lst.identifier!r} exists here and was not harvested by {editor}"
                )
            held = hold_if_edited(self.archive, lst, source=source, origin=origin)
            if held is not None:
                return held
        info = self.archive.save(lst, editor=editor, note=note, origin=origin, sets=sets)
        took_upstream(self.archive, lst.identifier, source,
                      self.archive.document(lst.identifier, info.version))
        return info

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        """Tombstone a list this source archived. Raises ListNotFound (a LookupError) otherwise."""
        state = self.archive.state(list_id)
        if state.deleted:
            return
        if self.archive.history(list_id)[-1].editor != editor:
            raise ListNotFound(f"list {list_id!r} was last changed here, not by {editor}")
        self.archive.delete(list_id, editor=editor, note=note)
