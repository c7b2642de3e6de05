"""Shutting an HTTP client's sockets from another thread (harvester/sockets.py), over real
sockets to a provider that is connected and says nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest

from harvester.client import OAIClient
from harvester.errors import Interrupted
from harvester.schedule import http_client
from harvester.sockets import OpenSockets


@contextmanager
def silent_provider() -> Iterator[tuple[str, threading.Event]]:
    """A provider that takes each connection and its request, then says nothing at all;
    the event is set once a request has come."""
    asked = threading.Event()
    held: list[socket.socket] = []

    def take() -> None:
        with suppress(OSError):
            while True:
                conn, _ = server.accept()
                held.append(conn)
                if conn.recv(65536):  # the request, never answered
                    asked.set()

    with socket.create_server(("127.0.0.1", 0)) as server:
        threading.Thread(target=take, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.getsockname()[1]}/oai", asked
        finally:
            for conn in held:
                conn.close()


def in_thread(call: Callable[[], object]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``call`` in a thread; the dict gets what it raised and when it ended."""
    got: dict[str, Any] = {}

    def run() -> None:
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            got["error"] = exc
        got["ended"] = time.monotonic()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, got


def test_shut_ends_a_read_waiting_on_a_silent_provider() -> None:
    sockets = OpenSockets()
    with silent_provider() as (url, asked), http_client(30, sockets) as http:
        thread, got = in_thread(lambda: http.get(url))
        assert asked.wait(10)
        time.sleep(0.2)  # in the read
        shut = time.monotonic()
        sockets.shut()
        thread.join(10)
    assert got["ended"] - shut < 1
    assert isinstance(got["error"], httpx.TransportError), got


def test_a_connection_made_after_shut_is_shut_as_it_is_made() -> None:
    sockets = OpenSockets()
    sockets.shut()
    with silent_provider() as (url, _), http_client(30, sockets) as http:
        started = time.monotonic()
        with pytest.raises(httpx.TransportError):
            http.get(url)
    assert time.monotonic() - started < 1


def test_a_trace_the_request_had_still_hears_every_event() -> None:
    events: list[str] = []
    with (silent_provider() as (url, _), http_client(30, OpenSockets()) as http,
          pytest.raises(httpx.ReadTimeout)):
        http.get(url, timeout=0.2, extensions={"trace": lambda e, i: events.append(e)})
    assert "connection.connect_tcp.complete" in events
    assert "http11.receive_response_headers.failed" in events


def test_a_client_stopped_and_shut_raises_interrupted_not_a_transport_error(
    tmp_path: Path,
) -> None:
    """What a Ctrl-C does to a run (harvester.schedule): not a failure, no retries."""
    sockets, stop = OpenSockets(), threading.Event()
    with silent_provider() as (url, asked), http_client(30, sockets) as http:
        client = OAIClient(url, http, timeout=30, keep_dir=tmp_path, stop=stop)
        thread, got = in_thread(client.identify)
        assert asked.wait(10)
        stop.set()
        sockets.shut()
        thread.join(10)
    assert isinstance(got["error"], Interrupted), got
    assert str(got["error"]) == f"{url}: interrupted"
