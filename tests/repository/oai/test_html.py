"""``/oai`` for browsers: Accept negotiation, the page rendered on the server, ``/oai.xml``.

In process (httpx over WSGI, a fixed clock), so the page and the XML of the
same request can be compared exactly. Every XML response is schema-valid.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from lxml import etree, html

from crosswalks.rli import Location, LocationType, Resource
from crosswalks.validation import validate
from repository.archive import Archive
from repository.oai.html import PageError, PageRenderer, prefers_html
from repository.oai.wsgi import static_file
from tests.factories import make_list
from tests.oai_fixtures import NS, Clock, client, fill, new_archive

# What Chromium 150 sends for a page (Firefox and Safari send the same ranking).
BROWSER = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
           "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
PI = b'<?xml-stylesheet type="text/xsl" href="/static/oai2.xsl"?>'


@pytest.mark.parametrize(("accept", "page"), [
    (BROWSER, True),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # Firefox
    ("TEXT/HTML, Application/XHTML+XML; charset=utf-8", True),
    ("application/xhtml+xml", True),
    ("text/html", False),  # names no XHTML: no browser sends this alone
    # Java's HttpURLConnection, under many harvesters (a review found them given pages)
    ("text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2", False),
    ("text/html, application/xhtml+xml;q=0", False),
    ("text/*;q=0.9, application/xml;q=0.5", False),  # text/xml takes text/* too: a tie
    ("", False),  # pyoai and most scripts send none
    ("*/*", False),  # Sickle (requests), httpx, curl, wget
    ("text/xml", False),
    ("application/xml", False),
    ("text/xml, text/html", False),  # a tie goes to XML
    ("text/html;q=0.5, */*", False),
    ("text/html;q=0, */*;q=0.1", False),
    ("application/xml;q=0.8, text/html;q=0.9, application/xhtml+xml;q=0.7", True),
    ("text/html;q=bogus, text/xml;q=0.1", False),  # an unreadable range is ignored
    ("text/html;q=2", False),
    ("image/png", False),
])
def test_who_gets_a_page(accept: str, page: bool) -> None:
    assert prefers_html(accept) is page


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Archive, Clock]:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 6)
    archive.add(make_list("hist2041", items=3), editor="tester", note="first")
    clock.advance()
    archive.delete("l002", editor="tester", note="withdrawn")
    clock.advance()
    return archive, clock


@pytest.fixture
def http(archive: tuple[Archive, Clock]) -> httpx.Client:
    return client(*archive)


def vary(response: httpx.Response) -> set[str]:
    return {v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()}


def page_for(http: httpx.Client, **params: str) -> html.HtmlElement:
    response = http.get("/oai", params=params, headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in vary(response)
    doc = html.fromstring(response.content)
    assert doc.get("data-rendered") == "server" and doc.get("lang") == "en"
    return doc


def xml_for(http: httpx.Client, **params: str) -> etree._Element:
    response = http.get("/oai", params=params)
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    return root


def text(doc: html.HtmlElement, path: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in doc.xpath(path)]


def test_a_list_record_shows_its_items_annotations_and_page_link(http: httpx.Client) -> None:
    doc = page_for(http, verb="GetRecord", metadataPrefix="rli",
                   identifier="oai:rli.localhost:hist2041")
    assert text(doc, "//h1") == ["OAI-PMH GetRecord"]
    assert text(doc, "//article//h2") == ["Social History of Britain"]
    items = doc.xpath("//li[@class='item']")
    assert [li.get("data-item") for li in items] == ["i1", "i2", "i3"]
    assert text(doc, "//li[@class='section']/h3") == ["Week 1"]
    assert "Molecular structure of nucleic acids" in items[1].text_content()
    assert "Nature, vol. 171, no. 4356, pp. 737–738" in " ".join(text(doc, "//li[@class='item']"))
    notes = text(doc, "//*[@class='annotation']")
    assert "note Updated for 2026 (amira)" in notes
    assert "essential Read before the first seminar" in notes
    assert [a.get("href") for a in doc.xpath("//a[@class='list-page']")] == ["lists/hist2041"]
    assert doc.xpath("//a[@href='https://doi.org/10.1038/171737a0']")


@pytest.mark.parametrize("prefix", ["oai_dc", "mods", "lom"])
def test_other_formats_show_title_and_items(http: httpx.Client, prefix: str) -> None:
    doc = page_for(http, verb="GetRecord", metadataPrefix=prefix,
                   identifier="oai:rli.localhost:hist2041")
    assert text(doc, "//article//h2") == ["Social History of Britain"]
    assert len(doc.xpath("//li[@class='item']")) == 3
    assert "Molecular structure of nucleic acids" in " ".join(text(doc, "//li[@class='item']"))


def test_pages_follow_the_same_resumption_tokens_as_the_xml(http: httpx.Client) -> None:
    """Same clock, same request: the page's Next link carries the XML's token exactly."""
    args = {"verb": "ListRecords", "metadataPrefix": "rli"}
    seen: list[str] = []
    navs: list[str] = []
    for _ in range(5):
        root, doc = xml_for(http, **args), page_for(http, **args)
        ids = [str(e.text).rsplit(":", 1)[1]
               for e in root.iterfind(".//oai:header/oai:identifier", NS)]
        links = [a.get("href") for a in doc.xpath("//a[@class='list-page']")]
        assert links == [f"lists/{i}" for i in ids]
        seen += ids
        navs += text(doc, "//nav[@class='pages']")
        token = root.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            assert not doc.xpath("//a[@rel='next']")
            break
        query = parse_qs(urlsplit(doc.xpath("//a[@rel='next']")[0].get("href")).query)
        assert query == {"verb": ["ListRecords"], "resumptionToken": [token]}
        args = {"verb": "ListRecords", "resumptionToken": token}
    assert sorted(seen) == ["hist2041", "l000", "l001", "l002", "l003", "l004", "l005"]
    assert navs[0].startswith("1–4 of 7 · Next page") and navs[1] == "5–7 of 7 · last page"


def test_a_deleted_record_says_so(http: httpx.Client) -> None:
    doc = page_for(http, verb="GetRecord", metadataPrefix="rli",
                   identifier="oai:rli.localhost:l002")
    assert text(doc, "//article//h2") == ["l002 (deleted)"]
    assert not doc.xpath("//li[@class='item']")


@pytest.mark.parametrize(("params", "code"), [
    ({"verb": "Nonsense"}, "badVerb"),
    ({"verb": "Identify", "format": "xml"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "rli", "identifier": "oai:rli.localhost:nope"},
     "idDoesNotExist"),
    ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
])
def test_errors_show_code_and_message(http: httpx.Client, params: dict[str, str],
                                      code: str) -> None:
    root = xml_for(http, **params)
    error = root.find("oai:error", NS)
    assert error is not None and error.get("code") == code
    doc = page_for(http, **params)
    assert text(doc, "//h1") == ["OAI-PMH error"]
    assert text(doc, "//*[@class='error']//code") == [code]
    message = " ".join(str(error.text).split())
    assert text(doc, "//*[@class='error']//*[@class='message']") == [message]


def test_the_page_links_the_same_request_as_raw_xml(http: httpx.Client) -> None:
    doc = page_for(http, verb="ListRecords", metadataPrefix="oai_dc", set="course:C1")
    href = doc.xpath("//a[@class='raw-xml']")[0].get("href")
    assert href == "oai.xml?verb=ListRecords&metadataPrefix=oai_dc&set=course%3AC1"
    plain = http.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                     "set": "course:C1"})
    raw = http.get(f"/{href}", headers={"accept": BROWSER})
    assert raw.headers["content-type"] == "text/xml; charset=utf-8"
    assert "Accept" not in vary(raw)  # /oai.xml is XML whatever the Accept
    assert PI in plain.content and PI not in raw.content
    assert raw.content == plain.content.replace(PI, b"")
    validate(etree.fromstring(raw.content), "oai-pmh")


def test_a_browser_post_gets_a_page_with_a_raw_link_from_the_request(http: httpx.Client) -> None:
    response = http.post("/oai", data={"verb": "ListSets"}, headers={"accept": BROWSER})
    doc = html.fromstring(response.content)
    assert response.headers["content-type"].startswith("text/html")
    assert doc.xpath("//a[@class='raw-xml']")[0].get("href") == "oai.xml?verb=ListSets"
    assert "course:C1" in text(doc, "//table")[0]


@pytest.mark.parametrize("accept", [None, "*/*", "text/xml", "application/xml"])
def test_harvesters_get_the_xml_with_its_stylesheet_and_vary(http: httpx.Client,
                                                            accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    if accept is None:
        http.headers.pop("accept", None)
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    response = http.get("/oai", params=params, headers=headers)
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert "Accept" in vary(response)
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n" + PI)
    validate(etree.fromstring(response.content), "oai-pmh")


def test_gzip_and_head_for_pages(http: httpx.Client) -> None:
    params = {"verb": "Identify"}
    plain = http.get("/oai", params=params, headers={"accept": BROWSER,
                                                     "accept-encoding": "identity"})
    zipped = http.get("/oai", params=params, headers={"accept": BROWSER,
                                                      "accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["content-type"] == "text/html; charset=utf-8"
    assert vary(zipped) == {"Accept", "Accept-Encoding"}
    assert zipped.content == plain.content  # httpx decoded it
    assert b"<table" in plain.content
    head = http.head("/oai", params=params, headers={"accept": BROWSER})
    assert head.headers["content-type"] == "text/html; charset=utf-8" and head.content == b""


def test_data_is_escaped_and_only_web_addresses_become_links(
    archive: tuple[Archive, Clock],
) -> None:
    store, clock = archive
    hostile = make_list("xss", items=1, title='<script>alert("t")</script> & <b>bold</b>')
    res = hostile.items[0].content
    assert isinstance(res, Resource)
    risky = replace(res, locations=(Location(LocationType.URL, "javascript:alert(1)"),
                                    Location(LocationType.URL, "https://example.org/ok")))
    hostile = replace(hostile, items=(replace(hostile.items[0], content=risky),))
    store.add(hostile, editor="tester", note="hostile")
    doc = page_for(client(store, clock), verb="GetRecord", metadataPrefix="rli",
                   identifier="oai:rli.localhost:xss")
    assert not doc.xpath("//script") and not doc.xpath("//article//b")
    assert text(doc, "//article//h2") == ['<script>alert("t")</script> & <b>bold</b>']
    hrefs = [a.get("href") for a in doc.xpath("//a")]
    assert "https://example.org/ok" in hrefs
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "javascript:alert(1)" in " ".join(text(doc, "//li[@class='item']"))


def test_renderer_refuses_what_is_not_xml() -> None:
    renderer = PageRenderer(static_file("oai2.xsl"))
    with pytest.raises(PageError):
        renderer.render(b"<not-closed>")
