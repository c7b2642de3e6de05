"""Registered harvest sources: add (checked with Identify), list with figures, remove.

A source is a provider base URL, one metadataPrefix, optional sets, an
optional schedule (``6h``, ``1d``, ``7d``: a number and one of m/h/d, at most
36500d) and an optional first ``from`` date. Its incremental mark is the
responseDate of the first response of its last successful run; it is due
an interval after that run ended (runs are taken in the order they were made,
and one that seems to end in the future, the clock since set back, makes it
due at once).

Raises SourceError for an unknown or duplicate name, a bad schedule or date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import sqlite_utils

from crosswalks.http_url import url_problem
from crosswalks.registry import FORMATS
from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.errors import SourceError
from harvester.lock import run_status
from harvester.schema import COMPONENT, MIGRATIONS
from harvester.search import ensure_index
from harvester.shared.db import migrate, transaction
from harvester.shared.protocol import (
    SET_SPEC,
    BadArgument,
    Granularity,
    OAIError,
    format_datestamp,
    parse_datestamp,
)

UNIT_SECONDS: dict[str, int] = {"m": 60, "h": 3600, "d": 86400}
MAX_EVERY_DAYS = 36500  # a hundred years: later than that is past datetime's calendar soon
_EVERY_RE = re.compile(r"^(\d+)([mhd])$")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Source:
    name: str
    base_url: str
    prefix: str
    sets: tuple[str, ...] = ()
    every_seconds: int | None = None
    from_date: str | None = None
    granularity: Granularity = Granularity.SECONDS
    earliest_datestamp: str = ""
    repository_name: str = ""
    added_at: str = ""
    mark: str | None = None
    other_hosts: bool = False
    first_run: int = 0  # the runs of this source have greater ids (see last_success)


@dataclass(frozen=True)
class SourceStatus:
    """A source with its figures, as ``rli source list`` shows it."""

    source: Source
    records: int
    deleted: int
    failed: int
    last_success: str | None
    next_due: str | None
    last_run: LastRun | None = None


@dataclass(frozen=True)
class LastRun:
    """The latest run of a source: when it started, how it ended, and why if it failed."""

    started_at: str
    status: str
    error: str


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or upgrade the harvest tables and the harvested resources' search index."""
    migrate(db, COMPONENT, MIGRATIONS)
    ensure_index(db)


def parse_every(text: str) -> int:
    """Seconds in a schedule such as ``6h``, at most ``MAX_EVERY_DAYS``; raises SourceError."""
    match = _EVERY_RE.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise SourceError(f"bad schedule {text!r}: use a number and m, h or d, e.g. 6h, 1d, 7d")
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds > MAX_EVERY_DAYS * UNIT_SECONDS["d"]:
        raise SourceError(f"bad schedule {text!r}: at most {MAX_EVERY_DAYS}d")
    return seconds


def format_every(seconds: int | None) -> str:
    if seconds is None:
        return ""
    for unit in ("d", "h", "m"):
        if seconds % UNIT_SECONDS[unit] == 0:
            return f"{seconds // UNIT_SECONDS[unit]}{unit}"
    return f"{seconds}s"


def check_url(url: str) -> None:
    """Refuse a base URL that is not absolute http(s) with a usable host and port (see
    crosswalks.http_url); raises SourceError."""
    problem = url_problem(url)
    if problem is not None:
        raise SourceError(f"bad base URL {url!r}: {problem}; use http://host/path or"
                          " https://host/path")


def check_new(
    name: str, prefix: str, from_date: str | None, sets: Sequence[str] = ()
) -> None:
    """Refuse a bad name, an unknown prefix, a bad date or a set that is no setSpec (the
    sets are stored space-separated, so one with a space became several) before the
    network is used."""
    if not _NAME_RE.match(name):
        raise SourceError(f"bad source name {name!r}: 1 to 64 letters, digits, '.', '_' or"
                          " '-', the first a letter or digit")
    for spec in sets:
        if not SET_SPEC.fullmatch(spec):
            raise SourceError(f"bad set {spec!r}: not an OAI setSpec (letters, digits and"
                              " -_.!~*'() in parts separated by ':')")
    if prefix not in FORMATS:
        raise SourceError(f"unknown metadataPrefix {prefix!r}: one of {', '.join(FORMATS)}")
    if from_date is not None:
        try:
            parse_datestamp(from_date)
        except BadArgument as exc:
            raise SourceError(f"bad --from date {from_date!r}: use YYYY-MM-DD") from exc


def probe(client: OAIClient, prefix: str) -> Identity:
    """Identify the provider and check that it offers ``prefix``.

    Raises SourceError if ListMetadataFormats answers without ``prefix``; a
    provider that fails ListMetadataFormats is given the benefit of the doubt.
    Raises what OAIClient raises if Identify fails.
    """
    identity = client.identify()
    try:
        offered = [f.prefix for f in client.list_metadata_formats()]
    except OAIError:
        return identity
    if offered and prefix not in offered:
        raise SourceError(
            f"{client.base_url} does not offer metadataPrefix {prefix!r}"
            f" (it offers {', '.join(offered)})"
        )
    return identity


def add_source(
    db: sqlite_utils.Database,
    source: Source,
    identity: Identity,
    now: datetime,
) -> Source:
    """Register ``source`` with what Identify said; raises SourceError if the name exists."""
    ensure_schema(db)
    check_new(source.name, source.prefix, source.from_date, source.sets)
    check_url(source.base_url)
    stored = Source(
        name=source.name,
        base_url=source.base_url,
        prefix=source.prefix,
        sets=source.sets,
        every_seconds=source.every_seconds,
        from_date=source.from_date,
        granularity=identity.granularity,
        earliest_datestamp=identity.earliest_datestamp,
        repository_name=identity.repository_name,
        added_at=format_datestamp(now),
        other_hosts=source.other_hosts,
    )
    with transaction(db):
        # names only in another case would share a lock file where file names ignore case
        known = db.conn.execute("SELECT name FROM harvest_sources WHERE lower(name) = lower(?)",
                                (source.name,)).fetchone()
        if known is not None:
            raise SourceError(f"source {known[0]!r} already exists")
        stored = replace(stored, first_run=int(db.conn.execute(
            "SELECT coalesce(max(id), 0) FROM harvest_runs").fetchone()[0]))
        db.conn.execute(
            "INSERT INTO harvest_sources (name, base_url, prefix, sets, every_seconds, from_date,"
            " granularity, earliest_datestamp, repository_name, added_at, other_hosts,"
            " first_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stored.name,
                stored.base_url,
                stored.prefix,
                " ".join(stored.sets),
                stored.every_seconds,
                stored.from_date,
                stored.granularity.value,
                stored.earliest_datestamp,
                stored.repository_name,
                stored.added_at,
                int(stored.other_hosts),
                stored.first_run,
            ),
        )
    return stored


def get_source(db: sqlite_utils.Database, name: str) -> Source:
    """The source called ``name``; raises SourceError if there is none."""
    ensure_schema(db)
    row = _row(db, name)
    if row is None:
        raise SourceError(f"no source called {name!r} (see `rli source list`)")
    return _source(row)


def all_sources(db: sqlite_utils.Database) -> list[Source]:
    ensure_schema(db)
    cur = db.conn.execute("SELECT * FROM harvest_sources ORDER BY name")
    cols = [c[0] for c in cur.description]
    return [_source(dict(zip(cols, r))) for r in cur.fetchall()]


def remove_source(db: sqlite_utils.Database, name: str) -> None:
    """Forget a source and its checkpoints; its runs and raw records stay as history."""
    get_source(db, name)
    with transaction(db):
        db.conn.execute("DELETE FROM harvest_checkpoints WHERE source = ?", (name,))
        db.conn.execute("DELETE FROM harvest_sources WHERE name = ?", (name,))


def set_mark(db: sqlite_utils.Database, name: str, mark: str) -> None:
    db.conn.execute("UPDATE harvest_sources SET mark = ? WHERE name = ?", (mark, name))


def update_identity(db: sqlite_utils.Database, name: str, identity: Identity) -> None:
    """Refresh what Identify says (granularity, earliestDatestamp) at the start of a run."""
    db.conn.execute(
        "UPDATE harvest_sources SET granularity = ?, earliest_datestamp = ? WHERE name = ?",
        (identity.granularity.value, identity.earliest_datestamp, name),
    )


def last_success(db: sqlite_utils.Database, source: Source) -> str | None:
    """When the latest successful run of ``source`` ended (the latest made, whatever the
    clock said); runs from before it was added (a source of that name removed) do not
    count: they are the runs up to ``first_run`` (by id, not by date: a clock set back
    since it was added would leave its own runs out, and it would be due on every call)."""
    row = db.conn.execute(
        "SELECT finished_at FROM harvest_runs WHERE source = ? AND status = 'ok'"
        " AND id > ? ORDER BY id DESC LIMIT 1",
        (source.name, source.first_run),
    ).fetchone()
    return str(row[0]) if row else None


def next_due(db: sqlite_utils.Database, source: Source) -> datetime | None:
    """When the source is next due: None if unscheduled; its add time if it has not run
    successfully since; else its interval after that run ended (the end of time if that
    is past the calendar)."""
    if source.every_seconds is None:
        return None
    return _due_after(source.added_at, source.every_seconds, last_success(db, source))


def _due_after(added_at: str, every: int, done: str | None) -> datetime:
    """:func:`next_due` of a source added at ``added_at``, due ``every`` seconds, whose
    latest successful run ended at ``done`` (None: it has had none)."""
    if done is None:
        return parse_datestamp(added_at)[0]
    try:
        return parse_datestamp(done)[0] + timedelta(seconds=every)
    except OverflowError:
        return datetime.max.replace(tzinfo=timezone.utc)


def due_sources(db: sqlite_utils.Database, now: datetime) -> list[Source]:
    """Scheduled sources whose next run is at or before ``now``, or whose last run (or
    add time) is after ``now``: the clock has been set back since, and the source would
    otherwise wait for the clock to catch up."""
    return [source for source in all_sources(db) if is_due(db, source, now)]


def is_due(db: sqlite_utils.Database, source: Source, now: datetime) -> bool:
    """Whether ``source`` is due at ``now`` (see :func:`due_sources`)."""
    if source.every_seconds is None:
        return False
    done = last_success(db, source)  # (one query for both questions)
    since = done or source.added_at
    due = _due_after(source.added_at, source.every_seconds, done)
    return due <= now or parse_datestamp(since)[0] > now


def last_run_id(db: sqlite_utils.Database, name: str) -> int:
    """The id of the latest run of source ``name`` (0 if none). Ids grow with each run
    whatever the clock says: the sources of a call go least recently run first."""
    row = db.conn.execute("SELECT MAX(id) FROM harvest_runs WHERE source = ?",
                          (name,)).fetchone()
    return int(row[0] or 0)


def last_success_id(db: sqlite_utils.Database, name: str) -> int:
    """The id of the latest successful run of source ``name`` (0 if none): another one
    later means the source was harvested meanwhile."""
    row = db.conn.execute("SELECT MAX(id) FROM harvest_runs WHERE source = ? AND status = 'ok'",
                          (name,)).fetchone()
    return int(row[0] or 0)


def statuses(db: sqlite_utils.Database, names: Sequence[str] = ()) -> list[SourceStatus]:
    """Every source (or those named) with its record figures and schedule."""
    result = []
    for source in all_sources(db):
        if names and source.name not in names:
            continue
        live, deleted, failed = db.conn.execute(
            "SELECT COALESCE(SUM(deleted = 0), 0), COALESCE(SUM(deleted = 1), 0),"
            " COALESCE(SUM(status = 'failed' AND deleted = 0), 0)"
            " FROM harvest_resources WHERE source = ?",
            (source.name,),
        ).fetchone()
        due = next_due(db, source)
        result.append(
            SourceStatus(
                source,
                int(live),
                int(deleted),
                int(failed),
                last_success(db, source),
                format_datestamp(due) if due is not None else None,
                last_run(db, source.name),
            )
        )
    return result


def last_run(db: sqlite_utils.Database, name: str) -> LastRun | None:
    """The latest run of source ``name`` (None if it never ran)."""
    row = db.conn.execute(
        "SELECT started_at, status, error FROM harvest_runs WHERE source = ?"
        " ORDER BY id DESC LIMIT 1",
        (name,),
    ).fetchone()
    if row is None:
        return None
    return LastRun(str(row[0]), run_status(db.conn, name, str(row[1])), str(row[2] or ""))


def _row(db: sqlite_utils.Database, name: str) -> dict[str, object] | None:
    cur = db.conn.execute("SELECT * FROM harvest_sources WHERE name = ?", (name,))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cur.description], row))


def _source(row: dict[str, object]) -> Source:
    every = row["every_seconds"]
    return Source(
        name=str(row["name"]),
        base_url=str(row["base_url"]),
        prefix=str(row["prefix"]),
        sets=tuple(str(row["sets"]).split()),
        every_seconds=int(every) if isinstance(every, int) else None,
        from_date=str(row["from_date"]) if row["from_date"] is not None else None,
        granularity=Granularity(str(row["granularity"])),
        earliest_datestamp=str(row["earliest_datestamp"]),
        repository_name=str(row["repository_name"]),
        added_at=str(row["added_at"]),
        mark=str(row["mark"]) if row["mark"] is not None else None,
        other_hosts=bool(row["other_hosts"]),
        first_run=int(str(row["first_run"])),
    )
