"""ScriptedPeer: a WSGI app whose responses are scripted per request, to inject faults.

Each request takes the next :class:`Step`. A step gives a status, headers,
a delay, and a body: bytes, or a function of the body the fallback app
(usually a CatalogPeer) would have sent, or None for that body unchanged.
When the script runs out, the fallback answers. Every request is recorded.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Union
from urllib.parse import parse_qs

from tests.peers.oai import CatalogPeer

Body = Union[bytes, Callable[[bytes], bytes], None]  # noqa: UP007


@dataclass(frozen=True)
class Step:
    status: int = 200
    body: Body = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    gzip: bool = False


def drip(count: int, every: float) -> Iterator[bytes]:
    """A page that never completes in time: an XML declaration, then ``count`` spaces
    ``every`` seconds apart (a WSGI body: each chunk is sent as it comes)."""
    yield b'<?xml version="1.0"?>'
    for _ in range(count):
        time.sleep(every)
        yield b" "


REASONS = {200: "OK", 404: "Not Found", 422: "Unprocessable Entity", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class ScriptedPeer:
    fallback: CatalogPeer
    steps: list[Step] = field(default_factory=list)
    requests: list[tuple[float, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        args = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        with self.lock:
            self.requests.append((time.monotonic(), args))
            step = self.steps.pop(0) if self.steps else Step()
        if step.delay:
            time.sleep(step.delay)
        body = step.body if isinstance(step.body, bytes) else self.fallback.respond(args)
        if callable(step.body):
            body = step.body(body)
        named = {name.lower() for name, _ in step.headers}  # a step's Content-Type replaces
        default = [] if "content-type" in named else [("Content-Type", "text/xml; charset=utf-8")]
        headers = [*default, *step.headers]
        if step.gzip:
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{step.status} {REASONS.get(step.status, 'Status')}", headers)
        return [body]

    def verbs(self) -> list[str]:
        with self.lock:
            return [a.get("verb", "") for _, a in self.requests]

    def args(self) -> list[dict[str, str]]:
        with self.lock:
            return [a for _, a in self.requests]
