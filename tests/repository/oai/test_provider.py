"""repository.oai.provider: every verb and error over a real archive, responses validated.

Requests go through the WSGI app in process (httpx.WSGITransport); every
response is checked against the OAI-PMH envelope and payload schemas.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.registry import FORMATS, MetadataFormat
from crosswalks.validation import validate
from harvester.provenance import origin_bytes, origin_description
from harvester.shared.db import open_db, transaction
from harvester.shared.protocol import PROVENANCE_NS, RLI_NS
from repository.archive import Archive
from repository.oai.envelope import RLIX_NS
from repository.oai.provider import Provider, ProviderConfigError
from repository.oai.tokens import TokenCodec
from tests.factories import make_list
from tests.oai_fixtures import (
    NS,
    SECRET,
    Clock,
    client,
    config,
    error_code,
    fill,
    harvest,
    identifiers,
    new_archive,
    oai,
)

ALL = {**NS, "prov": PROVENANCE_NS, "rlix": RLIX_NS, "rli": RLI_NS,
       "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def archive(tmp_path: Path, clock: Clock) -> Archive:
    return new_archive(tmp_path / "rli.db", clock)


@pytest.fixture
def repo(archive: Archive, clock: Clock) -> Archive:
    """10 lists l000..l009 (courses C0..C2), l004 deleted."""
    fill(archive, clock, 10)
    archive.delete("l004", editor="tester", note="withdrawn")
    clock.advance()
    return archive


@pytest.fixture
def http(repo: Archive, clock: Clock) -> httpx.Client:
    return client(repo, clock)


def raw(http: httpx.Client, query: str) -> etree._Element:
    response = http.get("/oai?" + query)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    return root


ID = "oai:rli.localhost:l001"
DEL = "oai:rli.localhost:l004"

# query (placeholders: {token} {tampered} {forged} {sets_token}) -> error code, or the verb
TABLE: list[tuple[str, str]] = [
    ("verb=Identify", "Identify"),
    ("verb=ListMetadataFormats", "ListMetadataFormats"),
    (f"verb=ListMetadataFormats&identifier={ID}", "ListMetadataFormats"),
    (f"verb=ListMetadataFormats&identifier={DEL}", "ListMetadataFormats"),
    ("verb=ListSets", "ListSets"),
    ("verb=ListSets&resumptionToken={sets_token}", "ListSets"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc", "ListIdentifiers"),
    ("verb=ListRecords&metadataPrefix=oai_dc", "ListRecords"),
    ("verb=ListRecords&metadataPrefix=rli&set=course:C1", "ListRecords"),
    ("verb=ListRecords&metadataPrefix=mods&from=2026-01-05&until=2026-01-05", "ListRecords"),
    ("verb=ListRecords&resumptionToken={token}", "ListRecords"),
    (f"verb=GetRecord&metadataPrefix=oai_dc&identifier={ID}", "GetRecord"),
    (f"verb=GetRecord&metadataPrefix=rli&identifier={DEL}", "GetRecord"),
    ("", "badVerb"),
    ("verb=Nonsense", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&verb=ListSets", "badVerb"),
    ("metadataPrefix=oai_dc", "badVerb"),
    ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=rli", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&bogus=1", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-05T09:00:00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-05T00:00:00Z",
     "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-02-01&until=2026-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken={token}", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai%01dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=course%0A", "badArgument"),
    ("verb=GetRecord&identifier=" + ID, "badArgument"),
    ("verb=ListRecords&metadataPrefix=%FF%FE", "badArgument"),
    ("verb=ListRecords&resumptionToken=garbage", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken={tampered}", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken={forged}", "badResumptionToken"),
    ("verb=ListIdentifiers&resumptionToken={token}", "badResumptionToken"),
    ("verb=ListSets&resumptionToken={token}", "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    (f"verb=GetRecord&metadataPrefix=marc21&identifier={ID}", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:rli.localhost:nope", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:l001",
     "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=l001", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:rli.localhost:", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:rli.localhost:nope", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=oai_dc&until=2025-12-31", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=course:NOPE", "noRecordsMatch"),
]


def _tokens(http: httpx.Client, clock: Clock) -> dict[str, str]:
    first = oai(http, verb="ListRecords", metadataPrefix="oai_dc")
    token = str(first.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS))
    sets = oai(http, verb="ListSets")
    flipped = token[:3] + ("A" if token[3] != "A" else "B") + token[4:]
    other = TokenCodec(b"someone else", clock=clock)
    forged = other.encode(TokenCodec(SECRET, clock=clock).decode(token, "ListRecords"))[0]
    return {
        "token": token,
        "tampered": flipped,
        "forged": forged,
        "sets_token": str(sets.findtext("oai:ListSets/oai:resumptionToken", namespaces=NS)),
    }


@pytest.mark.parametrize(("query", "outcome"), TABLE, ids=[f"{o}:{q[:60]}" for q, o in TABLE])
def test_request_table(http: httpx.Client, clock: Clock, query: str, outcome: str) -> None:
    if "{" in query:
        query = query.format(**_tokens(http, clock))
    root = raw(http, query)
    request = root.find("oai:request", NS)
    assert request is not None and request.text == "http://oai.test/oai"
    if outcome[0].isupper():
        assert error_code(root) is None, etree.tostring(root)
        assert root.find(f"oai:{outcome}", NS) is not None
        assert request.get("verb") == outcome
    else:
        assert error_code(root) == outcome
        if outcome in ("badVerb", "badArgument"):
            assert dict(request.attrib) == {}
        else:
            assert request.get("verb") is not None


def test_identify(http: httpx.Client, repo: Archive) -> None:
    root = oai(http, verb="Identify")
    ident = root.find("oai:Identify", NS)
    assert ident is not None
    assert ident.findtext("oai:baseURL", namespaces=NS) == "http://oai.test/oai"
    assert ident.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext("oai:earliestDatestamp", namespaces=NS) == repo.earliest_datestamp()
    assert ident.findtext("oai:adminEmail", namespaces=NS) == "admin@rli.localhost"
    assert ident.findtext("oai:compression", namespaces=NS) == "gzip"
    repo_id = ident.findtext(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}"
                             "repositoryIdentifier")
    assert repo_id == "rli.localhost"


def test_earliest_datestamp_counts_deleted_records(archive: Archive, clock: Clock) -> None:
    fill(archive, clock, 1)  # l000 at 09:00:00
    archive.delete("l000", editor="t", note="x")  # its datestamp becomes 09:00:01
    clock.advance(5)
    archive.add(make_list("later"), editor="t", note="n")  # 09:00:06
    stamp = oai(client(archive, clock), verb="Identify").findtext(
        "oai:Identify/oai:earliestDatestamp", namespaces=NS)
    assert stamp == "2026-01-05T09:00:01Z"


def test_full_harvest_pages_cursors_and_sizes(http: httpx.Client, repo: Archive,
                                              clock: Clock) -> None:
    pages = list(harvest(http, "ListRecords", metadataPrefix="oai_dc"))
    ids = [i for page in pages for i in identifiers(page)]
    assert len(pages) == 3  # 10 records, 4 per page
    assert sorted(ids) == sorted(f"oai:rli.localhost:{s.id}" for s in repo.summaries())
    assert len(set(ids)) == len(ids)
    tokens = [p.find("oai:ListRecords/oai:resumptionToken", NS) for p in pages]
    assert [t.get("cursor") for t in tokens if t is not None] == ["0", "4", "8"]
    assert {t.get("completeListSize") for t in tokens if t is not None} == {"10"}
    assert tokens[-1] is not None and not tokens[-1].text
    assert tokens[-1].get("expirationDate") is None
    expiry = datetime.fromisoformat(str(tokens[0].get("expirationDate")).replace("Z", "+00:00"))
    assert (expiry - clock()).total_seconds() >= 24 * 3600


@pytest.mark.parametrize(("lists", "pages"), [(8, 2), (4, 1), (5, 2)])
def test_exact_multiple_gives_no_empty_page(archive: Archive, clock: Clock, lists: int,
                                            pages: int) -> None:
    fill(archive, clock, lists)
    got = list(harvest(client(archive, clock), "ListRecords", metadataPrefix="oai_dc"))
    assert len(got) == pages
    assert all(identifiers(page) for page in got)
    last = got[-1].find("oai:ListRecords/oai:resumptionToken", NS)
    if pages == 1:
        assert last is None
    else:
        assert last is not None and not last.text
        assert last.get("cursor") == "4" and last.get("completeListSize") == str(lists)


def test_token_expires_after_its_expiration_date(http: httpx.Client, clock: Clock) -> None:
    first = oai(http, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert token is not None
    expiry = datetime.fromisoformat(str(token.get("expirationDate")).replace("Z", "+00:00"))
    clock.now = expiry
    assert error_code(oai(http, verb="ListRecords", resumptionToken=str(token.text))) is None
    clock.advance(1)
    again = oai(http, verb="ListRecords", resumptionToken=str(token.text))
    assert error_code(again) == "badResumptionToken"


def test_list_identifiers_pages_and_deleted_status(http: httpx.Client) -> None:
    pages = list(harvest(http, "ListIdentifiers", metadataPrefix="rli"))
    assert len(pages) == 2  # 5 per page
    headers = [h for p in pages for h in p.iterfind(".//oai:header", NS)]
    deleted = [h.findtext("oai:identifier", namespaces=NS) for h in headers
               if h.get("status") == "deleted"]
    assert deleted == [DEL]


def test_deleted_record_has_header_only(http: httpx.Client) -> None:
    rec = oai(http, verb="GetRecord", metadataPrefix="oai_dc", identifier=DEL).find(
        ".//oai:record", NS)
    assert rec is not None
    assert rec.find("oai:header", NS).get("status") == "deleted"  # type: ignore[union-attr]
    assert rec.find("oai:metadata", NS) is None and rec.find("oai:about", NS) is None


def test_edits_during_harvest(repo: Archive, clock: Clock) -> None:
    """Every list present at start once, latest state, nothing new, nothing twice."""
    http = client(repo, clock)
    first = oai(http, verb="ListRecords", metadataPrefix="oai_dc")
    start = str(first.findtext("oai:responseDate", namespaces=NS))
    seen = identifiers(first)
    assert "oai:rli.localhost:l001" in seen  # delivered before the edit below
    repo.save(replace(repo.get("l001"), title="Edited after delivery"), editor="t", note="e")
    repo.save(replace(repo.get("l007"), title="Edited before delivery"), editor="t", note="e")
    repo.delete("l009", editor="t", note="gone mid-harvest")
    repo.add(make_list("l999", title="Created mid-harvest"), editor="t", note="new")
    clock.advance()
    token = first.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS)
    rest = list(harvest(http, "ListRecords", resumptionToken=str(token)))
    records = [r for page in [first, *rest] for r in page.iterfind(".//oai:record", NS)]
    ids = [r.findtext("oai:header/oai:identifier", namespaces=NS) for r in records]
    assert sorted(ids) == [f"oai:rli.localhost:l{n:03d}" for n in range(10)]
    by_id = dict(zip(ids, records))
    assert by_id["oai:rli.localhost:l007"].findtext(".//dc:title", namespaces=ALL) == \
        "Edited before delivery"
    assert by_id["oai:rli.localhost:l009"].find("oai:header", NS).get("status") == "deleted"  # type: ignore[union-attr]
    # the next incremental harvest picks up what changed after harvest start
    later = [i for p in harvest(http, "ListIdentifiers", metadataPrefix="oai_dc", from_=start)
             for i in identifiers(p)]
    assert {"oai:rli.localhost:l001", "oai:rli.localhost:l999"} <= set(later)


def test_a_list_added_while_a_harvest_starts_is_not_counted(
    repo: Archive, clock: Clock, tmp_path: Path
) -> None:
    # The harvest start reads the last change (what the harvest covers), then counts the
    # lists for completeListSize. A list another process added between the two was
    # counted but never delivered: completeListSize said 10 for 9 records.
    writer = Archive(open_db(tmp_path / "rli.db"), clock=clock)
    added: list[str] = []

    def add_between(sql: str) -> None:
        if ("count(" in sql or "seq_blocks" in sql) and not added:  # counting
            added.append("l998")
            writer.add(make_list("l998", title="Added meanwhile"), editor="t", note="n")

    repo.db.conn.set_trace_callback(add_between)
    try:
        pages = list(harvest(client(repo, clock), "ListIdentifiers", metadataPrefix="oai_dc"))
    finally:
        repo.db.conn.set_trace_callback(None)
    assert added == ["l998"] and writer.get("l998").title == "Added meanwhile"
    ids = [i for page in pages for i in identifiers(page)]
    assert "oai:rli.localhost:l998" not in ids
    token = pages[0].find("oai:ListIdentifiers/oai:resumptionToken", NS)
    assert token is not None and token.get("completeListSize") == str(len(ids)) == "10"


def test_later_page_emptied_meanwhile_is_no_records_match(repo: Archive, clock: Clock) -> None:
    fill_more = [make_list(f"m{n}", courses=("C1",)) for n in range(3)]
    for lst in fill_more:
        repo.add(lst, editor="t", note="n")  # course:C1 now has l001 l004 l007 m0 m1 m2
    http = client(repo, clock)
    first = oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc", set="course:C1")
    assert len(identifiers(first)) == 5
    repo.save(replace(repo.get("m2"), courses=("C2",)), editor="t", note="moved out")
    token = str(first.findtext(".//oai:resumptionToken", namespaces=NS))
    assert error_code(oai(http, verb="ListIdentifiers", resumptionToken=token)) == \
        "noRecordsMatch"


def test_sets_listing_paged(http: httpx.Client, repo: Archive) -> None:
    pages = list(harvest(http, "ListSets"))
    specs = [str(s.text) for p in pages for s in p.iterfind(".//oai:set/oai:setSpec", NS)]
    assert specs == [spec for spec, _ in repo.sets()]
    assert len(pages) == -(-len(specs) // 3)
    names = [n.text for p in pages for n in p.iterfind(".//oai:set/oai:setName", NS)]
    assert all(names)


def test_set_selection(http: httpx.Client) -> None:
    got = [i for p in harvest(http, "ListIdentifiers", metadataPrefix="oai_dc", set="course:C1")
           for i in identifiers(p)]
    assert got == [f"oai:rli.localhost:l{n:03d}" for n in (1, 7, 4)]  # change order; l004 deleted
    parent = [i for p in harvest(http, "ListIdentifiers", metadataPrefix="oai_dc", set="course")
              for i in identifiers(p)]
    assert len(parent) == 10


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_from_until_inclusive(http: httpx.Client, verb: str) -> None:
    got = [i for p in harvest(http, verb, metadataPrefix="oai_dc",
                               from_="2026-01-05T09:00:02Z", until="2026-01-05T09:00:05Z")
           for i in identifiers(p)]
    assert got == [f"oai:rli.localhost:l{n:03d}" for n in (2, 3, 5)]  # l004 moved: deleted later


def test_changes_bump_datestamp_and_membership(repo: Archive, clock: Clock) -> None:
    http = client(repo, clock)

    def header(list_id: str) -> etree._Element:
        found = oai(http, verb="GetRecord", metadataPrefix="oai_dc",
                    identifier=f"oai:rli.localhost:{list_id}").find(".//oai:header", NS)
        assert found is not None
        return found

    before = header("l002").findtext("oai:datestamp", namespaces=NS)
    clock.advance(60)
    repo.save(replace(repo.get("l002"), courses=("C9",)), editor="t", note="moved course")
    after = header("l002")
    assert str(after.findtext("oai:datestamp", namespaces=NS)) > str(before)
    specs = [s.text for s in after.iterfind("oai:setSpec", NS)]
    assert "course:C9" in specs and "course:C2" not in specs
    c2 = [i for p in harvest(http, "ListIdentifiers", metadataPrefix="oai_dc", set="course:C2")
          for i in identifiers(p)]
    assert "oai:rli.localhost:l002" not in c2
    clock.advance(60)
    repo.delete("l002", editor="t", note="withdrawn")
    gone = header("l002")
    assert gone.get("status") == "deleted"
    assert str(gone.findtext("oai:datestamp", namespaces=NS)) > str(
        after.findtext("oai:datestamp", namespaces=NS))


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_every_format_validates_with_about(http: httpx.Client, repo: Archive,
                                           prefix: str) -> None:
    try:
        FORMATS[prefix]._module()
    except ImportError:
        pytest.skip(f"the {prefix} writer has not landed yet")
    repo.save(replace(repo.get("l001"), title="Second version"), editor="ed", note="v2")
    rec = oai(http, verb="GetRecord", metadataPrefix=prefix, identifier=ID)
    metadata = rec.find(".//oai:metadata/*", NS)
    assert metadata is not None
    assert etree.QName(metadata).namespace == FORMATS[prefix].namespace
    versions = rec.findall(".//oai:about/rlix:history/rlix:version", ALL)
    assert [v.get("number") for v in versions] == ["1", "2"]
    for v in versions:
        doc = http.get(str(v.get("url")))
        assert doc.status_code == 200 and doc.headers["content-type"] == "application/xml"
        assert doc.content == repo.document("l001", int(str(v.get("number"))))


def test_rli_payload_carries_history(http: httpx.Client, repo: Archive) -> None:
    repo.save(replace(repo.get("l001"), title="Second version"), editor="ed", note="v2")
    rec = oai(http, verb="GetRecord", metadataPrefix="rli", identifier=ID)
    numbers = [v.get("number") for v in
               rec.iterfind(".//oai:metadata//rlix:history/rlix:version", ALL)]
    assert numbers == ["1", "2"]


def test_harvested_list_has_provenance(archive: Archive, clock: Clock) -> None:
    origin = origin_description(
        base_url="https://lists.example.ac.uk/oai", identifier="oai:lists.example.ac.uk:77",
        datestamp="2025-12-01T10:00:00Z", metadata_namespace=RLI_NS,
        harvest_date="2026-01-05T09:00:00Z", altered=True)
    archive.add(make_list("h1"), editor="harvest", note="harvested", origin=origin_bytes(origin),
                sets=["source:example"])
    http = client(archive, clock)
    rec = oai(http, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:rli.localhost:h1")
    desc = rec.find(".//oai:about/prov:provenance/prov:originDescription", ALL)
    assert desc is not None
    assert desc.findtext("prov:identifier", namespaces=ALL) == "oai:lists.example.ac.uk:77"
    assert desc.get("altered") == "true"
    listed = oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc", set="source:example")
    assert identifiers(listed) == ["oai:rli.localhost:h1"]


def test_illegal_characters_in_stored_data_still_give_valid_xml(archive: Archive,
                                                                clock: Clock) -> None:
    archive.add(make_list("x1"), editor="t", note="n", sets=["source:we\x01ird\x0bname"])
    archive.db.conn.execute("UPDATE list_versions SET note = ?, editor = ?",
                            ("bad\x0bnote\x00", "ed\x1f"))
    archive.db.conn.execute("UPDATE sets SET name = name || '\x02'")
    http = client(archive, clock)
    rec = oai(http, verb="ListRecords", metadataPrefix="oai_dc")
    version = rec.find(".//rlix:version", ALL)
    assert version is not None and version.text == "badnote" and version.get("editor") == "ed"
    wire = [s.text for s in rec.iterfind(".//oai:setSpec", NS) if "source" in str(s.text)]
    assert wire == ["source", "source:we~01ird~0bname"]
    specs = [s.text for p in harvest(http, "ListSets") for s in p.iterfind(".//oai:setSpec", NS)]
    assert "source:we~01ird~0bname" in specs
    again = oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc", set=str(wire[1]))
    assert identifiers(again) == ["oai:rli.localhost:x1"]


def test_a_course_code_with_colons_is_one_set(archive: Archive, clock: Clock) -> None:
    # found in review: a course code that is a URL made "course:http" a set of its own
    archive.add(make_list("x1", courses=("http://lms.example.org/c/7",), owner="urn:x"),
                editor="t", note="n")
    http = client(archive, clock)
    specs = [s.text for p in harvest(http, "ListSets") for s in p.iterfind(".//oai:setSpec", NS)]
    assert specs == ["course", "course:http~3a~2f~2flms.example.org~2fc~2f7", "owner",
                     "owner:urn~3ax"]
    header = oai(http, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:rli.localhost:x1")
    assert [s.text for s in header.iterfind(".//oai:header/oai:setSpec", NS)] == specs
    for spec in (specs[1], "course:http:~2f~2flms.example.org~2fc~2f7"):  # the old form too
        got = oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc", set=str(spec))
        assert identifiers(got) == ["oai:rli.localhost:x1"]
    assert error_code(oai(http, verb="ListIdentifiers", metadataPrefix="oai_dc",
                          set="course:http")) == "noRecordsMatch"


def test_empty_repository(archive: Archive, clock: Clock) -> None:
    http = client(archive, clock)
    assert error_code(oai(http, verb="ListSets")) == "noSetHierarchy"
    assert error_code(oai(http, verb="ListRecords", metadataPrefix="oai_dc",
                          set="course:X")) == "noSetHierarchy"
    assert error_code(oai(http, verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    stamp = oai(http, verb="Identify").findtext("oai:Identify/oai:earliestDatestamp",
                                                namespaces=NS)
    assert stamp == "2026-01-05T09:00:00Z"


def _respond(provider: Provider, **args: str) -> etree._Element:
    root = etree.fromstring(b"".join(provider.respond(list(args.items()))))
    validate(root, "oai-pmh")
    return root


def test_no_metadata_formats(repo: Archive, clock: Clock) -> None:
    provider = Provider(repo, config(), secret=SECRET, formats={}, clock=clock)
    assert error_code(_respond(provider, verb="ListMetadataFormats",
                               identifier=ID)) == "noMetadataFormats"


def test_broken_writer_is_answered_in_oai_terms(repo: Archive, clock: Clock) -> None:
    broken = MetadataFormat("broken", "urn:x", "urn:x.xsd", "x", "crosswalks.no_such_module", "x")
    provider = Provider(repo, config(), secret=SECRET, formats={"broken": broken}, clock=clock)
    root = _respond(provider, verb="GetRecord", metadataPrefix="broken", identifier=ID)
    assert error_code(root) == "badArgument"


def test_renderings_are_cached_and_never_stale(repo: Archive, clock: Clock) -> None:
    provider = Provider(repo, config(), secret=SECRET, clock=clock)
    first = b"".join(provider.respond([("verb", "GetRecord"), ("metadataPrefix", "oai_dc"),
                                       ("identifier", ID)]))
    assert len(provider.cache._items) == 1
    repo.save(replace(repo.get("l001"), title="Renamed"), editor="t", note="n")
    second = b"".join(provider.respond([("verb", "GetRecord"), ("metadataPrefix", "oai_dc"),
                                        ("identifier", ID)]))
    assert b"Renamed" in second and b"Renamed" not in first


def test_behind_a_proxy_urls_follow_the_base_url(repo: Archive, clock: Clock) -> None:
    http = client(repo, clock, base_url="https://lists.example.org/rli/oai")
    response = http.get("/oai", params={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                        "identifier": ID})
    assert b'href="/rli/static/oai2.xsl"' in response.content
    root = etree.fromstring(response.content)
    assert root.findtext("oai:request", namespaces=NS) == "https://lists.example.org/rli/oai"
    url = root.find(".//rlix:version", ALL).get("url")  # type: ignore[union-attr]
    assert url == "https://lists.example.org/rli/lists/l001/versions/1.xml"
    assert config(stylesheet=None).stylesheet_href is None


@pytest.mark.parametrize("bad", [{"repository_identifier": "no_dots"},
                                 {"admin_email": "nobody"}, {"records_page": 0},
                                 {"base_url": "ftp://x/oai"}])
def test_bad_config_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ProviderConfigError):
        config(**bad)


def test_a_change_committed_after_an_answer_is_dated_no_earlier_than_that_answer(
    repo: Archive, clock: Clock, tmp_path: Path
) -> None:
    # A long write (an import of many lists is one transaction) dated its changes as it
    # made them; a harvest answered meanwhile, over another connection, saw none of them
    # and gave a responseDate after their dates: asking from that responseDate next, the
    # harvester missed every one of them, for good.
    reader = client(Archive(open_db(tmp_path / "rli.db"), clock=clock), clock)
    with transaction(repo.db):
        repo.add(make_list("late1"), editor="tester", note="n")
        clock.advance(10)
        answered = oai(reader, verb="ListIdentifiers", metadataPrefix="oai_dc",
                       from_=repo.state("late1").datestamp)
        assert error_code(answered) == "noRecordsMatch"  # not committed yet: not visible
        repo.add(make_list("late2"), editor="tester", note="n")
        clock.advance(10)
    response_date = str(answered.findtext("oai:responseDate", namespaces=NS))
    found = [i for page in harvest(reader, "ListIdentifiers", metadataPrefix="oai_dc",
                                   from_=response_date) for i in identifiers(page)]
    assert found == ["oai:rli.localhost:late1", "oai:rli.localhost:late2"]
    assert repo.state("late1").datestamp == repo.state("late2").datestamp  # the commit's
    assert repo.history("late1")[0].archived_at < response_date  # the version's own moment
