"""What changed between two versions of a list: items added, removed, moved, changed.

Items are matched by their stable ``id``. "Moved" means the item's parent
section changed or it left the longest run of siblings kept in order; "changed"
means its content or annotations differ. List-level fields are compared too.
"""

from __future__ import annotations

from bisect import bisect_left
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
        line
        for name in _LIST_FIELDS
        if getattr(old, name) != getattr(new, name)
        for line in _field_lines(name, getattr(old, name), getattr(new, name))
    )
    before = _places(old.items, "(top)")
    after = _places(new.items, "(top)")
    added = tuple(_label(after[i].item) for i in after if i not in before)
    removed = tuple(_label(before[i].item) for i in before if i not in after)
    common = [i for i in after if i in before]
    moved_ids = _moved_ids(before, after)
    moved = tuple(_move_line(before[i], after[i]) for i in common if i in moved_ids)
    changed = tuple(
        _label(after[i].item) for i in common if _content(before[i].item) != _content(after[i].item)
    )
    return ListDiff(fields, added, removed, moved, changed)


def _field_lines(name: str, old: object, new: object) -> list[str]:
    if name == "annotations" and isinstance(old, tuple) and isinstance(new, tuple):
        gone = [f"list note removed: [{a.kind}] {a.text}" for a in old if a not in new]
        came = [f"list note added: [{a.kind}] {a.text}" for a in new if a not in old]
        return gone + came
    if name == "extensions":
        return ["list extensions changed"]
    return [f"{name}: {old!r} -> {new!r}"]


def _places(items: tuple[Item, ...], parent: str) -> dict[str, ItemPlace]:
    found: dict[str, ItemPlace] = {}
    for n, item in enumerate(items, start=1):
        found[item.id] = ItemPlace(item, parent, n)
        if isinstance(item.content, Section):
            found.update(_places(item.content.items, item.id))
    return found


def _moved_ids(before: dict[str, ItemPlace], after: dict[str, ItemPlace]) -> set[str]:
    """Items whose parent changed, or that fall outside the longest run of siblings kept in order.

    Using the longest common subsequence means moving one item reports that
    item alone, not every sibling it jumped over.
    """
    common = [i for i in after if i in before]
    moved = {i for i in common if before[i].parent != after[i].parent}
    for parent in {after[i].parent for i in common}:
        old = sorted((i for i in common if before[i].parent == parent == after[i].parent),
                     key=lambda i: before[i].position)
        new = sorted(old, key=lambda i: after[i].position)
        moved |= set(old) - _lcs(old, new)
    return moved


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """The items of the longest common subsequence of ``a`` and ``b``, two orders of the
    same items: the longest run of ``b`` increasing in ``a``'s order, in O(n log n) (a
    table of len(a) x len(b) took 16 s and gigabytes for a 5,000-item list)."""
    where = {item: n for n, item in enumerate(a)}
    tails: list[int] = []  # tails[k]: index in b of the least last element of a run of k+1
    ends: list[int] = []  # and that element's place in a
    before: list[int] = [-1] * len(b)
    for j, item in enumerate(b):
        k = bisect_left(ends, where[item])
        if k:
            before[j] = tails[k - 1]
        if k == len(tails):
            tails.append(j)
            ends.append(where[item])
        else:
            tails[k] = j
            ends[k] = where[item]
    keep: set[str] = set()
    j = tails[-1] if tails else -1
    while j >= 0:
        keep.add(b[j])
        j = before[j]
    return keep


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
