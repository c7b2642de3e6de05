"""The guarded sink: a harvest source only creates, updates and deletes its own lists."""

from __future__ import annotations

from dataclasses import replace

import pytest

from repository.archive import Archive
from repository.archive.harvest_sink import ForeignList, HarvestedLists
from tests.factories import make_list


def test_new_and_own_lists_are_saved(archive: Archive) -> None:
    sink = HarvestedLists(archive)
    sink.save(make_list(), editor="harvest:up", note="n", sets=["source:up"])
    info = sink.save(replace(make_list(), title="T2"), editor="harvest:up", note="n",
                     sets=["source:up"])
    assert info.version == 2 and "source:up" in archive.state("hist2041").sets


@pytest.mark.parametrize("local_editor,local_sets", [("librarian", []),
                                                    ("harvest:other", ["source:other"])])
def test_local_or_other_source_list_is_not_taken_over(
    archive: Archive, local_editor: str, local_sets: list[str]
) -> None:
    archive.save(make_list(title="Mine"), editor=local_editor, note="n", sets=local_sets)
    with pytest.raises(ForeignList):
        HarvestedLists(archive).save(make_list(title="Theirs"), editor="harvest:up", note="n",
                                     sets=["source:up"])
    assert archive.get("hist2041").title == "Mine"
    assert len(archive.history("hist2041")) == 1


def test_delete_only_own_and_only_once(archive: Archive) -> None:
    sink = HarvestedLists(archive)
    archive.save(make_list("local", items=1), editor="librarian", note="n")
    with pytest.raises(LookupError):
        sink.delete("local", editor="harvest:up", note="gone upstream")
    assert not archive.state("local").deleted
    sink.save(make_list("theirs", items=1), editor="harvest:up", note="n", sets=["source:up"])
    sink.delete("theirs", editor="harvest:up", note="gone upstream")
    sink.delete("theirs", editor="harvest:up", note="gone upstream again")
    assert archive.state("theirs").deleted
    assert archive.tombstone("theirs")["note"] == "gone upstream"
    with pytest.raises(LookupError):
        sink.delete("never-seen", editor="harvest:up", note="n")
