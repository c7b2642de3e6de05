"""An FTS5 index over a table of documents (external content), as both search indexes keep it.

The documents table holds one row per indexed thing (with an INTEGER
PRIMARY KEY ``id`` and a text column for each indexed column); the FTS5
table indexes those columns with ``rowid = id``. External content means FTS5
keeps no copy of the text, so a row is taken out with the values it was
indexed with: :meth:`FtsTables.remove` reads them from the documents table
first. All methods run in the caller's transaction except :meth:`ensure`.

A migration creates the tables and names its component in ``search_stale``;
:meth:`ensure` then builds the index once (for an archive that had data
before the index existed), in one transaction, however many processes open
the archive at the same time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
        marks = ", ".join("?" * (len(self.columns) + 1))
        conn.execute(
            f"INSERT INTO {self.fts} (rowid, {', '.join(self.columns)}) VALUES ({marks})",
            (rowid, *values),
        )

    def remove(self, conn: sqlite3.Connection, where: str, args: Sequence[object]) -> None:
        """Take the document matching ``where`` (SQL on ``docs``) out of both tables, if any."""
        row = conn.execute(
            f"SELECT id, {', '.join(self.columns)} FROM {self.docs} WHERE {where}", args
        ).fetchone()
        if row is None:
            return
        marks = ", ".join("?" * (len(self.columns) + 1))
        conn.execute(
            f"INSERT INTO {self.fts} ({self.fts}, rowid, {', '.join(self.columns)})"
            f" VALUES ('delete', {marks})",
            row,
        )
        conn.execute(f"DELETE FROM {self.docs} WHERE id = ?", (row[0],))

    def clear(self, conn: sqlite3.Connection) -> None:
        """Empty both tables."""
        conn.execute(f"DELETE FROM {self.docs}")
        conn.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('delete-all')")

    def rebuild(self, conn: sqlite3.Connection) -> int:
        """Re-create the FTS index from ``docs``; how many documents it holds."""
        conn.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('rebuild')")
        return int(conn.execute(f"SELECT count(*) FROM {self.docs}").fetchone()[0])

    def ensure(
        self,
        db: sqlite_utils.Database,
        component: str,
        migrations: list[str],
        build: Callable[[sqlite_utils.Database], None],
    ) -> None:
        """Apply ``migrations``; if they left ``component`` stale, ``build`` the index once."""
        migrate(db, component, migrations)
        stale = "SELECT 1 FROM search_stale WHERE component = ?"
        if db.conn.execute(stale, (component,)).fetchone() is None:
            return
        with transaction(db):
            if db.conn.execute(stale, (component,)).fetchone() is not None:
                build(db)
                db.conn.execute("DELETE FROM search_stale WHERE component = ?", (component,))


def stale_marker(component: str) -> str:
    """Migration SQL naming ``component`` as an index to build when next opened."""
    return (
        "CREATE TABLE IF NOT EXISTS search_stale (component TEXT PRIMARY KEY);"
        f" INSERT INTO search_stale (component) VALUES ('{component}')"
    )
