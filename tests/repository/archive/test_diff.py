"""Diff between versions: added, removed, moved, changed, list fields."""

from __future__ import annotations

from dataclasses import replace

from repository.archive import editing
from repository.archive.diff import diff_lists
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
