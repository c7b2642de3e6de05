"""The harvested resources' full-text index (harvester/search.py), over real harvests on 127.0.0.1.

The index follows each committed page (new, changed, deleted records), is
built from the harvest log for an archive harvested before it existed, and
is rebuilt on demand; FTS5's own integrity check compares it with its rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from harvester import search
from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.job import run_harvest
from harvester.retry import RetryPolicy
from harvester.shared.fulltext import Filters, Hit, match_expression
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, ensure_schema, get_source
from tests.peers.catalogue import T0, catalogue_dc, catalogue_recs
from tests.peers.oai import CatalogPeer
from tests.peers.serve import serve

ANY = Filters()


@pytest.fixture
def peer() -> CatalogPeer:
    return CatalogPeer(catalogue_recs(), page_size=4, metadata=catalogue_dc,
                       clock=lambda: T0 + timedelta(hours=1))


def harvest(db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path) -> None:
    ensure_schema(db)
    with serve(peer) as url:
        if db.conn.execute("SELECT 1 FROM harvest_sources").fetchone() is None:
            identity = Identity("Lib", url, "2.0", "2020-01-01", "persistent",
                                Granularity.SECONDS, "")
            add_source(db, Source("lib", url, "oai_dc"), identity, T0)
        source = replace(get_source(db, "lib"), base_url=url)
        with httpx.Client() as http:
            client = OAIClient(url, http, sleep=lambda s: None,
                               policy=RetryPolicy(backoff=0.01), keep_dir=tmp_path / "broken")
            result = run_harvest(db, source, client, full=True)
    assert result.ok, result.error


def find(db: sqlite_utils.Database, query: str, filters: Filters = ANY) -> list[Hit]:
    return search.search_resources(db, match_expression(query), filters, 50)


def ids(hits: list[Hit]) -> list[str]:
    return sorted(h.id for h in hits)


def assert_in_step(db: sqlite_utils.Database) -> None:
    db.conn.execute("INSERT INTO harvest_search (harvest_search) VALUES ('integrity-check')")
    live = db.conn.execute(
        "SELECT source, identifier FROM harvest_resources WHERE status = 'ok' AND deleted = 0"
        " ORDER BY 1, 2").fetchall()
    indexed = db.conn.execute(
        "SELECT source, identifier FROM harvest_search_docs ORDER BY 1, 2").fetchall()
    assert indexed == live


def test_a_harvest_indexes_every_resource_with_its_fields(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    assert_in_step(db)
    hits = find(db, "Bronte")  # diacritics folded: Brontë
    assert ids(hits) == ["lib:oai:lib:1", "lib:oai:lib:2"]
    eyre = next(h for h in hits if h.id == "lib:oai:lib:1")
    assert (eyre.kind, eyre.title, eyre.creators, eyre.date, eyre.type, eyre.source) == (
        "resource", "Jane Eyre", ("Brontë, Charlotte",), "1847", "book", "lib")
    assert eyre.score > 0
    assert ids(find(db, "9780141441146")) == ["lib:oai:lib:1"]  # ISBN without hyphens
    assert ids(find(db, '"working class"')) == ["lib:oai:lib:3", "lib:oai:lib:6"]
    assert ids(find(db, '"class working"')) == []
    assert ids(find(db, "histor*")) == ["lib:oai:lib:3", "lib:oai:lib:4", "lib:oai:lib:5"]
    assert ids(find(db, "labour")) == ["lib:oai:lib:3"]  # subjects are indexed


def test_filters_by_source_type_and_year(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    assert ids(find(db, "histor*", Filters(type="journalArticle"))) == [
        "lib:oai:lib:4", "lib:oai:lib:5"]
    assert ids(find(db, "histor*", Filters(year=1963))) == ["lib:oai:lib:3", "lib:oai:lib:5"]
    assert ids(find(db, "histor*", Filters(source="lib", type="book", year=1963))) == [
        "lib:oai:lib:3"]
    assert find(db, "histor*", Filters(source="elsewhere")) == []


def test_title_words_rank_above_subject_words(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    hits = find(db, "history OR historians OR historical")
    # "Historians ..." and "... Historical Analysis" have it in the title; lib:3 in a subject.
    assert [h.id for h in hits][-1] == "lib:oai:lib:3"
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_changed_and_deleted_records_follow_in_the_index(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    later = T0 + timedelta(minutes=30)
    peer.records[0] = replace(peer.records[0], title="Jane Eyre: An Autobiography",
                              datestamp=later)
    peer.records[1] = replace(peer.records[1], deleted=True, datestamp=later)
    harvest(db, peer, tmp_path)
    assert_in_step(db)
    assert ids(find(db, "autobiography")) == ["lib:oai:lib:1"]
    assert ids(find(db, "wuthering")) == []
    assert ids(find(db, "bronte")) == ["lib:oai:lib:1"]


def test_a_failed_page_leaves_the_index_as_the_harvest_log(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    """A page that fails rolls back with its index rows: log and index agree after a crash."""
    original = peer.respond
    calls = {"n": 0}

    def second_page_breaks(args: dict[str, str]) -> bytes:
        if args.get("resumptionToken"):
            calls["n"] += 1
            return b"<OAI-PMH><not-closed>"
        return original(args)

    peer.respond = second_page_breaks  # type: ignore[method-assign]
    with pytest.raises(AssertionError):
        harvest(db, peer, tmp_path)
    assert calls["n"] >= 1
    assert_in_step(db)  # the first page (4 records) is in, with its index rows
    assert ids(find(db, "bronte OR thompson OR scott OR hartwell OR engels")) == [
        "lib:oai:lib:1", "lib:oai:lib:2", "lib:oai:lib:3", "lib:oai:lib:4"]


def test_an_archive_harvested_before_search_is_indexed_when_opened(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    # As it was before this index existed: no index tables, no migration recorded.
    db.conn.executescript(
        "DROP TABLE harvest_search; DROP TABLE harvest_search_docs; DROP TABLE search_stale;"
        f" DELETE FROM schema_migrations WHERE component = '{search.COMPONENT}';"
    )
    ensure_schema(db)
    assert_in_step(db)
    assert ids(find(db, "bronte")) == ["lib:oai:lib:1", "lib:oai:lib:2"]


def test_rebuild_restores_a_damaged_index(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    db.conn.execute("INSERT INTO harvest_search (harvest_search) VALUES ('delete-all')")
    assert find(db, "bronte") == []
    assert search.rebuild(db) == 6
    assert ids(find(db, "bronte")) == ["lib:oai:lib:1", "lib:oai:lib:2"]
    db.conn.execute("DELETE FROM harvest_search_docs")
    assert search.rebuild(db, reread=True) == 6
    assert_in_step(db)
    assert ids(find(db, "eyre")) == ["lib:oai:lib:1"]


def test_capital_and_and_not_are_what_a_library_catalogue_makes_them(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    # they were words to find: "histor* NOT thompson" found nothing
    harvest(db, peer, tmp_path)
    assert ids(find(db, "histor* AND journal*")) == ids(find(db, "histor* journal*"))
    assert ids(find(db, "histor* NOT thompson")) == ids(find(db, "histor* -thompson"))
    assert ids(find(db, "histor* NOT thompson")) == ["lib:oai:lib:4", "lib:oai:lib:5"]
    assert ids(find(db, 'NOT "jane eyre" bronte')) == ["lib:oai:lib:2"]
    for bad in ("histor* NOT", "NOT OR histor*", "histor* NOT NOT eyre"):
        with pytest.raises(search.QueryError, match="NOT needs a term after it"):
            match_expression(bad)


def test_fts_syntax_never_reaches_sqlite(db: sqlite_utils.Database) -> None:
    ensure_schema(db)
    with pytest.raises(search.QueryError):
        search.search_resources(db, "AND AND", Filters(), 5)  # raw FTS5 input, not ours


def test_ranking_is_bm25_over_all_matches_within_the_window(
    db: sqlite_utils.Database, peer: CatalogPeer, tmp_path: Path
) -> None:
    harvest(db, peer, tmp_path)
    query = "bronte OR thompson OR scott OR hartwell OR engels OR eyre"
    expression = match_expression(query)
    full = db.conn.execute(
        "SELECT d.source || ':' || d.identifier FROM harvest_search"
        " JOIN harvest_search_docs d ON d.id = harvest_search.rowid WHERE harvest_search MATCH ?"
        f" ORDER BY bm25(harvest_search, {', '.join(map(str, search.WEIGHTS))})", (expression,)
    ).fetchall()
    assert [h.id for h in find(db, query)] == [r[0] for r in full]  # 6 matches < window
    newest = db.conn.execute(
        "SELECT source || ':' || identifier FROM harvest_search_docs ORDER BY id DESC LIMIT 2"
    ).fetchall()
    windowed = search.search_resources(db, expression, ANY, 10, window=2)
    assert sorted(h.id for h in windowed) == sorted(r[0] for r in newest)
