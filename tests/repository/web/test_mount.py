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
from repository.web.mount import for_oai, mount
from tests.repository.web.conftest import make_app


@pytest.mark.parametrize("path, oai", [
    ("/oai", True),
    ("/oai/anything", True),
    ("/oai.xml", True),  # the raw XML view the OAI page links to
    ("/static/oai2.xsl", True),
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


def test_pages_answer_the_rest(site: httpx.Client) -> None:
    for path in ("/", "/lists/hist2041-2026", "/lists/hist2041-2026/versions/2", "/sources"):
        response = site.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
