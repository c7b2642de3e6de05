"""Reading one response body within bounds: a size cap, a deadline, bounded decompression.

The body is read from the socket as it arrives (``iter_raw``) and decoded
here, gzip or deflate (zlib-wrapped as RFC 9110 says, or raw as some servers
send it), never more than the cap plus one byte at a time, so a 20 MB cap
holds for a 2 GB answer and for a 2 MB gzip that would expand to 2 GB alike.
The deadline is checked between reads, so a provider that drips one byte a
second is stopped too (the per-read timeout alone never fires). White space
sent before the XML declaration is dropped separately
(:func:`drop_space_before_declaration`). An HTML page sent instead (a login, a
maintenance or a bot-check page, often with HTTP 200) is told by its title
(:func:`html_title`), for the error to name it.

Raises BodyTooLarge (with the prefix read so far), errors.PageTooSlow,
errors.Interrupted, and errors.TransportError for an unknown or broken content
encoding.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable

import httpx

from harvester.errors import Interrupted, PageTooSlow, TransportError

ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(Exception):
    """The body passed the cap; ``prefix`` is what was read (at most cap + 1 bytes)."""

    def __init__(self, prefix: bytes) -> None:
        super().__init__("body too large")
        self.prefix = prefix


def _coding(encoding: str, source: str) -> str:
    """The content coding to undo: "", "gzip" or "deflate"; raises TransportError."""
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return ""
    if name in ("gzip", "x-gzip"):
        return "gzip"
    if name == "deflate":
        return name
    raise TransportError(f"{source}: unsupported Content-Encoding {encoding!r}")


def _zlib_header(data: bytes) -> bool:
    """True if ``data`` (two bytes or more) starts as a zlib stream does (RFC 1950)."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _decoder(coding: str, first: bytes) -> zlib._Decompress | None:
    """The decompressor for ``coding``, given the body's first bytes: "deflate" is the zlib
    format (RFC 9110), but some servers send raw deflate, which browsers and httpx read."""
    if coding == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(first) else -zlib.MAX_WBITS)
    return None


_SPACE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


def drop_space_before_declaration(data: bytes) -> tuple[bytes, int]:
    """``data`` without the white space before its XML declaration (after its UTF-8 byte
    order mark, if any), and how many bytes went: a PHP provider whose files end in a
    newline sends it first, and the parser refuses a declaration anywhere but at the start."""
    start = len(_BOM) if data.startswith(_BOM) else 0
    end = start
    while end < len(data) and data[end] in _SPACE:
        end += 1
    if end == start or not data.startswith(b"<?xml", end):
        return data, 0
    return data[:start] + data[end:], end - start


_TITLE = re.compile(rb"<title[^>]*>([^<]*)<", re.IGNORECASE)


def html_title(data: bytes) -> str | None:
    """The title of ``data`` if it is an HTML page ("" if it has none), else None: what a
    provider sends with HTTP 200 for a login, a maintenance or a bot-check page."""
    head = data[:2048].lower()
    if b"<html" not in head or b"oai-pmh" in head:
        return None
    found = _TITLE.search(data, 0, 65536)
    title = " ".join(found.group(1).decode("utf-8", "replace").split()) if found else ""
    return title if len(title) <= 80 else title[:79] + "…"


def read_body(
    response: httpx.Response,
    *,
    cap: int,
    deadline: float,
    source: str = "provider",
    monotonic: Callable[[], float] = time.monotonic,
    stopped: Callable[[], bool] = lambda: False,
) -> bytes:
    """The decoded body of a streamed ``response``, at most ``cap`` bytes, read by ``deadline``;
    raises errors.Interrupted between two reads once ``stopped()`` is true."""
    coding = _coding(response.headers.get("Content-Encoding", ""), source)
    decoder: zlib._Decompress | None = None
    head = b""  # a compressed body's first bytes, until there are two to tell its format
    buf = bytearray()
    try:
        for chunk in response.iter_raw():
            if monotonic() > deadline:
                raise PageTooSlow(f"{source}: the page was not complete within its deadline")
            if stopped():
                raise Interrupted(f"{source}: interrupted")
            if decoder is None and coding:
                head += chunk
                if len(head) < 2:
                    continue
                decoder, chunk = _decoder(coding, head), head
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
        if decoder is None and head:  # a body of one byte: the parser says what is wrong
            decoder = _decoder(coding, head + b"\x00")
            if decoder is not None:
                buf += decoder.decompress(head)
        if decoder is not None:
            buf += decoder.flush()
    except zlib.error as exc:
        encoding = response.headers["Content-Encoding"]
        raise TransportError(f"{source}: the body is not valid {encoding} ({exc})") from exc
    if len(buf) > cap:
        raise BodyTooLarge(bytes(buf[: cap + 1]))
    return bytes(buf)
