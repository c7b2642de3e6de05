"""``rli source ...`` and ``rli harvest ...``: the harvester's commands (``rli resources``
reads the harvest back: :mod:`repository.cli.resources`).

A thin shell: options are parsed here, the work is done by the harvester
package, and its errors become one ``Error:`` line with exit status 1.
The one-shot dump is imported by the one-shot harvest only, so ``rli
harvest`` starts without it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlite_utils

from crosswalks.registry import FORMATS
from harvester.client import DEFAULT_PAGE_DEADLINE, OAIClient
from harvester.job import Progress, RunResult
from harvester.lock import lock_dir_of, source_lock
from harvester.retry import RetryPolicy
from harvester.schedule import Settings, http_client, run_sources
from harvester.shared.db import open_db
from harvester.shared.protocol import BadArgument, check_window, utc_now
from harvester.sink import ListSink
from harvester.sources import (
    Source,
    add_source,
    all_sources,
    check_new,
    check_url,
    due_sources,
    ensure_schema,
    format_every,
    get_source,
    last_success_id,
    parse_every,
    probe,
    remove_source,
    statuses,
)
from repository.cli.context import LONG, TIMEOUT, one_line, require_db, user_errors
from repository.cli.harvest_log import LogFile, harvest_log

if TYPE_CHECKING:
    from repository.cli.context import Env

PREFIXES = click.Choice(sorted(FORMATS))


def register(group: click.Group) -> None:
    """Attach the harvester's commands to ``group``."""
    group.add_command(source)
    group.add_command(harvest)


@contextmanager
def harvest_db(env: Env, *, must_exist: bool = True) -> Iterator[sqlite_utils.Database]:
    """The database at ``--db`` with the harvest tables, closed on the way out. Raises
    ClickException if it is missing and ``must_exist`` (all but ``source add``: a cron
    job without RLI_DB made an empty ./rli.db and harvested nothing, silently, for ever)."""
    if must_exist:
        require_db(env.db_path, "`rli source add` makes one, or give --db")
    with user_errors():
        db = open_db(env.db_path)
        try:
            ensure_schema(db)
            yield db
        finally:
            db.conn.close()


def _archive(db: sqlite_utils.Database) -> ListSink | None:
    """The repository's archive as the sink for harvested lists (None if not built)."""
    try:
        from repository.archive import Archive
        from repository.archive.harvest_sink import HarvestedLists
    except ImportError:
        return None
    return HarvestedLists(Archive(db))


def _set_mirror(db: sqlite_utils.Database, name: str, mirror: bool) -> None:
    from repository.archive import Archive
    from repository.archive.changes import set_mirror

    Archive(db)  # the archive's tables
    set_mirror(db.conn, name, mirror)


def _last_change(db: sqlite_utils.Database) -> int:
    from repository.archive.changes import last_change_id

    return last_change_id(db.conn)


def _propagate(env: Env, names: list[str], after: int, *, quiet: bool = False,
               stop_at: float | None = None) -> None:
    """Flag the lists citing records these harvests changed or deleted (UC8), and those
    an earlier harvest's --max-time left (any source's), until ``stop_at``.

    Then say how many pending changes each source brought (those, and the
    upstream versions held for lists edited here).
    """
    from repository.archive import Archive
    from repository.archive.changes import new_since
    from repository.archive.propagate import lagging, propagate

    with harvest_db(env) as db, user_errors():
        archive = Archive(db)
        names = list(dict.fromkeys([*names, *lagging(archive)]))
        for name in names:
            if propagate(archive, name, stop_at) is None and not quiet:
                click.echo(f"{name}: changes to the lists citing its records not all proposed"
                           " (--max-time): the next harvest proposes the rest", err=True)
        for name, count in new_since(db.conn, after, names).items():
            if quiet:
                continue
            click.echo(f"{name}: {count} new pending change{'s' if count > 1 else ''}"
                       " (`rli changes`)")


def _keep_dir(env: Env) -> Path:
    path = env.db_path
    return path.parent / f"{path.stem}-broken-pages"


def _lock_dir(env: Env) -> Path:
    return lock_dir_of(env.db_path)


# -- rli source ---------------------------------------------------------------


@click.group()
def source() -> None:
    """Register, list and remove OAI-PMH providers to harvest."""


@source.command("add")
@click.argument("name")
@click.argument("base_url")
@click.option("--prefix", "-m", type=PREFIXES, required=True, help="metadataPrefix to harvest.")
@click.option("--set", "sets", multiple=True, help="setSpec to harvest (repeatable).")
@click.option("--every", help="Schedule for `rli harvest --due`: 6h, 1d, 7d ...")
@click.option("--from", "from_", help="Harvest records from this date (YYYY-MM-DD) only.")
@click.option("--timeout", type=TIMEOUT, default=30.0, show_default=True, help="Seconds.")
@click.option("--allow-redirects", is_flag=True,
              help="Follow redirects to other hosts (default: the base URL's host only).")
@click.option("--mirror", is_flag=True,
              help="Harvested lists always follow upstream, even if edited here.")
@click.pass_obj
def source_add(
    env: Env,
    name: str,
    base_url: str,
    prefix: str,
    sets: tuple[str, ...],
    every: str | None,
    from_: str | None,
    timeout: float,
    allow_redirects: bool,
    mirror: bool,
) -> None:
    """Add a source NAME at BASE_URL, checked with Identify."""
    with user_errors():  # checked and asked before the database is opened (or made)
        check_new(name, prefix, from_, sets)
        check_url(base_url)
        every_seconds = parse_every(every) if every else None
        with http_client(timeout) as http:
            client = OAIClient(base_url, http, timeout=timeout, keep_dir=_keep_dir(env),
                               policy=RetryPolicy(attempts=2, backoff=0.5, wait_budget=30),
                               other_hosts=allow_redirects)
            identity = probe(client, prefix)
    with harvest_db(env, must_exist=False) as db, user_errors():
        wanted = Source(name, base_url, prefix, tuple(sets), every_seconds, from_,
                        other_hosts=allow_redirects)
        stored = add_source(db, wanted, identity, utc_now())
        _set_mirror(db, name, mirror)
    click.echo(
        f"added {stored.name}: {identity.repository_name or base_url}"
        f" (granularity {stored.granularity.value}, earliest {stored.earliest_datestamp})"
    )


SOURCE_COLUMNS = ("name", "prefix", "records", "deleted", "failed", "last_run", "last_success",
                  "next_due", "base_url", "last_error")


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON array instead of a table.")
@click.pass_obj
def source_list(env: Env, as_json: bool) -> None:
    """List sources with their record counts and schedule."""
    with harvest_db(env) as db, user_errors():
        found = statuses(db)
    rows = [
        {
            "name": s.source.name,
            "base_url": s.source.base_url,
            "prefix": s.source.prefix,
            "sets": list(s.source.sets),
            "every": format_every(s.source.every_seconds) or None,
            "from": s.source.from_date,
            "granularity": s.source.granularity.value,
            "earliest_datestamp": s.source.earliest_datestamp,
            "records": s.records,
            "deleted": s.deleted,
            "failed": s.failed,
            "last_success": s.last_success,
            "next_due": s.next_due,
            "last_run": s.last_run.started_at if s.last_run else None,
            "last_status": s.last_run.status if s.last_run else None,
            "last_error": (s.last_run.error or None) if s.last_run else None,
        }
        for s in found
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no sources (add one with `rli source add NAME BASE_URL --prefix P`)", err=True)
        return
    click.echo("\t".join(SOURCE_COLUMNS))
    for r in rows:
        click.echo("\t".join(
            str(v) if v not in (None, "") else "-"
            for v in (r["name"], r["prefix"], r["records"], r["deleted"], r["failed"],
                      r["last_status"], r["last_success"], r["next_due"], r["base_url"],
                      r["last_error"])
        ))


@source.command("remove")
@click.argument("name")
@click.pass_obj
def source_remove(env: Env, name: str) -> None:
    """Forget source NAME (its harvested records stay); refused while it is being harvested."""
    with harvest_db(env) as db, user_errors():
        get_source(db, name)  # a name known, before it names a lock file
        with source_lock(_lock_dir(env), name):
            remove_source(db, name)
            _set_mirror(db, name, False)
    click.echo(f"removed {name}")


# -- rli harvest --------------------------------------------------------------


class _ProgressLine:
    """One status line on a terminal, rewritten in place (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def __call__(self, p: Progress) -> None:
        total = f"/{p.complete_list_size}" if p.complete_list_size is not None else ""
        with self.lock:
            click.echo(
                f"\r{p.source}: {p.records}{total} records, {p.pages} pages   ", nl=False, err=True
            )


@click.command()
@click.argument("names", nargs=-1)
@click.option("--due", is_flag=True, help="Harvest every source whose schedule is due.")
@click.option("--all", "all_", is_flag=True, help="Harvest every source.")
@click.option("--full", is_flag=True, help="Ignore the incremental mark: harvest everything.")
@click.option("--timeout", type=TIMEOUT, default=60.0, show_default=True, help="Seconds/request.")
@click.option("-l", "--link", help="One-shot: provider base URL (no source needed).")
@click.option("-o", "--filename", type=click.Path(dir_okay=False, path_type=Path),
              help="One-shot: output XML file.")
@click.option("-m", "--mdprefix", default="oai_dc", show_default=True, help="One-shot: prefix.")
@click.option("-s", "--setname", help="One-shot: setSpec.")
@click.option("-f", "--from", "from_", help="One-shot: from date.")
@click.option("-u", "--until", help="One-shot: until date.")
@click.option("--max-time", type=LONG, help="Stop all runs after this many"
              " seconds (the next run resumes where they stopped).")
@click.option("--page-deadline", type=LONG, default=DEFAULT_PAGE_DEADLINE,
              show_default=True, help="Seconds one page may take, however it trickles in.")
@click.option("--allow-redirects", is_flag=True, help="One-shot: follow redirects to other hosts.")
@click.option("-q", "--quiet", is_flag=True, help="For cron: nothing when all is well, one line"
              " per failed source on stderr (exit 1).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Append the harvest log (INFO and up) to this file.")
@click.pass_obj
def harvest(
    env: Env,
    names: tuple[str, ...],
    due: bool,
    all_: bool,
    full: bool,
    timeout: float,
    link: str | None,
    filename: Path | None,
    mdprefix: str,
    setname: str | None,
    from_: str | None,
    until: str | None,
    max_time: float | None,
    page_deadline: float,
    allow_redirects: bool,
    quiet: bool,
    log_file: Path | None,
) -> None:
    """Harvest sources NAME..., or --due, or --all; or one-shot -l URL -o FILE.

    Under --due a source whose previous run is still going is skipped; named,
    it is refused (one run per source at a time).
    """
    with user_errors():
        kept = harvest_log(quiet, log_file)
    if link is not None or filename is not None:
        if names or due or all_:
            raise click.UsageError("-l/-o is a one-shot harvest: give no source names")
        if link is None or filename is None:
            raise click.UsageError("a one-shot harvest needs both -l URL and -o FILE")
        with user_errors():
            check_url(link)
        limits = _Limits(timeout, page_deadline, max_time, allow_redirects)
        _one_shot(env, link, filename, mdprefix, setname, from_, until, limits, quiet)
        _exit_if_lost(kept)
        return
    if sum((bool(names), due, all_)) != 1:
        raise click.UsageError("name sources, or use --due or --all (one of them)")
    with harvest_db(env) as db, user_errors():
        if due:
            chosen = due_sources(db, utc_now())
        elif all_:
            chosen = all_sources(db)
        else:
            chosen = [get_source(db, n) for n in dict.fromkeys(names)]
        # with --due, a source another call harvests meanwhile is left
        known = {s.name: last_success_id(db, s.name) for s in chosen}
        _archive(db)  # builds the archive's tables before workers start
        after = _last_change(db)
    if not chosen:
        _propagate(env, [], after, quiet=quiet)  # what a --max-time left, if anything
        if not quiet:
            click.echo("nothing to harvest", err=True)
        return
    settings = Settings(keep_dir=_keep_dir(env), timeout=timeout, page_deadline=page_deadline,
                        max_time=max_time, lock_dir=_lock_dir(env))
    progress = _ProgressLine() if sys.stderr.isatty() and not quiet else None
    stop_at = None if max_time is None else time.monotonic() + max_time
    with user_errors():
        results = run_sources(
            env.db_path, chosen, settings, full=full,
            sink_factory=_archive, progress=progress, skip_busy=due,
            due_after=known if due else None,
        )
    if progress is not None:
        click.echo("", err=True)
    failed = [r for r in results if not r.ok and r.status != "skipped"]
    _propagate(env, [r.source for r in results], after, quiet=quiet, stop_at=stop_at)
    if quiet:
        for r in failed:
            click.echo(f"{r.source}: {r.error or r.status}", err=True)
        if failed:
            sys.exit(1)
        _exit_if_lost(kept)
        return
    for r in results:
        click.echo(_summary(r))
    if failed:
        ended = [r.source for r in failed if r.status != "postponed"]
        left = [r.source for r in failed if r.status == "postponed"]
        raise click.ClickException("; ".join(
            [f"harvest failed for {', '.join(ended)}"] * bool(ended)
            + [f"not started (--max-time): {', '.join(left)}"] * bool(left)))
    _exit_if_lost(kept)


def _exit_if_lost(kept: LogFile | None) -> None:
    """Exit 1 if ``--log-file`` could not be written (it said so when it failed)."""
    if kept is not None and kept.lost:
        sys.exit(1)


def _summary(r: RunResult) -> str:
    if r.status in ("skipped", "busy", "postponed"):
        return f"{r.source}: {r.status}: {r.error}"
    window = f"from {r.from_date}" if r.from_date else "full"
    extra = f"; {r.stripped} illegal characters stripped" if r.stripped else ""
    extra += f"; token restarts {r.restarts}" if r.restarts else ""
    extra += "; resumed" if r.resumed else ""
    head = f"{r.source}: {r.status}, {r.records} records ({r.deleted} deleted, {r.failed} failed)"
    line = f"{head}, {r.pages} pages, {window}{extra}"
    return one_line(f"{line}: {r.error}") if r.error else line


def _check_window(from_: str | None, until: str | None) -> None:
    """Raise ClickException unless ``from_`` and ``until`` are a window the provider would
    take (the provider's own check, :func:`harvester.shared.protocol.check_window`)."""
    try:
        check_window(from_, until, names=("--from", "--until"))
    except BadArgument as exc:
        raise click.ClickException(str(exc)) from None


@dataclasses.dataclass(frozen=True)
class _Limits:
    timeout: float
    page_deadline: float
    max_time: float | None
    other_hosts: bool


def _one_shot(
    env: Env,
    link: str,
    filename: Path,
    prefix: str,
    set_spec: str | None,
    from_: str | None,
    until: str | None,
    limits: _Limits,
    quiet: bool,
) -> None:
    from harvester.oneshot import dump_records

    _check_window(from_, until)
    stop_at = None if limits.max_time is None else time.monotonic() + limits.max_time
    try:
        with user_errors(), http_client(limits.timeout) as http:
            client = OAIClient(link, http, timeout=limits.timeout, keep_dir=_keep_dir(env),
                               page_deadline=limits.page_deadline, stop_at=stop_at,
                               other_hosts=limits.other_hosts)
            result = dump_records(client, filename, prefix, set_spec=set_spec, from_=from_,
                                  until=until, database=env.db_path)
    except click.ClickException as exc:
        if not quiet:
            raise
        click.echo(f"{link}: {exc.message.removeprefix(link + ': ')}", err=True)  # once
        sys.exit(1)
    if quiet:
        return
    click.echo(
        f"wrote {result.records} records ({result.deleted} deleted) from {result.pages} pages"
        f" to {result.path}"
    )
