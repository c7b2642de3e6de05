"""The FTS5 tables of both search indexes: adding, removing, clearing, building once.

Each index has a documents table (INTEGER PRIMARY KEY ``id``, what a hit
shows) and an FTS5 table ``fts`` over it with ``rowid = id``. Two kinds:

- external content (``content = docs``, the resource index): the documents
  table holds every indexed column, so a row is taken out with the values it
  was indexed with, read from there (:meth:`FtsTables.remove`), and FTS5's
  ``rebuild`` re-creates the index from it;
- contentless (``content = ''``, the list index, whose indexed text is long
  and already kept in the archive's version documents): FTS5 keeps no text and
  the documents table only what a hit shows, so whoever removes a row hands in
  the very values it was indexed with (:meth:`FtsTables.remove_values`; SQLite
  3.40 has no ``contentless_delete``).

All methods run in the caller's transaction except :meth:`ensure`.

A migration creates the tables and names its component in ``search_stale``;
:meth:`ensure` then builds the index once (for an archive that had data
before the index existed, or whose FTS table a migration re-created), in one
transaction, however many processes open the archive at the same time.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from harvester.shared.db import migrate, transaction


@dataclass(frozen=True)
class FtsTables:
    """An FTS5 table ``fts`` over the documents table ``docs``, indexing ``columns``."""

    fts: str
    docs: str
    columns: tuple[str, ...]

    def add(self, conn: sqlite3.Connection, rowid: int, values: Sequence[object]) -> None:
        """Index the document ``rowid`` (already in ``docs``) with its column ``values``."""
        conn.execute(self._insert_sql, (rowid, *values))

    def add_many(self, conn: sqlite3.Connection, rows: Sequence[Sequence[object]]) -> None:
        """Index several documents at once: each row is ``(rowid, *values)``."""
        conn.executemany(self._insert_sql, rows)

    def remove(self, conn: sqlite3.Connection, where: str, args: Sequence[object]) -> None:
        """Take the document matching ``where`` (SQL on ``docs``) out of both tables, if any.

        External content only: the indexed values are read from ``docs``.
        """
        row = conn.execute(
            f"SELECT id, {', '.join(self.columns)} FROM {self.docs} WHERE {where}", args
        ).fetchone()
        if row is None:
            return
        self.remove_values(conn, int(row[0]), row[1:])

    def remove_values(self, conn: sqlite3.Connection, rowid: int,
                      values: Sequence[object]) -> None:
        """Take document ``rowid``, indexed with ``values``, out of both tables."""
        marks = ", ".join("?" * (len(self.columns) + 1))
        conn.execute(
            f"INSERT INTO {self.fts} ({self.fts}, rowid, {', '.join(self.columns)})"
            f" VALUES ('delete', {marks})",
            (rowid, *values),
        )
        conn.execute(f"DELETE FROM {self.docs} WHERE id = ?", (rowid,))

    def clear(self, conn: sqlite3.Connection) -> None:
        """Empty both tables."""
        conn.execute(f"DELETE FROM {self.docs}")
        conn.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('delete-all')")

    def rebuild(self, conn: sqlite3.Connection) -> int:
        """Re-create the FTS index from ``docs`` (external content); how many it holds."""
        conn.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('rebuild')")
        return int(conn.execute(f"SELECT count(*) FROM {self.docs}").fetchone()[0])

    def ranked(
        self, conn: sqlite3.Connection, match: str, weights: Sequence[float], *,
        window: int, limit: int, fields: str, where: str = "", args: Sequence[object] = (),
    ) -> list[tuple[Any, ...]]:
        """The best ``limit`` rows by bm25 among the ``window`` most recent ``match``-es.

        Each row is ``fields`` (SQL over the documents table as ``d``) and the
        bm25 rank (lower is better). Only the best ``limit`` of the window are
        looked up in ``docs``; ``where`` (SQL on ``d``) then drops rows, so it
        may leave fewer than ``limit``: it is for checks that almost never fail.
        """
        bm25 = f"bm25({self.fts}, {', '.join(map(str, weights))})"
        sql = (
            f"SELECT {fields}, m.rank FROM (SELECT rowid, rank FROM"
            f" (SELECT rowid, {bm25} AS rank FROM {self.fts} WHERE {self.fts} MATCH ?"
            "   ORDER BY rowid DESC LIMIT ?)"
            " ORDER BY rank LIMIT ?) m"
            f" JOIN {self.docs} d ON d.id = m.rowid {where} ORDER BY m.rank"
        )
        return conn.execute(sql, (match, window, limit, *args)).fetchall()

    def ensure(
        self,
        db: sqlite_utils.Database,
        component: str,
        migrations: list[str],
        builds: Sequence[tuple[str, Callable[[sqlite_utils.Database], None]]],
    ) -> None:
        """Apply ``migrations``; build the index once for each stale marker they left.

        ``builds`` pairs each marker a migration may leave in ``search_stale``
        with what builds the index then, in order.
        """
        migrate(db, component, migrations)
        stale = "SELECT 1 FROM search_stale WHERE component = ?"
        for marker, build in builds:
            if db.conn.execute(stale, (marker,)).fetchone() is None:
                continue
            with transaction(db):
                if db.conn.execute(stale, (marker,)).fetchone() is not None:
                    build(db)
                    db.conn.execute("DELETE FROM search_stale WHERE component = ?", (marker,))

    @functools.cached_property
    def _insert_sql(self) -> str:
        marks = ", ".join("?" * (len(self.columns) + 1))
        return f"INSERT INTO {self.fts} (rowid, {', '.join(self.columns)}) VALUES ({marks})"


def stale_marker(component: str) -> str:
    """Migration SQL naming ``component`` as an index to build when next opened."""
    return (
        "CREATE TABLE IF NOT EXISTS search_stale (component TEXT PRIMARY KEY);"
        f" INSERT OR IGNORE INTO search_stale (component) VALUES ('{component}')"
    )


def values_digest(values: Sequence[object]) -> int:
    """A 63-bit digest of indexed ``values``: proof that re-derived values are the indexed ones."""
    h = hashlib.blake2b(digest_size=8)
    for value in values:
        h.update(str(value).encode("utf-8"))
        h.update(b"\x00")
    return int.from_bytes(h.digest(), "big") >> 1
