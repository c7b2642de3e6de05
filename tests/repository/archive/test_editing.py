"""Pure edit functions: add, remove, move, annotate, at any depth."""

from __future__ import annotations

import pytest

from crosswalks.rli import Section, iter_resources
from repository.archive import editing
from tests.factories import article, make_list


def ids(lst) -> list[str]:
    return editing.all_item_ids(lst.items)


def test_add_appends_with_fresh_id() -> None:
    lst = make_list(items=3)
    out = editing.add_resource(lst, article())
    assert ids(out) == ["s1", "i1", "i2", "i3", "i5"]
    assert out.items[-1].content == article()
    assert len(out.items) == len(lst.items) + 1


def test_add_refuses_used_id() -> None:
    with pytest.raises(editing.EditError):
        editing.add_resource(make_list(items=3), article(), item_id="i1")


def test_remove_inside_section() -> None:
    out = editing.remove_item(make_list(items=3), "i2")
    assert ids(out) == ["s1", "i1", "i3"]


def test_remove_unknown() -> None:
    with pytest.raises(editing.ItemNotFound):
        editing.remove_item(make_list(items=3), "zz")


def test_move_top_level_and_in_section() -> None:
    lst = make_list(items=4)  # s1(i1, i2), i3, i4
    assert ids(editing.move_item(lst, "i4", 1)) == ["i4", "s1", "i1", "i2", "i3"]
    moved = editing.move_item(lst, "i2", 1)
    section = moved.items[0].content
    assert isinstance(section, Section)
    assert [i.id for i in section.items] == ["i2", "i1"]


@pytest.mark.parametrize("pos", [0, 4, -1])
def test_move_out_of_range(pos: int) -> None:
    with pytest.raises(editing.EditError):
        editing.move_item(make_list(items=4), "i4", pos)


def test_annotate_item_and_list() -> None:
    lst = make_list(items=3)
    out = editing.annotate(lst, "core text", item_id="i1", kind="essential")
    section = out.items[0].content
    assert isinstance(section, Section)
    assert section.items[0].annotations[-1].text == "core text"
    assert editing.annotate(lst, "hello").annotations[-1].text == "hello"
    with pytest.raises(editing.ItemNotFound):
        editing.annotate(lst, "x", item_id="nope")


def _tags(lst, item_id: str) -> list[tuple[str, str]]:
    item = next(item for item, _ in iter_resources(lst.items) if item.id == item_id)
    return [(a.kind, a.text) for a in item.annotations]


def test_an_importance_tag_replaces_the_one_the_item_had() -> None:
    lst = editing.annotate(make_list(items=3), "see me", item_id="i3", kind="note")
    lst = editing.annotate(lst, "core", item_id="i3", kind="essential")
    lst = editing.annotate(lst, "", item_id="i3", kind="optional")
    assert _tags(lst, "i3") == [("note", "see me"), ("optional", "")]
    lst = editing.annotate(lst, "again", item_id="i3", kind="optional")
    assert _tags(lst, "i3") == [("note", "see me"), ("optional", "again")]
    listed = editing.annotate(editing.annotate(lst, "", kind="recommended"), "", kind="essential")
    assert [a.kind for a in listed.annotations] == [*(a.kind for a in lst.annotations),
                                                    "essential"]


def test_notes_accumulate() -> None:
    lst = editing.annotate(make_list(items=3), "one", item_id="i3")
    lst = editing.annotate(lst, "two", item_id="i3")
    assert _tags(lst, "i3") == [("note", "one"), ("note", "two")]
