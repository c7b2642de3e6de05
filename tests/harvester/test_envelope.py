"""Reading OAI-PMH envelopes from real providers' pages (harvester/envelope.py)."""

from __future__ import annotations

import pytest

from crosswalks.xmlsafe import parse_untrusted
from harvester.envelope import read_header, read_identity, read_page, read_record
from harvester.errors import UnexpectedResponse
from harvester.shared.protocol import BadVerb, Granularity, Verb
from tests import paths
from tests.peers.oai import error_response

SAMPLES = paths.SAMPLES


def page(rel: str, verb: Verb = Verb.LIST_RECORDS):  # type: ignore[no-untyped-def]
    return read_page(parse_untrusted((SAMPLES / rel).read_bytes()), verb)


def test_harvard_mods_page_token_and_size() -> None:
    p = page("oai/harvard-librarycloud-ListRecords-mods.xml")
    assert len(p.items) == 10
    assert p.token == "AoEuYXJuMDAwMDdjMDAwMTE=:botanicals:10:mods"
    assert p.complete_list_size == 4147 and p.cursor is None
    assert p.response_date == "2024-08-04T15:44:58Z"
    record = read_record(p.items[0])
    assert record.metadata is not None and record.metadata.tag == "{http://www.loc.gov/mods/v3}mods"
    assert record.header.datestamp  # kept as sent, even if not a conformant datestamp


def test_tudelft_identify_and_deleted_header() -> None:
    identity = read_identity(page("oai_dc/tudelft-2004-Identify.xml", Verb.IDENTIFY))
    assert identity.granularity is Granularity.SECONDS
    assert identity.response_date == "2004-12-29T13:19:24Z"
    deleted = page("oai_dc/tudelft-2004-ListRecords-deleted.xml")
    (record,) = [read_record(el) for el in deleted.items]
    assert record.header.deleted and record.metadata is None
    assert record.header.identifier == "oai:tudelft.nl:107087"
    assert deleted.token is None


def test_set_specs_are_read() -> None:
    p = page("oai_dc/unimaas-arno-2005-ListRecords-set.xml")
    headers = [read_record(el).header for el in p.items]
    assert headers and all(h.set_specs for h in headers)


def test_errors_and_no_records_match() -> None:
    empty = read_page(parse_untrusted(error_response("noRecordsMatch")), Verb.LIST_RECORDS)
    assert empty.items == () and empty.token is None
    with pytest.raises(BadVerb):
        read_page(parse_untrusted(error_response("badVerb", "what")), Verb.IDENTIFY)
    with pytest.raises(UnexpectedResponse, match="not an OAI-PMH response"):
        read_page(parse_untrusted(b"<html/>"), Verb.IDENTIFY)


def test_header_without_identifier_is_refused() -> None:
    el = parse_untrusted(
        b'<header xmlns="http://www.openarchives.org/OAI/2.0/"><datestamp>2020-01-01</datestamp>'
        b"</header>"
    )
    with pytest.raises(UnexpectedResponse):
        read_header(el)
