"""repository.oai.records: the three rendering tiers never serve a stale record."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from threading import Thread

import pytest
from lxml import etree

from crosswalks.registry import FORMATS
from crosswalks.validation import validate
from harvester.provenance import origin_bytes, origin_description
from harvester.shared.protocol import RLI_NS
from repository.archive import Archive
from repository.archive.bulk import save_many
from repository.archive.renderings import segment
from repository.oai import store as oai_store
from repository.oai.compression import deflate_segment, inflate_segment, rendered
from repository.oai.provider import Provider
from repository.oai.records import RecordRenderer, RenderCache, fingerprint
from repository.serve import prepare_database
from tests.bench.generate import make_lists
from tests.factories import make_list
from tests.oai_fixtures import NS, SECRET, Clock, client, config, fill, new_archive

DC = FORMATS["oai_dc"]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 5)
    archive.delete("l003", editor="t", note="n")
    oai_store.prepare(archive)
    return archive


def _renderer(archive: Archive, stamp: str = "s1", size: int = 100) -> RecordRenderer:
    provider = Provider(archive, config(), secret=SECRET)
    return RecordRenderer(archive, identifier=provider.oai_identifier,
                          version_url=provider.version_url, cache=RenderCache(size), stamp=stamp)


def _stored(archive: Archive) -> list[tuple[str, str]]:
    return archive.db.conn.execute(
        "SELECT list_id, stamp FROM provider_records ORDER BY list_id").fetchall()


def test_renders_store_and_reuse(archive: Archive) -> None:
    states = archive.changes(limit=10)
    first = _renderer(archive).records(states, DC)
    assert len(first) == 5
    assert [r for r, _ in _stored(archive)] == ["l000", "l001", "l002", "l004"]  # not deleted
    # a fresh process (empty LRU) serves the stored bytes, identical
    assert _renderer(archive).records(states, DC) == first
    # poison the store: only a fresh renderer with the same stamp would show it
    archive.db.conn.execute("UPDATE provider_records SET deflated = ? WHERE list_id = 'l000'",
                            (deflate_segment(b"<record>stored</record>"),))
    assert _renderer(archive).records(states[:1], DC)[0].raw == b"<record>stored</record>"
    assert _renderer(archive, stamp="s2").records(states[:1], DC) == first[:1]


def test_new_version_is_rendered_again(archive: Archive) -> None:
    renderer = _renderer(archive)
    before = renderer.records([archive.state("l001")], DC)[0]
    archive.save(replace(archive.get("l001"), title="A new title"), editor="t", note="v2")
    after = renderer.records([archive.state("l001")], DC)[0]
    assert b"A new title" in after.raw and b"A new title" not in before.raw


def test_lru_is_bounded(archive: Archive) -> None:
    renderer = _renderer(archive, size=2)
    renderer.records(archive.changes(limit=10), DC)
    assert len(renderer.cache) == 2


def test_a_walk_does_not_push_single_records_out_of_the_cache(archive: Archive) -> None:
    renderer = _renderer(archive, size=2)
    wanted = archive.state("l004")
    renderer.records([wanted], DC)  # a GetRecord: kept
    renderer.records(archive.changes(limit=10), DC)  # a page through more than fits
    assert renderer.cache.get(("l004", wanted.version, wanted.seq, "oai_dc")) is not None
    assert len(renderer.cache) == 2
    # a page keeps what fits while there is room
    fresh = _renderer(archive, size=10)
    fresh.records(archive.changes(limit=10), DC)
    assert len(fresh.cache) == 4  # the live ones; a deleted record is not kept


def test_read_only_database_still_serves(archive: Archive, tmp_path: Path) -> None:
    uri = f"file:{tmp_path / 'rli.db'}?mode=ro"
    ro = Archive.__new__(Archive)
    ro.db = type(archive.db)(sqlite3.connect(uri, uri=True, isolation_level=None))
    states = archive.changes(limit=10)
    renderer = RecordRenderer(ro, identifier=str, version_url=lambda i, n: f"u/{i}/{n}",
                              cache=RenderCache(10), stamp="ro")
    assert len(renderer.records(states, DC)) == 5
    assert oai_store.store_records(ro, "oai_dc", "ro", [("l000", 1, rendered(b"x"))]) is False


def test_prerender_makes_only_what_is_missing(archive: Archive, tmp_path: Path) -> None:
    assert prepare_database(tmp_path / "rli.db", config(), ["oai_dc"]) == {"oai_dc": 4}
    assert prepare_database(tmp_path / "rli.db", config(), ["oai_dc"]) == {"oai_dc": 0}
    assert prepare_database(tmp_path / "rli.db", config(base_url="https://x.org/oai"),
                            ["oai_dc"]) == {"oai_dc": 4}


def test_fingerprint_depends_on_settings() -> None:
    assert fingerprint("a") == fingerprint("a")
    assert fingerprint("a") != fingerprint("b")


class _Stop(Exception):
    pass


def test_prerender_starts_from_the_newest_change(tmp_path: Path) -> None:
    # A first harvest walks oldest first while `rli serve` prerenders beside it: the
    # prerender starting from the newest change meets the harvest in the middle
    # instead of rendering the same records alongside it (issue 15).
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 12)
    oai_store.prepare(archive)
    archive.delete("l010", editor="t", note="n")  # now the newest change, and not rendered

    def stop(done: int) -> None:
        raise _Stop

    with pytest.raises(_Stop):
        _renderer(archive).prerender(DC, batch=4, progress=stop)
    assert sorted(lid for lid, _ in _stored(archive)) == ["l008", "l009", "l011"]
    assert _renderer(archive).prerender(DC, batch=4) == 11 - 3


def _responses(archive: Archive, clock: Clock, prefix: str = "oai_dc") -> list[bytes]:
    """Every ListRecords page (plain, and gzip decompressed) from a fresh app (empty LRU)."""
    http = client(archive, clock, records_page=3)
    pages: list[bytes] = []
    args: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        plain = http.get("/oai", params=args, headers={"Accept-Encoding": "identity"})
        zipped = http.get("/oai", params=args, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.content == plain.content  # httpx inflates: the same bytes
        root = etree.fromstring(plain.content)
        validate(root, "oai-pmh")
        pages.append(plain.content)
        token = root.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            return pages
        args = {"verb": "ListRecords", "resumptionToken": token}


def _harvested_and_bulk(tmp_path: Path) -> tuple[Archive, Clock]:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    origin = origin_description(
        base_url="https://lists.example.ac.uk/oai", identifier="oai:lists.example.ac.uk:77",
        datestamp="2025-12-01T10:00:00Z", metadata_namespace=RLI_NS,
        harvest_date="2026-01-05T09:00:00Z", altered=True)
    archive.add(make_list("h1"), editor="harvest", note="harvested", origin=origin_bytes(origin))
    list(save_many(archive, make_lists(6, seed=3), editor="bulk", note="imported"))
    archive.save(replace(archive.get("h1"), title="Second & <version>"), editor="harvest",
                 note="v2", origin=origin_bytes(origin))
    archive.delete(archive.changes(limit=2)[1].list_id, editor="ed", note="gone")
    return archive, clock


def test_records_from_saved_metadata_are_the_records_rendered_from_documents(
    tmp_path: Path,
) -> None:
    # Issue 15: a record not rendered yet is put together from the metadata the archive
    # wrote at save time, never re-reading the RLI document; the response must be the
    # one rendering from the document gives, byte for byte, plain and gzip.
    archive, clock = _harvested_and_bulk(tmp_path)
    oai_store.prepare(archive)
    saved = _saved(archive)
    assert len(saved) == 7 and all(prefix == "oai_dc" for _, prefix in saved)
    cold = _responses(archive, clock)
    everything = b"".join(cold)
    assert b"originDescription" in everything and b"Second &amp; &lt;version&gt;" in everything
    # warm: the same responses from the stored renderings, in a fresh app
    assert _responses(archive, clock) == cold
    # without saved metadata (an archive written before it existed): from the documents
    archive.db.conn.execute("DELETE FROM provider_records")
    archive.db.conn.execute("DELETE FROM saved_metadata")
    assert _responses(archive, clock) == cold
    # ... which saved them on the way, for the next time (six live lists)
    assert len(_saved(archive)) == 6
    archive.db.conn.execute("DELETE FROM provider_records")
    assert _responses(archive, clock) == cold
    # and a saved payload of other code (another stamp) is not used
    archive.db.conn.execute("DELETE FROM provider_records")
    archive.db.conn.execute("UPDATE saved_metadata SET data = ?, stamp = 'old'",
                            (segment(b"<oai_dc:dc>stale</oai_dc:dc>"),))
    assert b"stale" not in b"".join(_responses(archive, clock))


def test_a_damaged_stored_rendering_is_rendered_again(archive: Archive) -> None:
    states = archive.changes(limit=10)
    first = _renderer(archive).records(states, DC)
    archive.db.conn.execute("UPDATE provider_records SET deflated = x'00ff' WHERE list_id = 'l000'")
    assert _renderer(archive).records(states, DC) == first


def test_stored_renderings_keep_one_compact_form(archive: Archive) -> None:
    # Issue 15: provider_records kept the record twice (plain and deflated, ~8 KB a list)
    records = _renderer(archive).records(archive.changes(limit=10), DC)
    columns = [r[1] for r in archive.db.conn.execute("PRAGMA table_info(provider_records)")]
    assert columns == ["list_id", "prefix", "seq", "stamp", "deflated", "crc", "size"]
    stored = dict(archive.db.conn.execute("SELECT list_id, deflated FROM provider_records"))
    assert inflate_segment(stored["l000"]) == records[0].raw


def _saved(archive: Archive) -> list[tuple[str, str]]:
    return archive.db.conn.execute(
        "SELECT list_id, prefix FROM saved_metadata ORDER BY list_id").fetchall()


def test_two_threads_offering_the_last_place_do_not_both_take_it() -> None:
    """offer() keeps a record only while there is room, and never evicts for it, even when
    a second thread offers while the first is storing (interleaved on purpose here)."""
    value = rendered(b"<record/>")
    second: list[Thread] = []
    armed: list[bool] = []

    class Interleaved(RenderCache):
        """Lets another thread offer while the first one is between judging room and
        storing (wherever the storing happens: put() before, _keep() now), once armed."""

        def _meanwhile(self) -> None:
            if armed and not second:
                second.append(Thread(target=self.offer, args=(("b", 1, 1, "oai_dc"), value)))
                second[0].start()
                second[0].join(0.3)  # done, or waiting for the lock

        def put(self, key: tuple[str, int, int, str], item: object) -> None:
            self._meanwhile()
            super().put(key, item)  # type: ignore[arg-type]

        def _keep(self, key: tuple[str, int, int, str], item: object) -> None:
            self._meanwhile()
            super()._keep(key, item)  # type: ignore[arg-type]

    cache = Interleaved(3)
    for n in range(2):
        cache.put(("kept", n, 1, "oai_dc"), value)
    armed.append(True)
    cache.offer(("a", 1, 1, "oai_dc"), value)  # takes the last place
    second[0].join(5)
    assert len(cache) == 3
    assert all(cache.get(("kept", n, 1, "oai_dc")) is not None for n in range(2))


def test_a_warm_page_reads_its_records_with_the_page_and_no_set_memberships(
    archive: Archive,
) -> None:
    # Issue 15: a warm ListRecords page read every list's sets (for headers its stored
    # records already hold), then its stored records in a second query: about a third
    # of the page's CPU in process. Now one query gives the page and its stored records.
    clock = Clock()
    http = client(archive, clock, records_page=10)
    cold = http.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    try:
        warm = http.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    finally:
        archive.db.conn.set_trace_callback(None)
    assert warm.content == cold.content
    assert warm.content.count(b"</record>") == 5  # four lists and a deletion
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    # sets are read only for the record that is not stored: the deletion's bare header
    sets = [sql for sql in reads if "set_members" in sql]
    assert len(sets) == 1 and sets[0].endswith("WHERE l.id IN ('l003')"), reads
    assert len([sql for sql in reads if "provider_records" in sql]) == 1, reads
    # the harvest's start (last change, count), the page, the lists changed since, the
    # deletion's state: none a record
    assert len(reads) == 5, reads


def test_a_page_never_serves_a_stored_record_of_an_older_change(archive: Archive) -> None:
    # Issue 15: the page joins each list to its stored record, which must be of the
    # list's current change: a list edited since it was stored is rendered again.
    clock = Clock()
    args = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    first = client(archive, clock, records_page=10).get("/oai", params=args).content
    archive.save(replace(archive.get("l001"), title="Renamed since"), editor="t", note="n")
    again = client(archive, clock, records_page=10).get("/oai", params=args).content
    assert b"Renamed since" not in first and b"Renamed since" in again
