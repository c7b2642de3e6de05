"""Where the merge puts items: each case the smallest form of a merge that lost work.

Found by the seeded random merges (merge_random.py). The merge matched items section by
section and carried a moved or removed section with one side's copy of what it held,
so a section moved on one side and touched inside on the other lost the other side's
work under one ``--prefer`` or the other.
"""

from __future__ import annotations

import pytest

from crosswalks.rli import Citation, Item, Resource, ResourceList, Section, binding
from repository.archive.merge import merge_lists

PREFERS = (None, "upstream", "local")


def res(item_id: str, title: str = "") -> Item:
    return Item(item_id, Resource(citation=Citation(title=title or f"Book {item_id}")))


def sec(item_id: str, *items: Item, title: str = "") -> Item:
    return Item(item_id, Section(title or f"Week {item_id}", items=items))


def lst(*items: Item) -> ResourceList:
    return ResourceList("L", title="T", owner="o", items=items)


def shape(items: tuple[Item, ...]) -> str:
    """``a t1[b c]``: ids, each section's items in brackets, a title not the first one
    after an ``=``."""
    out = []
    for item in items:
        content = item.content
        if isinstance(content, Section):
            out.append(f"{item.id}[{shape(content.items)}]")
        else:
            changed = content.citation.title != f"Book {item.id}"
            out.append(f"{item.id}={content.citation.title}" if changed else item.id)
    return " ".join(out)


def merged(base: ResourceList, local: ResourceList, upstream: ResourceList) -> str:
    """The merge's shape, the same (and with no conflict) under every ``prefer``."""
    shapes = set()
    for prefer in PREFERS:
        result = merge_lists(base, local, upstream, prefer)
        assert result.conflicts == ()
        binding.read_list(binding.write_list(result.value))  # a list the archive can keep
        shapes.add(shape(result.value.items))
    assert len(shapes) == 1
    return shapes.pop()


def test_an_item_both_kept_is_not_lost_with_a_section_moved_here() -> None:
    # here t2 went into t1 and took i1 with it; upstream retitled t2 and added to t1.
    # Under --prefer upstream the merge took t2 as upstream had it (empty) and i1 was gone
    base = lst(sec("t1"), sec("t2"), res("i1"))
    local = lst(sec("t1", sec("t2", res("i1"))))
    upstream = lst(sec("t1", res("i9")), sec("t2", title="Week 2 (new)"), res("i1"))
    assert merged(base, local, upstream) == "t1[t2[i1] i9]"
    result = merge_lists(base, local, upstream, "upstream").value
    moved = result.items[0].content.items[0].content  # type: ignore[union-attr]
    assert moved.title == "Week 2 (new)"  # type: ignore[union-attr]


def test_an_item_added_in_a_section_moved_upstream_is_kept() -> None:
    # upstream moved t2 into t1 and added c to it; here reordered t2: under --prefer local
    # (or no prefer) c was lost, under --prefer upstream the reordering
    base = lst(sec("t1"), sec("t2", res("a"), res("b")))
    local = lst(sec("t1"), sec("t2", res("b"), res("a")))
    upstream = lst(sec("t1", sec("t2", res("a"), res("b"), res("c"))))
    assert merged(base, local, upstream) == "t1[t2[b c a]]"


def test_an_item_removed_in_a_section_moved_here_stays_removed() -> None:
    # here t2 moved to t3; upstream removed b from it: b came back under --prefer local
    base = lst(sec("t1", sec("t2", res("a"), res("b"))), sec("t3"))
    local = lst(sec("t1"), sec("t3", sec("t2", res("a"), res("b"))))
    upstream = lst(sec("t1", sec("t2", res("a"))), sec("t3"))
    assert merged(base, local, upstream) == "t1[] t3[t2[a]]"


def test_a_change_to_an_item_moved_out_of_a_section_removed_here_is_kept() -> None:
    # here a was moved out of t2 and t2 removed; upstream changed a: a conflict on t2,
    # and --prefer upstream brought t2 (and b) back with a in it, --prefer local lost the
    # change to a
    base = lst(sec("t1", sec("t2", res("a"), res("b"))))
    local = lst(sec("t1", res("a")))
    upstream = lst(sec("t1", sec("t2", res("a", "Book a, 2nd edition"), res("b"))))
    assert merged(base, local, upstream) == "t1[a=Book a, 2nd edition]"


def test_the_same_section_added_on_both_sides_is_one_section() -> None:
    # upstream had taken this archive's new section i2 and added i3 to it: the merge saw
    # two different additions under one id and kept the section twice
    base = lst(res("i1"))
    local = lst(res("i1"), sec("i2", title="Week 2"))
    upstream = lst(res("i1"), sec("i2", res("i3"), title="Week 2"))
    assert merged(base, local, upstream) == "i1 i2[i3]"


@pytest.mark.parametrize(("prefer", "expected"), [
    (None, "t1[t2[]]"), ("local", "t1[t2[]]"), ("upstream", "t2[t1[]]")])
def test_sections_moved_into_each_other_are_a_conflict_not_a_ring(
    prefer: str | None, expected: str
) -> None:
    base = lst(sec("t1"), sec("t2"))
    local = lst(sec("t1", sec("t2")))
    upstream = lst(sec("t2", sec("t1")))
    result = merge_lists(base, local, upstream, prefer)
    assert len(result.conflicts) == 1
    assert "moved here and upstream into each other's sections" in result.conflicts[0]
    assert shape(result.value.items) == expected


def test_a_section_removed_upstream_with_an_item_changed_in_it_here_is_a_conflict() -> None:
    # an accepted upstream deletion must not take a local edit under it without a word
    base = lst(sec("t1", res("a"), res("b")), res("c"))
    local = lst(sec("t1", res("a", "Book a (corrected)"), res("b")), res("c"))
    upstream = lst(res("c"))
    refused = merge_lists(base, local, upstream)
    assert refused.conflicts == ("item t1: changed here, removed upstream",)
    assert shape(merge_lists(base, local, upstream, "local").value.items) == \
        "t1[a=Book a (corrected) b] c"
    assert shape(merge_lists(base, local, upstream, "upstream").value.items) == "c"
    # moved out of t1 here first: the conflict is a's alone, t1 (b untouched) goes
    moved_out = lst(sec("t1", res("b")), res("a", "Book a (corrected)"), res("c"))
    refused = merge_lists(base, moved_out, upstream)
    assert refused.conflicts == (
        "item a: moved to another section on one side, removed on the other",)
    assert shape(merge_lists(base, moved_out, upstream, "local").value.items) == \
        "a=Book a (corrected) c"
    assert shape(merge_lists(base, moved_out, upstream, "upstream").value.items) == "c"


@pytest.mark.parametrize(("prefer", "expected"), [
    (None, "i2 i1"), ("local", "i2 i1"), ("upstream", "i2[i1]")])
def test_a_section_replaced_here_by_a_resource_under_its_id_is_a_conflict(
    prefer: str | None, expected: str
) -> None:
    # here section i2 was removed and a resource added, which got the next free id: i2;
    # upstream moved i1 into section i2. The move went without a word
    base = lst(res("i1"), sec("i2"))
    local = lst(res("i2"), res("i1"))
    upstream = lst(sec("i2", res("i1")))
    result = merge_lists(base, local, upstream, prefer)
    assert result.conflicts == ("item i2: a section on one side, replaced by a resource on"
                                " the other",)
    assert shape(result.value.items) == expected


@pytest.mark.parametrize(("prefer", "expected"), [
    (None, "B[A[]]"), ("local", "B[A[]]"), ("upstream", "A[B[]]")])
def test_sections_moved_into_each_other_out_of_a_section_removed_upstream_end(
    prefer: str | None, expected: str
) -> None:
    # here A went into B (in X); upstream moved B into A and removed X. Putting B back
    # where this side has it (X, gone) and then where upstream has it (A) went round
    # for ever (found reading the first version of merge_tree)
    base = lst(sec("X", sec("B")), sec("A"))
    local = lst(sec("X", sec("B", sec("A"))))
    upstream = lst(sec("A", sec("B")))
    result = merge_lists(base, local, upstream, prefer)
    assert len(result.conflicts) == 1 and "into each other's sections" in result.conflicts[0]
    assert shape(result.value.items) == expected
