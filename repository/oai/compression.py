"""Gzip for streamed OAI responses that splice in precompressed records.

Compressing a 500 KB ListRecords page costs more than rendering it from cache,
so each cached record also keeps a *deflate segment*: its bytes as raw deflate
(level 1) ending in a sync flush, with no back-reference outside itself
(:func:`deflate_segment`). :class:`GzipStream` writes one gzip member: the
header, the envelope compressed on the fly, the record segments as they are
(the on-the-fly compressor is full-flushed before each, so nothing refers
across a boundary), a final block, then CRC-32 and length of the plain bytes.
It decompresses to exactly the plain response. What is lost: some ratio,
since records do not share a window (about 2x the size of compressing the
page whole, still several times smaller than plain).
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

LEVEL = 1
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime, OS unknown


class Rendered(NamedTuple):
    """A serialised record and its deflate segment."""

    raw: bytes
    deflated: bytes


def deflate_segment(data: bytes) -> bytes:
    """``data`` as self-contained raw deflate blocks, byte-aligned, not final."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def rendered(data: bytes) -> Rendered:
    return Rendered(data, deflate_segment(data))


_SYNC = b"\x00\x00\xff\xff"  # the empty stored block a sync flush ends with


def inflate_segment(segment: bytes) -> bytes:
    """The plain bytes of a deflate segment; raises zlib.error if it is damaged
    (not deflate, cut short, or a final block: raw deflate has no checksum)."""
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(segment)
    if inflater.eof or inflater.unused_data or not segment.endswith(_SYNC):
        raise zlib.error("not a whole deflate segment")
    return data


def from_segment(segment: bytes) -> Rendered:
    """A record kept as its deflate segment only; raises zlib.error if it is damaged."""
    return Rendered(inflate_segment(segment), segment)


def spliced(head: bytes, segment: bytes, tail: bytes) -> Rendered:
    """``head``, the plain bytes of ``segment``, then ``tail``, as one record.

    Its deflate segment takes ``segment`` as it is (a self-contained segment, see
    :func:`deflate_segment`): ``head`` is compressed and fully flushed before it,
    ``tail`` compressed after it with a window that holds nothing earlier.
    Raises zlib.error if ``segment`` is damaged.
    """
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    deflated = (packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH) + segment
                + packer.compress(tail) + packer.flush(zlib.Z_SYNC_FLUSH))
    return Rendered(head + inflate_segment(segment) + tail, deflated)


class GzipStream:
    """One gzip member built from plain chunks and precompressed segments, in order."""

    def __init__(self) -> None:
        self._packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._crc = 0
        self._size = 0
        self._dirty = False
        self._started = False

    def _start(self) -> bytes:
        if self._started:
            return b""
        self._started = True
        return _HEADER

    def plain(self, data: bytes) -> bytes:
        """Compressed output for ``data`` (possibly empty until the compressor emits)."""
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._dirty = self._dirty or bool(data)
        return self._start() + self._packer.compress(data)

    def segment(self, record: Rendered) -> bytes:
        """The output that places ``record`` next: pending output, then its segment."""
        head = self._start()
        if self._dirty:  # forget the window, so later blocks never point into the segment
            head += self._packer.flush(zlib.Z_FULL_FLUSH)
            self._dirty = False
        self._crc = zlib.crc32(record.raw, self._crc)
        self._size += len(record.raw)
        return head + record.deflated

    def finish(self) -> bytes:
        """The final block and the trailer; the stream is complete after this."""
        tail = self._packer.flush(zlib.Z_FINISH)
        return self._start() + tail + struct.pack("<II", self._crc, self._size & 0xFFFFFFFF)
