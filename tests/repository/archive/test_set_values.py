"""repository/archive/set_values.py: sets that split a value at its ":" are made again, once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.index import count_members, sets_for
from repository.archive.set_values import MARKER
from tests.conftest import Clock
from tests.factories import make_list


def _split_as_before(archive: Archive, list_id: str, spec: str) -> None:
    """Add the parent set ``spec`` the code before migration 7 made of a value's ':'."""
    conn = archive.db.conn
    seq = conn.execute("SELECT seq FROM lists WHERE id = ?", (list_id,)).fetchone()[0]
    conn.execute("INSERT OR IGNORE INTO sets (spec, name) VALUES (?, ?)", (spec, spec))
    conn.execute("INSERT INTO set_members (spec, list_id, seq) VALUES (?, ?, ?)",
                 (spec, list_id, seq))
    count_members(conn, [(1, spec)])


def test_lists_whose_sets_were_split_get_them_again_as_a_change(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "old.db"
    archive = Archive(open_db(path), clock=clock)
    url = make_list("url", courses=("http://lms.example.org/c/7",), owner="amira")
    archive.save(url, editor="harvest:uni", note="n", sets=["source:uni"], origin=b"<o/>")
    archive.add(make_list("plain", courses=("HIST2041",)), editor="t", note="n")
    gone = make_list("gone", courses=("urn:c:1",))
    archive.add(gone, editor="t", note="n")
    archive.delete("gone", editor="t", note="withdrawn")
    with archive.db.conn:  # the archive as the code before wrote it
        _split_as_before(archive, "url", "course:http")
        _split_as_before(archive, "gone", "course:urn")
        _split_as_before(archive, "gone", "course:urn:c")
        archive.db.conn.execute("INSERT OR IGNORE INTO search_stale (component) VALUES (?)",
                                (MARKER,))
    before = {s.list_id: s for s in (archive.state(i) for i in ("url", "plain", "gone"))}
    archive.db.conn.close()
    clock.advance()

    again = Archive(open_db(path), clock=clock)

    url_now, plain_now, gone_now = (again.state(i) for i in ("url", "plain", "gone"))
    assert url_now.sets == sets_for(url, ["source:uni"])
    assert "course:http" not in url_now.sets and "source:uni" in url_now.sets
    assert gone_now.sets == ("course", "course:urn:c:1", "owner", f"owner:{gone.owner}")
    assert gone_now.deleted and gone_now.version == before["gone"].version
    assert url_now.seq > before["url"].seq and url_now.datestamp > before["url"].datestamp
    assert plain_now == before["plain"]  # nothing of it was split
    offered = {spec: n for spec, n in again.db.conn.execute("SELECT spec, members FROM sets")}
    assert not {"course:http", "course:urn", "course:urn:c"} & offered.keys()
    assert offered == {spec: n for spec, n in again.db.conn.execute(
        "SELECT spec, count(*) FROM set_members GROUP BY spec")}
    assert again.db.conn.execute("SELECT 1 FROM search_stale WHERE component = ?",
                                 (MARKER,)).fetchone() is None
    assert len(again.history("url")) == 1  # memberships changed, not the list


def test_a_new_archive_is_marked_done(tmp_path: Path) -> None:
    archive = Archive(open_db(tmp_path / "new.db"))
    assert archive.db.conn.execute("SELECT count(*) FROM search_stale WHERE component = ?",
                                   (MARKER,)).fetchone()[0] == 0


def _open_when_all_are_ready(path: Path, ready: Any, errors: Any) -> None:
    ready.wait()
    try:
        Archive(open_db(path)).db.conn.close()
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        errors.put(f"{type(exc).__name__}: {exc}")
    else:
        errors.put("")


def test_processes_opening_an_old_archive_at_once_repair_it_once(tmp_path: Path) -> None:
    # `rli serve`'s workers and a cron harvest open the archive together after an upgrade
    path = tmp_path / "old.db"
    archive = Archive(open_db(path))
    for n in range(20):
        archive.add(make_list(f"l{n}", courses=(f"urn:c:{n}",)), editor="t", note="n")
    with archive.db.conn:
        for n in range(20):
            _split_as_before(archive, f"l{n}", "course:urn")
        archive.db.conn.execute("INSERT OR IGNORE INTO search_stale (component) VALUES (?)",
                                (MARKER,))
    archive.db.conn.close()
    context = multiprocessing.get_context("spawn")
    ready, errors = context.Barrier(4), context.Queue()
    openers = [context.Process(target=_open_when_all_are_ready, args=(path, ready, errors))
               for _ in range(4)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(120)
    assert sorted(errors.get(timeout=10) for _ in openers) == [""] * 4
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM changes WHERE kind = 'sets'").fetchone() == (20,)
        left = conn.execute("SELECT count(*) FROM sets WHERE spec = 'course:urn'").fetchone()
        assert left == (0,)
