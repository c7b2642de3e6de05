"""An item moved between sections on one or both sides is in the merged list once.

Found in review: the merge matched items section by section, so an item moved
into another section on one side and changed (or moved elsewhere) on the
other came out twice under one id, with no conflict when both sides moved it.
Items are now matched across the list: a change follows the item's move.
"""

from __future__ import annotations

import pytest

from crosswalks.rli import Item, ResourceList, Section, binding
from repository.archive.merge import merge_lists
from tests.factories import book


def sec(item_id: str, *items: Item) -> Item:
    return Item(item_id, Section(f"Section {item_id}", items=items))


def it(item_id: str, part: int = 1) -> Item:
    return Item(item_id, book(part))


def shape(items: tuple[Item, ...]) -> list[object]:
    """Ids as nested lists, each resource's part number after its id."""
    out: list[object] = []
    for item in items:
        if isinstance(item.content, Section):
            out.append((item.id, shape(item.content.items)))
        else:
            out.append(f"{item.id}:{item.content.citation.title.split()[-1].rstrip(')')}")
    return out


def lst(*items: Item) -> ResourceList:
    return ResourceList("L", title="T", owner="o", items=items)


BASE = lst(sec("t1", it("i1"), it("i2", 2)), sec("t2", it("i3", 3)))
MOVED_TO_T2 = lst(sec("t1", it("i2", 2)), sec("t2", it("i3", 3), it("i1")))
CHANGED_IN_T1 = lst(sec("t1", it("i1", 9), it("i2", 2)), sec("t2", it("i3", 3)))
MOVED_TO_T3 = lst(sec("t1", it("i2", 2)), sec("t2", it("i3", 3)), sec("t3", it("i1")))
MOVED_TO_TOP = lst(it("i1"), sec("t1", it("i2", 2)), sec("t2", it("i3", 3)))


@pytest.mark.parametrize(("local", "upstream", "prefer", "expected"), [
    # moved to different sections on both sides
    (MOVED_TO_T2, MOVED_TO_T3, "upstream",
     [("t1", ["i2:2"]), ("t2", ["i3:3"]), ("t3", ["i1:1"])]),
    (MOVED_TO_T2, MOVED_TO_T3, "local",
     [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"]), ("t3", [])]),
    (MOVED_TO_TOP, MOVED_TO_T2, "upstream", [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]),
    (MOVED_TO_TOP, MOVED_TO_T2, "local", ["i1:1", ("t1", ["i2:2"]), ("t2", ["i3:3"])]),
])
def test_an_item_moved_between_sections_comes_out_once(
    local: ResourceList, upstream: ResourceList, prefer: str, expected: list[object]
) -> None:
    refused = merge_lists(BASE, local, upstream)
    assert refused.conflicts, "moving elsewhere is a conflict"
    assert any("i1" in c for c in refused.conflicts), refused.conflicts
    merged = merge_lists(BASE, local, upstream, prefer)
    assert shape(merged.value.items) == expected
    binding.read_list(binding.write_list(merged.value))  # still a valid list


@pytest.mark.parametrize(("local", "upstream"), [(MOVED_TO_T2, CHANGED_IN_T1),
                                                 (CHANGED_IN_T1, MOVED_TO_T2)])
def test_an_item_moved_on_one_side_and_changed_on_the_other_takes_both(
    local: ResourceList, upstream: ResourceList
) -> None:
    # it was a conflict, and --prefer dropped either the move or the change
    for prefer in (None, "upstream", "local"):
        merged = merge_lists(BASE, local, upstream, prefer)
        assert merged.conflicts == ()
        assert shape(merged.value.items) == [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:9"])]


def test_an_item_moved_on_one_side_only_follows_the_move() -> None:
    for local, upstream in ((MOVED_TO_T2, BASE), (BASE, MOVED_TO_T2)):
        merged = merge_lists(BASE, local, upstream)
        assert merged.conflicts == ()
        assert shape(merged.value.items) == [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]


def test_the_same_move_on_both_sides_is_taken_once() -> None:
    merged = merge_lists(BASE, MOVED_TO_T3, MOVED_TO_T3)
    assert merged.conflicts == ()
    assert shape(merged.value.items) == [("t1", ["i2:2"]), ("t2", ["i3:3"]), ("t3", ["i1:1"])]


REMOVED = lst(sec("t1", it("i2", 2)), sec("t2", it("i3", 3)))


@pytest.mark.parametrize(("local", "upstream", "prefer", "expected"), [
    # moved here, removed upstream: the removal was dropped without a word
    (MOVED_TO_T2, REMOVED, "upstream", [("t1", ["i2:2"]), ("t2", ["i3:3"])]),
    (MOVED_TO_T2, REMOVED, "local", [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]),
    (REMOVED, MOVED_TO_T2, "upstream", [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]),
    (REMOVED, MOVED_TO_T2, "local", [("t1", ["i2:2"]), ("t2", ["i3:3"])]),
])
def test_an_item_moved_on_one_side_and_removed_on_the_other_is_a_conflict(
    local: ResourceList, upstream: ResourceList, prefer: str, expected: list[object]
) -> None:
    refused = merge_lists(BASE, local, upstream)
    assert refused.conflicts == (
        "item i1: moved to another section on one side, removed on the other",)
    assert shape(merge_lists(BASE, local, upstream, prefer).value.items) == expected


# i1 moved here into t2; upstream removed t2 (its i3 too) and kept i1 where it was
T2_REMOVED = lst(sec("t1", it("i1"), it("i2", 2)))


@pytest.mark.parametrize(("local", "upstream", "prefer", "expected"), [
    # the section goes (upstream's removal), the item neither side removed stays:
    # it went with the section (a known gap until this test)
    (MOVED_TO_T2, T2_REMOVED, "upstream", [("t1", ["i1:1", "i2:2"])]),
    (MOVED_TO_T2, T2_REMOVED, "local", [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]),
    # the same, the sides the other way round
    (T2_REMOVED, MOVED_TO_T2, "local", [("t1", ["i1:1", "i2:2"])]),
    (T2_REMOVED, MOVED_TO_T2, "upstream", [("t1", ["i2:2"]), ("t2", ["i3:3", "i1:1"])]),
])
def test_an_item_moved_into_a_section_the_other_side_removed_is_kept(
    local: ResourceList, upstream: ResourceList, prefer: str, expected: list[object]
) -> None:
    assert merge_lists(BASE, local, upstream).conflicts  # the section: changed and removed
    merged = merge_lists(BASE, local, upstream, prefer)
    assert shape(merged.value.items) == expected
    binding.read_list(binding.write_list(merged.value))
