"""Recent lists, counts, lists citing a resource (repository/archive/browse.py)."""

from __future__ import annotations

from crosswalks.rli import Item, Origin, Resource, ResourceList
from crosswalks.rli.model import Citation
from repository.archive import Archive
from repository.archive.browse import ArchiveCounts, counts, lists_citing_record, recent_lists
from tests.conftest import Clock

BOOK = Resource(citation=Citation(title="Shared book"),
                origin=Origin("lib", "oai:lib:7", "2026-01-05T09:00:00Z", "0" * 64))


def make(archive: Archive, clock: Clock, list_id: str, *items: Resource) -> None:
    entries = tuple(Item(f"i{n}", r) for n, r in enumerate(items, 1))
    archive.save(ResourceList(list_id, list_id.upper(), "o", items=entries), editor="t", note="t")
    clock.advance()


def test_recent_lists_newest_change_first_with_a_limit(archive: Archive, clock: Clock) -> None:
    for name in ("a", "b", "c"):
        make(archive, clock, name)
    archive.delete("a", editor="t", note="t")
    assert [s.id for s in recent_lists(archive, 2)] == ["a", "c"]
    assert recent_lists(archive, 5)[0].deleted


def test_counts(archive: Archive, clock: Clock) -> None:
    make(archive, clock, "a")
    make(archive, clock, "a", BOOK)
    make(archive, clock, "b")
    archive.delete("b", editor="t", note="t")
    assert counts(archive) == ArchiveCounts(lists=1, deleted=1, versions=3)


def test_lists_citing_a_record_look_at_latest_live_versions_only(
    archive: Archive, clock: Clock
) -> None:
    make(archive, clock, "a", BOOK)
    # another reading of the same record (retitled upstream) is still that record
    retitled = Resource(citation=Citation(title="Shared book, 2nd ed."), origin=BOOK.origin)
    make(archive, clock, "b", Resource(citation=Citation(title="Other")), retitled)
    make(archive, clock, "c", BOOK)
    make(archive, clock, "c")  # no longer cites it
    make(archive, clock, "d", BOOK)
    archive.delete("d", editor="t", note="t")
    assert [s.id for s in lists_citing_record(archive, "lib", "oai:lib:7")] == ["a", "b"]
    assert lists_citing_record(archive, "lib", "oai:lib:8") == []
