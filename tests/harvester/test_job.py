"""Harvest runs end to end over real sockets: pyoai and scripted peers (harvester/job.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from crosswalks.rli import ResourceList
from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.job import incremental_from, run_harvest
from harvester.query import harvested_resources, resource_rows
from harvester.retry import RetryPolicy
from harvester.shared.blobs import unpack
from harvester.shared.protocol import Granularity, format_datestamp
from harvester.sources import Source, add_source, get_source
from tests import paths
from tests.peers.oai import CatalogPeer, Rec, error_response
from tests.peers.pyoai_peer import pyoai_app
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
HAS_DC = importlib.util.find_spec("crosswalks.dc") is not None


def recs(n: int, sets: tuple[str, ...] = ("course:A",)) -> list[Rec]:
    return [
        Rec(f"oai:peer:{i:03d}", T0 - timedelta(days=n - i), f"Title {i}", sets=sets)
        for i in range(n)
    ]


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Saved:
    lst: ResourceList
    editor: str
    origin: bytes | None
    sets: tuple[str, ...]


class MemorySink:
    """A ListSink that remembers what it was given."""

    def __init__(self) -> None:
        self.saved: list[Saved] = []
        self.deleted: list[str] = []

    def save(self, lst: ResourceList, *, editor: str, note: str, origin: bytes | None = None,
             sets: Sequence[str] = ()) -> object:
        self.saved.append(Saved(lst, editor, origin, tuple(sets)))
        return None

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        if list_id not in {s.lst.identifier for s in self.saved}:
            raise LookupError(list_id)
        self.deleted.append(list_id)


def register(db: sqlite_utils.Database, url: str, name: str = "peer", prefix: str = "oai_dc",
             granularity: Granularity = Granularity.SECONDS, **kw: object) -> Source:
    identity = Identity("Peer", url, "2.0", "2020-01-01", "persistent", granularity, "")
    add_source(db, Source(name, url, prefix, **kw), identity, T0)  # type: ignore[arg-type]
    return get_source(db, name)


def harvest(  # type: ignore[no-untyped-def]
    db: sqlite_utils.Database, name: str, clock: Clock, tmp_path: Path, **kw: object
):
    source = get_source(db, name)
    with httpx.Client() as http:
        client = OAIClient(source.base_url, http, sleep=lambda s: None, clock=clock,
                           policy=RetryPolicy(backoff=0.01), keep_dir=tmp_path / "broken")
        return run_harvest(db, source, client, clock=clock, **kw)  # type: ignore[arg-type]


def raw_count(db: sqlite_utils.Database, identifier: str | None = None) -> int:
    if identifier is None:
        return int(db.conn.execute("SELECT COUNT(*) FROM harvest_records").fetchone()[0])
    return int(db.conn.execute(
        "SELECT COUNT(*) FROM harvest_records WHERE identifier = ?", (identifier,)
    ).fetchone()[0])


def test_pyoai_peer_is_harvested_completely(db: sqlite_utils.Database, tmp_path: Path) -> None:
    records = recs(11)
    with serve(pyoai_app(records, batch_size=4)) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok, result.error
    assert (result.pages, result.records, result.deleted) == (3, 11, 0)
    rows = resource_rows(db, "peer")
    assert [r.identifier for r in rows] == [r.identifier for r in records]
    assert {r.status for r in rows} == ({"ok"} if HAS_DC else {"pending"})
    raw = db.conn.execute(
        "SELECT base_url, metadata_namespace, datestamp, harvested_at, metadata FROM"
        " harvest_records WHERE identifier = 'oai:peer:003'"
    ).fetchone()
    assert raw[0] == url
    assert raw[1] == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    assert raw[2] == format_datestamp(records[3].datestamp)
    assert raw[3] == format_datestamp(T0)
    assert b"Title 3" in unpack(raw[4])  # kept compressed
    if HAS_DC:
        assert [r.title for r in harvested_resources(db, "peer")][:2] == ["Title 0", "Title 1"]


def test_second_run_is_incremental_from_the_first_response_date(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    peer_clock = Clock(T0 + timedelta(hours=5))  # the provider's clock, not ours
    peer = CatalogPeer(recs(4), clock=peer_clock)
    with serve(peer) as url:
        register(db, url)
        local = Clock(T0 - timedelta(days=400))  # a wrong local clock must not matter
        assert harvest(db, "peer", local, tmp_path).ok
        assert get_source(db, "peer").mark == "2026-03-01T17:00:00Z"
        peer_clock.now += timedelta(hours=1)
        second = harvest(db, "peer", local, tmp_path)
    assert second.ok and second.records == 0
    assert "from" not in peer.list_requests()[0]
    assert peer.list_requests()[1]["from"] == "2026-03-01T16:58:00Z"
    assert get_source(db, "peer").mark == "2026-03-01T18:00:00Z"
    assert raw_count(db) == 4


def test_full_run_ignores_the_mark(db: sqlite_utils.Database, tmp_path: Path) -> None:
    peer = CatalogPeer(recs(3), clock=Clock())
    with serve(peer) as url:
        register(db, url)
        harvest(db, "peer", Clock(), tmp_path)
        again = harvest(db, "peer", Clock(), tmp_path, full=True)
    assert "from" not in peer.list_requests()[1]
    assert again.records == 3
    assert raw_count(db) == 3  # identical records are not stored twice


def test_day_granularity_provider_gets_day_dates(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    peer = CatalogPeer(recs(3), granularity=Granularity.DAY, clock=Clock())
    with serve(peer) as url:
        register(db, url, from_date="2026-02-27")
        first = harvest(db, "peer", Clock(), tmp_path)
        second = harvest(db, "peer", Clock(), tmp_path)
    assert first.ok and second.ok, (first.error, second.error)
    sent = [a["from"] for a in peer.list_requests()]
    assert sent == ["2026-02-27", "2026-03-01"]  # the peer refuses any other granularity
    assert first.records == len([r for r in peer.records if r.datestamp.day >= 27])
    assert get_source(db, "peer").granularity is Granularity.DAY


def test_changed_record_keeps_its_earlier_raw_version(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    records = recs(3)
    peer = CatalogPeer(records, clock=Clock())
    with serve(peer) as url:
        register(db, url)
        harvest(db, "peer", Clock(), tmp_path)
        records[1] = replace(records[1], title="Title 1, second edition", datestamp=T0)
        assert harvest(db, "peer", Clock(), tmp_path, full=True).ok
    assert raw_count(db, "oai:peer:001") == 2
    assert raw_count(db, "oai:peer:000") == 1
    latest = db.conn.execute(
        "SELECT r.metadata, s.datestamp FROM harvest_resources s JOIN harvest_records r"
        " ON r.id = s.record_id WHERE s.identifier = 'oai:peer:001'"
    ).fetchone()
    assert b"second edition" in unpack(latest[0])
    assert latest[1] == format_datestamp(T0)


def test_an_older_copy_later_in_the_list_neither_wins_nor_piles_up(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    records = recs(3)
    stale = replace(records[1], title="Title 1, first draft",
                    datestamp=records[1].datestamp - timedelta(days=30))
    peer = CatalogPeer([*records, stale], page_size=2, clock=Clock())  # on the next page
    with serve(peer) as url:
        register(db, url)
        first = harvest(db, "peer", Clock(), tmp_path)
        second = harvest(db, "peer", Clock(), tmp_path, full=True)
    assert first.ok and second.ok, (first.error, second.error)
    assert first.pages == 2 and first.records == 4
    current = db.conn.execute(
        "SELECT r.metadata, s.datestamp FROM harvest_resources s JOIN harvest_records r"
        " ON r.id = s.record_id WHERE s.identifier = 'oai:peer:001'"
    ).fetchone()
    assert b"first draft" not in unpack(current[0])
    assert current[1] == format_datestamp(records[1].datestamp)
    assert raw_count(db, "oai:peer:001") == 2  # both as sent, once each, however many runs
    assert raw_count(db) == 4


@pytest.mark.parametrize("page, sent, kept", [
    (2, "20260128", "2026-01-28"),
    (2, "2026-01-28T13:00:00.5+01:00", "2026-01-28T12:00:00Z"),
    (1, "2026-02-27T13:00:00+01:00", "2026-02-27T12:00:00Z"),
])
def test_a_datestamp_that_is_no_oai_one_is_kept_as_the_moment_it_names(
    db: sqlite_utils.Database, tmp_path: Path, page: int, sent: str, kept: str
) -> None:
    """Stored as sent, the stale copy's ``20260128`` (or the current version's offset) was
    no datestamp to compare, and the stale copy later in the list became the current
    version. The header keeps what the provider sent."""
    records = recs(3)
    stale = replace(records[1], title="Title 1, first draft",
                    datestamp=records[1].datestamp - timedelta(days=30))
    proper = format_datestamp((records[1] if page == 1 else stale).datestamp).encode()
    odd = Step(body=lambda b: b.replace(b">%s<" % proper, b">%s<" % sent.encode()))
    peer = ScriptedPeer(CatalogPeer([*records, stale], page_size=2, clock=Clock()),
                        [Step(), *[Step()] * (page - 1), odd])  # Identify, then the pages
    with serve(peer) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok and result.records == 4, result.error
    current = db.conn.execute(
        "SELECT r.metadata FROM harvest_resources s JOIN harvest_records r"
        " ON r.id = s.record_id WHERE s.identifier = 'oai:peer:001'"
    ).fetchone()
    assert b"first draft" not in unpack(current[0])
    stored = dict(db.conn.execute(
        "SELECT datestamp, header FROM harvest_records WHERE identifier = 'oai:peer:001'"
    ).fetchall())
    assert b">%s<" % sent.encode() in stored[kept]  # the column normal, the header as sent
    assert set(stored) <= {kept, "2026-01-28T12:00:00Z", "2026-02-27T12:00:00Z"}


def test_deleted_header_marks_the_resource_deleted(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    records = recs(3)
    with serve(pyoai_app(records, batch_size=2)) as url:
        register(db, url)
        harvest(db, "peer", Clock(), tmp_path)
        records[2] = replace(records[2], deleted=True, datestamp=T0)
        result = harvest(db, "peer", Clock(), tmp_path, full=True)
    assert result.deleted == 1
    rows = {r.identifier: r for r in resource_rows(db, "peer")}
    assert rows["oai:peer:002"].deleted and not rows["oai:peer:001"].deleted
    assert raw_count(db, "oai:peer:002") == 2  # the live version is kept
    live = db.conn.execute(
        "SELECT COUNT(*) FROM harvest_resources WHERE deleted = 0"
    ).fetchone()[0]
    assert live == 2


def test_truncated_page_fails_the_run_and_the_next_run_resumes(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    catalog = CatalogPeer(recs(8), page_size=3, clock=Clock())
    sent: list[bytes] = []

    def truncate(body: bytes) -> bytes:
        sent.append(body[:-40])
        return sent[0]

    peer = ScriptedPeer(catalog, [Step(), Step(), Step(body=truncate)])
    with serve(peer) as url:
        register(db, url)
        failed = harvest(db, "peer", Clock(), tmp_path)
        assert not failed.ok and "page kept at" in failed.error
        kept = list((tmp_path / "broken").iterdir())
        assert len(kept) == 1 and kept[0].read_bytes() == sent[0]
        assert raw_count(db) == 3  # page 1 committed, page 2 never
        status = db.conn.execute("SELECT status, error FROM harvest_runs").fetchone()
        assert status[0] == "failed" and "line" in status[1]
        resumed = harvest(db, "peer", Clock(), tmp_path)
    assert resumed.ok and resumed.resumed
    assert resumed.records == 5
    assert peer.args()[-3:] == [
        {"verb": "Identify"},
        {"verb": "ListRecords", "resumptionToken": "3|||"},
        {"verb": "ListRecords", "resumptionToken": "6|||"},
    ]
    assert [r.identifier for r in resource_rows(db)] == [r.identifier for r in catalog.records]
    assert get_source(db, "peer").mark is not None


def test_expired_checkpoint_token_restarts_the_window_once(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    catalog = CatalogPeer(recs(6), page_size=3, clock=Clock())
    peer = ScriptedPeer(catalog, [Step(), Step(), Step(503, b"", (("Retry-After", "1"),))])
    with serve(peer) as url:
        register(db, url)
        first = harvest(db, "peer", Clock(), tmp_path)  # 503 then ok: same run succeeds
        assert first.ok
        peer.steps.extend([Step(), Step(), Step(body=lambda b: b[:10])])
        assert not harvest(db, "peer", Clock(), tmp_path, full=True).ok
        expired = error_response("badResumptionToken", "expired", T0)
        peer.steps.extend([Step(), Step(body=expired)])
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok and result.restarts == 1
    assert raw_count(db) == 6


@pytest.mark.parametrize("before", [0, 100], ids=["fresh", "harvested-before"])
def test_a_list_restarted_midway_counts_each_record_once(
    db: sqlite_utils.Database, tmp_path: Path, before: int
) -> None:
    """A token refused on page 6 of 10 restarts the list from its start: the run said
    150 records, the 50 sent twice counted twice (both new and unchanged ones)."""
    peer = ScriptedPeer(CatalogPeer(recs(100), page_size=10, clock=Clock()))
    refused = Step(body=error_response("badResumptionToken", "expired", T0))
    with serve(peer) as url:
        register(db, url)
        if before:
            assert harvest(db, "peer", Clock(), tmp_path).records == before
        peer.steps.extend([*[Step()] * 6, refused])  # Identify, pages 1-5, page 6 refused
        result = harvest(db, "peer", Clock(), tmp_path, full=True)
    assert result.ok and result.restarts == 1, result.error
    assert (result.records, result.pages, result.deleted, result.failed) == (100, 15, 0, 0)
    stored = db.conn.execute(
        "SELECT records, pages, restarts FROM harvest_runs WHERE id = ?", (result.run_id,)
    ).fetchone()
    assert stored == (100, 15, 1)
    assert raw_count(db) == 100


def test_control_characters_are_counted_on_the_run(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    catalog = CatalogPeer(recs(2), clock=Clock())
    dirty = Step(body=lambda b: b.replace(b"Title 0", b"\x02Title\x10 0"))
    peer = ScriptedPeer(catalog, [Step(), dirty])
    with serve(peer) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok and result.stripped == 2
    stored = db.conn.execute("SELECT stripped FROM harvest_runs").fetchone()[0]
    assert stored == 2


def test_sets_are_harvested_each_with_its_checkpoint(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    records = recs(3, ("course:A",)) + [
        Rec(f"oai:peer:b{i}", T0 - timedelta(days=i), f"B {i}", sets=("course:B",))
        for i in range(2)
    ]
    peer = CatalogPeer(records, clock=Clock())
    with serve(peer) as url:
        register(db, url, sets=("course:B",))
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.records == 2
    assert [a["set"] for a in peer.list_requests()] == ["course:B"]
    assert {r.identifier for r in resource_rows(db)} == {"oai:peer:b0", "oai:peer:b1"}


def test_incremental_from_uses_mark_minus_overlap_at_provider_granularity() -> None:
    src = Source("s", "http://x", "oai_dc", mark="2026-03-01T00:01:00Z")
    assert incremental_from(src, Granularity.SECONDS) == "2026-02-28T23:59:00Z"
    assert incremental_from(src, Granularity.DAY) == "2026-02-28"
    assert incremental_from(replace(src, mark=None), Granularity.DAY) is None
    fresh = replace(src, mark=None, from_date="2025-09-01")
    assert incremental_from(fresh, Granularity.SECONDS) == "2025-09-01T00:00:00Z"


SAMPLES = paths.SAMPLES


def test_real_tudelft_pages_replayed(db: sqlite_utils.Database, tmp_path: Path) -> None:
    pages = [
        (SAMPLES / "oai_dc" / name).read_bytes()
        for name in ("tudelft-2004-Identify.xml", "tudelft-2004-ListRecords-oai_dc.xml",
                     "tudelft-2004-ListRecords-deleted.xml")
    ]
    in_page = pages[1].count(b"<record>")
    peer = ScriptedPeer(CatalogPeer([]), [Step(body=p) for p in pages])
    with serve(peer) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok, result.error
    assert peer.args()[2] == {"verb": "ListRecords", "resumptionToken": "TestToken"}
    assert (result.records, result.deleted, result.pages) == (in_page + 1, 1, 2)
    assert get_source(db, "peer").mark == "2004-12-29T13:19:24Z"  # Identify's responseDate
    rows = {r.identifier: r for r in resource_rows(db, "peer")}
    assert rows["oai:tudelft.nl:107087"].deleted
    assert sum(not r.deleted for r in rows.values()) == in_page


def test_provider_refusing_the_prefix_fails_the_run(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    with serve(CatalogPeer(recs(2), clock=Clock())) as url:
        register(db, url, name="lists", prefix="rli")
        result = harvest(db, "lists", Clock(), tmp_path)
    assert not result.ok and "cannotDisseminateFormat" in result.error
    assert raw_count(db) == 0
    assert get_source(db, "lists").mark is None


def test_rli_records_without_an_archive_are_kept_raw_and_pending(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from lxml import etree

    from harvester.shared.protocol import RLI_NS

    def bare_list(rec: Rec) -> etree._Element:
        el = etree.Element(f"{{{RLI_NS}}}resourceList", nsmap={None: RLI_NS})
        etree.SubElement(el, f"{{{RLI_NS}}}title").text = rec.title
        return el

    catalog = CatalogPeer(recs(2), clock=Clock(), metadata=bare_list, validate=False)
    with serve(_rli_prefix(catalog)) as url:
        register(db, url, name="lists", prefix="rli")
        result = harvest(db, "lists", Clock(), tmp_path)
    assert result.ok, result.error
    rows = resource_rows(db, "lists")
    assert [r.status for r in rows] == ["pending", "pending"]
    assert all("no archive" in r.reason for r in rows)
    namespaces = db.conn.execute("SELECT DISTINCT metadata_namespace FROM harvest_records")
    assert [n[0] for n in namespaces] == [RLI_NS]


def rli_list(i: int, title: str) -> ResourceList:
    return ResourceList(identifier=f"list-{i}", title=title, owner="owner@uni.example")


def test_rli_lists_go_to_the_sink_with_provenance(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    rli_xml = pytest.importorskip("crosswalks.rli.binding")
    from lxml import etree

    from crosswalks.validation import validate

    lists = {f"oai:peer:{i:03d}": rli_list(i, f"Reading list {i}") for i in range(3)}
    records = recs(3)
    catalog = CatalogPeer(
        records, clock=Clock(), metadata=lambda r: rli_xml.list_to_element(lists[r.identifier])
    )
    catalog_prefix = ScriptedPeer(catalog)
    sink = MemorySink()
    with serve(_rli_prefix(catalog_prefix)) as url:
        register(db, url, name="lists", prefix="rli")
        result = harvest(db, "lists", Clock(), tmp_path, sink=sink)
        assert result.ok, result.error
        assert [s.lst.title for s in sink.saved] == ["Reading list 0", "Reading list 1",
                                                    "Reading list 2"]
        assert {s.sets for s in sink.saved} == {("source:lists",)}
        assert {s.editor for s in sink.saved} == {"harvest:lists"}
        origin = sink.saved[0].origin
        assert origin is not None
        el = etree.fromstring(origin)
        wrapper = etree.Element("{http://www.openarchives.org/OAI/2.0/provenance}provenance")
        wrapper.append(el)
        validate(wrapper, "provenance")
        assert el.findtext("{http://www.openarchives.org/OAI/2.0/provenance}baseURL") == url
        records[1] = replace(records[1], deleted=True, datestamp=T0)
        assert harvest(db, "lists", Clock(), tmp_path, sink=sink, full=True).ok
    assert sink.deleted == ["list-1"]
    assert sorted({(r.deleted, r.status) for r in resource_rows(db, "lists")}) == [
        (False, "list"), (True, "deleted")]


def test_rli_lists_land_in_the_real_archive(db: sqlite_utils.Database, tmp_path: Path) -> None:
    rli_xml = pytest.importorskip("crosswalks.rli.binding")
    from repository.archive import Archive

    archive = Archive(db)
    lists = {f"oai:peer:{i:03d}": rli_list(i, f"Reading list {i}") for i in range(3)}
    records = recs(3)
    catalog = CatalogPeer(
        records, clock=Clock(), metadata=lambda r: rli_xml.list_to_element(lists[r.identifier])
    )
    with serve(_rli_prefix(catalog)) as url:
        register(db, url, name="lists", prefix="rli")
        assert harvest(db, "lists", Clock(), tmp_path, sink=archive).ok
        assert all(archive.exists(f"list-{i}") for i in range(3))
        origin = archive.origin("list-0")
        assert origin is not None and url.encode() in origin
        again = harvest(db, "lists", Clock(), tmp_path, sink=archive, full=True)
        assert again.ok and [v.version for v in archive.history("list-0")] == [1]
        records[1] = replace(records[1], deleted=True, datestamp=T0)
        assert harvest(db, "lists", Clock(), tmp_path, sink=archive, full=True).ok
    assert archive.tombstone("list-1") is not None
    assert archive.tombstone("list-0") is None


def test_pending_lists_are_archived_by_the_next_run(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    rli_xml = pytest.importorskip("crosswalks.rli.binding")
    lists = {f"oai:peer:{i:03d}": rli_list(i, f"List {i}") for i in range(2)}
    catalog = CatalogPeer(
        recs(2), clock=Clock(), metadata=lambda r: rli_xml.list_to_element(lists[r.identifier])
    )
    sink = MemorySink()
    with serve(_rli_prefix(catalog)) as url:
        register(db, url, name="lists", prefix="rli")
        assert harvest(db, "lists", Clock(), tmp_path).ok  # no archive given: kept pending
        assert {r.status for r in resource_rows(db, "lists")} == {"pending"}
        again = harvest(db, "lists", Clock(), tmp_path, sink=sink)
    assert again.ok and again.records == 0  # nothing new harvested ...
    assert [s.lst.identifier for s in sink.saved] == ["list-0", "list-1"]  # ... yet archived
    assert {r.status for r in resource_rows(db, "lists")} == {"list"}


def _rli_prefix(app):  # type: ignore[no-untyped-def]
    """The catalog peer answers only oai_dc; rewrite the prefix asked for."""

    def wrapped(environ, start_response):  # type: ignore[no-untyped-def]
        environ = dict(environ)
        environ["QUERY_STRING"] = environ.get("QUERY_STRING", "").replace(
            "metadataPrefix=rli", "metadataPrefix=oai_dc"
        )
        return app(environ, start_response)

    return wrapped


class RefusingSink(MemorySink):
    """A sink that fails on delete with an error the harvester does not know."""

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        raise RuntimeError("sink refused")


def test_an_unexpected_sink_error_fails_the_run_without_raising(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from crosswalks.rli import binding as rli_xml

    lists = {f"oai:peer:{i:03d}": rli_list(i, f"Reading list {i}") for i in range(2)}
    records = recs(2)
    catalog = CatalogPeer(
        records, clock=Clock(), metadata=lambda r: rli_xml.list_to_element(lists[r.identifier])
    )
    sink = RefusingSink()
    with serve(_rli_prefix(ScriptedPeer(catalog))) as url:
        register(db, url, name="lists", prefix="rli")
        assert harvest(db, "lists", Clock(), tmp_path, sink=sink).ok
        records[0] = replace(records[0], deleted=True, datestamp=T0)
        result = harvest(db, "lists", Clock(), tmp_path, sink=sink, full=True)
    assert not result.ok and result.error == "internal error: RuntimeError: sink refused"
    statuses = [r[0] for r in db.conn.execute("SELECT status FROM harvest_runs ORDER BY id")]
    assert statuses == ["ok", "failed"]


def test_a_day_mark_stays_a_day_but_a_full_run_reads_it_afresh() -> None:
    # a provider whose Identify says seconds sent day datestamps once: incremental runs keep
    # a day mark (it compares a from with each record's midnight); a full run sees every
    # record, so one fixed since gets its seconds back (found in review: --full kept it)
    from harvester.job import Counts, _mark

    source = Source("p", "http://127.0.0.1:9/oai", "oai_dc", mark="2026-03-01")
    first = "2026-03-02T10:00:00Z"
    assert _mark(first, source, Granularity.SECONDS, Counts()) == "2026-03-02"
    assert _mark(first, source, Granularity.SECONDS, Counts(), full=True) == first
    assert _mark(first, source, Granularity.SECONDS, Counts(day_stamps=True),
                 full=True) == "2026-03-02"
