"""Upgrades that used to break: a first-day archive's deletions, and a long index fill.

``rli-first-day-deletions.db.gz`` was made by the code before 8b24c9e (see
tests/samples/SOURCES.md): its ``tombstones`` table has neither ``seq`` nor
``restored_at``, and one deletion left no tombstone at all (the list was saved
again). Today's `rli` reads, writes and serves it with every deletion in its place.

An archive whose list search index a migration leaves to fill is filled a batch a
transaction: a reader sees it grow, another `rli` is kept waiting a batch at most,
and a process killed mid-way leaves what it committed for the next one to finish.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harvester.shared.db import StoreError, migrate, open_db
from harvester.shared.fulltext import Filters, match_expression
from repository.archive import Archive, schema, search
from tests import paths
from tests.bench.generate import build_archive, make_lists
from tests.factories import make_list
from tests.repository.archive.test_upgrade import headers, steps
from tests.repository.cli.test_archive import RLI, rli

FIRST_DAY = paths.SAMPLES / "archives" / "rli-first-day-deletions.db.gz"
OAI = "oai:rli.localhost:"
LISTS = 3 * search.FILL_BATCH + 17


def first_day(tmp_path: Path) -> Path:
    db = tmp_path / "first-day.db"
    db.write_bytes(gzip.decompress(FIRST_DAY.read_bytes()))
    return db


def events(db: Path, list_id: str) -> list[tuple[str, int | None, str, str, str]]:
    found = json.loads(rli(db, "history", list_id, "--json").stdout)
    return [(e["event"], e["version"], e["at"], e["editor"], e["note"]) for e in found]


def test_a_first_day_archive_shows_every_deletion_in_its_history(tmp_path: Path) -> None:
    """Before: "no such column: restored_at" from history, restore and delete."""
    db = first_day(tmp_path)
    assert events(db, "law2210-2026")[1:] == [
        ("deleted", None, "2026-12-03T20:08:23Z", "olduser", "course withdrawn")]
    harvested = events(db, "nurs1105-2026")
    assert [(e[0], e[3]) for e in harvested] == [("version", "harvest:peer"),
                                                 ("deleted", "harvest:peer")]
    # deleted, then saved again: that code dropped the tombstone; the change log kept it
    assert events(db, "loc101-2026") == [
        ("version", 1, "2026-12-03T20:08:21Z", "olduser", "created"),
        ("version", 2, "2026-12-03T20:08:22Z", "olduser", "annotated list"),
        ("deleted", None, "2026-12-03T20:08:23Z", "", schema.UNRECORDED),
        ("restored", 3, "2026-12-03T20:08:24Z", "olduser", "seminar back"),
    ]
    assert steps(db)["archive"] == len(schema.MIGRATIONS)


def test_a_first_day_archive_restores_deletes_and_serves(tmp_path: Path) -> None:
    db = first_day(tmp_path)
    assert "law2210-2026" not in rli(db, "lists").stdout
    assert "Jurisprudence" in rli(db, "show", "law2210-2026").stdout
    assert "restored as version 2" in rli(db, "restore", "law2210-2026", "--note", "back").stdout
    rli(db, "delete", "econ1001-2026", "--note", "gone")
    rli(db, "edit", "loc101-2026", "--title", "Seminar reading", "--note", "new term")
    assert [e[:2] for e in events(db, "law2210-2026")] == [
        ("version", 1), ("deleted", None), ("restored", 2)]
    assert [e[:2] for e in events(db, "econ1001-2026")] == [
        ("version", 1), ("version", 2), ("deleted", None)]
    assert rli(db, "restore", "econ1001-2026", "--note", "n").returncode == 0
    rli(db, "delete", "econ1001-2026", "--note", "again")
    listed = rli(db, "lists").stdout
    assert "law2210-2026" in listed and "econ1001-2026" not in listed
    assert "law2210-2026" in rli(db, "search", "jurisprudence").stdout
    assert "econ1001-2026" not in rli(db, "search", "economics").stdout
    package = tmp_path / "lists.zip"
    rli(db, "export", "loc101-2026", "econ1001-2026", "--format", "ims-cp", "--history",
        "-o", str(package))
    copy = tmp_path / "copy.db"
    rli(copy, "import", str(package))
    assert events(copy, "loc101-2026") == events(db, "loc101-2026")
    assert events(copy, "econ1001-2026") == events(db, "econ1001-2026")

    served = headers(db)  # a real `rli serve`, every page of every format schema-valid
    for records in served.values():
        deleted = {i.removeprefix(OAI) for i, (_, status, _) in records.items() if status}
        assert deleted == {"econ1001-2026", "nurs1105-2026"}
        assert len(records) == 9
        assert "source:peer" in records[OAI + "biol2003-2026"][2]


def test_a_file_made_since_keeps_its_tombstones(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    archive = Archive(open_db(path))
    archive.add(make_list("a"), editor="e", note="n")
    archive.delete("a", editor="e", note="first")
    archive.restore("a", editor="e", note="back")
    archive.delete("a", editor="e", note="second")
    rows = "SELECT * FROM tombstones ORDER BY seq"
    before = archive.db.conn.execute(rows).fetchall()
    archive.db.conn.execute("DELETE FROM schema_migrations WHERE component = 'archive'"
                            " AND step = 8")
    again = Archive(open_db(path))
    assert again.db.conn.execute(rows).fetchall() == before
    assert steps(path)["archive"] == len(schema.MIGRATIONS)


# -- the list search index filled after an upgrade ------------------------------------


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of LISTS generated lists, and its list index as built with them."""
    db = tmp_path_factory.mktemp("fill") / "built.db"
    assert build_archive(make_lists(LISTS), db) == LISTS
    return db


def upgrading(indexed: Path, tmp_path: Path) -> Path:
    """A copy of ``indexed`` as the release before the contentless index left it: opening
    it applies archive-search step 2 again, which empties the index and marks it stale."""
    db = tmp_path / "upgrading.db"
    shutil.copy(indexed, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM schema_migrations WHERE component = 'archive-search'"
                     " AND step = 2")
    conn.close()
    return db


def index_rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT list_id, version, title, facets, date, digest"
                            " FROM list_search_docs ORDER BY list_id").fetchall()
    finally:
        conn.close()


def watch(db: Path, proc: subprocess.Popen[str], seconds: float = 120) -> list[int]:
    """How many lists the index held, each time it changed, while the marker stayed."""
    seen: list[int] = []
    conn = sqlite3.connect(db, timeout=60)
    deadline = time.monotonic() + seconds
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                stale = conn.execute("SELECT 1 FROM search_stale WHERE component = ?",
                                     (search.COMPONENT,)).fetchone()
                count = conn.execute("SELECT count(*) FROM list_search_docs").fetchone()[0]
            except sqlite3.OperationalError:  # between step 2's DROP and CREATE
                continue
            if stale and (not seen or seen[-1] != count):
                seen.append(count)
            if stale and 0 < count < LISTS and len(seen) >= 3:
                return seen
            time.sleep(0.01)
        return seen
    finally:
        conn.close()


def start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*RLI, "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "RLI_EDITOR": "tester"})


def test_the_index_fills_in_batches_that_others_wait_for(indexed: Path, tmp_path: Path) -> None:
    """Before: one transaction over every list (125 s at 20,000): a reader saw an empty
    index until it ended, and an `rli` started meanwhile failed as "database is locked"."""
    db = upgrading(indexed, tmp_path)
    first = start(db, "lists")
    seen = watch(db, first)
    second = start(db, "search", "library")  # while the fill goes on
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert any(0 < n < LISTS for n in seen), seen  # committed a batch at a time
    assert "building the archive's list search index after an upgrade" in err
    assert len(out.splitlines()) == LISTS
    found, err2 = second.communicate(timeout=300)
    assert second.returncode == 0, err2
    assert len(found.splitlines()) == 20  # every generated list cites the library
    assert index_rows(db) == index_rows(indexed)


def test_a_fill_killed_midway_is_finished_by_the_next_rli(indexed: Path, tmp_path: Path) -> None:
    db = upgrading(indexed, tmp_path)
    first = start(db, "lists")
    seen = watch(db, first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert seen and 0 < seen[-1] < LISTS, seen
    conn = sqlite3.connect(db)
    kept = conn.execute("SELECT count(*) FROM list_search_docs").fetchone()[0]
    assert kept >= seen[-1] and conn.execute("SELECT 1 FROM search_stale").fetchone()
    conn.close()
    assert len(rli(db, "search", "library").stdout.splitlines()) == 20
    assert index_rows(db) == index_rows(indexed)


def test_a_fill_adds_only_the_lists_still_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists indexed before a kill, and lists written since, are neither doubled nor lost."""
    monkeypatch.setattr(search, "FILL_BATCH", 3)
    path = tmp_path / "a.db"
    archive = Archive(open_db(path))
    for n in range(11):
        archive.add(make_list(f"l{n:02}", title=f"List {n}"), editor="e", note="n")
    reference = index_rows(path)
    conn = archive.db.conn
    for n in (0, 3, 4, 5, 9):  # what a killed fill had not reached
        search.drop_list(conn, f"l{n:02}")
    conn.execute("INSERT INTO search_stale (component) VALUES (?)", (search.COMPONENT,))
    archive.delete("l03", editor="e", note="gone")  # written while the marker stays
    archive.save(make_list("l04", title="List 4, edited"), editor="e", note="n")
    archive.add(make_list("l11", title="List 11"), editor="e", note="n")
    Archive(open_db(path))
    rows = {r[0]: r for r in index_rows(path)}
    expected = {r[0]: r for r in reference if r[0] != "l03"}
    assert rows.keys() == {*expected, "l11"}
    assert all(rows[k] == expected[k] for k in expected if k != "l04")
    assert rows["l04"][1:3] == (2, "List 4, edited")
    assert conn.execute("SELECT 1 FROM search_stale WHERE component = ?",
                        (search.COMPONENT,)).fetchone() is None
    hits = search.search_lists(archive.db, match_expression("edited"), Filters(), 10)
    assert [h.id for h in hits] == ["l04"]


def test_a_migration_kept_waiting_says_an_upgrade_may_hold_the_archive(tmp_path: Path) -> None:
    """A step another process keeps waiting (it holds the write lock, most likely for a
    step of its own) fails with a line that says an upgrade may be what holds it."""
    path = tmp_path / "rli.db"
    open_db(path).conn.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1],"
         " isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('held', flush=True);"
         " sys.stdin.readline()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        db = open_db(path)
        db.conn.execute("PRAGMA busy_timeout = 200")
        with pytest.raises(StoreError, match="most likely an rli upgrading it"):
            migrate(db, "t", ["CREATE TABLE t (x)"])
    finally:
        holder.communicate("\n", timeout=30)
