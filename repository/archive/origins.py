"""The tables of pending changes, and the item-origin index the archive keeps on every save.

The index says which live lists cite which harvested record (by the
``rlix:origin`` of their resources, latest version only), so a harvest that
brings a changed or deleted record finds the lists to flag without reading
them. Tables (migrated as component ``changes``): ``item_origins``,
``pending_changes``, ``upstream_bases``, ``propagation_marks``,
``mirror_sources``; see :mod:`repository.archive.changes`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from crosswalks.rli import ResourceList, iter_resources

MIGRATIONS: list[str] = [
    """
    CREATE TABLE item_origins (
        list_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        source TEXT NOT NULL,
        identifier TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (list_id, item_id)
    );
    CREATE INDEX item_origins_record ON item_origins (source, identifier);
    CREATE TABLE pending_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        list_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        identifier TEXT NOT NULL,
        upstream_key TEXT NOT NULL,
        summary TEXT NOT NULL,
        details TEXT NOT NULL,
        base BLOB,
        upstream BLOB,
        origin BLOB,
        created TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        decided_at TEXT,
        decided_by TEXT,
        decision_note TEXT
    );
    CREATE INDEX pending_changes_list ON pending_changes (list_id, status);
    CREATE TABLE upstream_bases (
        list_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        document BLOB NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE propagation_marks (
        source TEXT PRIMARY KEY,
        record_id INTEGER NOT NULL
    );
    CREATE TABLE mirror_sources (
        source TEXT PRIMARY KEY
    )
    """,
]


OriginRow = tuple[str, str, str, str]  # item id, source, OAI identifier, sha256


def origin_rows(lst: ResourceList) -> tuple[OriginRow, ...]:
    """The harvested records ``lst``'s items cite (their origins), as :func:`index_origins`
    keeps them."""
    return tuple((item.id, res.origin.source, res.origin.identifier, res.origin.sha256)
                 for item, res in iter_resources(lst.items) if res.origin is not None)


def index_origins(conn: sqlite3.Connection, list_id: str, rows: Iterable[OriginRow]) -> None:
    """Record which harvested records the latest version of ``list_id`` cites
    (:func:`origin_rows` of it)."""
    conn.execute("DELETE FROM item_origins WHERE list_id = ?", (list_id,))
    conn.executemany(
        "INSERT OR REPLACE INTO item_origins (list_id, item_id, source, identifier, sha256)"
        " VALUES (?, ?, ?, ?, ?)", [(list_id, *row) for row in rows])


def citing(conn: sqlite3.Connection, source: str, identifier: str) -> dict[str, set[str]]:
    """Lists citing a harvested record: list id -> the sha256s their items know it by.

    Deleted lists too: a change upstream while a list is deleted waits for its restore
    (accepting one asks for ``rli restore`` first), so a restored list is not silently
    out of date."""
    found: dict[str, set[str]] = {}
    for list_id, sha in conn.execute(
        "SELECT list_id, sha256 FROM item_origins WHERE source = ? AND identifier = ?"
        " ORDER BY list_id",
        (source, identifier),
    ):
        found.setdefault(list_id, set()).add(sha)
    return found


def cites_source(conn: sqlite3.Connection, source: str) -> bool:
    """Whether any list cites a record harvested from ``source`` (one index probe)."""
    return conn.execute(
        "SELECT 1 FROM item_origins WHERE source = ? LIMIT 1", (source,)
    ).fetchone() is not None
