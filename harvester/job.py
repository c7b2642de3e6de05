"""One harvest run of one source: incremental, checkpointed per page, resumable.

The run calls Identify (its responseDate is the run's first response), then
ListRecords per set from the incremental mark: the first-response date of
the last successful run, minus a small overlap, at the provider's
granularity (never the local clock); from its start of day once a provider
that says it keeps seconds has sent datestamps that are days. Each page's
records and the token that follows it commit in one transaction, so after a
crash (even ``kill -9``) the next run resumes from the last committed token of
the unfinished run, with the same window, and ends with exactly the records a
clean run would have. ``full`` drops any checkpoint and the mark.

A provider that refuses a ``from`` with a time of day is asked from its day
(harvester.client): the window starts earlier, and what comes again is kept once.

Never raises for a failed harvest: the returned RunResult says ``failed``
with the error's one line; the checkpoint is kept for the next run, but for a
list that loops (a token repeated, earlier pages again): its last token leads
back into the loop, so the next run asks for that list again from its start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlite_utils
from lxml import etree

from crosswalks.oai_file import iso_moment
from harvester.ahead import Ahead
from harvester.arguments import by_day, oai_args
from harvester.client import OAIClient
from harvester.envelope import Page, read_record
from harvester.errors import (
    EndlessList,
    HarvestError,
    Interrupted,
    RepeatedToken,
    UnexpectedResponse,
)
from harvester.pending import pending_records, reread_pending
from harvester.records import (
    Context,
    HarvestedList,
    Outcome,
    Raw,
    prefetch,
    prefetch_versions,
    prepare,
    store_raw,
)
from harvester.runs import (
    Checkpoint,
    Counts,
    checkpoints,
    create_checkpoints,
    drop_checkpoints,
    finish_run,
    restart_list,
    start_run,
    update_run,
)
from harvester.shared.db import transaction
from harvester.shared.protocol import (
    BadArgument,
    Granularity,
    OAIError,
    Verb,
    format_datestamp,
    in_future,
    parse_datestamp,
    utc_now,
)
from harvester.sink import ListSink
from harvester.sources import Source, ensure_schema, set_mark, update_identity
from harvester.versions import version_fetcher

log = logging.getLogger(__name__)

DEFAULT_OVERLAP = timedelta(minutes=2)


@dataclass(frozen=True)
class Progress:
    """Reported after each committed page."""

    source: str
    set_spec: str
    pages: int
    records: int
    complete_list_size: int | None


@dataclass(frozen=True)
class RunResult:
    source: str
    run_id: int
    status: str
    from_date: str | None
    pages: int
    records: int
    deleted: int
    failed: int
    stripped: int
    restarts: int
    resumed: bool
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def incremental_from(
    source: Source, granularity: Granularity, overlap: timedelta = DEFAULT_OVERLAP
) -> str | None:
    """The ``from`` of the next incremental run (None: harvest everything)."""
    if source.mark is not None:
        moment = parse_datestamp(source.mark)[0] - overlap
        return format_datestamp(moment, granularity)
    if source.from_date is not None:
        return format_datestamp(parse_datestamp(source.from_date)[0], granularity)
    return None


def run_harvest(
    db: sqlite_utils.Database,
    source: Source,
    client: OAIClient,
    *,
    sink: ListSink | None = None,
    clock: Callable[[], datetime] = utc_now,
    full: bool = False,
    overlap: timedelta = DEFAULT_OVERLAP,
    progress: Callable[[Progress], None] | None = None,
) -> RunResult:
    """Harvest ``source`` once (see module docstring); the result says how it went."""
    ensure_schema(db)
    run_id = start_run(db, source.name, clock(), full)
    counts = Counts()
    restarts_before = client.restarts
    from_date: str | None = None
    resumed = False
    try:
        identity = client.identify()
        identity = replace(identity, response_date=_response_date(identity.response_date))
        update_identity(db, source.name, identity)
        if full:
            drop_checkpoints(db, source.name)
        found = checkpoints(db, source.name)
        resumed = bool(found)
        if resumed:
            from_date = found[0].from_date
            first = found[0].first_response_date
        else:
            from_date = None if full else incremental_from(source, identity.granularity, overlap)
            first = identity.response_date
        specs = source.sets or ("",)
        create_checkpoints(db, source.name, run_id, specs, from_date, first)
        found = checkpoints(db, source.name)
        fetch = version_fetcher(client) if getattr(sink, "copies_history", False) else None
        ctx = Context(source.name, source.base_url, source.prefix, run_id,
                      format_datestamp(clock()), sink, fetch)
        pending = pending_records(db, source.name)
        reread_ctx = replace(ctx, fetch=prefetch(ctx, (p.record for p in pending)))  # no lock yet
        with transaction(db):
            reread = reread_pending(db, reread_ctx, pending)
        if reread:
            log.info("%s: %d pending records read now", source.name, reread)
        for cp in found:
            if cp.set_spec in specs and not cp.done:
                _harvest_set(db, source, client, ctx, cp, counts, clock, progress)
        from_date = _asked(from_date, client)
        with transaction(db):
            set_mark(db, source.name, _mark(first, source, identity.granularity, counts, full))
            drop_checkpoints(db, source.name)
            restarts = client.restarts - restarts_before
            finish_run(db, run_id, "ok", counts, restarts, clock(), "", from_date)
    except (HarvestError, OAIError) as exc:
        message = str(exc) if not isinstance(exc, OAIError) else f"provider error {exc.code}: {exc}"
        status = "interrupted" if isinstance(exc, Interrupted) else "failed"
        from_date = _asked(from_date, client)
        log.error("%s: run %s: %s", source.name, status, message)
        restarts = client.restarts - restarts_before
        finish_run(db, run_id, status, counts, restarts, clock(), message, from_date)
        return _result(source.name, run_id, status, from_date, counts, client, restarts_before,
                       resumed, message)
    except Exception as exc:  # a bug or a refusing sink: the run must not stay 'running'
        log.exception("%s: run failed unexpectedly", source.name)
        message = f"internal error: {exc.__class__.__name__}: {exc}"
        from_date = _asked(from_date, client)
        restarts = client.restarts - restarts_before
        with suppress(Exception):  # the database itself may be what failed
            finish_run(db, run_id, "failed", counts, restarts, clock(), message, from_date)
        return _result(source.name, run_id, "failed", from_date, counts, client, restarts_before,
                       resumed, message)
    return _result(source.name, run_id, "ok", from_date, counts, client, restarts_before, resumed)


def _harvest_set(
    db: sqlite_utils.Database,
    source: Source,
    client: OAIClient,
    ctx: Context,
    cp: Checkpoint,
    counts: Counts,
    clock: Callable[[], datetime],
    progress: Callable[[Progress], None] | None,
) -> None:
    args = oai_args(prefix=source.prefix, from_=cp.from_date, set_spec=cp.set_spec or None)
    pages = _with_restarts(client, client.pages(Verb.LIST_RECORDS, args, token=cp.token))
    before, restarts = counts.records, None
    try:
        with Ahead(pages) as ready:  # the next page is fetched and parsed while this one is kept
            for restarted, page in ready:
                if restarts is not None and restarted != restarts:
                    counts.restart(before)
                restarts = restarted
                raws = tuple(prepare(read_record(el)) for el in page.items)
                _keep_page(db, source, ctx, cp, page, raws, counts, clock, progress)
    except (RepeatedToken, EndlessList) as exc:
        # Its last token leads back into the loop: resumed from it, every later run
        # would fail at once. The list starts again; what came is kept, and comes again.
        restart_list(db, source.name, cp.set_spec)
        raise exc.__class__(f"{exc}: the provider's list loops; the next run asks for it"
                            " again from its start") from exc


def _asked(from_date: str | None, client: OAIClient) -> str | None:
    """The ``from`` the provider was asked: its day once it refused a time of day."""
    return by_day({"from": from_date})["from"] if client.asks_by_day and from_date else from_date


def _with_restarts(client: OAIClient, pages: Iterator[Page]) -> Iterator[tuple[int, Page]]:
    """Each page with the client's restarts so far, read as the page comes (in the fetching
    thread: the storing one is a page behind, and would see a restart a page early)."""
    for page in pages:
        yield client.restarts, page


def _keep_page(
    db: sqlite_utils.Database,
    source: Source,
    ctx: Context,
    cp: Checkpoint,
    page: Page,
    raws: tuple[Raw, ...],
    counts: Counts,
    clock: Callable[[], datetime],
    progress: Callable[[Progress], None] | None,
) -> None:
    """Store one page and its checkpoint in one transaction, then say so."""
    stamp = format_datestamp(clock())
    lists: dict[etree._Element, HarvestedList] = {}  # read once, for prefetching and storing
    fetch = prefetch_versions(db, ctx, raws, lists=lists)  # before the write lock is taken
    page_ctx = Context(ctx.source, ctx.base_url, ctx.prefix, ctx.run_id, stamp, ctx.sink,
                       fetch, lists)
    with transaction(db):
        _store_page(db, page_ctx, page, raws, counts)
        db.conn.execute(
            "UPDATE harvest_checkpoints SET token = ?, done = ?, pages = pages + 1"
            " WHERE source = ? AND set_spec = ?",
            (page.token, int(page.token is None), source.name, cp.set_spec),
        )
        update_run(db, ctx.run_id, counts)
    log.info(
        "%s%s: page %d, %d records so far%s",
        source.name,
        f" [{cp.set_spec}]" if cp.set_spec else "",
        counts.pages,
        counts.records,
        f" of {page.complete_list_size}" if page.complete_list_size is not None else "",
    )
    if progress is not None:
        progress(
            Progress(source.name, cp.set_spec, counts.pages, counts.records,
                     page.complete_list_size)
        )


def _store_page(
    db: sqlite_utils.Database, ctx: Context, page: Page, raws: tuple[Raw, ...], counts: Counts
) -> None:
    future = [r.record.header for r in raws if in_future(r.record.header.datestamp,
                                                          ctx.harvested_at)]
    if future:  # kept as sent, but no proof of being newer (harvester.records._older)
        log.warning("%s: %d record%s dated after tomorrow (%s, %s): the provider's clock?",
                    ctx.source, len(future), "s" * (len(future) > 1), future[0].identifier,
                    future[0].datestamp)
    counts.pages += 1
    counts.stripped += page.stripped
    for raw in raws:
        outcome, status = store_raw(db, ctx, raw)
        counts.records += not page.again  # an earlier page's records again: counted once
        stamp = raw.record.header.datestamp
        # a day is at most 10 characters: a record's usual second is not parsed (10 µs)
        if len(stamp.strip()) <= 10 and _granularity(stamp) is Granularity.DAY:
            counts.day_stamps = True
        if outcome is Outcome.DELETED:
            counts.deleted += 1
        elif status == "failed" and outcome is not Outcome.UNCHANGED:
            counts.failed += 1


def _granularity(datestamp: str) -> Granularity | None:
    try:
        return parse_datestamp(datestamp)[1]
    except BadArgument:
        return None


def _mark(first: str, source: Source, granularity: Granularity, counts: Counts,
          full: bool = False) -> str:
    """The next run's mark: ``first``, or its day once the datestamps of a provider that
    says it keeps seconds are days (in this run, or before: a mark that is a day stays
    one, but for a ``full`` run, which sees every record: a provider fixed since gets
    its seconds back). Such a provider compares a ``from`` with a time with the day's
    midnight, and would leave out what changed on the day of the run after its hour."""
    days = granularity is Granularity.SECONDS and (counts.day_stamps or (
        not full and source.mark is not None and _granularity(source.mark) is Granularity.DAY))
    return format_datestamp(parse_datestamp(first)[0], Granularity.DAY) if days else first


def _response_date(value: str) -> str:
    """Identify's responseDate (the next run's mark) as an OAI UTC datestamp: one with a
    fraction of a second or a UTC offset (ISO 8601, not OAI-PMH) is read as the moment it
    names, to the second below, with a warning. Raises UnexpectedResponse for any other."""
    try:
        parse_datestamp(value)
        return value
    except BadArgument:
        pass
    moment = iso_moment(value)
    if moment is None:
        raise UnexpectedResponse(f"provider sent a bad responseDate {value!r}")
    normal = format_datestamp(moment)
    log.warning("responseDate %r is not an OAI-PMH datestamp; read as %s", value, normal)
    return normal


def not_run(name: str, status: str, error: str) -> RunResult:
    """The result for a source that was not harvested (``skipped``, or ``busy``: locked)."""
    return RunResult(name, 0, status, None, 0, 0, 0, 0, 0, 0, False, error)


def _result(
    name: str,
    run_id: int,
    status: str,
    from_date: str | None,
    counts: Counts,
    client: OAIClient,
    restarts_before: int,
    resumed: bool,
    error: str = "",
) -> RunResult:
    return RunResult(
        name, run_id, status, from_date, counts.pages, counts.records, counts.deleted,
        counts.failed, counts.stripped, client.restarts - restarts_before, resumed, error,
    )
