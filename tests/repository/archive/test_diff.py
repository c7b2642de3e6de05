"""Diff between versions: added, removed, moved, changed, list fields."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from repository.archive import editing
from repository.archive.diff import _lcs, diff_lists
from tests.factories import article, make_list


def test_no_differences() -> None:
    lst = make_list(items=4)
    result = diff_lists(lst, lst)
    assert result.empty and result.lines() == ["(no differences)"]


def test_added_removed_moved_changed() -> None:
    old = make_list(items=5)  # s1(i1, i2), i3, i4, i5
    new = editing.remove_item(old, "i3")
    new = editing.add_resource(new, article(), item_id="n1")
    new = editing.move_item(new, "i5", 1)
    new = editing.annotate(new, "now essential", item_id="i4", kind="essential")
    new = replace(new, title="Retitled")
    d = diff_lists(old, new)
    assert [x.split("]")[0] for x in d.added] == ["[n1"]
    assert [x.split("]")[0] for x in d.removed] == ["[i3"]
    assert any(m.startswith("[i5]") for m in d.moved)
    assert not any(m.startswith("[i4]") for m in d.moved)
    assert [c.split("]")[0] for c in d.changed] == ["[i4"]
    assert d.fields and d.fields[0].startswith("title:")
    assert "+ [n1]" in "\n".join(d.lines())


def test_insertion_does_not_count_as_move() -> None:
    old = make_list(items=4)
    new = replace(old, items=(old.items[0], *editing.add_resource(old, article(), item_id="x")
                              .items[-1:], *old.items[1:]))
    d = diff_lists(old, new)
    assert d.moved == () and len(d.added) == 1


def _lcs_table(a: list[str], b: list[str]) -> int:
    """The length of a longest common subsequence, by the full table (the reference)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (table[i + 1][j + 1] + 1 if a[i] == b[j]
                           else max(table[i + 1][j], table[i][j + 1]))
    return table[0][0]


@given(st.permutations([f"i{n}" for n in range(12)]))
def test_the_items_kept_in_place_are_a_longest_common_order(order: list[str]) -> None:
    # found in review: the diff of a 5,000-item list built a 5,000 x 5,000 table (16 s,
    # gigabytes); the longest run in order is found in O(n log n) now, and is as long
    a = [f"i{n}" for n in range(12)]
    kept = _lcs(a, order)
    assert len(kept) == _lcs_table(a, order)
    assert [x for x in a if x in kept] == [x for x in order if x in kept]
