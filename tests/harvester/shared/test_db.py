"""harvester.shared.db: migrations that two processes may start at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from harvester.shared.db import StoreError, migrate, open_db

STEPS = [
    "CREATE TABLE things (id INTEGER PRIMARY KEY)",
    "ALTER TABLE things ADD COLUMN size INTEGER NOT NULL DEFAULT 0",
]


def test_a_step_another_process_applied_meanwhile_is_skipped(tmp_path: Path) -> None:
    # Two processes opening an archive after an upgrade (say `rli serve` and a cron
    # harvest) both read which steps were done, then took turns applying the rest: the
    # second applied the new step again and failed ("duplicate column name"), reported as
    # "is this another program's database?"
    path = tmp_path / "rli.db"
    migrate(open_db(path), "test", STEPS[:1])
    mine, other = open_db(path), open_db(path)
    applied: list[str] = []

    def other_goes_first(sql: str) -> None:
        if sql == "BEGIN IMMEDIATE" and not applied:  # mine has read what was done
            applied.append("other")
            migrate(other, "test", STEPS)

    mine.conn.set_trace_callback(other_goes_first)
    try:
        migrate(mine, "test", STEPS)
    finally:
        mine.conn.set_trace_callback(None)
    assert applied == ["other"]
    assert [r[1] for r in mine.conn.execute("PRAGMA table_info(things)")] == ["id", "size"]
    steps = mine.conn.execute(
        "SELECT step FROM schema_migrations WHERE component = 'test' ORDER BY step")
    assert [r[0] for r in steps] == [1, 2]


def test_tables_missing_from_a_read_only_database_say_so(tmp_path: Path) -> None:
    """Found in review: search, resources and reindex on a read-only archive asked "is this
    another program's database?" (a root user's chmod does not stop it writing, so the
    file is opened read-only here the way SQLite itself allows)."""
    path = tmp_path / "rli.db"
    sqlite3.connect(path).close()
    readonly = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    with pytest.raises(StoreError, match="the database is read-only") as caught:
        migrate(readonly, "example", ["CREATE TABLE example (x INTEGER)"])
    assert "another program" not in str(caught.value)


def test_another_programs_database_gets_no_tables(tmp_path: Path) -> None:
    """Found in review: ``rli --db other.sqlite lists`` exited 0 and had added twenty of
    rli's tables to another program's database."""
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE foo (x)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="holds another program's tables and none of rli's"):
        open_db(path)  # before it sets WAL mode, which writes to the file
    assert path.read_bytes() == before
    db = sqlite_utils.Database(sqlite3.connect(path))
    with pytest.raises(StoreError, match="holds another program's tables and none of rli's"):
        migrate(db, "test", STEPS)
    assert [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")] == ["foo"]
    migrate(open_db(tmp_path / "ours.db"), "test", STEPS)  # a new file, and then its own,
    migrate(open_db(tmp_path / "ours.db"), "other", ["CREATE TABLE more (x)"])  # still take


def test_tables_that_wait_for_another_writer_say_so(tmp_path: Path) -> None:
    # `rli serve` beside a long `rli import` waited 30 s, then said only "database is
    # locked" (the pages' tables were still to be made)
    path = tmp_path / "rli.db"
    open_db(path).conn.close()  # a WAL archive, as every rli command makes it
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1],"
         " isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('held', flush=True);"
         " sys.stdin.readline()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        db = open_db(path)
        db.conn.execute("PRAGMA busy_timeout = 200")
        with pytest.raises(StoreError, match="another process is writing to the archive"):
            migrate(db, "t", ["CREATE TABLE t (x)"])
    finally:
        holder.communicate("\n", timeout=30)
