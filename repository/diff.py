"""What changed between two versions of a list: items added, removed, moved, changed.

Items are matched by their stable ``id``. "Moved" means the item's parent
section or its position among its siblings' common items changed; "changed"
means its content or annotations differ. List-level fields are compared too.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswalks.rli import Item, ResourceList, Section


@dataclass(frozen=True)
class ItemPlace:
    item: Item
    parent: str
    position: int


@dataclass(frozen=True)
class ListDiff:
    """The differences, each a tuple of short descriptions in list order."""

    fields: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    moved: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.moved or self.changed)

    def lines(self) -> list[str]:
        """Readable lines, one per difference, prefixed by kind."""
        out = [f"~ {f}" for f in self.fields]
        out += [f"+ {a}" for a in self.added]
        out += [f"- {r}" for r in self.removed]
        out += [f"> {m}" for m in self.moved]
        out += [f"* {c}" for c in self.changed]
        return out or ["(no differences)"]


_LIST_FIELDS = ("title", "owner", "description", "courses", "language", "rights", "annotations",
                "extensions")


def diff_lists(old: ResourceList, new: ResourceList) -> ListDiff:
    """Compare ``old`` and ``new`` (two versions of one list)."""
    fields = tuple(
        f"{name}: {getattr(old, name)!r} -> {getattr(new, name)!r}"
        for name in _LIST_FIELDS
        if getattr(old, name) != getattr(new, name)
    )
    before = _places(old.items, "(top)")
    after = _places(new.items, "(top)")
    added = tuple(_label(after[i].item) for i in after if i not in before)
    removed = tuple(_label(before[i].item) for i in before if i not in after)
    common = [i for i in after if i in before]
    moved = tuple(_move_line(before[i], after[i]) for i in common if _moved(before, after, i))
    changed = tuple(
        _label(after[i].item) for i in common if _content(before[i].item) != _content(after[i].item)
    )
    return ListDiff(fields, added, removed, moved, changed)


def _places(items: tuple[Item, ...], parent: str) -> dict[str, ItemPlace]:
    found: dict[str, ItemPlace] = {}
    for n, item in enumerate(items, start=1):
        found[item.id] = ItemPlace(item, parent, n)
        if isinstance(item.content, Section):
            found.update(_places(item.content.items, item.id))
    return found


def _moved(before: dict[str, ItemPlace], after: dict[str, ItemPlace], item_id: str) -> bool:
    a, b = before[item_id], after[item_id]
    if a.parent != b.parent:
        return True
    # Compare rank among siblings present in both versions, so an insertion
    # before an item does not count as moving it.
    def rank(places: dict[str, ItemPlace], other: dict[str, ItemPlace]) -> int:
        me = places[item_id]
        return sum(
            1
            for k, p in places.items()
            if k in other and p.parent == me.parent and p.position < me.position
        )

    return rank(before, after) != rank(after, before)


def _move_line(a: ItemPlace, b: ItemPlace) -> str:
    return f"{_label(b.item)}: {a.parent} #{a.position} -> {b.parent} #{b.position}"


def _content(item: Item) -> object:
    if isinstance(item.content, Section):
        sec = item.content
        return ("section", sec.title, sec.description, item.annotations)
    return (item.content, item.annotations)


def _label(item: Item) -> str:
    title = item.content.title
    kind = "section" if isinstance(item.content, Section) else item.content.type.value
    return f"[{item.id}] {kind}: {title}"
