"""A real ``rli serve`` under hostile clients and signals (repository/serve.py, worker.py,
oai/wsgi.py): slow and idle connections, a malformed chunked POST, clean stops."""

from __future__ import annotations

import contextlib
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from repository.worker import DRAIN_BYTES, READ_TIMEOUT
from tests.oai_fixtures import NS, Clock, fill, new_archive
from tests.rli_server import Running, rli_serve


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "rli.db"
    clock = Clock()
    archive = new_archive(path, clock)
    fill(archive, clock, 5)
    archive.db.conn.close()
    return path


@pytest.fixture(scope="module")
def server(archive_path: Path) -> Iterator[Running]:
    with rli_serve(archive_path, "--workers", "2") as running:
        yield running


def _connect(port: int, first: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first:
        sock.sendall(first)
    return sock


def test_slow_and_idle_clients_do_not_block_others(server: Running) -> None:
    slow = [_connect(server.port, b"GET /oai?verb=Ide") for _ in range(50)]
    idle = [_connect(server.port) for _ in range(50)]
    try:
        time.sleep(0.5)  # let the server take them all in
        for _ in range(3):
            started = time.monotonic()
            answer = httpx.get(server.url, params={"verb": "Identify"}, timeout=10)
            took = time.monotonic() - started
            assert answer.status_code == 200 and b"<Identify>" in answer.content
            assert took < 1.0, f"Identify took {took:.2f}s beside 100 slow/idle connections"
    finally:
        for sock in slow + idle:
            sock.close()


def _raw(port: int, request: bytes) -> bytes:
    with _connect(port, request) as sock:
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                return b"".join(chunks)
            chunks.append(data)


def _dechunk(data: bytes) -> bytes:
    out = []
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(data[:size])
        data = data[size + 2:]


def test_a_malformed_chunked_post_is_a_bad_argument(server: Running) -> None:
    request = (
        b"POST /oai HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\nverb=Identify\r\n0\r\n\r\n"
    )
    answer = _raw(server.port, request)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    if b"Transfer-Encoding: chunked" in head:
        body = _dechunk(body)
    root = parse_untrusted(body)
    validate(root, "oai-pmh")
    assert root.find("oai:error", NS).get("code") == "badArgument"


def test_a_body_that_stalls_closes_the_connection(server: Running) -> None:
    # A body read that gave up read as the end of the body: the request was answered
    # with what had come, the connection kept alive, and the rest of the body, when it
    # came, was read as the next request (a keep-alive desync: a body could smuggle a
    # request past whatever reads bodies in front of the server).
    smuggled = b"GET /oai?verb=ListMetadataFormats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    start = b"verb=Identify"
    head = (b"POST /oai HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n" % (len(start) + len(smuggled)))
    with _connect(server.port, head + start) as sock:
        sock.settimeout(READ_TIMEOUT + 10)
        time.sleep(READ_TIMEOUT + 1)  # the server's read of the body gives up meanwhile
        with contextlib.suppress(OSError):  # closed already: nothing is read as a request
            sock.sendall(smuggled)
        answer = bytearray()
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    assert b"ListMetadataFormats" not in answer, "the rest of a body was served as a request"
    assert answer.count(b"HTTP/1.1 ") == 1 and b"badArgument" in answer, bytes(answer[:300])


@pytest.mark.parametrize(("extra", "chunked", "connection"), [
    (DRAIN_BYTES, False, "close"), (0, False, "keep-alive"), (DRAIN_BYTES, True, "close"),
])
def test_a_body_past_what_is_drained_is_answered_connection_close(
    server: Running, extra: int, chunked: bool, connection: str
) -> None:
    # gunicorn closes a connection whose unread body is past 64 KB: the answer said
    # keep-alive, and a client's next request on it met a closed socket (a chunked body
    # gives no length before it is read)
    body = b"verb=Identify&x=" + b"a" * (1000 + extra)
    if chunked:
        framing = b"Transfer-Encoding: chunked\r\n"
        body = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 8192]), body[i:i + 8192])
                        for i in range(0, len(body), 8192)) + b"0\r\n\r\n"
    else:
        framing = b"Content-Length: %d\r\n" % len(body)
    head = (b"POST /oai HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n" + framing + b"\r\n")
    with _connect(server.port, head + body) as sock:
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
    headers = dict(line.split(": ", 1) for line in
                   answer.partition(b"\r\n\r\n")[0].decode().splitlines()[1:])
    assert headers["Connection"] == connection


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_by_signal_is_clean(archive_path: Path, tmp_path: Path, sig: int) -> None:
    log = tmp_path / "serve.log"
    with rli_serve(archive_path, log=log) as running:
        httpx.get(running.url, params={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        time.sleep(1.0)  # the background rendering has started or ended
        status = running.stop(sig)
    text = log.read_text()
    assert "Traceback" not in text and "can only join" not in text, text
    assert status == 0, text
    assert "Shutting down: Master" in text


def test_each_server_has_its_own_control_socket(archive_path: Path, tmp_path: Path) -> None:
    with rli_serve(archive_path, log=tmp_path / "a.log") as a, \
            rli_serve(archive_path, log=tmp_path / "b.log") as b:
        time.sleep(0.5)
        paths = []
        for running in (a, b):
            text = running.log.read_text()
            line = next(x for x in text.splitlines() if "Control socket listening at" in x)
            paths.append(line.rsplit(" ", 1)[1])
    assert paths[0] != paths[1]
    assert not any(Path(p).exists() for p in paths)  # removed on stop


def test_identify_is_schema_valid_over_the_real_server(server: Running) -> None:
    root = etree.fromstring(httpx.get(server.url, params={"verb": "Identify"}).content)
    validate(root, "oai-pmh")


def test_a_get_of_7_kb_is_answered_in_oai_pmh(server: Running) -> None:
    # gunicorn's default request line (4094 bytes) answered a longer GET with its own
    # HTML 414; a token carrying a long set's spec is that long
    identifier = "oai:rli.localhost:" + "x" * 7000
    response = httpx.get(server.url, params={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                             "identifier": identifier}, timeout=30)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    error = root.find("oai:error", NS)
    assert error is not None and error.get("code") == "idDoesNotExist"
