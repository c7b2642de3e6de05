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

A :class:`Rendered` record is kept compact: its deflate segment, the CRC-32
and length of its plain bytes; the plain bytes are inflated only when an
uncompressed response needs them. The stream's CRC-32 is carried over a
segment with zlib's ``crc32_combine`` (from the C library Python's zlib uses,
through ctypes: Python does not expose it), so a cached record is never
inflated for a gzip response. Where that library cannot be loaded, the
segment is inflated to compute the CRC (slower, same bytes).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import struct
import zlib
from collections.abc import Callable

from repository.archive.renderings import segment

LEVEL = 1
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime, OS unknown
_SYNC = b"\x00\x00\xff\xff"  # the empty stored block a sync flush ends with
_EMPTY_STORED = b"\x00" + _SYNC  # one on its own, so a segment ends as a flushed one does


def _crc32_combine() -> Callable[[int, int, int], int] | None:
    """zlib's crc32_combine(crc1, crc2, len2), or None if the library is not found."""
    for name in ("libz.so.1", ctypes.util.find_library("z")):
        if not name:
            continue
        try:
            fn = ctypes.CDLL(name).crc32_combine
        except (OSError, AttributeError):
            continue
        fn.restype = ctypes.c_ulong
        fn.argtypes = [ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long]
        combine: Callable[[int, int, int], int] = fn
        if combine(zlib.crc32(b"a"), zlib.crc32(b"bc"), 2) == zlib.crc32(b"abc"):
            return combine
    return None


CRC32_COMBINE = _crc32_combine()


class Rendered:
    """A serialised record, kept as its deflate segment and the CRC-32 and length of
    its plain bytes (:attr:`raw` inflates them)."""

    __slots__ = ("deflated", "crc", "size")

    def __init__(self, deflated: bytes, crc: int, size: int) -> None:
        self.deflated = deflated
        self.crc = crc
        self.size = size

    @property
    def raw(self) -> bytes:
        """The plain bytes (inflated on each call)."""
        return inflate_segment(self.deflated)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rendered):
            return NotImplemented
        return (self.deflated, self.crc, self.size) == (other.deflated, other.crc, other.size)

    def __hash__(self) -> int:
        return hash((self.deflated, self.crc, self.size))

    def __repr__(self) -> str:
        return f"Rendered({self.size} bytes, crc {self.crc:08x}, {len(self.deflated)} deflated)"


def deflate_segment(data: bytes) -> bytes:
    """``data`` as self-contained raw deflate blocks, byte-aligned, not final: the
    form the archive saves payloads in (:func:`repository.archive.renderings.segment`)."""
    return segment(data)


def rendered(data: bytes) -> Rendered:
    return Rendered(deflate_segment(data), zlib.crc32(data), len(data))


def inflate_segment(segment: bytes) -> bytes:
    """The plain bytes of a deflate segment; raises zlib.error if it is damaged
    (not deflate, cut short, or a final block: raw deflate has no checksum)."""
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(segment)
    if inflater.eof or inflater.unused_data or not segment.endswith(_SYNC):
        raise zlib.error("not a whole deflate segment")
    return data


def whole_segment(segment: bytes) -> bool:
    """Whether ``segment`` ends as a segment does (a cheap check against one cut short)."""
    return segment.endswith(_SYNC)


def stored_blocks(data: bytes) -> bytes:
    """``data`` as deflate stored blocks (not compressed, not final), byte-aligned."""
    out = []
    for at in range(0, len(data), 0xFFFF):
        part = data[at:at + 0xFFFF]
        out.append(b"\x00" + struct.pack("<HH", len(part), len(part) ^ 0xFFFF) + part)
    return b"".join(out)


def spliced(head: bytes, middle: Rendered, tail: bytes) -> Rendered:
    """``head``, the plain bytes of ``middle``, then ``tail``, as one record.

    Its deflate segment takes ``middle``'s as it is (a self-contained segment, see
    :func:`deflate_segment`), between ``head`` and ``tail`` as stored blocks: they
    are short (header; about), compress poorly on their own, and setting up a
    compressor for them cost a third of putting a record together (the record is
    about an eighth larger than compressing them). Without crc32_combine,
    ``middle`` is inflated for its CRC (raises zlib.error if it is damaged).
    """
    deflated = stored_blocks(head) + middle.deflated + stored_blocks(tail) + _EMPTY_STORED
    if CRC32_COMBINE is not None:
        crc = CRC32_COMBINE(CRC32_COMBINE(zlib.crc32(head), middle.crc, middle.size),
                            zlib.crc32(tail), len(tail))
    else:
        crc = zlib.crc32(tail, zlib.crc32(middle.raw, zlib.crc32(head)))
    return Rendered(deflated, crc, len(head) + middle.size + len(tail))


class GzipStream:
    """One gzip member built from plain chunks and precompressed segments, in order."""

    def __init__(self, combine: Callable[[int, int, int], int] | None = CRC32_COMBINE) -> None:
        self._packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._combine = combine
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
        if self._combine is not None:
            self._crc = self._combine(self._crc, record.crc, record.size)
        else:
            self._crc = zlib.crc32(record.raw, self._crc)
        self._size += record.size
        if not self._dirty and self._started:  # the usual case inside a page: no copy
            return record.deflated
        head = self._start()
        if self._dirty:  # forget the window, so later blocks never point into the segment
            head += self._packer.flush(zlib.Z_FULL_FLUSH)
            self._dirty = False
        return head + record.deflated

    def finish(self) -> bytes:
        """The final block and the trailer; the stream is complete after this."""
        tail = self._packer.flush(zlib.Z_FINISH)
        return self._start() + tail + struct.pack("<II", self._crc, self._size & 0xFFFFFFFF)
