"""Item origin as a resource extension (repository/archive/origin.py): archived and read back."""

from __future__ import annotations

from crosswalks.rli import Item, ResourceList, binding
from repository.archive import Archive
from repository.archive.origin import ItemOrigin, origin_of, with_origin
from tests.factories import book

ORIGIN = ItemOrigin("lib", "oai:lib:1", "2026-03-01T06:00:00Z", "ab" * 32)


def test_origin_survives_the_archive_round_trip(archive: Archive) -> None:
    res = with_origin(book(), ORIGIN)
    assert origin_of(res) == ORIGIN
    assert origin_of(book()) is None
    archive.save(ResourceList("l1", "L", "o", items=(Item("i1", res),)), editor="t", note="n")
    back = archive.get("l1").items[0].content
    assert origin_of(back) == ORIGIN  # type: ignore[arg-type]
    binding.read_list(archive.document("l1"))  # still valid against the RLI schema


def test_a_new_origin_replaces_the_old_one() -> None:
    newer = ItemOrigin("lib", "oai:lib:1", "2026-04-01T00:00:00Z", "cd" * 32)
    res = with_origin(with_origin(book(), ORIGIN), newer)
    assert origin_of(res) == newer
    assert len(res.extensions) == 1
