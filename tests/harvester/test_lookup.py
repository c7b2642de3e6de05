"""One harvested record, each source's last run, record counts (harvester/lookup.py)."""

from __future__ import annotations

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
from harvester.lookup import RecordNotFound, harvested_record, last_runs, record_count
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, get_source
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
IDENTITY = Identity("P", "", "2.0", "2020-01-01", "persistent", Granularity.SECONDS, "")
RECORDS = [
    Rec("oai:p:a", T0 - timedelta(hours=2), "Alpha", ("course:A",)),
    Rec("oai:p:d", T0 - timedelta(hours=1), "", ("course:A",), deleted=True),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    found = open_db(tmp_path / "rli.db")
    with serve(CatalogPeer(RECORDS)) as url, httpx.Client() as http:
        add_source(found, Source("p", url, "oai_dc"), IDENTITY, T0)
        add_source(found, Source("idle", url, "oai_dc"), IDENTITY, T0)
        assert run_harvest(found, get_source(found, "p"), OAIClient(url, http)).ok
    yield found
    found.conn.close()


def test_a_record_with_its_raw_parts_provenance_and_resource(db: sqlite_utils.Database) -> None:
    rec = harvested_record(db, "p", "oai:p:a")
    assert (rec.source, rec.identifier, rec.status, rec.deleted) == ("p", "oai:p:a", "ok", False)
    assert rec.base_url.startswith("http://127.0.0.1:") and rec.harvested_at
    assert rec.metadata_namespace == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    assert b"<identifier>oai:p:a</identifier>" in rec.header
    assert rec.metadata is not None and b"Alpha" in rec.metadata
    assert rec.resource is not None and rec.resource.title == "Alpha"
    assert rec.set_specs == ("course:A",)


def test_a_deleted_record_has_no_resource(db: sqlite_utils.Database) -> None:
    rec = harvested_record(db, "p", "oai:p:d")
    assert rec.deleted and rec.metadata is None and rec.resource is None


def test_unknown_records_and_sources(db: sqlite_utils.Database) -> None:
    with pytest.raises(RecordNotFound, match="has no record 'oai:p:z'"):
        harvested_record(db, "p", "oai:p:z")
    with pytest.raises(SourceError):
        harvested_record(db, "nosuch", "oai:p:a")


def test_last_runs_and_counts(db: sqlite_utils.Database) -> None:
    runs = last_runs(db)
    assert set(runs) == {"p"}
    assert (runs["p"].status, runs["p"].records, runs["p"].error) == ("ok", 2, None)
    assert runs["p"].finished_at is not None
    assert record_count(db) == 1
