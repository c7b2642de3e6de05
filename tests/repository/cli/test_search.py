"""``rli search`` and ``rli reindex`` (cli/search.py), with resources show and --add-resource.

A real provider on 127.0.0.1 is harvested with ``rli harvest``; every OAI
record a test prints is validated against the XSDs; errors are one line.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from crosswalks.rli import Origin, binding
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.shared.blobs import unpack
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS
from repository.archive import Archive
from repository.cli import cli
from tests.peers.catalogue import catalogue_dc, catalogue_recs
from tests.peers.oai import CatalogPeer
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def rli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def harvest_catalogue(path: Path) -> None:
    """The test catalogue harvested over HTTP into the archive at ``path`` (source ``lib``)."""
    with serve(CatalogPeer(catalogue_recs(), page_size=4, metadata=catalogue_dc)) as url:
        assert rli(path, "source", "add", "lib", url, "--prefix", "oai_dc").exit_code == 0
        done = rli(path, "harvest", "lib")
        assert done.exit_code == 0, done.output


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "rli.db"
    harvest_catalogue(path)
    assert rli(path, "new", "--title", "Victorian Fiction", "--owner", "dr.ruth.ashby",
               "--course", "ENGL2001").exit_code == 0
    yield path


def hits(db: Path, *args: str) -> list[dict[str, object]]:
    result = rli(db, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_search_json_carries_kind_id_title_creators_date_type_score(db: Path) -> None:
    found = hits(db, "Bronte")
    assert [h["id"] for h in found] == ["lib:oai:lib:1", "lib:oai:lib:2"] or [
        h["id"] for h in found] == ["lib:oai:lib:2", "lib:oai:lib:1"]
    eyre = next(h for h in found if h["id"] == "lib:oai:lib:1")
    assert {k: eyre[k] for k in ("kind", "title", "creators", "date", "type")} == {
        "kind": "resource", "title": "Jane Eyre", "creators": ["Brontë, Charlotte"],
        "date": "1847", "type": "book"}
    assert isinstance(eyre["score"], float) and eyre["score"] > 0
    victorian = hits(db, "victorian")
    assert [(h["kind"], h["id"], h["creators"], h["type"]) for h in victorian] == [
        ("list", "victorian-fiction", ["dr.ruth.ashby"], "list")]


def test_search_options_narrow_the_hits(db: Path) -> None:
    def found(*args: str) -> list[object]:
        return sorted(h["id"] for h in hits(db, *args))  # type: ignore[type-var]

    assert found("fiction") == ["lib:oai:lib:1", "lib:oai:lib:2", "victorian-fiction"]
    assert found("fiction", "--in", "lists") == ["victorian-fiction"]
    assert found("fiction", "--in", "resources") == ["lib:oai:lib:1", "lib:oai:lib:2"]
    assert found("histor*", "--type", "journalArticle", "--year", "1963") == ["lib:oai:lib:5"]
    assert found("fiction", "--source", "lib") == ["lib:oai:lib:1", "lib:oai:lib:2"]
    assert found('"working class"') == ["lib:oai:lib:3", "lib:oai:lib:6"]
    assert len(found("fiction", "--limit", "1")) == 1


def test_a_query_may_start_with_an_exclusion(db: Path) -> None:
    # found in review: click read "-victorian fiction" as the options -v, -i, ...: "No such
    # option '-v'", unless the user knew to put -- before it
    assert sorted(h["id"] for h in hits(db, "-victorian fiction")) == [  # type: ignore[type-var]
        "lib:oai:lib:1", "lib:oai:lib:2"]
    assert [h["id"] for h in hits(db, "-victorian fiction", "--in", "lists")] == []
    typo = rli(db, "search", "--limt", "2", "fiction")
    assert typo.exit_code == 2 and "unexpected extra argument" in typo.output


def test_search_text_output_is_one_line_per_hit(db: Path) -> None:
    result = rli(db, "search", '"jane eyre"')
    assert result.output == (
        "lib:oai:lib:1            Jane Eyre  (Brontë, Charlotte, 1847)  <book>\n")


@pytest.mark.parametrize(("query", "message"), [
    ('"jane eyre', "Error: unbalanced quote in search query"),
    ("OR", "Error: OR needs a term on both sides"),
    ("*", "Error: '*' needs the start of a word"),
    ("-eyre", "Error: nothing to search for"),
    ("AND", "Error: nothing to search for"),  # in capitals, what a space says
    ("eyre NOT", "Error: NOT needs a term after it"),
])
def test_a_bad_query_is_one_line_not_an_fts_error(db: Path, query: str, message: str) -> None:
    done = subprocess.run([*RLI, "--db", str(db), "search", "--", query], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(message)
    assert done.stderr.count("\n") == 1 and "fts5" not in done.stderr.lower()


@pytest.mark.parametrize("query", ["NEAR(", "and", "eyre:", "^jane", "jane)"])
def test_fts_syntax_in_a_query_is_just_words(db: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "search", query, "--json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_reindex_rebuilds_both_indexes(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO harvest_search (harvest_search) VALUES ('delete-all')")
        conn.execute("INSERT INTO list_search (list_search) VALUES ('delete-all')")
    assert hits(db, "fiction") == []
    result = rli(db, "reindex")
    assert result.output == "reindexed 6 harvested resources and 1 lists\n"
    assert len(hits(db, "fiction")) == 3
    assert rli(db, "reindex", "--reread").exit_code == 0
    assert len(hits(db, "fiction")) == 3


def test_resources_json_carries_the_reading(db: Path) -> None:
    rows = json.loads(rli(db, "resources", "--json").output)
    eyre = next(r for r in rows if r["id"] == "lib:oai:lib:1")
    assert {k: eyre[k] for k in ("creators", "date", "type", "identifiers", "status")} == {
        "creators": ["Brontë, Charlotte"], "date": "1847", "type": "book",
        "identifiers": ["ISBN 978-0-14-144114-6", "9780141441146"], "status": "ok"}
    assert eyre["datestamp"].endswith("Z")


def test_resources_show_in_every_format(db: Path) -> None:
    def show(fmt: str) -> str:
        result = rli(db, "resources", "show", "lib:oai:lib:1", "--format", fmt)
        assert result.exit_code == 0, result.output
        return result.output

    assert binding.read_resource(show("rli").encode()).title == "Jane Eyre"
    assert "TY  - BOOK\n" in show("ris") and "TI  - Jane Eyre\n" in show("ris")
    assert "@book{" in show("bibtex") and "Jane Eyre" in show("bibtex")
    assert json.loads(show("csl-json"))[0]["title"] == "Jane Eyre"
    record = parse_untrusted(show("oai").encode())
    assert record.tag == f"{{{OAI_NS}}}record"
    assert record.findtext(f"{{{OAI_NS}}}header/{{{OAI_NS}}}identifier") == "oai:lib:1"
    # The raw record as harvested, inside a GetRecord envelope, is valid OAI-PMH.
    envelope = etree.fromstring(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>'
        b"2026-03-01T12:00:00Z</responseDate><request>http://127.0.0.1/oai</request>"
        b"<GetRecord/></OAI-PMH>")
    envelope[2].append(record)
    validate(envelope, "oai-pmh")


@pytest.mark.parametrize(("resource_id", "message"), [
    ("nocolon", "Error: bad resource id 'nocolon'"),
    ("lib:oai:lib:99", "Error: no harvested record 'lib:oai:lib:99'"),
])
def test_resources_show_refuses_unknown_ids(db: Path, resource_id: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "resources", "show", resource_id])
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_add_resource_appends_an_item_that_keeps_its_origin(db: Path) -> None:
    result = rli(db, "edit", "victorian-fiction", "--add-resource", "lib:oai:lib:1",
                 "--add-resource", "lib:oai:lib:2", "--note", "picked from the catalogue")
    assert result.output == "victorian-fiction: version 2 (picked from the catalogue)\n"
    archive = Archive(open_db(db))
    items = archive.get("victorian-fiction").items
    assert [i.content.title for i in items] == ["Jane Eyre", "Wuthering Heights"]  # type: ignore[union-attr]
    identifier, datestamp, metadata = archive.db.conn.execute(
        "SELECT identifier, datestamp, metadata FROM harvest_records ORDER BY identifier LIMIT 1"
    ).fetchone()
    assert items[0].content.origin == Origin(  # type: ignore[union-attr]
        "lib", identifier, datestamp, hashlib.sha256(unpack(metadata)).hexdigest())
    # The list is found by what it now cites.
    assert [h["id"] for h in hits(db, "wuthering", "--in", "lists")] == ["victorian-fiction"]


def test_add_resource_of_an_unknown_record_changes_nothing(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "edit", "victorian-fiction",
                                      "--add-resource", "lib:oai:lib:1",
                                      "--add-resource", "lib:nope", "--note", "x"])
    assert (result.exit_code, result.output) == (1, "Error: no harvested record 'lib:nope'\n")
    assert Archive(open_db(db)).state("victorian-fiction").version == 1


def test_new_from_a_set_without_records_is_refused(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "new", "--title", "Empty", "--owner", "o",
                                      "--from-source", "lib", "--set", "nosuchset"])
    assert (result.exit_code, result.output) == (
        1, "Error: source 'lib' has no harvested resources in set 'nosuchset'; no list made\n")
    assert not Archive(open_db(db)).exists("empty")
    made = rli(db, "new", "--title", "Reserves", "--owner", "o", "--from-source", "lib",
               "--set", "reserves")
    assert made.output == "reserves: version 1 created with 6 items\n"
