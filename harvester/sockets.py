"""The sockets of an HTTP client, kept so that another thread can end a read waiting on them.

A provider that is connected but silent keeps a read waiting until its
timeout (``--timeout``, a minute by default), and a Ctrl-C only sets a flag
that the reading thread (the fetch-ahead one, :mod:`harvester.ahead`) looks
at between reads. Closing the socket from another thread does not wake the
read; ``shutdown()`` does: the read ends at once, as a dropped connection.

:class:`OpenSockets` gives an ``httpx.Client`` a request hook that asks
httpcore (its ``trace`` extension) for each connection it opens, and keeps
those (weakly: one httpcore forgets is forgotten). :meth:`OpenSockets.shut`
shuts them all down, and any opened after it as soon as it is made. The
client's requests then fail, and :class:`harvester.client.OAIClient`, its
``stop`` set, raises errors.Interrupted instead of retrying.
"""

from __future__ import annotations

import socket
import threading
import weakref
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import httpx

# httpcore's trace events whose ``return_value`` is a connection's network stream.
OPENED = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class OpenSockets:
    """The connections one or more httpx clients open (see module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: weakref.WeakSet[Any] = weakref.WeakSet()
        self._shut = False

    def hooks(self) -> dict[str, list[Callable[[httpx.Request], None]]]:
        """``event_hooks`` for ``httpx.Client``."""
        return {"request": [self._watch]}

    def shut(self) -> None:
        """Shut down every socket kept, and from now on each new one (thread-safe)."""
        with self._lock:
            self._shut = True
            streams = list(self._streams)
        for stream in streams:
            _shut_down(stream)

    def _watch(self, request: httpx.Request) -> None:
        earlier = request.extensions.get("trace")

        def trace(event: str, info: dict[str, Any]) -> None:
            if event in OPENED and info.get("return_value") is not None:
                self._keep(info["return_value"])
            if earlier is not None:
                earlier(event, info)

        request.extensions["trace"] = trace

    def _keep(self, stream: Any) -> None:
        with self._lock:  # either shut() sees it, or it sees shut()
            if not self._shut:
                self._streams.add(stream)
                return
        _shut_down(stream)


def _shut_down(stream: Any) -> None:
    sock = stream.get_extra_info("socket")
    if isinstance(sock, socket.socket):
        # socket.socket's own shutdown, also for a TLS socket: ssl.SSLSocket.shutdown
        # would drop its TLS state under the thread that is reading through it.
        with suppress(OSError):  # closed already (or never connected): nothing waits on it
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
