"""The archive as the harvester's sink for whole lists, guarded so a source only touches its own.

A harvested ``rli`` list may be archived under its identifier only if no list
of that identifier exists here yet, or the existing one came from the same
harvest source (it is in set ``source:<name>``). A deleted header tombstones a
list only if its latest version came from that source, and deleting a list
already deleted is a no-op, so re-harvesting the same deletion is harmless.
A list edited here since the version the harvest last brought is not
replaced: upstream's new version (or its deletion) waits as a pending change
(:mod:`repository.archive.upstream`), unless the source is a mirror.

Exception tree::

    ForeignList (an ArchiveError)   the identifier belongs to a local list or another source
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from crosswalks.rli import ResourceList, VersionInfo
from crosswalks.rli.binding import RLIFormatError
from harvester.errors import HarvestError
from repository.archive.changes import is_mirror, upstream_base
from repository.archive.replicate import replicate_history, urls_to_fetch
from repository.archive.store import Archive, ArchiveError, ListNotFound
from repository.archive.upstream import hold_deletion, hold_if_edited, took_upstream

log = logging.getLogger(__name__)


class ForeignList(ArchiveError):
    pass


class HarvestedLists:
    """A ``harvester.sink.ListSink`` over an :class:`Archive` (see module docstring)."""

    copies_history = True  # the harvest hands save() a fetch for past versions

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
        fetch: Callable[[str], bytes] | None = None,
    ) -> VersionInfo:
        """Archive a harvested list. Raises ForeignList if the identifier is not this source's.

        With ``fetch``, the upstream versions it lacks are copied with their
        numbers, sha256s, editors, dates and notes (see replicate).
        """
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
        if fetch is not None:
            try:
                copied = replicate_history(self.archive, lst, source=source, origin=origin,
                                           sets=sets, fetch=fetch)
            except (HarvestError, ArchiveError, RLIFormatError) as exc:
                log.warning("%s: history of %s not copied, latest version only: %s",
                            source, lst.identifier, exc)
                copied = None
            if copied is not None:
                return copied
        info = self.archive.save(lst, editor=editor, note=note, origin=origin, sets=sets)
        took_upstream(self.archive, lst.identifier, source,
                      self.archive.document(lst.identifier, info.version))
        return info

    def versions_to_fetch(self, lst: ResourceList, *, source: str) -> list[tuple[str, str]]:
        """The (URL, sha256) of the past versions :meth:`save` would fetch for ``lst``
        harvested from ``source`` (none for a list that is not this source's). Reads only."""
        if self.archive.exists(lst.identifier) and (
                f"source:{source}" not in self.archive.state(lst.identifier).sets):
            return []
        return urls_to_fetch(self.archive, lst)

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        """Tombstone a list this source archived: if it was edited here since (and the
        source is not a mirror), hold the deletion as a pending change instead.
        Raises ListNotFound (a LookupError) for a list that is not this source's."""
        state = self.archive.state(list_id)
        if state.deleted:
            return
        source = editor.removeprefix("harvest:")
        conn = self.archive.db.conn
        latest = self.archive.history(list_id)[-1]
        base = upstream_base(conn, list_id)
        if latest.editor != editor and (base is None or base[1] != latest.sha256):
            if f"source:{source}" not in state.sets:
                raise ListNotFound(f"list {list_id!r} was last changed here, not by {editor}")
            if not is_mirror(conn, source):
                hold_deletion(self.archive, list_id, source=source, note=note)
                return
        self.archive.delete(list_id, editor=editor, note=note)
