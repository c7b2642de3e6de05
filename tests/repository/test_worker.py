"""rli's gunicorn worker, driven in this process over real sockets on 127.0.0.1.

The worker's ``handle`` is what its thread pool runs for a connection with a request
waiting; here the test's thread runs it, with a real gunicorn configuration and logger
and a client on the other end of a TCP connection.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import TConn

from repository import worker as rli_worker
from repository.worker import BoundedSocket, BoundedThreadWorker

REQUEST = b"GET /oai?verb=Identify HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


class Counting:
    """A WSGI app that answers ``ok`` and counts the requests it was called for."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]


@contextmanager
def connected(threads: int = 4) -> Iterator[tuple[BoundedThreadWorker, TConn, socket.socket,
                                                  Counting]]:
    """A worker (``threads`` threads, not started), the server side of a connection as
    the worker's accept makes it, the client side, and the app it serves."""
    cfg = Config()
    cfg.set("threads", threads)
    cfg.set("accesslog", None)
    app = Counting()
    worker = BoundedThreadWorker(0, os.getppid(), [], None, 30, cfg, Logger(cfg))
    worker.wsgi = app
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=10)
        accepted, address = listener.accept()
        server = listener.getsockname()
    sock = BoundedSocket(accepted.family, accepted.type, accepted.proto,
                         fileno=accepted.detach())
    conn = TConn(cfg, sock, address, server)
    conn.data_ready = True  # as when the poller found it readable
    worker.nr_conns = 1
    try:
        yield worker, conn, client, app
    finally:
        client.close()
        conn.close()
        worker.tmp.close()


def _response(client: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n\r\nok"):
        chunk = client.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _handle_in_thread(worker: BoundedThreadWorker, conn: TConn) -> tuple[threading.Thread,
                                                                          list[object]]:
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(worker.handle(conn)), daemon=True)
    thread.start()
    return thread, result


def test_the_next_request_on_a_kept_alive_connection_is_served_by_the_same_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each request of a kept-alive connection went back through the worker's poller
    # and thread pool (the main loop woken through a pipe, the socket registered and
    # unregistered, a future and its callback): 821-860 us of server CPU a sequential
    # GetRecord over keep-alive on a quiet machine, of which about 100 the application's.
    monkeypatch.setattr(rli_worker, "FOLLOW_WAIT", 5.0)  # however slow this machine is
    with connected() as (worker, conn, client, app):
        client.sendall(REQUEST)
        thread, result = _handle_in_thread(worker, conn)
        assert _response(client).startswith(b"HTTP/1.1 200")
        client.sendall(REQUEST)
        assert _response(client).startswith(b"HTTP/1.1 200"), "the second request waited"
        client.shutdown(socket.SHUT_WR)  # the client is done: handle returns
        thread.join(10)
        assert not thread.is_alive() and app.calls == 2
        assert result == [False]  # closed by the client: nothing left for the poller


def test_a_connection_does_not_keep_its_thread_when_others_could_need_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rli_worker, "FOLLOW_WAIT", 5.0)
    with connected(threads=4) as (worker, conn, client, app):
        worker.nr_conns = 4  # as many connections as threads
        client.sendall(REQUEST)
        thread, result = _handle_in_thread(worker, conn)
        assert _response(client).startswith(b"HTTP/1.1 200")
        thread.join(2.5)  # well before FOLLOW_WAIT: it did not wait for a next request
        assert not thread.is_alive() and app.calls == 1
        assert result == [True]  # kept alive, back to the poller


def test_a_stopping_worker_does_not_wait_for_a_next_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rli_worker, "FOLLOW_WAIT", 5.0)
    with connected() as (worker, conn, client, app):
        worker.alive = False
        client.sendall(REQUEST)
        thread, result = _handle_in_thread(worker, conn)
        assert b"Connection: close" in _response(client)
        thread.join(2.5)
        assert not thread.is_alive() and app.calls == 1 and result == [False]
