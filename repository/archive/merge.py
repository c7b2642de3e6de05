"""Three-way merge of a list, item by item, against the common base (like git, for lists).

``merge_lists(base, local, upstream, prefer)`` keeps every change either side
made since ``base``. Items are matched by their stable ``id``, inside sections
too (a section present on all three sides is merged recursively):

==============================================  =======================================
base / local / upstream                         result
==============================================  =======================================
only one side changed the item (or the field)   that side's change
both made the same change                       it, once
added on one side                               kept, after the item it follows there
added on both sides under one id, differently   both kept (each side's next free id is
                                                the same): the one added here renamed
removed on one side, unchanged on the other     removed
annotations (list's and each item's)            union: notes added on either side kept,
                                                notes removed on either side dropped
an importance tag (essential, ...)              one value: taken like a field below
the list's ``modified`` time, changed on both    the later of the two
changed differently on both sides               **conflict**
changed on one side, removed on the other       **conflict**
moved to another section on one side, and       **conflict** (the item is kept in one
moved elsewhere or removed on the other         place: ``prefer``'s side's)
moved into a section the other side removed     the section's conflict decides it; the item
                                                stays (where a side whose section is still
                                                there has it)
==============================================  =======================================

A conflict is listed (``MergeResult.conflicts``) and resolved by ``prefer``:
``"upstream"`` takes upstream's side (its content, or its removal), ``"local"``
keeps this archive's. With ``prefer=None`` the result takes the local side
and the caller must refuse if there are conflicts.

Order among siblings follows upstream, unless only this side reordered them
(then this side's order); when both reordered, upstream's order wins and the
local moves are not kept. An item moved into another section on one side
and changed on the other is not followed across sections.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

from crosswalks.rli import Annotation, Item, ResourceList, Section
from repository.archive.editing import IMPORTANCE, fresh_ids

T = TypeVar("T")

_SCALAR_FIELDS = ("title", "owner", "description", "courses", "language", "rights", "created",
                  "extensions")


@dataclass(frozen=True)
class MergeResult:
    value: ResourceList
    conflicts: tuple[str, ...]


def merge_lists(
    base: ResourceList, local: ResourceList, upstream: ResourceList, prefer: str | None = None,
    *, known_base: bool = True,
) -> MergeResult:
    """Merge ``upstream``'s changes since ``base`` into ``local`` (see module docstring);
    without a ``known_base`` (``base`` stands for nothing known), items are not told
    apart by what each side added."""
    if known_base:
        local = _apart(base, local, upstream)
    conflicts: list[str] = []
    changes: dict[str, Any] = {}
    for name in _SCALAR_FIELDS:
        b, loc, up = (getattr(x, name) for x in (base, local, upstream))
        changes[name] = _pick(b, loc, up, prefer, conflicts, f"list {name}")
    changes["modified"] = _pick(base.modified, local.modified, upstream.modified, "later",
                                conflicts, "list modified")
    changes["annotations"] = merge_annotations(base.annotations, local.annotations,
                                               upstream.annotations, prefer, conflicts, "list")
    items = _merge_items(base.items, local.items, upstream.items, prefer, conflicts)
    changes["items"] = _placed_once(items, (base.items, local.items, upstream.items), prefer,
                                    conflicts)
    return MergeResult(replace(local, **changes), tuple(conflicts))


def _apart(base: ResourceList, local: ResourceList, upstream: ResourceList) -> ResourceList:
    """``local`` with each item it added under an id upstream gave another new item, under
    a fresh id: both sides hand out the same next free id, so two additions meet under
    one id; both are kept (the one added here renamed)."""
    known, ups, here = (_by_id(side.items) for side in (base, upstream, local))
    clashes = [i for i, item in here.items() if i not in known and i in ups and ups[i] != item]
    if not clashes:
        return local
    fresh = dict(zip(clashes, fresh_ids({*known, *ups, *here})))
    return replace(local, items=_renamed(local.items, fresh))


def _by_id(items: tuple[Item, ...]) -> dict[str, Item]:
    """Every item of ``items``, sections' too, by id (the first of an id), in order."""
    return {item_id: siblings[n] for item_id, (_, siblings, n) in _located(items).items()}


def _renamed(items: tuple[Item, ...], fresh: dict[str, str]) -> tuple[Item, ...]:
    out: list[Item] = []
    for item in items:
        content = item.content
        if isinstance(content, Section):
            content = replace(content, items=_renamed(content.items, fresh))
        out.append(replace(item, id=fresh.get(item.id, item.id), content=content))
    return tuple(out)


def merge_annotations(
    base: tuple[Annotation, ...], local: tuple[Annotation, ...], upstream: tuple[Annotation, ...],
    prefer: str | None, conflicts: list[str], what: str,
) -> tuple[Annotation, ...]:
    """Notes kept on both sides, plus those either side added; upstream's order first. The
    importance tag is one value: tagged differently on both sides, it is a conflict."""
    kept = [a for a in upstream if a in local or a not in base]
    kept += [a for a in local if a not in base and a not in kept]
    tags = [a for a in kept if a.kind in IMPORTANCE]
    if len(tags) > 1 and any(a not in base for a in tags):
        kind = _pick(_importance(base), _importance(local), _importance(upstream), prefer,
                     conflicts, f"{what} importance tag")
        chosen = next((a for a in tags if a.kind == kind), None)
        kept = [a for a in kept if a.kind not in IMPORTANCE or a is chosen]
    return tuple(kept)


def _importance(notes: tuple[Annotation, ...]) -> str | None:
    """The importance tag ``notes`` give (the last, in a list tagged before it was one)."""
    return next((a.kind for a in reversed(notes) if a.kind in IMPORTANCE), None)


def _pick(b: T, loc: T, up: T, prefer: str | None, conflicts: list[str], what: str) -> T:
    if loc == up or up == b:
        return loc
    if loc == b:
        return up
    if prefer == "later" and isinstance(loc, str) and isinstance(up, str):
        return max(loc, up)  # type: ignore[return-value]
    conflicts.append(f"{what}: changed here and upstream")
    return up if prefer == "upstream" else loc


def _merge_items(
    base: tuple[Item, ...],
    local: tuple[Item, ...],
    upstream: tuple[Item, ...],
    prefer: str | None,
    conflicts: list[str],
) -> tuple[Item, ...]:
    b_ids = {i.id: i for i in base}
    l_ids = {i.id: i for i in local}
    kept: dict[str, Item] = {}
    for up in upstream:
        loc, b = l_ids.get(up.id), b_ids.get(up.id)
        if loc is not None:
            kept[up.id] = _merge_item(b, loc, up, prefer, conflicts)
        elif b is None:
            kept[up.id] = up  # added upstream
        elif b != up:  # removed here, changed upstream
            conflicts.append(f"item {up.id}: removed here, changed upstream")
            if prefer == "upstream":
                kept[up.id] = up
    u_ids = {i.id for i in upstream}
    for loc in local:
        b = b_ids.get(loc.id)
        if loc.id in u_ids or (b is not None and b == loc):
            continue  # merged above, or removed upstream
        if b is not None:
            conflicts.append(f"item {loc.id}: changed here, removed upstream")
            if prefer == "upstream":
                continue
        kept[loc.id] = loc  # added here (or kept against upstream's removal)
    # Order: upstream's, unless only this side reordered; the other side's additions
    # follow the item they follow there.
    if _reordered(base, local) and not _reordered(base, upstream):
        first, second = local, upstream
    else:
        first, second = upstream, local
    out = [kept[i.id] for i in first if i.id in kept]
    for pos, item in enumerate(second):
        if item.id in kept and all(o.id != item.id for o in out):
            out.insert(_after(out, second[:pos]), kept[item.id])
    return tuple(out)


def _placed_once(
    items: tuple[Item, ...], sides: tuple[tuple[Item, ...], ...], prefer: str | None,
    conflicts: list[str],
) -> tuple[Item, ...]:
    """``items`` (merged section by section) with each item in one place. An item moved
    into another section on one side and moved elsewhere, changed in place or removed on
    the other is a conflict: ``prefer`` says whose place (or removal) is taken."""
    items = _rescued(items, sides, prefer, conflicts)
    base, local, upstream = (_parents(side) for side in sides)
    while True:
        places = _parents(items, every=True)
        twice = next((i for i, found in places.items() if len(found) > 1), None)
        if twice is None:
            break
        _conflict(conflicts, twice, "moved here and upstream, differently")
        chosen = (upstream if prefer == "upstream" else local).get(twice, (None,))[0]
        items = _drop(items, twice, chosen if chosen in places[twice] else places[twice][0])
    for item_id, (parent,) in _parents(items).items():
        gone_here, gone_up = item_id not in local, item_id not in upstream
        if item_id in base and base[item_id] != (parent,) and (gone_here or gone_up):
            _conflict(conflicts, item_id, "moved to another section on one side, removed on"
                      " the other")
            if (prefer == "upstream") == gone_up:
                items = _drop(items, item_id, None, keep=False)
    return items


def _rescued(
    items: tuple[Item, ...], sides: tuple[tuple[Item, ...], ...], prefer: str | None,
    conflicts: list[str],
) -> tuple[Item, ...]:
    """``items`` with each item neither side removed that went with a section one side
    removed (the other had moved it there) back in a place a side gives it whose section
    is still there (``prefer``'s first), after the item it follows there."""
    base, local, upstream = (_located(side) for side in sides)
    while True:
        merged = _parents(items)
        lost = next((i for i in local if i in upstream and i not in merged), None)
        if lost is None:
            return items
        b = _at(base[lost]) if lost in base else None
        item = _merge_item(b, _at(local[lost]), _at(upstream[lost]), prefer, conflicts)
        order = (upstream, local) if prefer == "upstream" else (local, upstream)
        parent, siblings, n = next((x[lost] for x in order if x[lost][0] in (None, *merged)),
                                   (None, (), 0))
        items = _put(items, item, parent, siblings[:n])


Place = tuple[str | None, tuple[Item, ...], int]


def _located(items: tuple[Item, ...], parent: str | None = None) -> dict[str, Place]:
    """Item id -> (its section's id or None, the items there, its index among them), the
    first of an id, in order."""
    found: dict[str, Place] = {}
    for n, item in enumerate(items):
        found.setdefault(item.id, (parent, items, n))
        if isinstance(item.content, Section):
            for inner, place in _located(item.content.items, item.id).items():
                found.setdefault(inner, place)
    return found


def _at(place: Place) -> Item:
    return place[1][place[2]]


def _put(items: tuple[Item, ...], item: Item, parent: str | None,
         before: tuple[Item, ...]) -> tuple[Item, ...]:
    """``items`` with ``item`` in section ``parent`` (None: the list), after what it follows."""
    if parent is None:
        out = list(items)
        out.insert(_after(out, before), item)
        return tuple(out)
    return tuple(
        replace(i, content=replace(i.content, items=_put(i.content.items, item,
                                                         None if i.id == parent else parent,
                                                         before)))
        if isinstance(i.content, Section) else i for i in items)


def _parents(
    items: tuple[Item, ...], parent: str | None = None, *, every: bool = False
) -> dict[str, tuple[str | None, ...]]:
    """Item id -> the id of the section it is in (None: the list itself); with ``every``,
    of each section it is in, if it is in several."""
    found: dict[str, tuple[str | None, ...]] = {}
    for item in items:
        if every or item.id not in found:
            found[item.id] = found.get(item.id, ()) + (parent,)
        if isinstance(item.content, Section):
            for inner, where in _parents(item.content.items, item.id, every=every).items():
                if every or inner not in found:
                    found[inner] = found.get(inner, ()) + where
    return found


def _drop(
    items: tuple[Item, ...], item_id: str, keep_in: str | None, *, keep: bool = True,
    parent: str | None = None, kept: list[bool] | None = None,
) -> tuple[Item, ...]:
    """``items`` with ``item_id`` only once, in section ``keep_in`` (nowhere unless ``keep``)."""
    kept = [] if kept is None else kept
    out: list[Item] = []
    for item in items:
        if item.id == item_id:
            if not keep or parent != keep_in or kept:
                continue
            kept.append(True)
        if isinstance(item.content, Section):
            inner = _drop(item.content.items, item_id, keep_in, keep=keep, parent=item.id,
                          kept=kept)
            item = replace(item, content=replace(item.content, items=inner))
        out.append(item)
    return tuple(out)


def _conflict(conflicts: list[str], item_id: str, what: str) -> None:
    """Add a conflict on ``item_id`` unless one was found on it already."""
    if not any(c.startswith(f"item {item_id}:") for c in conflicts):
        conflicts.append(f"item {item_id}: {what}")


def _reordered(base: tuple[Item, ...], side: tuple[Item, ...]) -> bool:
    """Whether ``side`` puts the items it shares with ``base`` in another order."""
    ids = {i.id for i in side}
    common = [i.id for i in base if i.id in ids]
    shared = set(common)
    return common != [i.id for i in side if i.id in shared]


def _after(out: list[Item], before: tuple[Item, ...]) -> int:
    """Where an item that follows ``before`` elsewhere goes in ``out``: after its nearest one."""
    placed = [i.id for i in out]
    for prev in reversed(before):
        if prev.id in placed:
            return placed.index(prev.id) + 1
    return 0


def _merge_item(
    b: Item | None, loc: Item, up: Item, prefer: str | None, conflicts: list[str]
) -> Item:
    if loc == up:
        return loc
    if b is None:
        conflicts.append(f"item {up.id}: added here and upstream, differently")
        return up if prefer == "upstream" else loc
    notes = merge_annotations(b.annotations, loc.annotations, up.annotations, prefer, conflicts,
                              f"item {up.id}")
    if all(isinstance(x.content, Section) for x in (b, loc, up)):
        bs, ls, us = (x.content for x in (b, loc, up))
        assert isinstance(bs, Section) and isinstance(ls, Section) and isinstance(us, Section)
        section = Section(
            title=_pick(bs.title, ls.title, us.title, prefer, conflicts, f"section {up.id} title"),
            description=_pick(bs.description, ls.description, us.description, prefer, conflicts,
                              f"section {up.id} description"),
            items=_merge_items(bs.items, ls.items, us.items, prefer, conflicts),
        )
        return Item(id=up.id, content=section, annotations=notes)
    content = _pick(b.content, loc.content, up.content, prefer, conflicts, f"item {up.id}")
    return Item(id=up.id, content=content, annotations=notes)
