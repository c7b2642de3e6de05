"""repository.oai.wsgi: which Accept-Encoding headers get gzip (RFC 9110 §12.5.3), the
answer schema-valid either way."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from tests.oai_fixtures import Clock, client, fill, new_archive


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    clock = Clock()
    archive = new_archive(tmp_path_factory.mktemp("coding") / "rli.db", clock)
    fill(archive, clock, 3)
    return client(archive, clock)


@pytest.mark.parametrize(("accept_encoding", "gzipped"), [
    ("gzip", True),
    ("x-gzip", True),
    ("gzip;q=0.5", True),
    ("br, gzip", True),
    ("gzip;q=0", False),
    ("GZIP; Q=0", False),
    ("gzip;q=0.", False),  # "0." is a qvalue (RFC 9110 §12.4.2): zero
    ("gzip;q=0.000", False),
    ("gzip;q=0, *", False),  # named and refused: the wildcard does not bring it back
    ("identity;q=0, gzip;q=0.1", True),
    ("identity;q=0, *", True),  # identity refused, anything else welcome
    ("*;q=0, identity", False),
    ("deflate", False),
    ("br", False),
    ("identity", False),
    ("", False),
])
def test_gzip_exactly_when_the_client_takes_it(http: httpx.Client, accept_encoding: str,
                                               gzipped: bool) -> None:
    response = http.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                        headers={"accept-encoding": accept_encoding})
    assert response.status_code == 200
    assert (response.headers.get("content-encoding") == "gzip") is gzipped
    assert "Accept-Encoding" in response.headers["vary"]  # plain or not, it depends on it
    validate(etree.fromstring(response.content), "oai-pmh")  # httpx decoded any gzip
