"""Pending changes (UC8): what upstream would change in a list, kept until someone decides.

Three kinds, each tied to one list and the harvest source it came from:

==================  ==========================================================
kind                made when
==================  ==========================================================
item-updated        a harvest brings a changed record that the list cites
item-withdrawn      a harvest brings the deletion of a record the list cites
upstream-version    a harvest brings a new version of a harvested list that
                    was edited here since the version the harvest last brought
==================  ==========================================================

A change is ``pending`` until accepted or rejected; a newer upstream state for
the same thing supersedes a pending one. ``upstream_key`` names the upstream
state (a sha256); a state once rejected is never proposed again. Pending
changes are the archive's business only: the OAI provider never serves them.

Also here: the upstream base of each harvested list (the upstream state this
archive last took into account) and the sources whose lists simply follow
upstream (``--mirror``).

Exception tree (all ArchiveError)::

    ChangeNotFound      no pending change with that id on that list
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from repository.archive.store import ArchiveError

KINDS = ("item-updated", "item-withdrawn", "upstream-version")


class ChangeNotFound(ArchiveError, LookupError):
    pass


@dataclass(frozen=True)
class PendingChange:
    """One proposed change to a list, as ``rli changes`` shows it."""

    id: int
    list: str
    kind: str
    source: str
    summary: str
    created: str
    status: str
    identifier: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """What a new pending change holds besides its list, kind and source."""

    identifier: str
    upstream_key: str
    summary: str
    details: tuple[str, ...]
    base: bytes | None = None
    upstream: bytes | None = None
    origin: bytes | None = None


def propose(
    conn: sqlite3.Connection, list_id: str, kind: str, source: str, proposal: Proposal, at: str
) -> int | None:
    """Add a pending change unless the same upstream state is pending or was rejected.

    A pending change for another state of the same upstream thing (a record's
    update or withdrawal, a list's upstream version) is superseded, even when
    nothing new is proposed: upstream no longer offers it. Returns the new
    change's id, or None when nothing new was proposed.
    """
    supersede(conn, list_id, source, proposal.identifier, at,
              keep=(kind, proposal.upstream_key))
    seen = conn.execute(
        "SELECT 1 FROM pending_changes WHERE list_id = ? AND kind = ? AND source = ?"
        " AND identifier = ? AND upstream_key = ? AND status IN ('pending', 'rejected')",
        (list_id, kind, source, proposal.identifier, proposal.upstream_key),
    ).fetchone()
    if seen is not None:
        return None
    cur = conn.execute(
        "INSERT INTO pending_changes (list_id, kind, source, identifier, upstream_key, summary,"
        " details, base, upstream, origin, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (list_id, kind, source, proposal.identifier, proposal.upstream_key, proposal.summary,
         json.dumps(list(proposal.details)), proposal.base, proposal.upstream, proposal.origin,
         at),
    )
    return int(cur.lastrowid or 0)


def supersede(
    conn: sqlite3.Connection, list_id: str, source: str, identifier: str, at: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Mark superseded what is pending on ``list_id`` for one upstream thing (``identifier``
    of ``source``; "" for the list itself), but the change of (kind, upstream key) ``keep``:
    upstream has moved on from it (or back to what the list has)."""
    kind, key = keep if keep is not None else ("", "")
    conn.execute(
        "UPDATE pending_changes SET status = 'superseded', decided_at = ? WHERE list_id = ?"
        " AND source = ? AND identifier = ? AND status = 'pending'"
        " AND NOT (kind = ? AND upstream_key = ?)",
        (at, list_id, source, identifier, kind, key),
    )


_COLUMNS = "id, list_id, kind, source, summary, created, status, identifier, details"


def pending(conn: sqlite3.Connection, list_id: str | None = None) -> Iterator[PendingChange]:
    """Pending changes of one list or all, oldest first, streamed."""
    cur = conn.execute(
        f"SELECT {_COLUMNS} FROM pending_changes WHERE status = 'pending'"
        " AND (? IS NULL OR list_id = ?) ORDER BY id",
        (list_id, list_id),
    )
    for row in cur:
        yield _change(row)


def last_change_id(conn: sqlite3.Connection) -> int:
    """The id of the newest change ever proposed (0 if none)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM pending_changes").fetchone()[0])


def new_since(conn: sqlite3.Connection, after: int, sources: Sequence[str]) -> dict[str, int]:
    """Source -> how many changes proposed after id ``after`` are still pending."""
    found: dict[str, int] = {}
    for source in sources:
        row = conn.execute(
            "SELECT count(*) FROM pending_changes WHERE id > ? AND source = ?"
            " AND status = 'pending'", (after, source),
        ).fetchone()
        if row[0]:
            found[source] = int(row[0])
    return found


def pending_count(conn: sqlite3.Connection, list_id: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pending_changes WHERE list_id = ? AND status = 'pending'",
        (list_id,),
    ).fetchone()
    return int(row[0])


def pending_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Lists with pending changes -> how many (one grouped query)."""
    return {
        r[0]: int(r[1])
        for r in conn.execute(
            "SELECT list_id, count(*) FROM pending_changes WHERE status = 'pending'"
            " GROUP BY list_id"
        )
    }


@dataclass(frozen=True)
class StoredChange:
    """A pending change with what accepting it needs."""

    change: PendingChange
    base: bytes | None
    upstream: bytes | None
    origin: bytes | None


def load(conn: sqlite3.Connection, list_id: str, change_id: int) -> StoredChange:
    """The pending change ``change_id`` of ``list_id``. Raises ChangeNotFound."""
    row = conn.execute(
        f"SELECT {_COLUMNS}, base, upstream, origin FROM pending_changes"
        " WHERE id = ? AND list_id = ?",
        (change_id, list_id),
    ).fetchone()
    if row is None:
        raise ChangeNotFound(f"list {list_id!r} has no change {change_id}")
    change = _change(row[:9])
    if change.status != "pending":
        raise ChangeNotFound(f"change {change_id} of {list_id!r} is {change.status}, not pending")
    return StoredChange(change, _blob(row[9]), _blob(row[10]), _blob(row[11]))


def decide(
    conn: sqlite3.Connection, change_id: int, status: str, *, at: str, by: str, note: str
) -> None:
    conn.execute(
        "UPDATE pending_changes SET status = ?, decided_at = ?, decided_by = ?,"
        " decision_note = ? WHERE id = ?",
        (status, at, by, note, change_id),
    )


def upstream_base(conn: sqlite3.Connection, list_id: str) -> tuple[bytes, str] | None:
    """The upstream document (and its sha256) this archive last took into account."""
    row = conn.execute(
        "SELECT document, sha256 FROM upstream_bases WHERE list_id = ?", (list_id,)
    ).fetchone()
    return None if row is None else (bytes(row[0]), str(row[1]))


def set_upstream_base(
    conn: sqlite3.Connection, list_id: str, source: str, document: bytes, sha256: str
) -> None:
    conn.execute(
        "INSERT INTO upstream_bases (list_id, source, document, sha256) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (list_id) DO UPDATE SET source = excluded.source,"
        " document = excluded.document, sha256 = excluded.sha256",
        (list_id, source, document, sha256),
    )


def is_mirror(conn: sqlite3.Connection, source: str) -> bool:
    return conn.execute("SELECT 1 FROM mirror_sources WHERE source = ?", (source,)).fetchone() \
        is not None


def set_mirror(conn: sqlite3.Connection, source: str, mirror: bool) -> None:
    """Make ``source``'s harvested lists follow upstream always (or not)."""
    if mirror:
        conn.execute("INSERT OR IGNORE INTO mirror_sources (source) VALUES (?)", (source,))
    else:
        conn.execute("DELETE FROM mirror_sources WHERE source = ?", (source,))


def _change(row: tuple[object, ...]) -> PendingChange:
    return PendingChange(
        int(row[0]),  # type: ignore[call-overload]
        str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]), str(row[6]),
        str(row[7]), tuple(json.loads(str(row[8]))),
    )


def _blob(value: object) -> bytes | None:
    return None if value is None else bytes(value)  # type: ignore[call-overload]
