"""The gunicorn worker ``rli serve`` runs: gthread, with slow and idle clients bounded.

gunicorn's gthread worker hands each new connection to a thread, which then
waits for the request with a blocking socket and no timeout: a few clients
that connect and send nothing, or half a request line, hold every thread and
nobody else is answered. This worker changes two things:

- a new connection waits for its first byte in the worker's poller, not in a
  thread (idle connections cost a file descriptor, closed after ``keepalive``);
- its socket bounds blocking reads: each read gives up after
  ``READ_TIMEOUT`` seconds and all the reads of one request after
  ``REQUEST_DEADLINE``; a read that gives up raises :class:`ReadGaveUp` (a
  ConnectionResetError), and from then on every read of that socket does, so
  the connection is closed, never reused: in the request line or headers
  gunicorn closes it as if the client had reset it (no traceback); in a body
  the application's read fails (the OAI app answers badArgument) and gunicorn
  closes the connection after the response, since where the next request would
  start is unknown. (A read that gave up used to read as the end of the body:
  the request was answered with what had come and the rest of the body, once
  it came, was read as the next request.)
  Writes get ``SEND_TIMEOUT``.

It relies on gunicorn's ThreadWorker internals (``pending_conns``, ``poller``,
``on_pending_socket_readable``, as in gunicorn 27); on a gunicorn without
them it is plain gthread (pyproject should ask for a gunicorn that has them).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

READ_TIMEOUT = 5.0
REQUEST_DEADLINE = 15.0
SEND_TIMEOUT = 60.0


class ReadGaveUp(ConnectionResetError):
    """A blocking read of a client socket gave up waiting (see module docstring)."""

    def __init__(self) -> None:
        super().__init__(errno.ECONNRESET, "the client sent nothing in time")


class BoundedSocket(socket.socket):
    """A client socket whose blocking reads give up (see module docstring)."""

    _deadline = 0.0
    _gave_up = False

    def setblocking(self, flag: bool) -> None:
        if flag:  # gunicorn switches to blocking when a thread starts on a request
            self._deadline = time.monotonic() + REQUEST_DEADLINE
            super().settimeout(READ_TIMEOUT)
        else:
            super().setblocking(False)

    def _room(self) -> float | None:
        """Seconds the next blocking read may wait (None: the socket is non-blocking);
        raises ReadGaveUp if a read gave up before or the request's time is over."""
        if self._gave_up:
            raise ReadGaveUp
        if self.gettimeout() == 0.0:
            return None
        room = min(READ_TIMEOUT, self._deadline - time.monotonic())
        if room <= 0:
            self._gave_up = True
            raise ReadGaveUp
        return room

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        room = self._room()
        if room is None:
            return super().recv(bufsize, flags)
        super().settimeout(room)
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            self._gave_up = True
            raise ReadGaveUp from None

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        room = self._room()
        if room is None:
            return super().recv_into(buffer, nbytes, flags)
        super().settimeout(room)
        try:
            return super().recv_into(buffer, nbytes, flags)
        except TimeoutError:
            self._gave_up = True
            raise ReadGaveUp from None

    def sendall(self, data: Any, flags: int = 0) -> None:
        if self.gettimeout() != 0.0:
            super().settimeout(SEND_TIMEOUT)
        super().sendall(data, flags)


class BoundedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with new connections parked in the poller until they send a byte."""

    def accept(self, listener: socket.socket) -> None:
        if not hasattr(self, "pending_conns"):  # an older gunicorn: plain gthread
            super().accept(listener)
            return
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        sock = BoundedSocket(client.family, client.type, client.proto, fileno=client.detach())
        conn = TConn(self.cfg, sock, address, listener.getsockname())
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(sock, selectors.EVENT_READ,
                             partial(self.on_pending_socket_readable, conn))
