"""Fetching the next page while the current one is stored (harvester/ahead.py), over real
sockets where a harvest is involved."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils

from harvester.ahead import Ahead
from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.job import Progress, RunResult, run_harvest
from harvester.query import resource_rows
from harvester.retry import RetryPolicy
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, get_source
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def _records(n: int) -> list[Rec]:
    return [Rec(f"oai:peer:{i:03d}", T0 - timedelta(days=n - i), f"Title {i}") for i in range(n)]


def _harvest(
    db: sqlite_utils.Database, catalog: CatalogPeer, tmp_path: Path,
    progress: Callable[[Progress], None] | None = None,
) -> RunResult:
    """``catalog`` served on a real socket and harvested once into ``db``; the run is ok."""
    with serve(catalog) as url, httpx.Client() as http:
        identity = Identity("Peer", url, "2.0", "2020-01-01", "persistent",
                            Granularity.SECONDS, "")
        add_source(db, Source("peer", url, "oai_dc"), identity, T0)
        client = OAIClient(url, http, policy=RetryPolicy(backoff=0.01),
                           keep_dir=tmp_path / "broken")
        result = run_harvest(db, get_source(db, "peer"), client, clock=lambda: T0,
                             progress=progress)
    assert result.ok, result.error
    return result


def test_the_next_page_is_requested_while_the_current_one_is_stored(tmp_path: Path) -> None:
    """While page 1's transaction is done and reported, page 2 is already asked for."""
    catalog = CatalogPeer(_records(9), page_size=3, clock=lambda: T0)
    seen_during_page_1: list[bool] = []

    def asked_for_page_2() -> bool:
        with catalog.lock:
            return any(a.get("resumptionToken", "").startswith("3|") for _, a in catalog.requests)

    def progress(p: Progress) -> None:
        if p.pages == 1:  # page 1 is committed; its caller has not asked for page 2 yet
            deadline = time.monotonic() + 5
            while not asked_for_page_2() and time.monotonic() < deadline:
                time.sleep(0.01)
            seen_during_page_1.append(asked_for_page_2())

    db = open_db(tmp_path / "rli.db")
    result = _harvest(db, catalog, tmp_path, progress)
    assert seen_during_page_1 == [True]
    assert (result.pages, result.records) == (3, 9)
    assert [r.identifier for r in resource_rows(db)] == [r.identifier for r in catalog.records]
    db.conn.close()


def test_records_are_prepared_in_the_storing_thread_not_the_fetching_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fetching thread fetches and parses a page; each record is serialised, hashed
    and compressed (``records.prepare``) where it is stored. Done in the fetching thread,
    those calls handed the GIL to and fro three times a record: `rli harvest` of 5,000
    of rli's lists took 4.4-4.9 s of CPU against 3.5-4.0 (harvester/ahead.py)."""
    from harvester import job  # noqa: PLC0415 - patched below, as the harvest looks it up

    real = job.prepare
    threads: list[threading.Thread] = []

    def spied(record: Any) -> Any:
        threads.append(threading.current_thread())
        return real(record)

    monkeypatch.setattr(job, "prepare", spied)
    catalog = CatalogPeer(_records(9), page_size=3, clock=lambda: T0)
    db = open_db(tmp_path / "rli.db")
    result = _harvest(db, catalog, tmp_path)
    assert result.records == 9
    assert [t.name for t in threads] == [threading.current_thread().name] * 9
    assert [r.identifier for r in resource_rows(db)] == [r.identifier for r in catalog.records]
    db.conn.close()


def test_items_and_the_error_come_in_the_order_the_iterator_gave_them() -> None:
    def pages() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("page 3 is broken")

    got: list[int] = []
    with Ahead(pages()) as ahead, pytest.raises(ValueError, match="page 3 is broken"):
        for item in ahead:
            got.append(item)
    assert got == [1, 2]


def test_leaving_early_stops_the_thread_and_closes_the_iterator() -> None:
    made: list[int] = []
    closed = threading.Event()

    def pages() -> Iterator[int]:
        try:
            for n in range(1000):
                made.append(n)
                yield n
        finally:
            closed.set()

    ahead = Ahead(pages(), name="prefetch-test")
    with ahead, pytest.raises(RuntimeError):
        for _ in ahead:
            raise RuntimeError("storing page 1 failed")
    assert closed.is_set()
    assert not any(t.name == "prefetch-test" for t in threading.enumerate())
    assert len(made) <= 3  # the page in hand, the one queued, the one being fetched
    assert list(ahead) == []
