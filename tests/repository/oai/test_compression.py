"""repository.oai.compression: spliced precompressed records decompress to the plain stream."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repository.oai.compression import (
    CRC32_COMBINE,
    GzipStream,
    deflate_segment,
    inflate_segment,
    rendered,
    spliced,
)
from tests.oai_fixtures import Clock, client, fill, new_archive

_piece = st.tuples(st.booleans(), st.binary(max_size=300) | st.sampled_from(
    [b"<record>abcabcabc</record>" * 20, b"abc" * 100, b""]))


def _encode(pieces: list[tuple[bool, bytes]], *, combine: bool = True) -> tuple[bytes, bytes]:
    stream = GzipStream() if combine else GzipStream(None)
    out: list[bytes] = []
    plain: list[bytes] = []
    for is_record, data in pieces:
        out.append(stream.segment(rendered(data)) if is_record else stream.plain(data))
        plain.append(data)
    out.append(stream.finish())
    return b"".join(out), b"".join(plain)


@given(st.lists(_piece, max_size=12))
def test_any_mix_decompresses_exactly(pieces: list[tuple[bool, bytes]]) -> None:
    packed, plain = _encode(pieces)
    assert gzip.decompress(packed) == plain
    unpacker = zlib.decompressobj(31)
    assert unpacker.decompress(packed) == plain and unpacker.eof and not unpacker.unused_data
    # without zlib's crc32_combine (inflating each record instead): the same bytes
    assert _encode(pieces, combine=False)[0] == packed


def test_crc32_combine_is_loaded_here() -> None:
    # the fast path (records never inflated for gzip) is the one this machine runs
    assert CRC32_COMBINE is not None


@given(st.binary(max_size=400), st.binary(max_size=2000), st.binary(max_size=400))
def test_spliced_record_is_head_payload_tail(head: bytes, middle: bytes, tail: bytes) -> None:
    record = spliced(head, rendered(middle), tail)
    assert record.raw == head + middle + tail
    assert (record.crc, record.size) == (zlib.crc32(head + middle + tail), len(record.raw))


def test_damaged_segments_are_refused() -> None:
    good = deflate_segment(b"<record/>" * 30)
    for bad in (good[:-3], b"\x00\xff", zlib.compress(b"x")):
        with pytest.raises(zlib.error):
            inflate_segment(bad)


def test_repeated_text_across_boundaries_is_not_confused() -> None:
    same = b"<dc:title>Reading list</dc:title>" * 50
    packed, plain = _encode([(False, same), (True, same), (False, same), (True, same),
                             (True, same), (False, same)])
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 5


def test_segment_is_self_contained_raw_deflate() -> None:
    data = b"<record>" + b"x" * 1000 + b"</record>"
    unpacker = zlib.decompressobj(-15)
    assert unpacker.decompress(deflate_segment(data)) == data and not unpacker.eof


def test_gzip_response_is_the_plain_response(tmp_path: Path) -> None:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 6)
    archive.delete("l002", editor="t", note="gone")
    http = client(archive, clock, records_page=100)
    for query in ("verb=ListRecords&metadataPrefix=oai_dc", "verb=Identify", "verb=Bad",
                  "verb=ListRecords&metadataPrefix=rli"):
        plain = http.get("/oai?" + query, headers={"accept-encoding": "identity"})
        packed = http.get("/oai?" + query, headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content  # httpx decoded it
        assert packed.num_bytes_downloaded < len(plain.content) or len(plain.content) < 2000


@pytest.mark.parametrize("size", [0, 1, 0xFFFF, 0xFFFF + 1, 3 * 0xFFFF + 7])
def test_stored_blocks_of_any_size(size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    record = spliced(data[:size], rendered(b"<metadata/>"), data[:size])
    assert record.raw == data[:size] + b"<metadata/>" + data[:size]
