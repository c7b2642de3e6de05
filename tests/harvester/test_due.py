"""When a source is due, and that a due source is harvested once and in turn
(harvester/sources.py due times, harvester/schedule.py), with real SQLite files and real
providers on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils

from harvester.envelope import Identity
from harvester.errors import SourceError
from harvester.schedule import Settings, run_sources
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity, format_datestamp
from harvester.sources import (
    Source,
    add_source,
    due_sources,
    ensure_schema,
    get_source,
    last_success_id,
    next_due,
    parse_every,
    remove_source,
    statuses,
)
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
IDENTITY = Identity("P", "", "2.0", "2020-01-01", "persistent", Granularity.SECONDS, "")


def _ran(db: sqlite_utils.Database, name: str, started: datetime, ended: datetime) -> None:
    db.conn.execute(
        "INSERT INTO harvest_runs (source, started_at, finished_at, status) VALUES (?, ?, ?, 'ok')",
        (name, format_datestamp(started), format_datestamp(ended)),
    )


def _due(db: sqlite_utils.Database, now: datetime) -> list[str]:
    return [s.name for s in due_sources(db, now)]


@pytest.mark.parametrize("text", ["99999999999d", "999999999999999999999d", "36501d"])
def test_a_schedule_past_the_calendar_is_refused(text: str) -> None:
    with pytest.raises(SourceError, match="bad schedule"):
        parse_every(text)
    assert parse_every("36500d") == 36500 * 86400  # a hundred years still counts


def test_a_huge_stored_schedule_breaks_neither_due_nor_the_source_list(
    db: sqlite_utils.Database,
) -> None:
    """An archive written before schedules were bounded: the source is simply never due
    again, and the other sources are still listed and due."""
    add_source(db, Source("huge", "http://p/oai", "oai_dc", every_seconds=8_639_999_913_600),
               IDENTITY, T0)
    add_source(db, Source("hourly", "http://p/oai", "oai_dc", every_seconds=3600), IDENTITY, T0)
    _ran(db, "huge", T0, T0 + timedelta(minutes=1))
    assert _due(db, T0 + 2 * HOUR) == ["hourly"]
    assert [s.source.name for s in statuses(db)] == ["hourly", "huge"]


def test_a_run_recorded_in_the_future_does_not_hold_the_source_back(
    db: sqlite_utils.Database,
) -> None:
    """The clock was ahead (a year) when the source last ran, then set right: the source is
    due at once, not a year later, and then hourly from the run made with the right clock."""
    add_source(db, Source("hourly", "http://p/oai", "oai_dc", every_seconds=3600), IDENTITY, T0)
    ahead = T0 + timedelta(days=365)
    _ran(db, "hourly", ahead, ahead + timedelta(minutes=5))
    assert _due(db, T0 + HOUR) == ["hourly"]
    _ran(db, "hourly", T0 + HOUR, T0 + HOUR + timedelta(minutes=5))
    assert _due(db, T0 + HOUR + timedelta(minutes=30)) == []
    assert next_due(db, get_source(db, "hourly")) == T0 + 2 * HOUR + timedelta(minutes=5)


def test_a_source_added_again_is_due_at_once(db: sqlite_utils.Database) -> None:
    """A source removed and added again (another provider, or the same) starts afresh:
    the runs of the source removed are history, not its schedule."""
    add_source(db, Source("lib", "http://p/oai", "oai_dc", every_seconds=86400), IDENTITY, T0)
    _ran(db, "lib", T0, T0 + timedelta(minutes=5))
    remove_source(db, "lib")
    again = T0 + HOUR
    add_source(db, Source("lib", "http://q/oai", "oai_dc", every_seconds=86400), IDENTITY, again)
    assert _due(db, again) == ["lib"]
    (status,) = statuses(db)
    assert status.last_success is None and status.next_due == format_datestamp(again)


def test_a_source_added_while_the_clock_was_ahead_keeps_its_schedule(
    db: sqlite_utils.Database,
) -> None:
    """Found in review: runs counted only from the add time, so a source added while the
    clock was a year ahead never counted its runs after the clock was set right, and was
    due on every call (a daily source harvested every five minutes from cron)."""
    ahead = T0 + timedelta(days=365)
    add_source(db, Source("daily", "http://p/oai", "oai_dc", every_seconds=86400), IDENTITY,
               ahead)
    assert _due(db, T0) == ["daily"]  # added "in the future": due at once, and it runs
    _ran(db, "daily", T0, T0 + timedelta(minutes=5))
    for later in (timedelta(minutes=10), 2 * HOUR, timedelta(hours=23)):
        assert _due(db, T0 + later) == []
    assert _due(db, T0 + timedelta(days=1, minutes=5)) == ["daily"]
    (status,) = statuses(db)
    assert status.last_success == format_datestamp(T0 + timedelta(minutes=5))


def _records(tag: str, n: int = 3) -> list[Rec]:
    return [Rec(f"oai:{tag}:{i}", T0 - timedelta(hours=i), f"{tag} {i}") for i in range(n)]


def _list_records(peer: CatalogPeer) -> int:
    return sum(1 for _, args in peer.requests if args.get("verb") == "ListRecords")


def test_a_source_harvested_since_the_due_list_was_made_is_not_harvested_again(
    tmp_path: Path,
) -> None:
    """Two ``--due`` calls at once: the second made its list of due sources while the first
    was still busy elsewhere, and reaches a source the first has harvested since. Under the
    source's lock it finds the source no longer due, and leaves it."""
    db_path = tmp_path / "rli.db"
    db = open_db(db_path)
    ensure_schema(db)
    peer = CatalogPeer(_records("a"))
    settings = Settings(keep_dir=tmp_path / "broken")
    with serve(peer) as url:
        add_source(db, Source("a", url, "oai_dc", every_seconds=3600), IDENTITY, T0)
        now = datetime.now(timezone.utc)
        stale = due_sources(db, now)  # the second call's list, made before the first ran
        known = {"a": last_success_id(db, "a")}
        (first,) = run_sources(db_path, due_sources(db, now), settings, due_after=known)
        (second,) = run_sources(db_path, stale, settings, due_after=known, skip_busy=True)
    runs = db.conn.execute("SELECT COUNT(*) FROM harvest_runs").fetchone()[0]
    db.conn.close()
    assert first.ok and first.records == 3
    assert second.status == "skipped" and "no longer due" in second.error
    assert (_list_records(peer), runs) == (1, 1)


def test_a_run_under_way_when_the_list_was_made_counts_once_it_has_ended(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    """Another call was harvesting the source when this one found it due; that run has
    ended well by the time this call holds the lock: the source is not harvested again."""
    db_path = tmp_path / "rli.db"  # the fixture's
    peer = CatalogPeer(_records("a"))
    with serve(peer) as url:
        add_source(db, Source("a", url, "oai_dc", every_seconds=3600), IDENTITY, T0)
        now = datetime.now(timezone.utc)
        db.conn.execute("INSERT INTO harvest_runs (source, started_at, status)"
                        " VALUES ('a', ?, 'running')", (format_datestamp(now),))
        chosen = due_sources(db, now)
        known = {"a": last_success_id(db, "a")}
        db.conn.execute("UPDATE harvest_runs SET status = 'ok', finished_at = ?",
                        (format_datestamp(now),))  # the other call's run ends
        (result,) = run_sources(db_path, chosen, Settings(keep_dir=tmp_path / "broken"),
                                due_after=known, skip_busy=True)
    assert [s.name for s in chosen] == ["a"]
    assert result.status == "skipped" and "no longer due" in result.error
    assert _list_records(peer) == 0


def test_a_source_removed_after_the_list_was_made_is_not_harvested(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    db_path = tmp_path / "rli.db"  # the fixture's
    peer = CatalogPeer(_records("a"))
    with serve(peer) as url:
        add_source(db, Source("a", url, "oai_dc", every_seconds=3600), IDENTITY, T0)
        chosen = [get_source(db, "a")]
        remove_source(db, "a")
        (result,) = run_sources(db_path, chosen, Settings(keep_dir=tmp_path / "broken"))
    stored = db.conn.execute("SELECT COUNT(*) FROM harvest_resources").fetchone()[0]
    assert result.status == "skipped" and "no source called" in result.error
    assert (_list_records(peer), stored) == (0, 0)


@pytest.mark.parametrize("hosts", [1, 2])
def test_sources_the_time_limit_left_waiting_go_first_next_time(
    tmp_path: Path, hosts: int
) -> None:
    """One slow source ahead of the others (on its host, or on the one worker) used up
    ``max_time``: the others are said not started (no run recorded, not a run that failed),
    and the next call starts with them, so a slow source does not keep them waiting call
    after call."""
    db_path = tmp_path / "rli.db"
    db = open_db(db_path)
    ensure_schema(db)
    slow = CatalogPeer(_records("slow", 6), page_size=1, delay=0.6)
    quick = CatalogPeer(_records("quick"))

    def app(environ: dict[str, str], start_response: object) -> object:
        peer = slow if environ["PATH_INFO"].startswith("/slow") else quick
        return peer(environ, start_response)  # type: ignore[arg-type]

    settings = Settings(keep_dir=tmp_path / "broken", max_time=1.5, max_workers=1)
    with serve(app, path="") as url, serve(app, path="") as other:
        quick_url = f"{url if hosts == 1 else other}/quick/oai"
        add_source(db, Source("a", f"{url}/slow/oai", "oai_dc", every_seconds=60), IDENTITY, T0)
        add_source(db, Source("b", quick_url, "oai_dc", every_seconds=60), IDENTITY, T0)
        first = run_sources(db_path, due_sources(db, T0), settings)
        second = run_sources(db_path, due_sources(db, T0), settings)
    runs = db.conn.execute("SELECT source, status FROM harvest_runs ORDER BY id").fetchall()
    db.conn.close()
    assert [(r.source, r.status) for r in first] == [("a", "failed"), ("b", "postponed")]
    assert "not started" in first[1].error
    assert [(r.source, r.status) for r in second] == [("a", "failed"), ("b", "ok")]
    assert runs == [("a", "failed"), ("b", "ok"), ("a", "failed")]


def test_a_lock_that_cannot_be_taken_fails_its_source_only(tmp_path: Path) -> None:
    """A lock file that cannot be opened (here a directory in its place; or a file of
    another user's) fails that source, in one line, and the next source of its host is
    still harvested."""
    db_path = tmp_path / "rli.db"
    db = open_db(db_path)
    ensure_schema(db)
    (tmp_path / "locks" / "a.lock").mkdir(parents=True)
    peer = CatalogPeer(_records("p"))
    with serve(peer) as url:
        for name in ("a", "b"):
            add_source(db, Source(name, url, "oai_dc"), IDENTITY, T0)
        chosen = [get_source(db, "a"), get_source(db, "b")]
        settings = Settings(keep_dir=tmp_path / "broken", lock_dir=tmp_path / "locks")
        a, b = run_sources(db_path, chosen, settings)
    db.conn.close()
    assert (a.status, b.status) == ("failed", "ok")
    assert a.error == f"{tmp_path / 'locks' / 'a.lock'}: cannot take the lock: Is a directory"
