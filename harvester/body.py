"""Reading one response body within bounds: a size cap, a deadline, bounded decompression.

The body is read from the socket as it arrives (``iter_raw``) and decoded
here, gzip or deflate, never more than the cap plus one byte at a time, so a
20 MB cap holds for a 2 GB answer and for a 2 MB gzip that would expand to
2 GB alike. The deadline is checked between reads, so a provider that drips
one byte a second is stopped too (the per-read timeout alone never fires).

Raises BodyTooLarge (with the prefix read so far), errors.PageTooSlow, and
errors.TransportError for an unknown or broken content encoding.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

import httpx

from harvester.errors import PageTooSlow, TransportError

ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(Exception):
    """The body passed the cap; ``prefix`` is what was read (at most cap + 1 bytes)."""

    def __init__(self, prefix: bytes) -> None:
        super().__init__("body too large")
        self.prefix = prefix


def _decoder(encoding: str, source: str) -> zlib._Decompress | None:
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return zlib.decompressobj()
    raise TransportError(f"{source}: unsupported Content-Encoding {encoding!r}")


def read_body(
    response: httpx.Response,
    *,
    cap: int,
    deadline: float,
    source: str = "provider",
    monotonic: Callable[[], float] = time.monotonic,
) -> bytes:
    """The decoded body of a streamed ``response``, at most ``cap`` bytes, read by ``deadline``."""
    decoder = _decoder(response.headers.get("Content-Encoding", ""), source)
    buf = bytearray()
    try:
        for chunk in response.iter_raw():
            if monotonic() > deadline:
                raise PageTooSlow(f"{source}: the page was not complete within its deadline")
            pending = chunk
            while pending:
                if decoder is None:
                    buf += pending
                    pending = b""
                else:
                    buf += decoder.decompress(pending, cap - len(buf) + 1)
                    pending = decoder.unconsumed_tail
                if len(buf) > cap:
                    raise BodyTooLarge(bytes(buf))
        if decoder is not None:
            buf += decoder.flush()
    except zlib.error as exc:
        encoding = response.headers["Content-Encoding"]
        raise TransportError(f"{source}: the body is not valid {encoding} ({exc})") from exc
    if len(buf) > cap:
        raise BodyTooLarge(bytes(buf[: cap + 1]))
    return bytes(buf)
