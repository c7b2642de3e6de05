"""The SQLite file: opening it (WAL, explicit transactions) and migrating its schema.

The archive (repository) and the harvest log (harvester) share one file, so a
harvested page and the lists it yields commit in one transaction. Connections
run in autocommit mode; :func:`transaction` opens ``BEGIN IMMEDIATE`` at the
top level and a SAVEPOINT when nested, so library calls compose; :func:`snapshot`
holds reads that must agree with each other to one state of the file;
:func:`before_commit` runs a step as the top-level transaction commits (the
archive dates its changes there: :meth:`repository.archive.store.Archive.save`).

Migrations are plain SQL (portable to PostgreSQL), applied in order and
recorded per component in ``schema_migrations``; a step that must look at the
file first (a table an early release made otherwise) is a function of the
connection instead (:data:`Step`).
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Union

import sqlite_utils

# A migration step: an SQL script, or a function that runs its own statements on the
# connection (inside the step's transaction) when what to do depends on the file.
Step = Union[str, Callable[[sqlite3.Connection], None]]  # noqa: UP007


class StoreError(Exception):
    """The database could not be opened or migrated."""


def open_db(path: Union[str, Path]) -> sqlite_utils.Database:  # noqa: UP007
    """Open (creating if needed) the SQLite file at ``path`` in WAL mode.

    ``":memory:"`` gives an in-memory database for tests. Raises StoreError if
    the file cannot be opened as SQLite.
    """
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        if conn.execute(_FOREIGN_TABLES).fetchone() is not None:  # before WAL mode writes
            conn.close()
            raise StoreError(f"{path}: {_FOREIGN}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        folder = Path(path).parent
        refused = "readonly" in str(exc) or "unable to open" in str(exc)
        if refused and str(path) != ":memory:" and not folder.is_dir():
            raise StoreError(f"{path}: cannot be opened: there is no folder {folder}") from exc
        if refused and str(path) != ":memory:" and not os.access(folder, os.W_OK):
            raise StoreError(f"{path}: cannot be opened ({exc}): its folder {folder} is"
                             " read-only, and SQLite's write-ahead log keeps its -wal and -shm"
                             " files there") from exc
        if _not_the_files(exc):
            raise StoreError(f"{path}: cannot be opened ({exc})") from exc
        raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc
    return sqlite_utils.Database(conn)


# Steps to run as each database's top-level transaction commits, by name (one each).
_BEFORE_COMMIT: weakref.WeakKeyDictionary[sqlite_utils.Database, dict[str, Callable[[], None]]] = (
    weakref.WeakKeyDictionary())


def before_commit(db: sqlite_utils.Database, name: str, step: Callable[[], None]) -> None:
    """Run ``step`` in the open transaction of ``db`` just before it commits (the
    top-level one, a savepoint's too), once however often ``name`` is given; dropped
    if it rolls back."""
    _BEFORE_COMMIT.setdefault(db, {}).setdefault(name, step)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One atomic unit of work: commits on success, rolls back on any exception."""
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{id(object())}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # (SQLite ends it itself on a full disk, an I/O error)
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    _BEFORE_COMMIT.pop(db, None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        for step in _BEFORE_COMMIT.pop(db, {}).values():
            step()
    except BaseException:
        _BEFORE_COMMIT.pop(db, None)
        if conn.in_transaction:  # SQLite rolls back itself on a full disk or an I/O error,
            conn.execute("ROLLBACK")  # and a ROLLBACK then would hide that error
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[None]:
    """Reads that must see one state of the file: a read transaction (``BEGIN``, which
    takes its snapshot at the first read and never waits in WAL). Inside a transaction
    already, its reads are one state anyway. For reads only, done before it ends (never
    held across a ``yield``): a write inside it would be committed by it, and another
    writer's commit meanwhile makes it fail as "database is locked"."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def migrate(db: sqlite_utils.Database, component: str, steps: Sequence[Step]) -> None:
    """Apply the steps in ``steps`` not yet recorded for ``component``.

    Step N (1-based) is recorded once applied, in the transaction that applied it;
    scripts must be plain SQL, functions must not commit.
    Raises StoreError (nothing of the failed step applied) if SQLite refuses one.
    """
    try:
        _migrate(db, component, steps)
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):  # the tables are missing and the file cannot take them
            raise StoreError(f"cannot set up the {component} tables: the database is read-only"
                             " (run a command that writes to it once where it is writable)"
                             ) from exc
        if "locked" in str(exc):  # waited out the busy timeout: a writer holds the file
            # (this process had steps to apply: the one holding the lock most likely too)
            raise StoreError(f"cannot set up the {component} tables: {exc} (another process"
                             " is writing to the archive, most likely an rli upgrading it,"
                             " which takes minutes on a large one; try again once it has"
                             " finished)") from exc
        # anything but a full disk, an I/O error or a lock (a table of that name, not
        # rli's) may be another program's
        raise StoreError(f"cannot set up the {component} tables: {exc}" + (
            "" if _not_the_files(exc) else "; is this another program's database?")) from exc


def _not_the_files(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's error is the disk's or another process's (full, I/O, locked), not
    the file's content: its own message says what it is."""
    return any(word in str(exc) for word in ("full", "I/O", "locked"))


def refuse_newer(conn: sqlite3.Connection, known: Mapping[str, int]) -> None:
    """Raise StoreError if the file records a migration step past the last one this code
    knows of a component in ``known`` (component -> its number of steps): a newer release
    made it, and this one would read it wrongly or write it without keeping what the newer
    schema keeps in step."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'"
                    ).fetchone() is None:
        return
    for component, steps in known.items():
        found = conn.execute("SELECT max(step) FROM schema_migrations WHERE component = ?",
                             (component,)).fetchone()[0]
        if found is not None and found > steps:
            raise StoreError(f"the database was migrated by a newer release of rli ({component}"
                             f" schema step {found}; this release knows {steps}): upgrade rli"
                             " to use it")


def _migrate(db: sqlite_utils.Database, component: str, steps: Sequence[Step]) -> None:
    conn = db.conn
    # every table rli makes comes after schema_migrations: tables without it are another
    # program's, and a read command (rli lists) had added twenty of rli's beside them
    if conn.execute(_FOREIGN_TABLES).fetchone() is not None:
        raise StoreError(f"cannot set up the {component} tables: {_FOREIGN}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (component, step))"
    )
    done = {
        row[0]
        for row in conn.execute(
            "SELECT step FROM schema_migrations WHERE component = ?", (component,)
        )
    }
    if done and max(done) > len(steps):
        refuse_newer(conn, {component: len(steps)})
    for number, script in enumerate(steps, start=1):
        if number in done:
            continue
        with transaction(db):
            # another process may have applied it since ``done`` was read (two opening an
            # archive after an upgrade): the write lock held, look again
            if conn.execute("SELECT 1 FROM schema_migrations WHERE component = ? AND step = ?",
                            (component, number)).fetchone():
                continue
            if callable(script):
                script(conn)
            else:
                for statement in _statements(script):
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (component, step) VALUES (?, ?)",
                (component, number),
            )


_FOREIGN = ("the database holds another program's tables and none of rli's; give rli a"
            " file of its own")
_FOREIGN_TABLES = (
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    " AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations') LIMIT 1"
)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
