"""The archive of resource lists: immutable versions, tombstones, sets, change sequence.

Every change to a list makes a new version holding its canonical RLI XML, its
sha256 and who/when/why; nothing is overwritten, and deleting leaves a
tombstone. Each change takes the next number of the change sequence, which the
OAI provider pages on by keyset.

Exception tree::

    ArchiveError            anything the archive refuses
    ├── ListNotFound        (also a LookupError) no such list
    ├── VersionNotFound     (also a LookupError) no such version of a list
    ├── DuplicateList       a list with that identifier exists already
    ├── ListDeleted         the list is deleted (tombstoned)
    └── InvalidList         the list cannot be archived (e.g. an unusable identifier)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlite_utils

from crosswalks.rli import ResourceList, VersionInfo, count_resources
from crosswalks.rli import binding as rli_xml
from crosswalks.xmlsafe import parse_untrusted
from harvester.provenance import altered
from harvester.shared.blobs import pack, unpack
from harvester.shared.db import migrate, refuse_newer, snapshot, transaction
from harvester.shared.protocol import utc_now
from repository.archive import dating, origins, paging, renderings
from repository.archive.checks import check_identifier, check_item_ids
from repository.archive.errors import (  # noqa: F401 - re-exported: the archive's errors
    ArchiveError,
    DuplicateList,
    InvalidList,
    ListDeleted,
    ListNotFound,
    VersionNotFound,
)
from repository.archive.index import kept_sets, set_membership
from repository.archive.schema import MIGRATIONS
from repository.archive.search import MIGRATIONS as SEARCH_MIGRATIONS
from repository.archive.search import drop_list, ensure_index, index_list
from repository.archive.set_values import repair_set_values

# A list's header facts with its sets in the same query (one query a page, not two).
_STATE_COLUMNS = ("l.id, l.seq, l.datestamp, l.deleted, l.version,"
                  " (SELECT json_group_array(spec) FROM set_members s WHERE s.list_id = l.id)")


def _state(row: tuple[Any, ...]) -> ListState:
    """A ListState from the columns of _STATE_COLUMNS."""
    list_id, seq, datestamp, deleted, version, specs = row
    return ListState(list_id, seq, datestamp, bool(deleted), version, _specs(specs))


def _specs(array: str) -> tuple[str, ...]:
    """The sorted strings of SQLite's ``json_group_array`` text. Without a backslash
    no string has a quote or an escape in it, so a split reads it (json.loads took a
    tenth of a ListRecords page)."""
    if array == "[]":
        return ()
    if "\\" in array:
        return tuple(sorted(json.loads(array)))
    return tuple(sorted(array[2:-2].split('","')))


@dataclass(frozen=True)
class ListState:
    """A list as the OAI header sees it: identity, change position, datestamp, sets."""

    list_id: str
    seq: int
    datestamp: str
    deleted: bool
    version: int
    sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListSummary:
    """One row of ``rli lists``."""

    id: str
    title: str
    owner: str
    version: int
    items: int
    deleted: bool
    datestamp: str


class Archive:
    """The versioned store of lists in one SQLite database (see module docstring)."""

    def __init__(
        self, db: sqlite_utils.Database, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.db = db
        self.clock = clock
        refuse_newer(db.conn, {"archive": len(MIGRATIONS), "archive-search": len(
            SEARCH_MIGRATIONS), "changes": len(origins.MIGRATIONS),
            "renderings": len(renderings.MIGRATIONS)})
        migrate(db, "archive", MIGRATIONS)
        ensure_index(db)
        migrate(db, "changes", origins.MIGRATIONS)
        migrate(db, "renderings", renderings.MIGRATIONS)
        repair_set_values(db, clock, self.get)

    # -- writing -----------------------------------------------------------

    def add(
        self,
        lst: ResourceList,
        *,
        editor: str,
        note: str,
        origin: bytes | None = None,
        sets: Sequence[str] = (),
    ) -> VersionInfo:
        """Archive a new list as version 1. Raises DuplicateList if the identifier exists."""
        with transaction(self.db):  # check and write together: two adds never both land
            if self._row(lst.identifier) is not None:
                raise DuplicateList(f"list {lst.identifier!r} already exists")
            return self.save(lst, editor=editor, note=note, origin=origin, sets=sets)

    def save(
        self,
        lst: ResourceList,
        *,
        editor: str,
        note: str,
        origin: bytes | None = None,
        sets: Sequence[str] = (),
        written: tuple[ResourceList, bytes] | None = None,
        repeat: bool = False,
    ) -> VersionInfo:
        """Archive ``lst`` as the next version of its list (version 1 if new).

        Content identical to the latest live version makes no new version and
        returns the latest, unless ``repeat`` (a copied history whose next version
        has its latest's content: what a restore made there). Saving a deleted list
        reactivates it. A version saved with no ``origin`` of a list harvested from
        elsewhere keeps the provenance of the version before, marked
        ``altered="true"`` (it was changed here). ``sets`` adds memberships (e.g.
        ``source:NAME``) to those derived from the content. ``written``: what
        ``clean_and_write(replace(lst, history=()))`` gave, when the caller has it
        already (a replicated history compares it first).
        """
        check_identifier(lst.identifier)
        check_item_ids(lst)
        clean, document = written or rli_xml.clean_and_write(replace(lst, history=()))
        if clean.identifier != lst.identifier:  # (a checked identifier is clean already)
            raise ValueError(f"written is another list's: {clean.identifier!r}")
        digest = hashlib.sha256(document).hexdigest()
        with transaction(self.db):
            row = self._row(clean.identifier)
            if row is not None and not row["deleted"] and not repeat:
                latest = self._version_row(clean.identifier, row["version"])
                if latest["sha256"] == digest:
                    return _version_info(latest)
            if origin is None and row is not None:
                origin = altered(self._version_row(clean.identifier, row["version"])["origin"])
            version = 1 if row is None else row["version"] + 1
            seq, stamp = self._next_change(clean.identifier, "version")
            values = (clean.title, clean.owner, version, count_resources(clean), seq, stamp)
            paging.count_moves(self.db.conn, [(None if row is None else row["seq"], seq)])
            if row is None:
                self.db.conn.execute(
                    "INSERT INTO lists (title, owner, version, items, seq, datestamp, id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*values, clean.identifier),
                )
            else:
                self.db.conn.execute(
                    "UPDATE lists SET title = ?, owner = ?, version = ?, items = ?, seq = ?,"
                    " datestamp = ?, deleted = 0 WHERE id = ?",
                    (*values, clean.identifier),
                )
                self.db.conn.execute(
                    "UPDATE tombstones SET restored_at = ? WHERE list_id = ?"
                    " AND restored_at IS NULL",
                    (stamp, clean.identifier),
                )
            self.db.conn.execute(
                "INSERT INTO list_versions (list_id, version, document, sha256, archived_at,"
                " editor, note, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (clean.identifier, version, pack(document), digest, stamp, editor, note, origin),
            )
            kept = kept_sets(self.db.conn, clean.identifier) if row is not None else ()
            set_membership(self.db.conn, clean, seq, (*kept, *sets))
            index_list(self.db.conn, clean, stamp)
            origins.index_origins(self.db.conn, clean.identifier, origins.origin_rows(clean))
            renderings.save(self.db.conn, [(clean.identifier, version, clean)])
            return VersionInfo(version, stamp, digest, editor, note)

    def restore(self, list_id: str, *, editor: str, note: str) -> VersionInfo:
        """Bring a deleted list back as a new version of its last content.

        The tombstone stays, marked restored. Raises ListNotFound, or
        ArchiveError if the list is not deleted.
        """
        before = self._require(list_id)
        if not before["deleted"]:
            raise ArchiveError(f"list {list_id!r} is not deleted")
        last = rli_xml.read_list(self.document(list_id), source=list_id)  # outside the lock
        with transaction(self.db):
            row = self._require(list_id)  # again, now that no other writer can come between
            if not row["deleted"]:
                raise ArchiveError(f"list {list_id!r} is not deleted")
            if row["version"] != before["version"]:  # saved and deleted again meanwhile
                last = rli_xml.read_list(self.document(list_id), source=list_id)
            seq, stamp = self._next_change(list_id, "restore")
            paging.count_moves(self.db.conn, [(row["seq"], seq)])
            self.db.conn.execute(
                "INSERT INTO list_versions (list_id, version, document, sha256, archived_at,"
                " editor, note, origin) SELECT list_id, ?, document, sha256, ?, ?, ?, origin"
                " FROM list_versions WHERE list_id = ? AND version = ?",
                (row["version"] + 1, stamp, editor, note, list_id, row["version"]),
            )
            self.db.conn.execute(
                "UPDATE lists SET version = ?, deleted = 0, seq = ?, datestamp = ? WHERE id = ?",
                (row["version"] + 1, seq, stamp, list_id),
            )
            self.db.conn.execute(
                "UPDATE tombstones SET restored_at = ? WHERE list_id = ? AND restored_at IS NULL",
                (stamp, list_id),
            )
            self.db.conn.execute("UPDATE set_members SET seq = ? WHERE list_id = ?", (seq, list_id))
            index_list(self.db.conn, last, stamp)
            renderings.save(self.db.conn, [(list_id, row["version"] + 1, last)])
        return self.history(list_id)[-1]

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        """Tombstone a list: its versions stay, its OAI record becomes deleted.

        Raises ListNotFound, or ListDeleted if it is deleted already.
        """
        with transaction(self.db):
            row = self._require(list_id)
            if row["deleted"]:
                raise ListDeleted(f"list {list_id!r} is already deleted")
            seq, stamp = self._next_change(list_id, "delete")
            paging.count_moves(self.db.conn, [(row["seq"], seq)])
            self.db.conn.execute(
                "UPDATE lists SET deleted = 1, seq = ?, datestamp = ? WHERE id = ?",
                (seq, stamp, list_id),
            )
            self.db.conn.execute("UPDATE set_members SET seq = ? WHERE list_id = ?", (seq, list_id))
            self.db.conn.execute(
                "INSERT INTO tombstones (seq, list_id, deleted_at, editor, note, last_version)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (seq, list_id, stamp, editor, note, row["version"]),
            )
            drop_list(self.db.conn, list_id)

    # -- reading -----------------------------------------------------------

    def exists(self, list_id: str) -> bool:
        return self._row(list_id) is not None

    def document(self, list_id: str, version: int | None = None) -> bytes:
        """The archived RLI XML of a version (latest if None), byte for byte as archived."""
        row = self._require(list_id)
        number = row["version"] if version is None else version
        return unpack(self._version_row(list_id, number)["document"])

    def get(
        self, list_id: str, version: int | None = None, *, with_history: bool = False
    ) -> ResourceList:
        """A version of a list as a value; ``with_history`` fills ``history``.

        Archived documents are the binding's own canonical output (imports are
        schema-checked on the way in), so they are read without a schema check,
        still through the safe parser.
        """
        root = parse_untrusted(self.document(list_id, version), source=list_id)
        lst = rli_xml.element_to_list(root, source=list_id)
        if with_history:
            lst = replace(lst, history=tuple(self.history(list_id)))
        return lst

    def history(self, list_id: str) -> list[VersionInfo]:
        """Every version of a list, oldest first."""
        self._require(list_id)
        rows = self.db.conn.execute(
            "SELECT version, archived_at, sha256, editor, note FROM list_versions"
            " WHERE list_id = ? ORDER BY version",
            (list_id,),
        ).fetchall()
        return [VersionInfo(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def origin(self, list_id: str, version: int | None = None) -> bytes | None:
        """The OAI provenance originDescription stored with a harvested version, if any."""
        row = self._require(list_id)
        value = self._version_row(list_id, row["version"] if version is None else version)["origin"]
        return bytes(value) if value is not None else None

    def tombstone(self, list_id: str) -> dict[str, Any] | None:
        """When, by whom and why a deleted list was deleted; None if it is live."""
        cur = self.db.conn.execute(
            "SELECT deleted_at, editor, note, last_version FROM tombstones"
            " WHERE list_id = ? AND restored_at IS NULL",
            (list_id,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        return {"deleted_at": row[0], "editor": row[1], "note": row[2], "last_version": row[3]}

    def restored_by(self, list_id: str, info: VersionInfo) -> str | None:
        """When the deletion was made that version ``info`` of ``list_id`` ended, if it
        brought the list back; else None.

        A deleted list gets no version but the one that restores it, so that is the
        version after its tombstone's last (a date would not do: a copied history keeps
        upstream's dates)."""
        row = self.db.conn.execute(
            "SELECT deleted_at FROM tombstones WHERE list_id = ? AND last_version = ?"
            " AND restored_at IS NOT NULL LIMIT 1",
            (list_id, info.version - 1),
        ).fetchone()
        return None if row is None else str(row[0])

    def summaries(self, *, include_deleted: bool = True) -> Iterator[ListSummary]:
        """Every list, in identifier order, streamed."""
        sql = "SELECT id, title, owner, version, items, deleted, datestamp FROM lists"
        if not include_deleted:
            sql += " WHERE deleted = 0"
        for r in self.db.conn.execute(sql + " ORDER BY id"):
            yield ListSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])

    def state(self, list_id: str) -> ListState:
        """The OAI header facts of one list. Raises ListNotFound."""
        found = self.states([list_id]).get(list_id)
        if found is None:
            raise ListNotFound(f"no list {list_id!r}")
        return found

    def states(self, list_ids: Sequence[str]) -> dict[str, ListState]:
        """The OAI header facts of the lists in ``list_ids`` that exist, by id (one query;
        none for no ids)."""
        if not list_ids:
            return {}
        marks = ",".join("?" * len(list_ids))
        rows = self.db.conn.execute(
            f"SELECT {_STATE_COLUMNS} FROM lists l WHERE l.id IN ({marks})", tuple(list_ids))
        return {str(row[0]): _state(row) for row in rows}

    def changes(
        self,
        *,
        after: int = 0,
        limit: int,
        set_spec: str | None = None,
        from_: str | None = None,
        until: str | None = None,
    ) -> list[ListState]:
        """Lists whose latest change has ``seq > after``, in change order (keyset paging:
        :mod:`repository.archive.paging`).

        ``from_`` / ``until`` are inclusive UTC datestamps at seconds granularity.
        """
        sql, args = paging.change_query(self.db.conn, _STATE_COLUMNS, after, set_spec, from_,
                                        until)
        rows = self.db.conn.execute(f"{sql} LIMIT ?", (*args, limit)).fetchall()
        return [_state(row) for row in rows]

    def count_changes(
        self,
        *,
        set_spec: str | None = None,
        from_: str | None = None,
        until: str | None = None,
    ) -> int:
        """How many lists :meth:`changes` would yield in all, from the start (a whole set:
        its kept member count; else :func:`paging.count`, its statements read in one
        snapshot)."""
        if set_spec is not None and from_ is None and until is None:
            row = self.db.conn.execute("SELECT members FROM sets WHERE spec = ?",
                                       (set_spec,)).fetchone()
            return int(row[0]) if row else 0
        with snapshot(self.db):
            return paging.count(self.db.conn, set_spec, from_, until)

    def sets(self) -> list[tuple[str, str]]:
        """Every set (spec, name) in spec order, for ListSets."""
        return [
            (r[0], r[1])
            for r in self.db.conn.execute("SELECT spec, name FROM sets ORDER BY spec")
        ]

    def earliest_datestamp(self) -> str | None:
        """The oldest datestamp of any record, deleted ones included."""
        row = self.db.conn.execute("SELECT min(datestamp) FROM lists").fetchone()
        return row[0] if row and row[0] else None

    # -- internals ---------------------------------------------------------

    def _row(self, list_id: str) -> dict[str, Any] | None:
        cur = self.db.conn.execute(
            "SELECT id, title, owner, version, items, deleted, seq, datestamp"
            " FROM lists WHERE id = ?",
            (list_id,),
        )
        found = cur.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cur.description], found))

    def _require(self, list_id: str) -> dict[str, Any]:
        row = self._row(list_id)
        if row is None:
            raise ListNotFound(f"no list {list_id!r}")
        return row

    def _version_row(self, list_id: str, version: object) -> dict[str, Any]:
        cur = self.db.conn.execute(
            "SELECT version, archived_at, sha256, editor, note, document, origin"
            " FROM list_versions WHERE list_id = ? AND version = ?",
            (list_id, version),
        )
        found = cur.fetchone()
        if found is None:
            raise VersionNotFound(f"list {list_id!r} has no version {version}")
        return dict(zip([d[0] for d in cur.description], found))

    def _next_change(self, list_id: str, kind: str) -> tuple[int, str]:
        return dating.next_change(self.db, self.clock, list_id, kind)


def _version_info(row: dict[str, Any]) -> VersionInfo:
    return VersionInfo(
        int(row["version"]),
        str(row["archived_at"]),
        str(row["sha256"]),
        str(row["editor"]),
        str(row["note"]),
    )
