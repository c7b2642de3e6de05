"""repository.oai.envelope and static/oai2.xsl: streamed envelope, record parts, the HTML view."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.registry import FORMATS
from crosswalks.validation import validate
from harvester.shared.protocol import OAI_NS, BadArgument
from repository.oai import envelope as oai_xml
from repository.oai.wsgi import static_file
from tests.oai_fixtures import Clock, client, fill, new_archive

ENVELOPE = oai_xml.Envelope("2026-01-05T09:00:00Z", "http://oai.test/oai",
                            (("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc")),
                            "/static/oai2.xsl")


def test_stream_splices_serialised_parts_and_chunks_large_bodies() -> None:
    head = oai_xml.header("oai:rli.localhost:a", "2026-01-05T09:00:00Z", ["course:X"], False)
    parts = [oai_xml.serialise(head)] * 3000 + [head]
    chunks = list(oai_xml.stream_response(ENVELOPE, "ListIdentifiers", parts))
    assert len(chunks) > 2
    root = etree.fromstring(b"".join(chunks))
    validate(root, "oai-pmh")
    assert len(root.findall(f"{{{OAI_NS}}}ListIdentifiers/{{{OAI_NS}}}header")) == 3001


def test_error_response_has_no_verb_element_and_clean_text() -> None:
    chunks = oai_xml.stream_response(ENVELOPE, "ListIdentifiers", [],
                                     [BadArgument("bad \x00thing\x1b")])
    root = etree.fromstring(b"".join(chunks))
    validate(root, "oai-pmh")
    err = root.find(f"{{{OAI_NS}}}error")
    assert err is not None and err.text == "bad thing" and err.get("code") == "badArgument"
    assert root.find(f"{{{OAI_NS}}}ListIdentifiers") is None


def test_provenance_that_no_longer_parses_is_left_out() -> None:
    assert oai_xml.provenance(b"<broken", source="x") is None
    assert oai_xml.provenance(b"<other/>", source="x") is None
    assert oai_xml.provenance(None, source="x") is None


def test_resumption_token_last_page_is_empty_without_expiry() -> None:
    el = oai_xml.resumption_token("", expiration="2026-01-06T09:00:00Z", cursor=8, size=10)
    assert el.text is None and el.get("expirationDate") is None
    assert (el.get("cursor"), el.get("completeListSize")) == ("8", "10")


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    clock = Clock()
    archive = new_archive(tmp_path_factory.mktemp("xsl") / "rli.db", clock)
    fill(archive, clock, 3)
    archive.delete("l002", editor="t", note="gone")
    return client(archive, clock)


def _html(http: httpx.Client, query: str) -> str:
    transform = etree.XSLT(etree.ElementTree(etree.fromstring(static_file("oai2.xsl"))))
    response = http.get("/oai?" + query)
    result = transform(etree.fromstring(response.content))
    html = str(result)
    assert "<html" in html and "</html>" in html
    return html


@pytest.mark.parametrize("query", [
    "verb=Identify", "verb=ListMetadataFormats", "verb=ListSets",
    "verb=ListIdentifiers&metadataPrefix=oai_dc", "verb=Nonsense",
])
def test_stylesheet_renders_every_verb(http: httpx.Client, query: str) -> None:
    html = _html(http, query)
    if "Identify" in query:
        assert "rli.localhost" in html and "persistent" in html
    elif "Formats" in query:
        assert all(prefix in html for prefix in FORMATS)
    elif "ListSets" in query:
        assert "course:C1" in html
    elif "Identifiers" in query:
        assert "oai:rli.localhost:l001" in html and "(deleted)" in html
    else:
        assert "badVerb" in html


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_stylesheet_shows_record_titles(http: httpx.Client, prefix: str) -> None:
    html = _html(http, f"verb=ListRecords&metadataPrefix={prefix}")
    assert "Reading list 0" in html and "Reading list 1" in html
    single = _html(http, f"verb=GetRecord&metadataPrefix={prefix}"
                         "&identifier=oai:rli.localhost:l001")
    assert "Reading list 1" in single and "versions/1.xml" in single


def test_stylesheet_file_is_xslt_1(tmp_path: Path) -> None:
    sheet = etree.ElementTree(etree.fromstring(static_file("oai2.xsl"))).getroot()
    assert sheet.get("version") == "1.0"
