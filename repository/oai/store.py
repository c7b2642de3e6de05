"""What the OAI provider reads from and keeps in the database beyond the Archive API.

- ``provider_settings``: the resumption token secret, generated once and
  shared by every worker on the same database (``RLI_TOKEN_SECRET`` overrides).
- Harvest-consistent paging (:func:`records_page`): keyset on the change
  sequence (never OFFSET), bounded by the sequence at harvest start, with
  lists changed since then delivered at their start position in their latest
  state (the guarantee is spelled out in :mod:`repository.oai.provider`).
- Keyset paging over sets (:func:`sets_page`).
- Stored renderings (``provider_records``): one record per (list, prefix), kept
  as its deflate segment with CRC-32 and length only
  (:mod:`repository.oai.compression`), valid for one change seq and one
  renderer stamp (see :mod:`repository.oai.records`).
- History and provenance of a page of lists in one query (:func:`versions_of`).
- Format payloads saved for lists rendered from their documents
  (:func:`keep_payloads`), for archives written before the archive saved them.

All queries are plain SQL over the archive's tables plus one index this
component adds (``changes (list_id, seq)``), portable to PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

import sqlite_utils

from crosswalks.rli import ResourceList, VersionInfo
from harvester.shared.db import migrate, snapshot, transaction
from repository.archive import Archive, ListState, paging, renderings
from repository.oai.compression import Rendered, whole_segment

MIGRATIONS: list[str] = [
    """
    CREATE TABLE provider_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE INDEX changes_list_seq ON changes (list_id, seq)
    """,
    """
    CREATE TABLE provider_records (
        list_id TEXT NOT NULL,
        prefix TEXT NOT NULL,
        seq INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        record BLOB NOT NULL,
        PRIMARY KEY (list_id, prefix)
    )
    """,
    """
    ALTER TABLE provider_records ADD COLUMN deflated BLOB
    """,
    # One compact form per record (issue 15): the deflate segment, with the CRC-32 and
    # length of the plain bytes (a gzip response needs only these; an uncompressed one
    # inflates the segment).
    """
    DROP TABLE provider_records;
    CREATE TABLE provider_records (
        list_id TEXT NOT NULL,
        prefix TEXT NOT NULL,
        seq INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        deflated BLOB NOT NULL,
        crc INTEGER NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (list_id, prefix)
    )
    """,
    # 5: the index changes (at), made here by one release and the archive's own (its step
    # 6) since; kept so that a file that release migrated is not taken for a newer one's.
    """
    CREATE INDEX IF NOT EXISTS changes_at ON changes (at)
    """,
]

SECRET_ENV = "RLI_TOKEN_SECRET"

# SQLite's primary result codes for a cause that passes: busy or locked (another
# process's lock), out of memory, an I/O error, a full disk or temporary space, a file
# that cannot be opened now (no descriptors left), a race on the WAL index.
_TRANSIENT = frozenset({5, 6, 7, 10, 13, 14, 15})


def prepare(archive: Archive) -> None:
    """Apply the provider's migrations (after the archive's, which ``Archive()`` ran)."""
    migrate(archive.db, "provider", MIGRATIONS)


def token_secret(db: sqlite_utils.Database, environ: Mapping[str, str] = os.environ) -> bytes:
    """The token secret: ``RLI_TOKEN_SECRET`` if set, else the stored one (made on first use)."""
    configured = environ.get(SECRET_ENV, "")
    if configured:
        return configured.encode("utf-8")
    conn = db.conn
    stored = "SELECT value FROM provider_settings WHERE name = 'token_secret'"
    row = conn.execute(stored).fetchone()
    if row is None:  # only then a write: a worker starting while another process holds
        # the write lock (a long import) would wait for it, then fail to boot
        conn.execute(
            "INSERT OR IGNORE INTO provider_settings (name, value) VALUES ('token_secret', ?)",
            (secrets.token_hex(32),),
        )
        row = conn.execute(stored).fetchone()
    return str(row[0]).encode("ascii")


def transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) is SQLite saying it cannot answer
    now, not that the request or the data is wrong: worth trying again later."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error):
            code = getattr(seen, "sqlite_errorcode", None)
            if isinstance(code, int) and (code & 0xFF) in _TRANSIENT:
                return True
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return False


def last_change(archive: Archive) -> int:
    """The highest change sequence number so far (0 for an empty archive)."""
    row = archive.db.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
    return int(row[0])


@dataclass(frozen=True)
class Window:
    """One page of a harvest begun at change ``upto``: the next ``limit`` records after
    the keyset position ``after``, in the set and datestamp window asked for."""

    after: int
    upto: int
    limit: int
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None

    def filters(self) -> tuple[str | None, str | None, str | None]:
        return self.set_spec, self.from_, self.until


def records_page(archive: Archive, at: Window) -> tuple[list[tuple[int, ListState]], bool]:
    """The records of the page ``at``, and whether more follow.

    Each record comes with its keyset position: its change sequence as of
    harvest start. Lists unchanged since then come from ``Archive.changes``;
    lists changed since (edited, deleted, moved between sets) are looked up by
    the change they had at harvest start and served as they are now. Lists
    created after harvest start are left to the next incremental harvest.
    """
    set_spec, from_, until = at.filters()
    with snapshot(archive.db):  # a list edited between the two reads would be in both
        current = [
            (state.seq, state)
            for state in archive.changes(after=at.after, limit=at.limit + 1, set_spec=set_spec,
                                         from_=from_, until=until)
            if state.seq <= at.upto
        ]
        moved = _moved(archive, at, current[-1][0] if len(current) > at.limit else at.upto)
    merged = sorted(current + moved, key=lambda pair: pair[0])
    return merged[:at.limit], len(merged) > at.limit


class PageEntry(NamedTuple):
    """One record of a ListRecords page: its keyset position, its list, and either its
    stored rendering (current for the list's change seq and the renderer stamp) or the
    list's state to render it from, as the page's snapshot saw it."""

    position: int
    list_id: str
    stored: Rendered | None
    state: ListState | None = None


def record_page(
    archive: Archive, at: Window, *, prefix: str, stamp: str
) -> tuple[list[PageEntry], bool]:
    """:func:`records_page` for ListRecords: the same records in the same order, each
    with its stored rendering in ``prefix`` where one is current, read in the same
    query. A warm page reads no set memberships (its records hold their headers)."""
    # the page first (its LIMIT inside), then its stored records; sorted here, not by
    # SQLite, which would copy every stored record into its sorter
    with snapshot(archive.db):  # as records_page (a window's seq range read in it too)
        page, args = paging.change_query(archive.db.conn, "l.id, l.seq, l.deleted", at.after,
                                         *at.filters())
        rows = sorted(archive.db.conn.execute(
            f"SELECT x.*, p.seq, p.deflated, p.crc, p.size FROM ({page} LIMIT ?) x"
            " LEFT JOIN provider_records p ON p.list_id = x.id AND p.prefix = ? AND p.stamp = ?",
            (*args, at.limit + 1, prefix, stamp)), key=itemgetter(1))
        full = len(rows) > at.limit and rows[at.limit][1] <= at.upto  # limit + 1 unchanged
        moved_states = _moved(archive, at, rows[at.limit][1] if full else at.upto)
        upto = at.upto
        current = [  # rows as SQLite gives them: a TEXT column reads as str, a BLOB as bytes
            PageEntry(seq, list_id, Rendered(deflated, crc, size)
                      if stored_seq == seq and not deleted and whole_segment(deflated) else None)
            for list_id, seq, deleted, stored_seq, deflated, crc, size in rows
            if seq <= upto
        ]
        # the states of the records to render, as the page saw them: read after the
        # snapshot, a list moved out of the set meanwhile came without its setSpec
        states = archive.states([entry.list_id for entry in current if entry.stored is None])
        current = [entry if entry.stored is not None else entry._replace(
            state=states[entry.list_id]) for entry in current]
    moved = [PageEntry(position, state.list_id, None, state) for position, state in moved_states]
    merged = sorted(current + moved, key=lambda entry: entry.position) if moved else current
    return merged[:at.limit], len(merged) > at.limit


# A page places the lists changed since its harvest began at the position each had then:
# by looking each up while they number at most this many times the changes over the
# page's own range, else by reading those changes. A list looked up costs SQLite about
# three times what a change read does (86 and 24 instructions).
LOOKUPS_PER_CHANGE = 0.3


def _moved(archive: Archive, at: Window, end: int) -> list[tuple[int, ListState]]:
    """Up to ``at.limit`` + 1 lists of the window changed since harvest start, each with
    the position of the change it had then, up to position ``end`` (where the page's
    unchanged lists stop: nothing beyond can be on it).

    Few lists changed since harvest start (or in its set) are each looked up. Many (a
    harvest while an import runs) would cost every page what was written since the
    harvest began, so the changes in the page's range (and in the from/until window)
    are read instead, each kept if it was its list's latest at harvest start and the
    list changed since."""
    conn = archive.db.conn
    set_spec, from_, until = at.filters()
    args: list[object] = [at.upto]
    if set_spec is None:
        changed_since = "SELECT id FROM lists WHERE seq > ?"
    else:  # set_members.seq repeats lists.seq: the set's own changed, from its index
        changed_since = "SELECT list_id AS id FROM set_members WHERE spec = ? AND seq > ?"
        args.insert(0, set_spec)
    if (from_ is not None or until is not None) and conn.execute(
            f"SELECT NOT EXISTS ({changed_since})", args).fetchone()[0]:
        return []  # nothing changed since the start (the usual case): no window ends sought
    first, last = paging.change_range(conn, from_, until)
    low = at.after if first is None else max(at.after, first - 1)
    high = end if last is None else min(end, last)
    if high <= low:
        return []
    budget = int(LOOKUPS_PER_CHANGE * (high - low))
    changed = conn.execute(f"SELECT count(*) FROM ({changed_since} LIMIT ?)",
                           (*args, budget + 1)).fetchone()[0]
    if changed == 0:
        return []
    if changed <= budget:
        # each list's change at harvest start found once, then joined by its seq
        sql = (
            "SELECT c.list_id, c.seq FROM (SELECT (SELECT max(x.seq) FROM changes x"
            f" WHERE x.list_id = s.id AND x.seq <= ?) AS start FROM ({changed_since}) s) t"
            " JOIN changes c ON c.seq = t.start WHERE c.seq > ? AND c.seq <= ?")
        args = [at.upto, *args, low, high]
    else:
        sql = (
            "SELECT c.list_id, c.seq FROM changes c WHERE c.seq > ? AND c.seq <= ?"
            " AND (SELECT l.seq FROM lists l WHERE l.id = c.list_id) > ?"
            " AND NOT EXISTS (SELECT 1 FROM changes n WHERE n.list_id = c.list_id"
            " AND n.seq > c.seq AND n.seq <= ?)")
        args = [low, high, at.upto, at.upto]
        if set_spec is not None:
            sql += (" AND EXISTS (SELECT 1 FROM set_members m WHERE m.list_id = c.list_id"
                    " AND m.spec = ?)")
            args.append(set_spec)
    for bound, value in ((">=", from_), ("<=", until)):
        if value is not None:
            sql += f" AND c.at {bound} ?"
            args.append(value)
    rows = conn.execute(sql + " ORDER BY c.seq LIMIT ?", (*args, at.limit + 1)).fetchall()
    states = archive.states([str(list_id) for list_id, _ in rows])
    return [(int(start), states[str(list_id)]) for list_id, start in rows]


def changes_before(archive: Archive, before: int | None, limit: int) -> list[ListState]:
    """Up to ``limit`` lists whose latest change is below ``before`` (any if None), newest
    first (keyset on ``lists.seq``, never OFFSET)."""
    bound, args = ("WHERE seq < ?", (before, limit)) if before is not None else ("", (limit,))
    rows = archive.db.conn.execute(
        f"SELECT id FROM lists {bound} ORDER BY seq DESC LIMIT ?", args).fetchall()
    return [archive.state(str(r[0])) for r in rows]


def sets_page(archive: Archive, *, after: str, limit: int) -> tuple[list[tuple[str, str]], bool]:
    """The next ``limit`` sets (spec, name) after setSpec ``after``, and whether more follow."""
    rows = archive.db.conn.execute(
        "SELECT spec, name FROM sets WHERE spec > ? ORDER BY spec LIMIT ?", (after, limit + 1)
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows[:limit]], len(rows) > limit


def set_at_or_before(archive: Archive, spec: str) -> list[tuple[str, str]]:
    """The set (spec, name) with the greatest spec not after ``spec``, if any (none or one)."""
    rows = archive.db.conn.execute(
        "SELECT spec, name FROM sets WHERE spec <= ? ORDER BY spec DESC LIMIT 1", (spec,)
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def count_sets(archive: Archive) -> int:
    """How many sets the repository has."""
    return int(archive.db.conn.execute("SELECT count(*) FROM sets").fetchone()[0])


def versions_of(
    archive: Archive, states: Sequence[ListState]
) -> dict[str, tuple[list[VersionInfo], bytes | None]]:
    """For each list of ``states``: its versions up to the state's, oldest first (as
    ``Archive.history``), and the provenance stored with the state's version (as
    ``Archive.origin``), in one query. (Versions saved since the state was read are not
    the record's: its header and metadata are the state's version.)"""
    if not states:
        return {}
    wanted = {s.list_id: s.version for s in states}
    out: dict[str, tuple[list[VersionInfo], bytes | None]] = {lid: ([], None) for lid in wanted}
    marks = ",".join("?" * len(wanted))
    rows = archive.db.conn.execute(
        "SELECT list_id, version, archived_at, sha256, editor, note, origin FROM list_versions"
        f" WHERE list_id IN ({marks}) ORDER BY list_id, version", tuple(wanted)).fetchall()
    for lid, version, at, sha, editor, note, origin in rows:
        if version > wanted[lid]:
            continue
        history, found = out[lid]
        history.append(VersionInfo(version, at, sha, editor, note))
        if version == wanted[lid] and origin is not None:
            out[lid] = (history, bytes(origin))
    return out


def stored_records(
    archive: Archive, prefix: str, stamp: str, wanted: Sequence[tuple[str, int]]
) -> dict[str, Rendered]:
    """Stored renderings for ``wanted`` (list id, seq) pairs that match seq and stamp
    (one cut short is left out, so it is rendered again; they are not inflated here)."""
    if not wanted:
        return {}
    seqs = dict(wanted)
    marks = ",".join("?" * len(seqs))
    rows = archive.db.conn.execute(
        f"SELECT list_id, seq, deflated, crc, size FROM provider_records WHERE prefix = ?"
        f" AND stamp = ? AND list_id IN ({marks})",
        (prefix, stamp, *seqs),
    ).fetchall()
    return {
        str(list_id): Rendered(bytes(deflated), crc, size)
        for list_id, seq, deflated, crc, size in rows
        if seqs.get(str(list_id)) == seq and whole_segment(deflated)
    }


def keep_payloads(archive: Archive, versions: Sequence[tuple[str, int, ResourceList]]) -> bool:
    """Save the format payloads of (list id, version, list read from its document) as an
    archive write does (:mod:`repository.archive.renderings`); False if the database
    would not take them now (best effort, like :func:`store_records`)."""
    try:
        with transaction(archive.db):
            renderings.save(archive.db.conn, versions)
    except sqlite3.OperationalError:
        return False
    return True


def store_records(
    archive: Archive, prefix: str, stamp: str, rows: Sequence[tuple[str, int, Rendered]]
) -> bool:
    """Keep renderings (list id, seq, record); False if the database would not take them now."""
    try:
        with transaction(archive.db):
            archive.db.conn.executemany(
                "INSERT OR REPLACE INTO provider_records"
                " (list_id, prefix, seq, stamp, deflated, crc, size) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(lid, prefix, seq, stamp, rec.deflated, rec.crc, rec.size)
                 for lid, seq, rec in rows],
            )
    except sqlite3.OperationalError:  # locked or read-only: stay correct, just slower
        return False
    return True
