"""Field-by-field changes of kept items (repository/archive/field_diff.py)."""

from __future__ import annotations

from crosswalks.rli import Annotation, Creator, Item, Resource, ResourceList, Section
from crosswalks.rli.model import Citation, Location, LocationType
from repository.archive.field_diff import FieldChange, ItemChange, changed_items


def lst(*items: Item) -> ResourceList:
    return ResourceList("l", "L", "o", items=items)


def test_changed_fields_old_and_new_text() -> None:
    old = Resource(citation=Citation(title="Old title", creators=(Creator("Doe, J."),)))
    new = Resource(citation=Citation(title="New title", creators=(Creator("Doe, J."),),
                                     publication_date="2020"),
                   locations=(Location(LocationType.URL, "https://x.test/"),))
    noted = Item("i1", new, (Annotation("Read", "essential"),))
    found = changed_items(lst(Item("i1", old)), lst(noted))
    assert found == [ItemChange("i1", "New title", (
        FieldChange("title", "Old title", "New title"),
        FieldChange("publication date", "", "2020"),
        FieldChange("locations", "", "url https://x.test/"),
        FieldChange("item annotations", "", "[essential] Read"),
    ))]


def test_sections_items_inside_them_and_unchanged_or_new_items() -> None:
    book = Resource(citation=Citation(title="B"))
    old = lst(Item("s1", Section("Week 1", items=(Item("i1", book),))), Item("i2", book))
    edited = Resource(citation=Citation(title="B", edition="2nd"))
    new = lst(Item("s1", Section("Week one", items=(Item("i1", edited),))), Item("i2", book),
              Item("i3", book))
    assert changed_items(old, new) == [
        ItemChange("s1", "Week one", (FieldChange("section title", "Week 1", "Week one"),)),
        ItemChange("i1", "B", (FieldChange("edition", "", "2nd"),)),
    ]
