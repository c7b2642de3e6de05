"""Harvesters get exactly the XML they got before ``/oai`` learned to answer browsers.

Sickle (requests), pyoai (urllib) and rli's own harvester (``rli harvest -l``,
httpx with gzip, a separate process) harvest a real socket (127.0.0.1) in
front of the app, which records every request and the bytes it answered.
Before pages existed the app ignored ``Accept``, so what a client got then
is what a request without ``Accept`` gets now: each recorded body (gzip
bytes included) must equal that, byte for byte, under a fixed clock.
"""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from lxml import etree
from oaipmh.client import Client
from oaipmh.error import IdDoesNotExistError
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle
from sickle.oaiexceptions import IdDoesNotExist

from crosswalks.validation import validate
from repository.oai.html import prefers_html
from repository.oai.wsgi import OAIApp
from tests.oai_fixtures import Clock, app_for, fill, new_archive
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


@dataclass(frozen=True)
class Exchange:
    method: str
    query: str
    form: bytes
    accept: str | None
    accept_encoding: str | None
    headers: dict[str, str]
    body: bytes


class Recorder:
    """WSGI middleware keeping each request to the app and the bytes it answered."""

    def __init__(self, app: OAIApp) -> None:
        self.app = app
        self.seen: list[Exchange] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(form)
        status, headers, body = call(self.app, environ)
        self.seen.append(Exchange(
            environ["REQUEST_METHOD"], environ.get("QUERY_STRING", ""), form,
            environ.get("HTTP_ACCEPT"), environ.get("HTTP_ACCEPT_ENCODING"),
            {k.lower(): v for k, v in headers}, body,
        ))
        start_response(status, headers)
        return [body]


def call(app: OAIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """One WSGI call: status, headers, the whole body."""
    answer: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        answer["status"], answer["headers"] = status, headers

    chunks: Iterable[bytes] = app(environ, start)
    body = b"".join(chunks)
    return answer["status"], answer["headers"], body


def today(app: OAIApp, seen: Exchange) -> tuple[dict[str, str], bytes]:
    """The same request without ``Accept``: the headers and body every client got before."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": seen.method, "PATH_INFO": "/oai", "QUERY_STRING": seen.query,
        "wsgi.input": io.BytesIO(seen.form), "CONTENT_LENGTH": str(len(seen.form)),
    }
    if seen.method == "POST":
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    if seen.accept_encoding:
        environ["HTTP_ACCEPT_ENCODING"] = seen.accept_encoding
    setup_testing_defaults(environ)
    _, headers, body = call(app, environ)
    return {k.lower(): v for k, v in headers}, body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Recorder, OAIApp]]:
    clock = Clock()
    archive = new_archive(tmp_path_factory.mktemp("negotiation") / "rli.db", clock)
    fill(archive, clock, 11)
    archive.delete("l004", editor="t", note="gone")
    app = app_for(archive, clock, base_url="http://127.0.0.1/oai")
    recorder = Recorder(app)
    with serve(recorder) as url:
        yield url, recorder, app


def sickle_harvest(url: str, _: Path) -> None:
    sickle = Sickle(url, max_retries=0)
    sickle.Identify()
    list(sickle.ListSets())
    list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    list(sickle.ListIdentifiers(metadataPrefix="rli", set="course:C1"))
    sickle.GetRecord(metadataPrefix="mods", identifier="oai:rli.localhost:l001")
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(metadataPrefix="rli", identifier="oai:rli.localhost:nope")


def post_sickle_harvest(url: str, _: Path) -> None:
    list(Sickle(url, http_method="POST", max_retries=0).ListRecords(metadataPrefix="rli"))


def pyoai_harvest(url: str, _: Path) -> None:
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    oai = Client(url, registry)
    oai.identify()
    list(oai.listMetadataFormats())
    list(oai.listRecords(metadataPrefix="oai_dc"))
    with pytest.raises(IdDoesNotExistError):
        oai.getRecord(metadataPrefix="oai_dc", identifier="oai:rli.localhost:nope")


def rli_harvest(url: str, folder: Path) -> None:
    out = folder / "dump.xml"
    subprocess.run([*RLI, "--db", str(folder / "h.db"), "harvest", "-l", url, "-o", str(out),
                    "-m", "rli"], check=True, capture_output=True, timeout=120)
    assert out.stat().st_size > 0


@pytest.mark.parametrize("harvest", [sickle_harvest, post_sickle_harvest, pyoai_harvest,
                                     rli_harvest])
def test_harvesters_get_the_same_bytes_as_before(
    served: tuple[str, Recorder, OAIApp], harvest: Callable[[str, Path], None], tmp_path: Path
) -> None:
    url, recorder, app = served
    recorder.seen.clear()
    harvest(url, tmp_path)
    seen = list(recorder.seen)
    assert len(seen) >= 3
    for exchange in seen:
        assert not prefers_html(exchange.accept or "")
        headers, body = today(app, exchange)
        assert exchange.body == body, f"{exchange.method} {exchange.query} differs"
        assert exchange.headers["content-type"] == headers["content-type"] == (
            "text/xml; charset=utf-8")
        assert exchange.headers.get("content-encoding") == headers.get("content-encoding")
        plain = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        assert plain.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<?xml-stylesheet ")
        validate(etree.fromstring(plain), "oai-pmh")
        assert "Accept" in {v.strip() for v in exchange.headers["vary"].split(",")}


def test_the_clients_send_what_harvesters_send(served: tuple[str, Recorder, OAIApp],
                                               tmp_path: Path) -> None:
    """Which Accept each client sends (so the test above covers real harvester headers)."""
    url, recorder, _ = served
    accepts = {}
    for harvest in (sickle_harvest, pyoai_harvest, rli_harvest):
        recorder.seen.clear()
        harvest(url, tmp_path)
        accepts[harvest.__name__] = {e.accept for e in recorder.seen}
        encodings = {e.accept_encoding for e in recorder.seen}
        if harvest is rli_harvest:
            assert all("gzip" in (e or "") for e in encodings)
    assert accepts == {"sickle_harvest": {"*/*"}, "pyoai_harvest": {None},
                       "rli_harvest": {"*/*"}}


def test_the_same_request_from_a_browser_is_a_page(served: tuple[str, Recorder, OAIApp]) -> None:
    """The comparison above would notice negotiation: a browser's Accept changes the bytes."""
    _, _, app = served
    query = "verb=ListRecords&metadataPrefix=oai_dc"
    xml_headers, xml = today(app, Exchange("GET", query, b"", None, None, {}, b""))
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9"
    environ: dict[str, Any] = {"PATH_INFO": "/oai", "QUERY_STRING": query, "HTTP_ACCEPT": browser}
    setup_testing_defaults(environ)
    _, headers, page = call(app, environ)
    assert dict(headers)["Content-Type"] == "text/html; charset=utf-8"
    assert xml_headers["content-type"] == "text/xml; charset=utf-8" and page != xml
    # the page, as the pages for people, is framed by no other site (the XML has no need)
    assert dict(headers)["X-Frame-Options"] == "DENY"
    assert dict(headers)["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert dict(headers)["X-Content-Type-Options"] == "nosniff"
