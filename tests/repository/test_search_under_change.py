"""Search as the archive changes: the index against its rebuild after a source is removed,
paging while others write, ranking of common words, lists harvested from a source in its
facet, and queries a terminal cannot encode.

Resources come from a real harvest over HTTP from CatalogPeer on 127.0.0.1 (every
response it sends is validated against the OAI-PMH XSDs), lists from archive writes
to a real SQLite file; commands run as ``rli`` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from crosswalks.rli import ResourceList
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.shared.db import open_db
from harvester.shared.fulltext import QueryError
from repository.archive import Archive
from repository.cli import cli
from repository.search_results import FacetValue, Narrowing, result_page
from tests.repository.cli.test_search import harvest_catalogue
from tests.rli_server import rli_serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def rli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def found(db: Path, query: str, *args: str) -> list[str]:
    result = rli(db, "search", query, "--json", "--limit", "100", *args)
    assert result.exit_code == 0, result.output
    return [str(h["id"]) for h in json.loads(result.output)]


@pytest.fixture
def harvested(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "rli.db"
    harvest_catalogue(path)
    yield path


def test_reindex_reread_keeps_the_records_of_a_removed_source(harvested: Path) -> None:
    """``rli source remove`` keeps the harvested records, and search keeps finding them;
    ``rli reindex --reread`` read them through the removed source's prefix and so
    dropped every one of them from the index."""
    assert rli(harvested, "source", "remove", "lib").exit_code == 0
    before = found(harvested, "bronte OR history")
    assert len(before) == 4  # still searchable after the source went
    result = rli(harvested, "reindex", "--reread")
    assert result.exit_code == 0, result.output
    assert result.output == "reindexed 6 harvested resources and 0 lists\n"
    assert found(harvested, "bronte OR history") == before
    assert found(harvested, "eyre", "--source", "lib") == ["lib:oai:lib:1"]


def _save(archive: Archive, list_id: str, title: str, description: str) -> None:
    archive.save(ResourceList(identifier=list_id, title=title, owner="dr.lee",
                              description=description), editor="t", note="n")


def test_the_next_page_neither_skips_nor_repeats_when_the_index_changed_between(
    tmp_path: Path,
) -> None:
    """bm25 scores move with every write (document counts, lengths), though the order of
    the hits does not; a cursor that held only the last hit's score skipped the hits
    that a write had lifted above it."""
    archive = Archive(open_db(tmp_path / "rli.db"))
    for n in range(6):
        _save(archive, f"course-{n}", f"Course {n}", "railway " * (n + 1) + "words " * 9)
        _save(archive, f"plain-{n}", f"Plain {n}", "plain words")
        _save(archive, f"more-{n}", f"More {n}", "plain words")
    every = [f.hit.id for f in result_page(archive.db, "railway", size=100).found]
    assert every == [f"course-{n}" for n in range(5, -1, -1)]  # the most railway first
    seen: list[str] = []
    after = ""
    for page_number in range(10):
        page = result_page(archive.db, "railway", after=after, size=2)
        seen += [f.hit.id for f in page.found]
        if page.next_cursor is None:
            break
        after = page.next_cursor
        for k in range(3):  # others archive lists meanwhile: every score changes
            _save(archive, f"other-{page_number}-{k}", f"Other {k}", "plain words")
    assert seen == every
    with pytest.raises(QueryError):  # a score no hit can follow: an empty page before
        result_page(archive.db, "railway", after="nan|list|course-9")


def test_a_word_most_lists_hold_still_ranks_the_best_match_first(tmp_path: Path) -> None:
    """FTS5 gives a word found in over half the documents a tiny weight (1e-6); scores
    rounded to 6 decimal places were then all equal, and hits came in id order."""
    archive = Archive(open_db(tmp_path / "rli.db"))
    _save(archive, "a-list", "Transport", "railway")
    _save(archive, "b-list", "Economics", "the railway age")
    _save(archive, "z-list", "Railway Railway History", "railway railway railway")
    db = tmp_path / "rli.db"
    ranked = json.loads(rli(db, "search", "railway", "--json").output)
    assert [h["id"] for h in ranked] == ["z-list", "a-list", "b-list"]
    assert all(h["score"] > 0 for h in ranked)
    assert ranked[0]["score"] > ranked[1]["score"] > ranked[2]["score"]


@pytest.mark.parametrize("args", [[b"search", b"law\xff"], [b"search", b"law", b"--source",
                                                            b"\xfflib"]])
def test_a_query_not_in_utf8_is_one_clear_line(harvested: Path, args: list[bytes]) -> None:
    """A terminal in Latin-1 sends bytes Python holds as lone surrogates; SQLite cannot
    take them and the command ended with ``rli: error: UnicodeEncodeError``."""
    done = subprocess.run([*RLI, "--db", str(harvested), *args], capture_output=True,
                          timeout=120)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, err
    assert err.count("\n") == 1 and err.startswith("Error: ") and "Unicode" not in err
    assert "UTF-8" in err


def test_the_source_facet_counts_the_lists_harvested_from_a_source(tmp_path: Path) -> None:
    """A source filter finds the lists harvested from that source, but the Source facet
    counted resources only: it was not offered for those lists at all."""
    upstream = Archive(open_db(tmp_path / "up.db"))
    for n in range(2):
        _save(upstream, f"up-{n}", f"Railway {n}", "railway history")
    upstream.db.conn.close()
    db = tmp_path / "rli.db"
    with rli_serve(tmp_path / "up.db") as server:
        answer = httpx.get(server.url, params={"verb": "ListRecords", "metadataPrefix": "rli"})
        validate(parse_untrusted(answer.content), "oai-pmh")
        assert rli(db, "source", "add", "up", server.url, "--prefix", "rli").exit_code == 0
        done = rli(db, "harvest", "up")
        assert done.exit_code == 0, done.output
    archive = Archive(open_db(db))
    _save(archive, "local", "Railway here", "railway")
    page = result_page(archive.db, "railway")
    assert page.total == 3
    assert page.facets["source"] == (FacetValue("up", 2),)
    narrowed = result_page(archive.db, "railway", narrowing=Narrowing(source="up"))
    assert sorted(f.hit.id for f in narrowed.found) == ["up-0", "up-1"]
