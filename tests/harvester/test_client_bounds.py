"""A hostile provider on a real socket: the client's bounds (harvester/client.py, body.py).

Each test is a defect found by attacking main (issue 13): 4xx OAI answers,
huge and gzip-bomb bodies, dripping pages, endless empty pages, runs without
end, redirects to other hosts, retries that cannot help, silent waits.
"""

from __future__ import annotations

import gzip
import logging
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harvester.client import OAIClient
from harvester.errors import BrokenPage, HarvestError, RunTimeExceeded, TransportError
from harvester.schedule import http_client
from tests.harvester.test_client import NOW, RECORDS, Harness
from tests.peers.oai import CatalogPeer, error_response, records_response
from tests.peers.scripted import ScriptedPeer, Step, drip
from tests.peers.serve import serve

StartResponse = Callable[..., Any]


@pytest.fixture
def peer(tmp_path: Path) -> Iterator[Harness]:
    scripted = ScriptedPeer(CatalogPeer(RECORDS, page_size=3, clock=lambda: NOW))
    with serve(scripted) as url:
        harness = Harness(url, scripted, tmp_path / "broken")
        yield harness
        harness.http.close()


def test_no_records_match_sent_with_http_422_is_an_empty_list(peer: Harness) -> None:
    peer.script(Step(422, error_response("noRecordsMatch", "nothing new", NOW)))
    assert list(peer.client().list_records("oai_dc", from_="2030-01-01")) == []
    assert peer.sleeps == []


def _huge(size: int) -> bytes:
    head = b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    return head + b" " * size


def test_a_body_over_the_cap_fails_and_only_a_bounded_prefix_is_kept(peer: Harness) -> None:
    peer.script(Step(body=_huge(30 * 1024 * 1024)))
    with pytest.raises(BrokenPage, match="larger than 20 MB") as caught:
        peer.client().identify()
    assert caught.value.saved is not None
    assert caught.value.saved.stat().st_size <= 1024 * 1024


def test_a_gzip_bomb_is_stopped_at_the_cap_without_expanding(peer: Harness) -> None:
    bomb = gzip.compress(_huge(400 * 1024 * 1024), compresslevel=1)
    assert len(bomb) < 2 * 1024 * 1024
    peer.script(Step(body=bomb, headers=(("Content-Encoding", "gzip"),)))
    tracemalloc.start()
    try:
        with pytest.raises(HarvestError, match="larger than 20 MB") as caught:
            peer.client().identify()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"
    saved = getattr(caught.value, "saved", None)
    assert saved is None or saved.stat().st_size <= 1024 * 1024


def _dripping(environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return drip(100, 0.1)


def test_a_page_that_drips_is_stopped_at_its_deadline(tmp_path: Path) -> None:
    with serve(_dripping) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path, page_deadline=1.0)
        started = time.monotonic()
        with pytest.raises(TransportError, match="deadline"):
            client.identify()
        assert time.monotonic() - started < 3


class _EndlessEmptyPages:
    """Each ListRecords page has no record and a new token (gives up after 200)."""

    def __init__(self) -> None:
        self.pages = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        self.pages += 1
        token = None if self.pages >= 200 else f"t{self.pages}"
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [records_response([], token=token, now=NOW)]


def test_endless_empty_pages_with_new_tokens_stop_the_list(tmp_path: Path) -> None:
    app = _EndlessEmptyPages()
    with serve(app) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path)
        with pytest.raises(HarvestError, match="no item"):
            list(client.list_records("oai_dc"))
    assert app.pages < 50


def test_a_run_time_limit_stops_a_slow_list(tmp_path: Path) -> None:
    scripted = ScriptedPeer(CatalogPeer(RECORDS * 20, page_size=1, clock=lambda: NOW))
    scripted.steps.extend([Step(delay=0.2)] * 200)
    with serve(scripted) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path, stop_at=time.monotonic() + 1.0)
        started = time.monotonic()
        with pytest.raises(HarvestError, match="time limit"):
            list(client.list_records("oai_dc"))
        assert time.monotonic() - started < 2.5


def test_a_run_time_limit_falling_within_a_page_is_the_run_time_limit(tmp_path: Path) -> None:
    """Found by CI's parallel run (the test above, on a loaded machine): a page still
    coming in when the run's limit fell was reported as a page past its deadline, a
    failed run, not as the limit the next run resumes from."""
    with serve(_dripping) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path, stop_at=time.monotonic() + 1.0)
        with pytest.raises(RunTimeExceeded, match="time limit"):
            client.identify()


def _redirect_to(target: str) -> Callable[..., list[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("302 Found", [("Location", f"{target}?{environ['QUERY_STRING']}")])
        return [b""]

    return app


def test_redirects_to_another_host_are_refused_unless_allowed(peer: Harness) -> None:
    other = peer.url.replace("127.0.0.1", "localhost")
    with serve(_redirect_to(other)) as url, http_client(10) as http:
        with pytest.raises(TransportError, match="another host"):
            OAIClient(url, http, keep_dir=peer.keep_dir).identify()
        assert peer.peer.verbs() == []
        allowed = OAIClient(url, http, keep_dir=peer.keep_dir, other_hosts=True)
        assert allowed.identify().repository_name == "Test peer"


def test_redirects_on_the_same_host_are_followed(peer: Harness) -> None:
    with serve(_redirect_to(peer.url)) as url, http_client(10) as http:
        assert OAIClient(url, http, keep_dir=peer.keep_dir).identify().protocol_version == "2.0"


def test_a_501_is_not_retried(peer: Harness) -> None:
    peer.script(Step(501, b"not implemented"))
    with pytest.raises(TransportError, match="HTTP 501"):
        peer.client().identify()
    assert peer.peer.verbs() == ["Identify"]
    assert peer.sleeps == []


def test_busy_waits_are_logged(peer: Harness, caplog: pytest.LogCaptureFixture) -> None:
    peer.script(Step(503, b"", (("Retry-After", "7"),)), Step(429, b""))
    with caplog.at_level(logging.INFO, logger="harvester"):
        peer.client().identify()
    waits = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert len(waits) == 2
    assert "HTTP 503" in waits[0] and "7s" in waits[0]
    assert "HTTP 429" in waits[1]

