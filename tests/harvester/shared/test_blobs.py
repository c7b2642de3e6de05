"""harvester.shared.blobs: documents kept compressed, given back byte for byte."""

from __future__ import annotations

import threading
import zlib

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from harvester.shared.blobs import FAST, DamagedBlob, is_packed, pack, unpack
from tests import paths


@given(st.binary(max_size=4096))
def test_any_bytes_come_back_exactly(data: bytes) -> None:
    assert unpack(pack(data)) == data
    assert is_packed(pack(data))


def test_a_plain_document_from_before_compression_reads_as_it_is() -> None:
    plain = (paths.DATA / "lists" / "law2210-2026.xml").read_bytes()
    assert not is_packed(plain)
    assert unpack(plain) == plain
    assert not is_packed(b"\xef\xbb\xbf<?xml version='1.0'?><a/>")  # byte-order mark
    assert not is_packed(b"  \n<a/>")


def test_a_list_document_shrinks_at_least_tenfold() -> None:
    plain = (paths.DATA / "lists" / "hist2041-2026.xml").read_bytes()
    assert len(pack(plain)) * 10 < len(plain)


def test_every_zlib_level_starts_with_the_marker_byte() -> None:
    assert {zlib.compress(b"<a/>", level)[:1] for level in range(10)} == {b"\x78"}


@pytest.mark.parametrize("damage", [
    lambda b: b + b" ",          # zlib.decompress alone would ignore this
    lambda b: b[:-5],            # cut short
    lambda b: b[:10] + bytes([b[10] ^ 0xFF]) + b[11:],  # a flipped byte
])
def test_a_damaged_blob_is_refused_not_read_as_something_else(damage) -> None:  # type: ignore[no-untyped-def]
    plain = (paths.DATA / "lists" / "law2210-2026.xml").read_bytes()
    with pytest.raises(DamagedBlob):
        unpack(damage(pack(plain)))
    assert unpack(pack(plain)) == plain  # the thread's reused context reads on


def test_threads_packing_at_once_each_get_their_own_bytes_back() -> None:
    # each thread reuses its own compressor and decompressor: none is shared
    docs = [(paths.DATA / "lists" / name).read_bytes() + str(n).encode()
            for n, name in enumerate(["law2210-2026.xml", "hist2041-2026.xml"] * 4)]
    wrong: list[int] = []

    def work(n: int) -> None:
        for _ in range(50):
            for level in (FAST, 9):
                if unpack(pack(docs[n], level)) != docs[n]:
                    wrong.append(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
    # a reused context gives the bytes a new one gives
    fresh = zstandard.ZstdCompressor(level=9, write_checksum=True).compress(docs[0])
    assert pack(docs[0]) == pack(docs[0]) == fresh
