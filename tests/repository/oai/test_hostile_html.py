"""``/oai`` pages for browsers under hostile requests and records (repository/oai/html.py,
static/oai2.xsl), over a real socket: the app served by wsgiref on 127.0.0.1.

gunicorn (``rli serve``) refuses a request line with control characters; other WSGI
servers (wsgiref, waitress, mod_wsgi) pass them on in ``QUERY_STRING``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import etree, html

from crosswalks.validation import validate
from tests.oai_fixtures import Clock, app_for, fill, new_archive
from tests.peers.serve import serve
from tests.repository.oai.test_html import BROWSER


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    clock = Clock()
    archive = new_archive(tmp_path_factory.mktemp("hostile-html") / "rli.db", clock)
    fill(archive, clock, 2)
    with serve(app_for(archive, clock)) as url:
        yield url


def raw_get(url: str, target: bytes, accept: str) -> tuple[bytes, bytes]:
    """One HTTP/1.0 GET of ``target`` (bytes as sent); the status line and the body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.0\r\nAccept: " + accept.encode()
                     + b"\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], body


def test_control_characters_in_the_query_get_a_page_not_a_500(base: str) -> None:
    status, body = raw_get(base, b"/oai?verb=Identify&x=\x01y", BROWSER)
    assert status.split()[1] == b"200", body[:300]
    doc = html.fromstring(body)
    assert doc.get("data-rendered") == "server"
    assert doc.xpath("//section[@class='error']//code/text()") == ["badArgument"]
    link = doc.xpath("//a[@class='raw-xml']/@href")[0]
    assert link == "oai.xml?verb=Identify&x=%01y"
    # the link answers the same request as XML (what a browser would send for it)
    raw = httpx.get(base.removesuffix("/oai") + "/" + link, timeout=10)
    assert raw.status_code == 200
    root = etree.fromstring(raw.content)
    validate(root, "oai-pmh")
    assert root.find("{*}error").get("code") == "badArgument"

