"""The gunicorn worker ``rli serve`` runs: gthread, with slow and idle clients bounded.

gunicorn's gthread worker hands each new connection to a thread, which then
waits for the request with a blocking socket and no timeout: a few clients
that connect and send nothing, or half a request line, hold every thread and
nobody else is answered. This worker changes three things:

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
  Writes get ``SEND_TIMEOUT``;
- the thread that answered a request on a kept-alive connection serves the
  connection's next request itself if it comes within ``FOLLOW_WAIT`` seconds
  (a harvester's next page, a resolver's next GetRecord), while the worker has
  fewer connections than threads, so none can be waiting for one. gthread hands
  the connection back to the poller after every request (the main loop woken
  through a pipe, the socket registered, then unregistered when readable, a
  task and its future for the thread pool): with that, a sequential GetRecord
  over keep-alive cost 821-860 us of server CPU on a quiet machine, about 100 of
  them the application's; served by the same thread, 541-586 (680-810 against
  427-443 with the other core busy; 2026-12-02, one worker, 2,000 GetRecords a
  run, alternating).

It relies on gunicorn's ThreadWorker internals (``pending_conns``, ``poller``,
``on_pending_socket_readable``, as in gunicorn 27); on a gunicorn without
them it is plain gthread (pyproject should ask for a gunicorn that has them).
"""

from __future__ import annotations

import errno
import select
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

READ_TIMEOUT = 5.0
REQUEST_DEADLINE = 15.0
SEND_TIMEOUT = 60.0
FOLLOW_WAIT = 0.05  # seconds a thread waits for the next request on its kept-alive connection
# gunicorn reads at most this much of a body the application left unread, then closes
# the connection (both applications leave a body past their 64 KB bound unread).
DRAIN_BYTES = 64 * 1024


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

    def handle(self, conn: Any) -> Any:
        """gthread's handling of one request, then of each next one that follows in time
        (True: kept alive, back to the poller; False: closed; else deferred)."""
        served = super().handle(conn)
        while served is True and self._follow(conn):
            served = super().handle(conn)
        return served

    def handle_request(self, req: Any, conn: Any) -> Any:
        """gthread's, but a request whose body may be past what gunicorn drains (longer, or
        chunked: no length known before it is read) is answered ``Connection: close``: the
        connection closes after it either way, and a client told keep-alive sends its next
        request into a closed socket."""
        if _declared_length(req) > DRAIN_BYTES:
            req.must_close = True
        return super().handle_request(req, conn)

    def _follow(self, conn: Any) -> bool:
        """Whether this thread serves the connection's next request itself (it came within
        FOLLOW_WAIT, and no connection of this worker can be waiting for a thread)."""
        if not self.alive or self.nr_conns >= self.cfg.threads:
            return False
        if conn.parser.unreader.buf.getvalue():
            return True
        poll = select.poll()
        poll.register(conn.sock, select.POLLIN)
        return bool(poll.poll(FOLLOW_WAIT * 1000))


def _declared_length(req: Any) -> float:
    """A request's Content-Length (gunicorn has checked it is one number), unbounded for
    a chunked body (its length is known only once read), else 0."""
    for name, value in req.headers:
        if name == "CONTENT-LENGTH":
            return int(value) if value.isdigit() else 0
        if name == "TRANSFER-ENCODING" and "chunked" in value.lower():
            return float("inf")
    return 0
