"""Running several sources at once: one worker per provider host, one connection each.

Sources are grouped by host (scheme and netloc of the base URL); each group
runs in its own thread with its own SQLite connection and its own
httpx.Client limited to one connection, its sources one after another, so no
provider sees more than one request at a time. Different hosts run
concurrently, up to ``max_workers``.

Each run holds its source's lock (harvester.lock), so one source never has
two runs at once, in this process or another; under the lock the source is
read again (its mark as the last run left it; one removed meanwhile is
skipped) and, for a call that harvests what is due, left if another call
has harvested it since. Hosts, and the sources of each host, go least
recently run first, and those a call's time limit leaves unstarted are
``postponed``, with no run recorded, so a slow source does not keep the
others waiting call after call. Ctrl-C (KeyboardInterrupt in the
calling thread) stops every run at once (a read in flight ends: its socket is
shut down, :mod:`harvester.sockets`), each recorded ``interrupted`` with its
committed pages kept for the next run to resume, and is raised again once
they have stopped. Never raises for a failed
run (see job.run_harvest); the results come back in the order the sources
were given.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import sqlite_utils

from harvester.client import DEFAULT_PAGE_DEADLINE, OAIClient
from harvester.errors import SourceBusy, SourceError
from harvester.job import DEFAULT_OVERLAP, Progress, RunResult, not_run, run_harvest
from harvester.lock import source_lock
from harvester.retry import RetryPolicy
from harvester.shared.db import open_db
from harvester.shared.protocol import utc_now
from harvester.sink import ListSink
from harvester.sockets import OpenSockets
from harvester.sources import Source, get_source, last_run_id, last_success_id

USER_AGENT = "rli-harvester/0.1 (OAI-PMH 2.0)"


@dataclass(frozen=True)
class Settings:
    """How runs are done: timeouts, retries, where broken pages and locks go, collaborators.

    ``page_deadline``: seconds one page may take; ``max_time``: seconds all the
    runs of one call may take (None: no limit); ``lock_dir``: the per-source
    run locks (default: ``harvest-locks`` beside ``keep_dir``).
    """

    keep_dir: Path
    timeout: float | None = None
    page_deadline: float = DEFAULT_PAGE_DEADLINE
    max_time: float | None = None
    lock_dir: Path | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    overlap: timedelta = DEFAULT_OVERLAP
    max_workers: int = 4
    clock: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] | None = None  # None: OAIClient's, which Ctrl-C ends
    monotonic: Callable[[], float] = time.monotonic

    def locks(self) -> Path:
        return self.lock_dir or self.keep_dir.parent / "harvest-locks"


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def http_client(
    timeout: float | None = None, sockets: OpenSockets | None = None
) -> httpx.Client:
    """An httpx client with one connection (OAIClient decodes gzip and follows redirects);
    its connections kept in ``sockets``, if given, for a Ctrl-C to shut."""
    return httpx.Client(
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        timeout=timeout if timeout is not None else 60.0,
        event_hooks=sockets.hooks() if sockets is not None else None,
    )


def run_sources(
    db_path: Path,
    sources: Sequence[Source],
    settings: Settings,
    *,
    full: bool = False,
    sink_factory: Callable[[sqlite_utils.Database], ListSink | None] = lambda db: None,
    progress: Callable[[Progress], None] | None = None,
    skip_busy: bool = False,
    due_after: Mapping[str, int] | None = None,
) -> list[RunResult]:
    """Harvest ``sources`` (see module docstring). The schema must exist already.

    A source another run holds is not harvested: its result is ``busy`` (a
    failure), or ``skipped`` with ``skip_busy`` (what ``--due`` wants). With
    ``due_after`` (each source's :func:`harvester.sources.last_success_id` when
    it was chosen as due), a source that has had another successful run by the
    time its lock is held (another call's) is ``skipped``; so is a source removed.
    """
    stop_at = None if settings.max_time is None else settings.monotonic() + settings.max_time
    stop = threading.Event()  # set by Ctrl-C: each run stops at its next read
    sockets = OpenSockets()  # shut by Ctrl-C: a read waiting on a silent provider ends
    groups: dict[str, list[Source]] = {}
    for source in _least_recently_run_first(db_path, sources):  # hosts, and each host's
        groups.setdefault(host_of(source.base_url), []).append(source)

    def work(group: list[Source]) -> list[RunResult]:
        db = open_db(db_path)
        try:
            sink = sink_factory(db)
            turn = _When(stop_at, skip_busy, due_after)
            with http_client(settings.timeout, sockets) as http:
                return [
                    _run_one(db, s, http, sink, settings, full, progress, turn, stop)
                    for s in group if not stop.is_set()
                ]
        finally:
            db.conn.close()

    workers = max(1, min(settings.max_workers, len(groups)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harvest") as pool:
        try:
            done = list(pool.map(work, groups.values()))
        except KeyboardInterrupt:  # the runs record themselves interrupted, then stop
            stop.set()
            sockets.shut()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    by_name = {r.source: r for results in done for r in results}
    return [by_name[s.name] for s in sources]


def _least_recently_run_first(db_path: Path, sources: Sequence[Source]) -> list[Source]:
    db = open_db(db_path)
    try:
        return sorted(sources, key=lambda s: last_run_id(db, s.name))
    finally:
        db.conn.close()


@dataclass(frozen=True)
class _When:
    """What decides whether a source of the call runs: the call's time limit (a
    ``monotonic`` time), ``skip_busy`` and ``due_after`` (see :func:`run_sources`)."""

    stop_at: float | None
    skip_busy: bool
    due_after: Mapping[str, int] | None


def _run_one(
    db: sqlite_utils.Database,
    source: Source,
    http: httpx.Client,
    sink: ListSink | None,
    settings: Settings,
    full: bool,
    progress: Callable[[Progress], None] | None,
    turn: _When,
    stop: threading.Event,
) -> RunResult:
    if turn.stop_at is not None and settings.monotonic() >= turn.stop_at:
        return not_run(source.name, "postponed", "not started: the call's time limit passed"
                       " before its turn; it stays due")
    client = OAIClient(
        source.base_url,
        http,
        sleep=settings.sleep,
        clock=settings.clock,
        policy=settings.policy,
        timeout=settings.timeout,
        keep_dir=settings.keep_dir / source.name,
        page_deadline=settings.page_deadline,
        stop_at=turn.stop_at,
        other_hosts=source.other_hosts,
        monotonic=settings.monotonic,
        stop=stop,
    )
    try:
        with source_lock(settings.locks(), source.name):
            fresh = get_source(db, source.name)  # as the last run left it, if not removed
            if (turn.due_after is not None
                    and last_success_id(db, fresh.name) > turn.due_after.get(fresh.name, 0)):
                return not_run(source.name, "skipped",
                               "no longer due (another call has harvested it)")
            return run_harvest(
                db, fresh, client, sink=sink, clock=settings.clock, full=full,
                overlap=settings.overlap, progress=progress,
            )
    except SourceBusy as exc:  # (its message names the source, as the result does)
        return not_run(source.name, "skipped" if turn.skip_busy else "busy",
                       str(exc).removeprefix(f"{source.name}: "))
    except SourceError as exc:  # removed since the call chose it
        return not_run(source.name, "skipped", str(exc))
    except OSError as exc:  # the lock file cannot be made or opened (run_harvest never raises)
        where = exc.filename or settings.locks()
        return not_run(source.name, "failed",
                       f"{where}: cannot take the lock: {exc.strerror or exc}")
