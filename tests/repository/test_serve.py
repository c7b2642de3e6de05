"""A real ``rli serve`` (gunicorn, 2 workers) harvested by Sickle, pyoai and httpx."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle

from crosswalks.validation import validate
from tests.live_server import rli_serve
from tests.oai_fixtures import NS, Clock, fill, new_archive

LISTS = 23
DELETED = ("l005", "l017")
PAGE = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    folder = tmp_path_factory.mktemp("serve")
    db_path = folder / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    ids = fill(archive, clock, LISTS)
    for list_id in DELETED:
        archive.delete(list_id, editor="t", note="gone")
    archive.db.conn.close()
    with rli_serve(db_path, "--page-size", str(PAGE), workers=2) as served:
        yield served.oai, served.log, [f"oai:rli.localhost:{i}" for i in ids]


def test_sickle_harvests_everything(server: tuple[str, Path, list[str]]) -> None:
    url, _, expected = server
    records = list(Sickle(url).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    assert sorted(r.header.identifier for r in records) == sorted(expected)
    deleted = sorted(r.header.identifier for r in records if r.header.deleted)
    assert deleted == [f"oai:rli.localhost:{i}" for i in DELETED]
    live = [r for r in records if not r.header.deleted]
    assert all(r.metadata["title"] for r in live)


def test_pyoai_harvests_everything(server: tuple[str, Path, list[str]]) -> None:
    url, _, expected = server
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    oai = Client(url, registry)
    records = list(oai.listRecords(metadataPrefix="oai_dc"))
    assert sorted(header.identifier() for header, _, _ in records) == sorted(expected)
    assert sum(1 for header, _, _ in records if header.isDeleted()) == len(DELETED)
    assert oai.identify().granularity() == "YYYY-MM-DDThh:mm:ssZ"


def test_httpx_harvests_with_gzip_over_pages(server: tuple[str, Path, list[str]]) -> None:
    url, log, expected = server
    seen: list[str] = []
    pages = 0
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": "rli"}
    with httpx.Client(headers={"accept-encoding": "gzip"}, timeout=10) as http:
        while True:
            response = http.get(url, params=params)
            assert response.headers["content-encoding"] == "gzip"
            root = etree.fromstring(response.content)
            validate(root, "oai-pmh")
            pages += 1
            seen += [str(e.text) for e in root.iterfind(".//oai:header/oai:identifier", NS)]
            token = root.findtext(".//oai:resumptionToken", namespaces=NS)
            if not token:
                break
            params = {"verb": "ListRecords", "resumptionToken": token}
    assert sorted(seen) == sorted(expected) and len(set(seen)) == len(seen)
    assert pages == -(-LISTS // PAGE) >= 5
    time.sleep(0.3)  # let the access log flush
    access = [line for line in log.read_text().splitlines() if '"GET /oai?' in line]
    assert len([line for line in access if "resumptionToken=" in line]) >= pages - 1


def test_version_document_over_http(server: tuple[str, Path, list[str]]) -> None:
    url, _, _ = server
    root_url = url.rsplit("/", 1)[0]
    response = httpx.get(f"{root_url}/lists/l001/versions/1.xml", timeout=5)
    assert response.status_code == 200
    assert etree.fromstring(response.content).tag.endswith("resourceList")
    assert httpx.get(f"{root_url}/lists/l001/versions/9.xml", timeout=5).status_code == 404
