"""Fetching the next page while the current one is stored: an iterator run one item ahead.

:class:`Ahead` runs an iterator (the harvest's pages) in a thread of its own
and hands its items over a queue of one, so the next page is requested,
decompressed and parsed (socket waits, zlib and lxml's parse release the GIL)
while the caller stores the page it has. At most three pages are alive at once:
the caller's, the one waiting in the queue, the one being fetched.

The thread does a few long steps a page, not work a record: each call that lets
the GIL go and takes it back costs both threads a hand-over. With each record
serialised, hashed and compressed here (three such calls a record), `rli harvest`
of 5,000 of rli's lists took 4.4-4.9 s of CPU and 3.8-4.4 s of wall time; with
that done in the storing thread, 3.5-4.0 and 3.2-3.8 (2026-12-02, four
alternating pairs, the server on the same two cores).

Nothing changes in what the caller sees: the same items in the same order,
and an exception the iterator raised comes out of ``next()`` where it would
have, after every item before it. Leaving the ``with`` block (normally, on
an error, or on KeyboardInterrupt) stops the thread and waits for it, so the
HTTP client is never used by a leftover thread; a request in flight is let
finish (its own deadline bounds it; a Ctrl-C ends it at once by shutting its
socket, :mod:`harvester.sockets`) and its page is dropped, not stored.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

_POLL = 0.05  # seconds between looks at the stop flag while the queue is full


class _End:
    """The iterator is exhausted."""


class _Failed:
    """The iterator raised ``error``."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class Ahead(Generic[T]):
    """Iterate ``items`` in a background thread, one item ahead (see module docstring)."""

    def __init__(self, items: Iterator[T], *, name: str = "prefetch") -> None:
        self._items = items
        self._queue: queue.Queue[T | _End | _Failed] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._done = False

    def __enter__(self) -> Ahead[T]:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if isinstance(item, _End):
            self._done = True
            raise StopIteration
        if isinstance(item, _Failed):
            self._done = True
            raise item.error
        return item

    def close(self) -> None:
        """Stop the thread (dropping what it fetched) and wait for it to end."""
        self._stop.set()  # a thread waiting on the full queue sees it within _POLL
        if self._thread.is_alive():
            self._thread.join()
        self._done = True

    def _run(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
            self._put(_End())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
            self._put(_Failed(exc))
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    def _put(self, item: T | _End | _Failed) -> bool:
        """Queue ``item`` once there is room; False if the caller has stopped listening."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False
