"""A real ``rli serve`` (gunicorn, 2 workers) harvested by Sickle, pyoai and httpx."""

from __future__ import annotations

import gzip
import socket
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
from repository.oai.wsgi import WHOLE
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


def _raw_response(url: str, query: str, encoding: str,
                  method: str = "GET") -> tuple[dict[str, str], bytes]:
    """Headers (lower-cased names) and the body as sent, chunk framing included."""
    parts = httpx.URL(url)
    with socket.create_connection((parts.host, parts.port), timeout=10) as sock:
        sock.sendall(f"{method} {parts.path}?{query} HTTP/1.1\r\nHost: {parts.host}\r\n"
                     f"Accept-Encoding: {encoding}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}, body


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_small_answer_comes_whole_with_its_length_a_large_one_streamed(
    server: tuple[str, Path, list[str]], encoding: str,
) -> None:
    """GetRecord and Identify: Content-Length, no chunked framing (one write fewer; an
    HTTP/1.0 client or a proxy knows the size). A page of every record in rli format, larger
    than WHOLE, still streams as it is written."""
    url, _, expected = server
    for query in (f"verb=GetRecord&metadataPrefix=oai_dc&identifier={expected[0]}",
                  "verb=Identify"):
        headers, body = _raw_response(url, query, encoding)
        assert "transfer-encoding" not in headers, (query, headers)
        assert int(headers["content-length"]) == len(body) > 0
        xml = gzip.decompress(body) if encoding == "gzip" else body
        validate(etree.fromstring(xml), "oai-pmh")
    with rli_serve(server[1].parent / "rli.db", "--page-size", str(LISTS)) as whole:
        headers, body = _raw_response(whole.oai, "verb=ListRecords&metadataPrefix=rli",
                                      "identity")
    assert headers.get("transfer-encoding") == "chunked" and "content-length" not in headers
    assert len(body) > WHOLE


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_head_says_what_get_would_send(
    server: tuple[str, Path, list[str]], encoding: str,
) -> None:
    """RFC 9110 9.3.2: HEAD's headers are GET's (a client checks size and encoding first)."""
    url, _, expected = server
    for query in (f"verb=GetRecord&metadataPrefix=oai_dc&identifier={expected[0]}",
                  "verb=Identify", "verb=ListRecords&metadataPrefix=oai_dc"):
        got, body = _raw_response(url, query, encoding)
        headed, nothing = _raw_response(url, query, encoding, method="HEAD")
        assert nothing == b""
        for name in ("content-type", "content-encoding", "vary"):
            assert headed.get(name) == got.get(name), (query, name)
        # the length of the answer HEAD stands for: a second later its responseDate (and a
        # token's expiry) may gzip a byte or two shorter or longer, plain text never
        assert "content-length" in headed and "transfer-encoding" not in headed, query
        if encoding == "identity":
            assert headed["content-length"] == got["content-length"], query
        xml = gzip.decompress(body) if encoding == "gzip" else body
        validate(etree.fromstring(xml), "oai-pmh")


def test_no_answer_of_the_oai_app_lets_a_browser_run_script(
    server: tuple[str, Path, list[str]],
) -> None:
    """An imported list may hold an XHTML or SVG <script> in its metadata; opened in a
    browser, the raw XML ran it on the pages' origin (found in review)."""
    url, _, expected = server
    root = url.rsplit("/", 1)[0]
    for path in (f"/oai?verb=GetRecord&metadataPrefix=rli&identifier={expected[0]}",
                 "/oai.xml?verb=Identify", "/lists/l001/versions/1.xml", "/static/oai2.xsl",
                 "/oai?verb=Identify&method=PUT"):
        got = httpx.request("PUT" if "PUT" in path else "GET", root + path)
        assert got.headers["x-content-type-options"] == "nosniff", path
        policy = got.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split(
            "script-src")[1].split(";")[0], (path, policy)
        if path.startswith("/oai") and got.status_code == 200:
            validate(etree.fromstring(got.content), "oai-pmh")


def test_version_document_over_http(server: tuple[str, Path, list[str]]) -> None:
    url, _, _ = server
    root_url = url.rsplit("/", 1)[0]
    response = httpx.get(f"{root_url}/lists/l001/versions/1.xml", timeout=5)
    assert response.status_code == 200
    assert etree.fromstring(response.content).tag.endswith("resourceList")
    assert httpx.get(f"{root_url}/lists/l001/versions/9.xml", timeout=5).status_code == 404
