"""What a harvester sees while another process writes the archive under it.

The provider answers in process (httpx.WSGITransport) over a real SQLite file; the
other process is a second connection to the same file (an ``Archive`` of its own),
writing at the moment a statement of the provider's shows it is mid-request. Every
response is validated against the OAI-PMH schemas.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.oai.envelope import RLIX_NS
from tests.factories import make_list
from tests.oai_fixtures import NS, Clock, client, fill, harvest, identifiers, new_archive, oai

ALL = {**NS, "rlix": RLIX_NS, "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _token_counts(root: etree._Element, verb: str) -> tuple[int, int, int, bool]:
    """(cursor, records on the page, completeListSize, more pages follow) of one page."""
    token = root.find(f"oai:{verb}/oai:resumptionToken", NS)
    assert token is not None and token.get("completeListSize") is not None
    count = sum(len(root.findall(f"oai:{verb}/oai:{kind}", NS))
                for kind in ("header", "record", "set"))
    return (int(str(token.get("cursor"))), count, int(str(token.get("completeListSize"))),
            bool(token.text))


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_joining_a_set_mid_walk_keep_complete_list_size_ahead_of_the_cursor(
    tmp_path: Path, clock: Clock, verb: str
) -> None:
    # A list that joins the set during a walk is delivered at the place it had at the
    # walk's start (its state now is the set's), but completeListSize was the count at
    # start: a page said "cursor 4, 4 records, 8 in all" with a token for more, so a
    # harvester that stops once it holds completeListSize records stopped there and
    # never got l022, unchanged throughout.
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 24)  # course:C1: l001 l004 ... l022, 8 lists
    http = client(archive, clock, records_page=4, identifiers_page=4)
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    clock.advance(60)
    pages = [oai(http, verb=verb, metadataPrefix="oai_dc", set="course:C1")]
    for moved in ("l020", "l021", "l023"):  # into C1, each placed after the first page
        writer.save(make_list(moved, courses=("C1",), title=f"{moved} joins C1"),
                    editor="t", note="moved")
    pages += list(harvest(http, verb, resumptionToken=_text(pages[0], verb)))
    delivered = [i for page in pages for i in identifiers(page)]
    assert len(delivered) == len(set(delivered)) == 11
    assert "oai:rli.localhost:l022" in delivered
    for page in pages:
        cursor, count, size, more = _token_counts(page, verb)
        assert cursor + count < size if more else cursor + count == size, (cursor, count, size)


def test_lists_leaving_a_set_mid_walk_make_the_last_page_say_what_was_delivered(
    tmp_path: Path, clock: Clock
) -> None:
    # The last page's completeListSize was the count at start, more than the walk
    # delivered once lists had left the set: a harvester checking that it got the whole
    # list (cursor + records == completeListSize) thought records were lost.
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 24)
    http = client(archive, clock, identifiers_page=4)
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    clock.advance(60)
    first = oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc", set="course:C1")
    for moved in ("l013", "l019"):  # out of C1
        writer.save(make_list(moved, courses=("C2",), title="leaves C1"), editor="t", note="m")
    pages = [first, *harvest(http, "ListIdentifiers",
                             resumptionToken=_text(first, "ListIdentifiers"))]
    delivered = [i for page in pages for i in identifiers(page)]
    assert len(delivered) == 6
    cursor, count, size, more = _token_counts(pages[-1], "ListIdentifiers")
    assert not more and cursor + count == size == 6


def test_get_record_of_a_list_edited_mid_request_shows_one_version(
    tmp_path: Path, clock: Clock
) -> None:
    # A record is its list's state (header, version) read first, then its version
    # history read for <about>. An edit committed by another process between the two
    # put the new version last in rlix:history ("the version the record disseminates")
    # beside the old version's header and metadata.
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 3)
    http = client(archive, clock)
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    clock.advance(60)
    edited: list[str] = []

    def edit_between(sql: str) -> None:
        if "FROM list_versions WHERE list_id IN" in sql and not edited:  # history next
            edited.append("l001")
            writer.save(replace(writer.get("l001"), title="Second version"), editor="t",
                        note="v2")

    archive.db.conn.set_trace_callback(edit_between)
    try:
        root = oai(http, verb="GetRecord", metadataPrefix="oai_dc",
                   identifier="oai:rli.localhost:l001")
    finally:
        archive.db.conn.set_trace_callback(None)
    assert edited == ["l001"] and writer.state("l001").version == 2
    assert root.findtext(".//dc:title", namespaces=ALL) == "Reading list 1"
    assert root.findtext(".//oai:header/oai:datestamp", namespaces=NS) == \
        writer.history("l001")[0].archived_at
    versions = root.findall(".//oai:about/rlix:history/rlix:version", ALL)
    assert [v.get("number") for v in versions] == ["1"]
    # and the next request shows version 2 throughout
    again = oai(http, verb="GetRecord", metadataPrefix="oai_dc",
                identifier="oai:rli.localhost:l001")
    assert again.findtext(".//dc:title", namespaces=ALL) == "Second version"
    assert [v.get("number") for v in again.findall(
        ".//oai:about/rlix:history/rlix:version", ALL)] == ["1", "2"]


def _text(root: etree._Element, verb: str) -> str:
    return str(root.findtext(f"oai:{verb}/oai:resumptionToken", namespaces=NS))


def test_a_list_sets_page_whose_sets_all_went_meanwhile_is_still_a_valid_answer(
    tmp_path: Path, clock: Clock
) -> None:
    # The set after a ListSets page's last one told the page a token was due; when
    # every set after it was gone by the next request (a list moved to another owner
    # emptied owner:zz), the answer was a ListSets with a token and no set, which the
    # schema forbids: a harvester validating its input failed the walk. It now names
    # the last set still there up to where the walk stood (a set seen again is the
    # same set; a ListSets answer holds at least one).
    archive = new_archive(tmp_path / "rli.db", clock)
    for list_id, owner in (("x1", "mm"), ("x2", "zz")):
        archive.add(make_list(list_id, owner=owner, courses=("C1",)), editor="t", note="n")
    http = client(archive, clock, sets_page=4)
    first = oai(http, verb="ListSets")
    specs = [s.text for s in first.iterfind(".//oai:setSpec", NS)]
    assert specs == ["course", "course:C1", "owner", "owner:mm"]
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    writer.save(make_list("x2", owner="aa", courses=("C1",)), editor="t", note="moved")
    assert "owner:zz" not in [spec for spec, _ in writer.sets()]
    last = oai(http, verb="ListSets", resumptionToken=_text(first, "ListSets"))
    assert [s.text for s in last.iterfind(".//oai:setSpec", NS)] == ["owner:mm"]
    cursor, count, size, more = _token_counts(last, "ListSets")
    # the set sent again is counted once: four sets were delivered (found in review)
    assert (cursor, count, size, more) == (4, 1, 4, False)


def test_a_cold_set_page_shows_each_list_in_the_set_it_was_found_in(
    tmp_path: Path, clock: Clock
) -> None:
    # A cold ListRecords page (no stored renderings) found its lists in one snapshot and
    # read their states after it: a list moved out of the set in between came on the
    # set's page without that set's setSpec.
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 12)  # course:C1: l001 l004 l007 l010
    http = client(archive, clock, records_page=4)
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    clock.advance(60)
    moved: list[str] = []

    def move_between(sql: str) -> None:
        if "FROM lists l WHERE l.id IN" in sql and not moved:  # the page's states
            moved.append("l001")
            writer.save(replace(writer.get("l001"), courses=("C2",)), editor="t", note="to C2")

    archive.db.conn.set_trace_callback(move_between)
    try:
        root = oai(http, verb="ListRecords", metadataPrefix="oai_dc", set="course:C1")
    finally:
        archive.db.conn.set_trace_callback(None)
    assert moved == ["l001"] and "course:C1" not in writer.state("l001").sets
    headers = root.findall(".//oai:record/oai:header", NS)
    assert [h.findtext("oai:identifier", namespaces=NS) for h in headers] == [
        f"oai:rli.localhost:l{n:03d}" for n in (1, 4, 7, 10)]
    for head in headers:
        assert "course:C1" in [s.text for s in head.findall("oai:setSpec", NS)]
