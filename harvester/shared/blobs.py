"""Documents kept compressed: zstd on the way in, the exact bytes back on the way out.

A stored blob is one of three kinds, told apart by its first bytes:

==============  ============================  =============================================
first bytes     kind                          written by
==============  ============================  =============================================
``28 B5 2F FD`` a zstd frame (with checksum)   :func:`pack` now
``78``  (``x``) a zlib stream                  :func:`pack` of the first compressing release
anything else   the plain document itself      releases before compression (XML starts with
                                               ``<``, white space or a byte-order mark)
==============  ============================  =============================================

:func:`unpack` reads all three, so a database converts in place, batch by
batch, and stays readable at every point of the way; :func:`is_current` says
whether a blob is already in the newest kind.

Why zstd and not zlib (measured on the benchmark's 99 KB list documents, same
process): level 9 gives 3.9 KB against zlib level 6's 4.9 KB for the same
compressing CPU (0.46 against 0.52 ms) and decompresses in about 30 against
100 µs; zlib's 32 KB window cannot reach back across a long list, zstd's can.
A preset dictionary built from public sample records saved only another 5%
(the documents repeat their own boilerplate), so none is used. The library is
``zstandard``: the standard library's ``compression.zstd`` (3.14, and its
backport) writes the same frames but, allocating a new context per call,
took 4x as long to decompress in a fresh process. Each thread keeps its own
compressors and decompressor (a context is not for two threads at once):
making one per call cost 10 µs, a tenth of preparing a harvested record.
"""

from __future__ import annotations

import threading
import zlib

import zstandard

LEVEL = 9  # list documents: written once, read often
FAST = 3  # harvested records: written on every harvest, rarely read (25 µs for 7 KB)
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZLIB_FIRST_BYTE = b"\x78"  # CMF: deflate with a 32 KB window, what zlib.compress writes


_contexts = threading.local()


def _compressor(level: int) -> zstandard.ZstdCompressor:
    found: dict[int, zstandard.ZstdCompressor] | None = getattr(_contexts, "packers", None)
    if found is None:
        found = _contexts.packers = {}
    packer = found.get(level)
    if packer is None:
        # the checksum (4 bytes) makes a changed blob fail to read instead of reading as
        # other bytes
        packer = found[level] = zstandard.ZstdCompressor(level=level, write_checksum=True)
    return packer


def _decompressor() -> zstandard.ZstdDecompressor:
    found: zstandard.ZstdDecompressor | None = getattr(_contexts, "unpacker", None)
    if found is None:
        found = _contexts.unpacker = zstandard.ZstdDecompressor()
    return found


def pack(data: bytes, level: int = LEVEL) -> bytes:
    """``data`` compressed for storage (``level``: :data:`LEVEL` or :data:`FAST`)."""
    return _compressor(level).compress(data)


def is_packed(blob: bytes) -> bool:
    """True if ``blob`` is compressed (by this release or the zlib one), not stored plain."""
    return blob[:4] == ZSTD_MAGIC or blob[:1] == ZLIB_FIRST_BYTE


def is_current(blob: bytes) -> bool:
    """True if ``blob`` is stored the way :func:`pack` stores now."""
    return blob[:4] == ZSTD_MAGIC


class DamagedBlob(ValueError):
    """A stored blob is not one whole compressed stream (cut short, changed, or with bytes
    after its end)."""


def unpack(blob: bytes) -> bytes:
    """The bytes :func:`pack` was given (a plain stored document as it is).

    Raises DamagedBlob if the stream is cut short, corrupt, or followed by other bytes:
    a changed document must never pass.
    """
    if blob[:4] == ZSTD_MAGIC:
        return _unzstd(blob)
    if blob[:1] == ZLIB_FIRST_BYTE:
        return _unzlib(blob)
    return bytes(blob)


def _unzstd(blob: bytes) -> bytes:
    try:
        return _decompressor().decompress(blob, allow_extra_data=False)
    except zstandard.ZstdError as exc:
        _contexts.unpacker = None  # start the next read from a new context
        raise DamagedBlob(f"stored document is damaged: {exc}") from exc


def _unzlib(blob: bytes) -> bytes:
    stream = zlib.decompressobj()
    try:
        data = stream.decompress(blob)
    except zlib.error as exc:
        raise DamagedBlob(f"stored document is damaged: {exc}") from exc
    if not stream.eof or stream.unused_data:
        raise DamagedBlob("stored document is damaged: not one whole compressed stream")
    return data


def pack_optional(data: bytes | None, level: int = FAST) -> bytes | None:
    """:func:`pack` for a column that may be NULL (a harvested record's metadata or about)."""
    return None if data is None else pack(data, level)


def unpack_optional(blob: bytes | None) -> bytes | None:
    """:func:`unpack` for a column that may be NULL."""
    return None if blob is None else unpack(bytes(blob))
