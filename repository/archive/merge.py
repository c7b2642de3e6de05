"""Three-way merge of a list, item by item, against the common base (like git, for lists).

``merge_lists(base, local, upstream, prefer)`` keeps every change either side
made since ``base``. Items are matched by their stable ``id`` across the whole
list, so an item moved to another section is the same item there
(:mod:`repository.archive.merge_tree` places them):

==============================================  =======================================
base / local / upstream                         result
==============================================  =======================================
only one side changed the item (or the field)   that side's change
both made the same change                       it, once
moved (to another section or place) on one     moved there, with the other side's
side, changed on the other                      change
added on one side                               kept, after the item it follows there
added on both sides under one id, differently   both kept (each side's next free id is
                                                the same): the one added here renamed
removed on one side, unchanged on the other     removed (with a section, what it holds;
                                                not what the other side moved out of it)
annotations (list's and each item's)            union: notes added on either side kept,
                                                notes removed on either side dropped
an importance tag (essential, ...)              one value: taken like a field below
the list's ``modified`` time, changed on both    the later of the two
changed differently on both sides               **conflict**
changed on one side, removed on the other (a    **conflict**
section: something added, moved in, changed
or reordered in it)
moved to another section on one side, and       **conflict** (the item is kept in one
moved elsewhere or removed on the other;        place: ``prefer``'s side's)
sections moved into each other
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
local moves are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

from crosswalks.rli import Annotation, Item, ResourceList, Section
from repository.archive.editing import IMPORTANCE, fresh_ids
from repository.archive.merge_tree import bare, merge_tree

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
    changes["items"] = merge_tree(
        base.items, local.items, upstream.items, prefer, conflicts,
        lambda b, loc, up: _fields(b, loc, up, prefer, conflicts))
    return MergeResult(replace(local, **changes), tuple(conflicts))


def _apart(base: ResourceList, local: ResourceList, upstream: ResourceList) -> ResourceList:
    """``local`` with each item it added under an id upstream gave another new item, under
    a fresh id: both sides hand out the same next free id, so two additions meet under
    one id; both are kept (the one added here renamed). The same addition (the same
    resource, or section title and description) on both sides is one item, whatever
    each side put in it or noted on it since."""
    known, ups, here = (_by_id(side.items) for side in (base, upstream, local))
    clashes = [i for i, item in here.items()
               if i not in known and i in ups and bare(ups[i]).content != bare(item).content]
    if not clashes:
        return local
    fresh = dict(zip(clashes, fresh_ids({*known, *ups, *here})))
    return replace(local, items=_renamed(local.items, fresh))


def _by_id(items: tuple[Item, ...], found: dict[str, Item] | None = None) -> dict[str, Item]:
    """Every item of ``items``, sections' too, by id (the first of an id), in order."""
    found = {} if found is None else found
    for item in items:
        found.setdefault(item.id, item)
        if isinstance(item.content, Section):
            _by_id(item.content.items, found)
    return found


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


def _fields(
    b: Item | None, loc: Item | None, up: Item | None, prefer: str | None,
    conflicts: list[str],
) -> Item:
    """What item ``up.id`` itself says, merged (each side's without a section's items)."""
    assert loc is not None and up is not None
    if loc == up:
        return loc
    if b is None and loc.content == up.content:  # the same addition, noted differently
        notes = merge_annotations((), loc.annotations, up.annotations, prefer, conflicts,
                                  f"item {up.id}")
        return replace(up, annotations=notes)
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
        )
        return Item(id=up.id, content=section, annotations=notes)
    content = _pick(b.content, loc.content, up.content, prefer, conflicts, f"item {up.id}")
    return Item(id=up.id, content=content, annotations=notes)
