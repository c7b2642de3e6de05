"""The dispatcher between the OAI app and the pages (repository/web/mount.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.oai.provider import ProviderConfig
from repository.oai.wsgi import make_app as oai_app
from repository.web.mount import LazyApp, WSGIApp, for_oai, mount
from tests.repository.web.conftest import make_app


@pytest.mark.parametrize("path, oai", [
    ("/oai", True),
    ("/oai/anything", True),
    ("/oai.xml", True),  # the raw XML view the OAI page links to
    ("/static/oai2.xsl", True),
    ("/schemas/rli.xsd", True),  # the schema ListMetadataFormats and every record name
    ("/lists/law2210-2026/versions/1.xml", True),
    ("/lists/law2210-2026/versions/x.xml", True),
    ("/", False),
    ("/oaix", False),
    ("/lists/law2210-2026", False),
    ("/lists/law2210-2026/versions/1", False),
    ("/lists/law2210-2026/versions", False),
    ("/assets/web.css", False),
    ("/login", False),
])
def test_which_app_answers(path: str, oai: bool) -> None:
    assert for_oai(path) is oai


@pytest.fixture
def site(demo_db: Path) -> httpx.Client:
    config = ProviderConfig(base_url="http://site.test/oai")
    app = mount(oai_app(demo_db, config), make_app(demo_db))
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://site.test")


def test_oai_still_answers_beside_the_pages(site: httpx.Client) -> None:
    response = site.get("/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    validate(etree.fromstring(response.content), "oai-pmh")
    assert site.get("/static/oai2.xsl").status_code == 200


def test_version_documents_stay_byte_for_byte(site: httpx.Client, demo_db: Path) -> None:
    expected = Archive(open_db(demo_db)).document("hist2041-2026", 2)
    response = site.get("/lists/hist2041-2026/versions/2.xml")
    assert response.status_code == 200 and response.content == expected
    assert response.headers["content-type"] == "application/xml"
    missing = site.get("/lists/hist2041-2026/versions/9.xml")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/plain")


def test_the_schemas_the_records_name_are_served_beside_the_pages(site: httpx.Client) -> None:
    """Found in review: under ``rli serve`` (pages mounted) every schemaLocation of the
    rli format and of each record's provenance ``<about>`` answered 404."""
    formats = etree.fromstring(site.get("/oai", params={"verb": "ListMetadataFormats"}).content)
    record = etree.fromstring(site.get("/oai", params={
        "verb": "GetRecord", "metadataPrefix": "rli",
        "identifier": "oai:rli.localhost:hist2041-2026"}).content)
    named = {url for el in (formats, record) for url in
             [*el.itertext(), *(a for e in el.iter() for a in e.attrib.values())]
             if url.startswith("http://site.test/schemas/")}
    named |= {part for el in record.iter() for part in
              el.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "").split()
              if part.startswith("http://site.test/schemas/")}
    assert named >= {"http://site.test/schemas/rli.xsd", "http://site.test/schemas/rli-ext.xsd"}
    for url in named:
        response = site.get(url)
        assert response.status_code == 200, url
        assert etree.fromstring(response.content).tag == "{http://www.w3.org/2001/XMLSchema}schema"


def test_pages_answer_the_rest(site: httpx.Client) -> None:
    for path in ("/", "/lists/hist2041-2026", "/lists/hist2041-2026/versions/2", "/sources"):
        response = site.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")


def test_pages_are_built_by_the_first_page_request(demo_db: Path) -> None:
    # Issue 15: every worker built the pages app (Flask, Jinja2, the views) at start,
    # even one that only ever answers OAI-PMH.
    built: list[int] = []

    def pages() -> WSGIApp:
        built.append(1)
        return make_app(demo_db)

    lazy = LazyApp(pages)
    app = mount(oai_app(demo_db, ProviderConfig(base_url="http://site.test/oai")), lazy)
    site = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://site.test")
    assert site.get("/oai", params={"verb": "Identify"}).status_code == 200
    assert not lazy.loaded and built == []
    assert site.get("/").status_code == 200 and site.get("/lists/hist2041-2026").status_code == 200
    assert lazy.loaded and built == [1]


def test_pages_that_cannot_be_built_answer_500_and_are_tried_again(demo_db: Path) -> None:
    attempts: list[int] = []

    def broken() -> WSGIApp:
        attempts.append(1)
        raise RuntimeError("no pages today")

    app = mount(oai_app(demo_db, ProviderConfig(base_url="http://site.test/oai")),
                LazyApp(broken))
    site = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://site.test")
    first = site.get("/")
    assert first.status_code == 500 and b"Traceback" not in first.content
    assert site.get("/").status_code == 500 and attempts == [1, 1]
    assert site.get("/oai", params={"verb": "Identify"}).status_code == 200
