"""Edits to a list as pure functions: each takes a list value and returns a new one.

Items are named by their stable ``id``, found at any depth (inside sections too).
Positions given by users are 1-based among the item's siblings.

Exception tree::

    EditError           an edit that cannot apply (message is one clear line)
    └── ItemNotFound    no item with that id in the list
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import count

from crosswalks.rli import Annotation, Item, Resource, ResourceList, Section

# The annotation kinds that tag how much an item matters: one of them at a time.
IMPORTANCE = ("essential", "recommended", "optional")


class EditError(ValueError):
    pass


class ItemNotFound(EditError, LookupError):
    pass


_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                          "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH"})


def slug(title: str) -> str:
    """A usable list id from any title: accents folded (à -> a), other characters dropped,
    and if nothing is left, ``list-`` and a short hash of the title."""
    spelled = title.translate(_SPELLED)
    folded = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in folded)
    slug = "-".join(part for part in cleaned.split("-") if part)[:60].strip("-")
    if slug:
        return slug
    return "list-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def all_item_ids(items: tuple[Item, ...]) -> list[str]:
    """Every item id in ``items``, sections included, depth first."""
    ids: list[str] = []
    for item in items:
        ids.append(item.id)
        if isinstance(item.content, Section):
            ids.extend(all_item_ids(item.content.items))
    return ids


def next_item_id(lst: ResourceList, taken: Iterable[str] = ()) -> str:
    """A fresh item id ``iN`` not used anywhere in the list, nor in ``taken``."""
    return next(fresh_ids({*all_item_ids(lst.items), *taken}))


def fresh_ids(used: set[str]) -> Iterator[str]:
    """Item ids ``iN`` not in ``used``, from N = len(used) + 1 up (each side of a merge
    hands out the same next one)."""
    return (f"i{n}" for n in count(len(used) + 1) if f"i{n}" not in used)


def add_resource(
    lst: ResourceList, res: Resource, *, item_id: str | None = None, taken: Iterable[str] = ()
) -> ResourceList:
    """Append ``res`` as a new top-level item, its id not in ``taken`` either (the ids of
    the list's upstream base: :func:`repository.archive.upstream.upstream_item_ids`).
    Raises EditError if ``item_id`` is taken."""
    new_id = item_id or next_item_id(lst, taken)
    if new_id in all_item_ids(lst.items):
        raise EditError(f"item id {new_id!r} is already used in list {lst.identifier!r}")
    return replace(lst, items=(*lst.items, Item(id=new_id, content=res)))


def append_resources(
    lst: ResourceList, resources: Iterable[Resource], taken: Iterable[str] = ()
) -> ResourceList:
    """Append every resource in ``resources`` as new top-level items with fresh ids (none
    of them in ``taken``, as :func:`add_resource`)."""
    used = {*all_item_ids(lst.items), *taken}
    added: list[Item] = []
    n = len(used)
    for res in resources:
        n += 1
        while f"i{n}" in used:
            n += 1
        used.add(f"i{n}")
        added.append(Item(id=f"i{n}", content=res))
    return replace(lst, items=(*lst.items, *added))


def remove_item(lst: ResourceList, item_id: str) -> ResourceList:
    """The list without the item ``item_id`` (at any depth). Raises ItemNotFound."""
    items, found = _remove(lst.items, item_id)
    if found is None:
        raise ItemNotFound(f"list {lst.identifier!r} has no item {item_id!r}")
    return replace(lst, items=items)


def move_item(lst: ResourceList, item_id: str, position: int) -> ResourceList:
    """Move ``item_id`` to 1-based ``position`` among its siblings.

    Raises ItemNotFound, or EditError for a position outside 1..len(siblings).
    """
    return replace(lst, items=_move(lst, lst.items, item_id, position))


def annotate(
    lst: ResourceList,
    text: str,
    *,
    item_id: str | None = None,
    kind: str = "note",
    author: str = "",
    date: str = "",
) -> ResourceList:
    """Add an annotation to the list, or to the item ``item_id``; an importance tag
    (:data:`IMPORTANCE`) replaces the one it had. Raises ItemNotFound."""
    note = Annotation(text=text, kind=kind, author=author, date=date)
    if item_id is None:
        return replace(lst, annotations=_added(lst.annotations, note))
    items, done = _annotate(lst.items, item_id, note)
    if not done:
        raise ItemNotFound(f"list {lst.identifier!r} has no item {item_id!r}")
    return replace(lst, items=items)


def _added(notes: tuple[Annotation, ...], note: Annotation) -> tuple[Annotation, ...]:
    """``notes`` and ``note``: an item is essential, recommended or optional, not two of
    them at once (the tag it had stays in the versions before)."""
    if note.kind in IMPORTANCE:
        notes = tuple(n for n in notes if n.kind not in IMPORTANCE)
    return (*notes, note)


def _remove(items: tuple[Item, ...], item_id: str) -> tuple[tuple[Item, ...], Item | None]:
    kept: list[Item] = []
    found: Item | None = None
    for item in items:
        if item.id == item_id:
            found = item
            continue
        if found is None and isinstance(item.content, Section):
            inner, hit = _remove(item.content.items, item_id)
            if hit is not None:
                found = hit
                item = replace(item, content=replace(item.content, items=inner))
        kept.append(item)
    return tuple(kept), found


def _move(
    lst: ResourceList, items: tuple[Item, ...], item_id: str, position: int
) -> tuple[Item, ...]:
    ids = [i.id for i in items]
    if item_id in ids:
        if not 1 <= position <= len(items):
            raise EditError(f"position {position} is outside 1..{len(items)}")
        rest = [i for i in items if i.id != item_id]
        rest.insert(position - 1, items[ids.index(item_id)])
        return tuple(rest)
    out: list[Item] = []
    moved = False
    for item in items:
        if (
            not moved
            and isinstance(item.content, Section)
            and item_id in all_item_ids(item.content.items)
        ):
            inner = _move(lst, item.content.items, item_id, position)
            item = replace(item, content=replace(item.content, items=inner))
            moved = True
        out.append(item)
    if not moved:
        raise ItemNotFound(f"list {lst.identifier!r} has no item {item_id!r}")
    return tuple(out)


def _annotate(
    items: tuple[Item, ...], item_id: str, note: Annotation
) -> tuple[tuple[Item, ...], bool]:
    out: list[Item] = []
    done = False
    for item in items:
        if not done and item.id == item_id:
            item = replace(item, annotations=_added(item.annotations, note))
            done = True
        elif not done and isinstance(item.content, Section):
            inner, done = _annotate(item.content.items, item_id, note)
            if done:
                item = replace(item, content=replace(item.content, items=inner))
        out.append(item)
    return tuple(out), done
