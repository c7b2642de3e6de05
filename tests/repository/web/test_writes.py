"""The forms' writes as compare-and-set (repository/web/writes.py), on a real archive."""

from __future__ import annotations

import pytest

from crosswalks.rli import Annotation, Item, Resource, ResourceList
from crosswalks.rli.model import Citation
from repository.archive import Archive, ArchiveError, ListDeleted, editing
from repository.web import writes
from tests.conftest import Clock


def fill(archive: Archive) -> None:
    items = tuple(Item(f"i{n}", Resource(citation=Citation(title=f"Book {n}"))) for n in (1, 2, 3))
    archive.add(ResourceList("l1", "List", "owner", items=items), editor="t", note="made")


def test_annotate_saves_one_version_with_author_and_date(archive: Archive, clock: Clock) -> None:
    fill(archive)
    info = writes.annotate(archive, "l1", 1, " Key text ", item_id="i2", kind="essential",
                           editor="eve")
    assert (info.version, info.editor, info.note) == (2, "eve", "annotated i2")
    item = archive.get("l1").items[1]
    assert item.annotations == (Annotation("Key text", "essential", "eve", "2026-01-05"),)


def test_a_stale_version_is_refused_and_nothing_is_written(archive: Archive) -> None:
    fill(archive)
    archive.save(editing.remove_item(archive.get("l1"), "i3"), editor="o", note="o")
    before = archive.history("l1")
    calls = [
        lambda: writes.annotate(archive, "l1", 1, "x", item_id=None, kind="note", editor="e"),
        lambda: writes.remove_item(archive, "l1", 1, "i1", editor="e"),
        lambda: writes.move_item(archive, "l1", 1, "i1", 2, editor="e"),
        lambda: writes.delete(archive, "l1", 1, editor="e"),
    ]
    for call in calls:
        with pytest.raises(writes.VersionConflict, match="made from version 1, the latest is"):
            call()
    assert archive.history("l1") == before and not archive.state("l1").deleted


def test_a_newer_version_number_than_the_latest_is_refused_too(archive: Archive) -> None:
    fill(archive)
    with pytest.raises(writes.VersionConflict):
        writes.remove_item(archive, "l1", 5, "i1", editor="e")


def test_an_edit_that_changes_nothing_makes_no_version(archive: Archive) -> None:
    fill(archive)
    with pytest.raises(writes.NothingChanged):
        writes.move_item(archive, "l1", 1, "i1", 1, editor="e")
    assert archive.state("l1").version == 1


def test_delete_and_restore_check_the_version_and_the_state(archive: Archive) -> None:
    fill(archive)
    with pytest.raises(ArchiveError, match="is not deleted"):
        writes.restore(archive, "l1", 1, editor="e")
    writes.delete(archive, "l1", 1, editor="e", note="gone")
    with pytest.raises(ListDeleted):
        writes.remove_item(archive, "l1", 1, "i1", editor="e")
    info = writes.restore(archive, "l1", 1, editor="e")
    assert info.version == 2 and not archive.state("l1").deleted


def test_duplicate_copies_the_version_asked_for(archive: Archive) -> None:
    fill(archive)
    archive.save(editing.remove_item(archive.get("l1"), "i3"), editor="o", note="o")
    info = writes.duplicate(archive, "l1", 1, "l1-copy", title="", editor="e")
    assert info.version == 1
    copy = archive.get("l1-copy")
    assert len(copy.items) == 3 and copy.title == "List"
