"""Three-way merge of lists: both sides' changes kept, conflicts listed and resolved by prefer."""

from __future__ import annotations

from dataclasses import replace

from crosswalks.rli import Annotation, Citation, Item, Resource, ResourceList, Section
from repository.archive.merge import merge_lists


def res(title: str) -> Resource:
    return Resource(citation=Citation(title=title))


BASE = ResourceList(
    "l", "Reading", "owner",
    items=(
        Item("i1", res("One")),
        Item("i2", res("Two")),
        Item("t1", Section("Week 1", items=(Item("i3", res("Three")), Item("i4", res("Four"))))),
    ),
)


def note(text: str) -> Annotation:
    return Annotation(text, author="x", date="2026-01-01")


def test_changes_to_different_items_are_all_kept() -> None:
    local = replace(BASE, annotations=(note("local list note"),), items=(
        replace(BASE.items[0], annotations=(note("read first"),)),
        BASE.items[1],
        Item("t1", Section("Week 1", items=(Item("i3", res("Three")), Item("i4", res("Four")),
                                            Item("i9", res("Added here"))))),
    ))
    upstream = replace(BASE, title="Reading 2027", items=(
        Item("i1", res("One, 2nd edition")),
        Item("t1", Section("Week 1", items=(Item("i4", res("Four")), Item("i3", res("Three b"))))),
        Item("i5", res("Added upstream")),
    ))
    result = merge_lists(BASE, local, upstream)
    assert result.conflicts == ()
    merged = result.value
    assert merged.title == "Reading 2027"
    assert merged.annotations == (note("local list note"),)
    assert merged.items[0] == Item("i1", res("One, 2nd edition"), (note("read first"),))
    assert [i.id for i in merged.items] == ["i1", "t1", "i5"]  # i2 removed upstream
    section = merged.items[1].content
    assert isinstance(section, Section)
    assert [(i.id, i.content.title) for i in section.items] == [  # type: ignore[union-attr]
        ("i4", "Four"), ("i9", "Added here"), ("i3", "Three b")]  # i9 follows i4, as here


def test_conflicts_are_listed_and_resolved_by_prefer() -> None:
    local = replace(BASE, title="Mine", items=(Item("i1", res("One (local)")), BASE.items[2]))
    upstream = replace(BASE, title="Theirs", items=(BASE.items[0],
                                                     Item("i2", res("Two (upstream)")),
                                                     BASE.items[2]))
    plain = merge_lists(BASE, local, upstream)
    assert plain.conflicts == ("list title: changed here and upstream",
                               "item i2: removed here, changed upstream")
    theirs = merge_lists(BASE, local, upstream, "upstream").value
    assert theirs.title == "Theirs"
    assert [i.id for i in theirs.items] == ["i1", "i2", "t1"]
    assert theirs.items[0].content.title == "One (local)"  # type: ignore[union-attr]
    mine = merge_lists(BASE, local, upstream, "local").value
    assert mine.title == "Mine" and [i.id for i in mine.items] == ["i1", "t1"]


def test_changed_here_removed_upstream_is_a_conflict() -> None:
    local = replace(BASE, items=(Item("i1", res("One (local)")), *BASE.items[1:]))
    upstream = replace(BASE, items=BASE.items[1:])
    result = merge_lists(BASE, local, upstream)
    assert result.conflicts == ("item i1: changed here, removed upstream",)
    assert [i.id for i in merge_lists(BASE, local, upstream, "upstream").value.items] == [
        "i2", "t1"]
    assert [i.id for i in merge_lists(BASE, local, upstream, "local").value.items] == [
        "i1", "i2", "t1"]


def tag(kind: str, author: str = "x") -> Annotation:
    return Annotation("", kind=kind, author=author, date="2026-01-01")


def tagged(lst: ResourceList, *notes: Annotation) -> ResourceList:
    """``lst`` with item i1's annotations ``notes``."""
    return replace(lst, items=(replace(lst.items[0], annotations=notes), *lst.items[1:]))


def test_an_item_tagged_differently_on_both_sides_is_a_conflict_not_two_tags() -> None:
    local = tagged(BASE, note("read first"), tag("essential"))
    upstream = tagged(BASE, tag("optional"))

    found = merge_lists(BASE, local, upstream)
    assert found.conflicts == ("item i1 importance tag: changed here and upstream",)
    assert found.value.items[0].annotations == (note("read first"), tag("essential"))
    theirs = merge_lists(BASE, local, upstream, prefer="upstream").value.items[0].annotations
    assert theirs == (tag("optional"), note("read first"))
    ours = merge_lists(BASE, local, upstream, prefer="local").value.items[0].annotations
    assert ours == (note("read first"), tag("essential"))


def test_one_side_retagging_is_taken_and_the_same_tag_on_both_is_kept_once() -> None:
    base = tagged(BASE, tag("essential"))
    retagged = merge_lists(base, base, tagged(BASE, tag("recommended")))
    assert retagged.conflicts == ()
    assert retagged.value.items[0].annotations == (tag("recommended"),)
    both = merge_lists(base, tagged(BASE, tag("optional", "here")),
                       tagged(BASE, tag("optional", "there")))
    assert both.conflicts == ()
    assert [a.kind for a in both.value.items[0].annotations] == ["optional"]


def test_the_lists_own_tag_is_one_value_too() -> None:
    local = replace(BASE, annotations=(tag("essential"),))
    upstream = replace(BASE, annotations=(tag("recommended"),))
    found = merge_lists(BASE, local, upstream, prefer="upstream")
    assert found.conflicts == ("list importance tag: changed here and upstream",)
    assert found.value.annotations == (tag("recommended"),)


def test_items_added_on_both_sides_under_the_same_next_id_are_both_kept() -> None:
    # found in review: each side hands out the same next free id, so an item added here
    # and another added upstream met as one item "added here and upstream, differently",
    # and --prefer kept only one of them
    local = replace(BASE, items=(*BASE.items, Item("i5", res("Added here"))))
    upstream = replace(BASE, items=(*BASE.items, Item("i5", res("Added upstream"))))
    found = merge_lists(BASE, local, upstream)
    assert found.conflicts == ()
    added = {i.id: i.content.title for i in found.value.items[3:]}  # type: ignore[union-attr]
    assert added["i5"] == "Added upstream" and sorted(added.values()) == [
        "Added here", "Added upstream"]
    # the same addition on both sides is one item; with no known base, a conflict still
    same = merge_lists(BASE, local, local)
    assert same.conflicts == () and len(same.value.items) == 4
    unknown = merge_lists(replace(BASE, items=()), local, upstream, known_base=False)
    assert unknown.conflicts


def test_a_section_added_on_both_sides_under_one_id_keeps_both_with_their_items() -> None:
    mine = Item("i5", Section("Week 2", items=(Item("i6", res("Mine")),)))
    theirs = Item("i5", Section("Week 2 (upstream)", items=(Item("i6", res("Theirs")),)))
    found = merge_lists(BASE, replace(BASE, items=(*BASE.items, mine)),
                        replace(BASE, items=(*BASE.items, theirs)))
    assert found.conflicts == ()
    sections = {i.id: i.content for i in found.value.items[3:]}
    assert sections["i5"].title == "Week 2 (upstream)"  # type: ignore[union-attr]
    assert sorted((s.title, tuple(x.content.title for x in s.items))  # type: ignore[union-attr]
                  for s in sections.values()) == [("Week 2", ("Mine",)),
                                                  ("Week 2 (upstream)", ("Theirs",))]
    ids = [i.id for i in found.value.items] + [
        x.id for s in sections.values() for x in s.items]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
