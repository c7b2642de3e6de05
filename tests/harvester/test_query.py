"""Reading the harvest back (harvester/query.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.errors import SourceError
from harvester.job import run_harvest
from harvester.query import harvested_resources, resource_rows
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, get_source
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
IDENTITY = Identity("P", "", "2.0", "2020-01-01", "persistent", Granularity.SECONDS, "")
RECORDS = [
    Rec("oai:p:c", T0 - timedelta(hours=1), "Gamma", ("course:A:week1",)),
    Rec("oai:p:a", T0 - timedelta(hours=2), "Alpha", ("course:A",)),
    Rec("oai:p:b", T0 - timedelta(hours=3), "Beta", ("course:B",)),
    Rec("oai:p:d", T0 - timedelta(hours=4), "", ("course:A",), deleted=True),
    Rec("oai:p:e", T0 - timedelta(hours=5), "Epsilon", ("course:AB",)),
]


@pytest.fixture
def harvested(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    db = open_db(tmp_path / "rli.db")
    with serve(CatalogPeer(RECORDS, page_size=2)) as url, httpx.Client() as http:
        add_source(db, Source("p", url, "oai_dc"), IDENTITY, T0)
        assert run_harvest(db, get_source(db, "p"), OAIClient(url, http)).ok
    yield db
    db.conn.close()


def test_resource_rows_in_identifier_order_with_deleted(harvested: sqlite_utils.Database) -> None:
    rows = resource_rows(harvested, "p")
    assert [r.identifier for r in rows] == sorted(r.identifier for r in RECORDS)
    assert [r.deleted for r in rows] == [r.identifier == "oai:p:d" for r in rows]
    assert rows[0].id == "p:oai:p:a" and rows[0].sets == ("course:A",)
    assert resource_rows(harvested) == rows
    with pytest.raises(SourceError):
        resource_rows(harvested, "other")


@pytest.mark.skipif(
    importlib.util.find_spec("crosswalks.dc") is None, reason="no dc crosswalk"
)
def test_harvested_resources_live_ordered_and_by_set(harvested: sqlite_utils.Database) -> None:
    assert [r.title for r in harvested_resources(harvested, "p")] == [
        "Alpha", "Beta", "Gamma", "Epsilon"]
    in_a = [r.title for r in harvested_resources(harvested, "p", "course:A")]
    assert in_a == ["Alpha", "Gamma"]  # course:A and below it, not course:AB


def test_harvested_resources_unknown_source(harvested: sqlite_utils.Database) -> None:
    with pytest.raises(SourceError):
        list(harvested_resources(harvested, "other"))


def test_a_record_deleted_after_a_harvest_is_reported_like_one_first_seen_deleted(
    tmp_path: Path,
) -> None:
    db = open_db(tmp_path / "rli.db")
    records = list(RECORDS)
    peer = CatalogPeer(records, page_size=2)
    with serve(peer) as url, httpx.Client() as http:
        add_source(db, Source("p", url, "oai_dc"), IDENTITY, T0)
        assert run_harvest(db, get_source(db, "p"), OAIClient(url, http)).ok
        peer.records[1] = Rec("oai:p:a", T0, "", ("course:A",), deleted=True)
        assert run_harvest(db, get_source(db, "p"), OAIClient(url, http), full=True).ok
    rows = {r.identifier: r for r in resource_rows(db, "p")}
    later, first_seen = rows["oai:p:a"], rows["oai:p:d"]
    assert (later.deleted, later.status) == (first_seen.deleted, first_seen.status) == (
        True, "deleted")
    db.conn.close()
