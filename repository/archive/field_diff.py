"""Field by field: how each item kept between two versions of a list changed.

:func:`repository.archive.diff.diff_lists` says *which* items changed; this
module says *what* changed in each (citation fields, locations, annotations,
section titles), as old and new text, for the diff page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    Item,
    Location,
    RelatedTitle,
    Resource,
    ResourceList,
    Section,
    StandardIdentifier,
)


@dataclass(frozen=True)
class FieldChange:
    """One field of an item: its text before and after (empty when absent)."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """An item present in both versions whose content or annotations differ."""

    item_id: str
    title: str
    fields: tuple[FieldChange, ...]


def changed_items(old: ResourceList, new: ResourceList) -> list[ItemChange]:
    """Items of ``new`` also in ``old`` that differ, in ``new``'s order, with their fields."""
    before = dict(_flatten(old.items))
    out: list[ItemChange] = []
    for item_id, item in _flatten(new.items):
        was = before.get(item_id)
        if was is None:
            continue
        changes = tuple(
            FieldChange(name, a, b)
            for name, a, b in _pairs(_describe(was), _describe(item))
            if a != b
        )
        if changes:
            out.append(ItemChange(item_id, item.content.title, changes))
    return out


def _flatten(items: tuple[Item, ...]) -> Iterator[tuple[str, Item]]:
    for item in items:
        yield item.id, item
        if isinstance(item.content, Section):
            yield from _flatten(item.content.items)


def _pairs(a: dict[str, str], b: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    names = list(a) + [n for n in b if n not in a]
    for name in names:
        yield name, a.get(name, ""), b.get(name, "")


def _describe(item: Item) -> dict[str, str]:
    """An item's fields as name -> display text (nested values flattened to dotted names)."""
    found: dict[str, str] = {}
    if isinstance(item.content, Section):
        found["section title"] = item.content.title
        found["section description"] = item.content.description
    else:
        found.update(_resource(item.content))
    found["item annotations"] = _text(item.annotations)
    return found


def _resource(res: Resource) -> dict[str, str]:
    found = {"type": res.type.value}
    for f in fields(Citation):
        found[f.name.replace("_", " ")] = _text(getattr(res.citation, f.name))
    for name in ("identifier", "description", "language", "format", "rights", "subjects",
                 "locations", "annotations", "extensions"):
        found["resource " + name if name in ("identifier", "annotations") else name] = _text(
            getattr(res, name)
        )
    return found


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, Creator):
        return value.name if value.role.value == "author" else f"{value.name} ({value.role.value})"
    if isinstance(value, StandardIdentifier):
        return f"{value.type.value} {value.value}"
    if isinstance(value, RelatedTitle):
        parts = [value.title, value.volume and f"vol. {value.volume}",
                 value.part and f"no. {value.part}"]
        return f"{value.type.value}: " + ", ".join(p for p in parts if p)
    if isinstance(value, Location):
        return f"{value.type.value} {value.locator}" + (f" ({value.label})" if value.label else "")
    if isinstance(value, Annotation):
        return f"[{value.kind}] {value.text}".rstrip()
    if hasattr(value, "xml"):
        return str(value.xml)
    return str(value)
