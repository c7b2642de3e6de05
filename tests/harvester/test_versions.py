"""harvester.versions: fetching a list's past versions from its provider, bounded.

Found in review: version documents are fetched while the harvest's page
transaction holds the archive's write lock, and the fetch had no deadline, so a
provider dripping one byte at a time held every other writer off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harvester.client import OAIClient
from harvester.errors import PageTooSlow, TransportError
from harvester.versions import version_fetcher
from tests.peers.serve import serve

StartResponse = Callable[..., Any]
DOC = b"<?xml version='1.0'?><resourceList/>"


def _versions(environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
    path = environ["PATH_INFO"]
    if path == "/lists/a/versions/1.xml":
        start_response("200 OK", [("Content-Type", "application/xml")])
        return iter([DOC])
    if path == "/lists/a/versions/2.xml":  # drips for 10 s
        start_response("200 OK", [("Content-Type", "application/xml")])

        def drip() -> Iterator[bytes]:
            for _ in range(100):
                time.sleep(0.1)
                yield b" "

        return drip()
    if path == "/lists/a/versions/3.xml":
        start_response("200 OK", [("Content-Type", "application/xml")])
        return iter([b"x" * 5000])
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return iter([b"no"])


def test_a_version_arrives_whole(tmp_path: Path) -> None:
    with serve(_versions) as url, httpx.Client() as http:
        fetch = version_fetcher(OAIClient(url, http, keep_dir=tmp_path))
        assert fetch(url.rsplit("/", 1)[0] + "/lists/a/versions/1.xml") == DOC


def test_a_dripping_version_is_given_up_at_its_deadline(tmp_path: Path) -> None:
    with serve(_versions) as url, httpx.Client() as http:
        fetch = version_fetcher(OAIClient(url, http, keep_dir=tmp_path), deadline=1.0)
        started = time.monotonic()
        with pytest.raises(PageTooSlow):
            fetch(url.rsplit("/", 1)[0] + "/lists/a/versions/2.xml")
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("path, message", [
    ("/lists/a/versions/3.xml", "larger than 1000 bytes"),
    ("/lists/a/versions/9.xml", "HTTP 404"),
])
def test_oversize_and_missing_versions_are_transport_errors(
    tmp_path: Path, path: str, message: str
) -> None:
    with serve(_versions) as url, httpx.Client() as http:
        fetch = version_fetcher(OAIClient(url, http, keep_dir=tmp_path), max_bytes=1000)
        with pytest.raises(TransportError, match=message):
            fetch(url.rsplit("/", 1)[0] + path)


def test_a_version_on_another_host_is_not_fetched(tmp_path: Path) -> None:
    with serve(_versions) as url, httpx.Client() as http:
        fetch = version_fetcher(OAIClient(url, http, keep_dir=tmp_path))
        with pytest.raises(TransportError, match="not on the provider"):
            fetch("http://127.0.0.2:9/lists/a/versions/1.xml")
