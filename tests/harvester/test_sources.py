"""Harvest sources: schedule parsing, registration, due times, figures (harvester/sources.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils

from harvester.envelope import Identity
from harvester.errors import SourceError
from harvester.shared.protocol import Granularity, format_datestamp
from harvester.sources import (
    Source,
    add_source,
    all_sources,
    check_new,
    due_sources,
    format_every,
    get_source,
    next_due,
    parse_every,
    remove_source,
    statuses,
)

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
IDENTITY = Identity("Peer", "http://p/oai", "2.0", "2001-02-03", "persistent", Granularity.DAY,
                    "2026-03-01T12:00:00Z")


@pytest.mark.parametrize(
    ("text", "seconds"), [("6h", 21600), ("1d", 86400), ("7d", 604800), ("30m", 1800)]
)
def test_parse_every(text: str, seconds: int) -> None:
    assert parse_every(text) == seconds
    assert format_every(seconds) == text


@pytest.mark.parametrize("text", ["", "6", "h", "0h", "1w", "-1d", "1.5h", "daily"])
def test_parse_every_refuses(text: str) -> None:
    with pytest.raises(SourceError, match="bad schedule"):
        parse_every(text)


@pytest.mark.parametrize(
    ("name", "prefix", "from_", "message"),
    [
        ("a b", "oai_dc", None, "bad source name"),
        ("", "oai_dc", None, "bad source name"),
        ("ok", "marc21", None, "unknown metadataPrefix"),
        ("ok", "oai_dc", "2026-13-01", "bad --from date"),
        ("ok", "oai_dc", "yesterday", "bad --from date"),
    ],
)
def test_check_new_refuses(name: str, prefix: str, from_: str | None, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        check_new(name, prefix, from_)


@pytest.mark.parametrize("name", ["y" * 65, "-y", ".y", "a/b", "..", "é"])
def test_a_bad_name_is_told_what_a_name_may_be(name: str) -> None:
    """A name too long, or beginning with '-' or '.', is told so (not that its characters
    are wrong: they are not)."""
    with pytest.raises(SourceError) as refused:
        check_new(name, "oai_dc", None)
    assert str(refused.value) == (f"bad source name {name!r}: 1 to 64 letters, digits, '.',"
                                  " '_' or '-', the first a letter or digit")


def test_add_stores_what_identify_said(db: sqlite_utils.Database) -> None:
    add_source(db, Source("p", "http://p/oai", "mods", ("a", "b:c"), 3600, "2025-01-01"),
               IDENTITY, T0)
    got = get_source(db, "p")
    assert (got.granularity, got.earliest_datestamp, got.repository_name) == (
        Granularity.DAY, "2001-02-03", "Peer")
    assert (got.sets, got.every_seconds, got.from_date, got.mark) == (
        ("a", "b:c"), 3600, "2025-01-01", None)
    with pytest.raises(SourceError, match="already exists"):
        add_source(db, Source("p", "http://other/oai", "oai_dc"), IDENTITY, T0)
    remove_source(db, "p")
    assert all_sources(db) == []
    with pytest.raises(SourceError, match="no source called"):
        get_source(db, "p")


def test_due_sources_follow_the_last_successful_run(db: sqlite_utils.Database) -> None:
    add_source(db, Source("hourly", "http://p/oai", "oai_dc", every_seconds=3600), IDENTITY, T0)
    add_source(db, Source("manual", "http://p/oai", "oai_dc"), IDENTITY, T0)
    assert [s.name for s in due_sources(db, T0)] == ["hourly"]  # never run: due at once
    db.conn.execute(
        "INSERT INTO harvest_runs (source, started_at, finished_at, status) VALUES (?, ?, ?, 'ok')",
        ("hourly", format_datestamp(T0), format_datestamp(T0 + timedelta(minutes=5))),
    )
    assert due_sources(db, T0 + timedelta(minutes=30)) == []
    assert next_due(db, get_source(db, "hourly")) == T0 + timedelta(minutes=65)
    assert [s.name for s in due_sources(db, T0 + timedelta(minutes=65))] == ["hourly"]
    assert next_due(db, get_source(db, "manual")) is None


def test_statuses_count_live_deleted_and_failed(db: sqlite_utils.Database) -> None:
    add_source(db, Source("p", "http://p/oai", "oai_dc"), IDENTITY, T0)
    rows = [("a", 0, "ok"), ("b", 1, "ok"), ("c", 0, "failed"), ("d", 0, "pending")]
    for ident, deleted, status in rows:
        db.conn.execute(
            "INSERT INTO harvest_resources (source, identifier, record_id, datestamp, deleted,"
            " status, updated_at) VALUES ('p', ?, 0, '2026-01-01', ?, ?, '2026-01-01')",
            (ident, deleted, status),
        )
    (status,) = statuses(db)
    assert (status.records, status.deleted, status.failed) == (3, 1, 1)
    assert status.last_success is None and status.next_due is None
