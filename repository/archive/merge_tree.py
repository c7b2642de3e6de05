"""Where each item of a three-way list merge goes: whether it stays, in which section, in
what order (:mod:`repository.archive.merge` merges what each item itself says).

Items are matched by id across the whole list, so an item moved to another section
on one side is the same item there, and the other side's change to it follows it:

- kept on both sides: stays, once; in the section a side moved it to (both moved it,
  differently: a conflict, ``prefer``'s side's). If that section is gone, it goes to
  the other side's section, else the base's, else the list itself;
- added on one side: stays, in the section it was added to (gone if that section is);
- removed on one side: gone, unless the other side touched it (changed or moved it,
  or added, moved in, reordered or changed something in it): a conflict, ``prefer``'s
  side's. Removed with its section, it goes as that section goes, unless the other
  side moved it out (a conflict);
- two sides' moves that would put sections in each other: a conflict, ``prefer``'s
  side's; so is a section one side made a resource (a new one under its id) while the
  other put or changed something in it;
- order among a section's items: upstream's, unless only this side reordered them;
  items the other side has there follow the item they follow there.

``prefer=None`` takes the local side, as ``"local"`` does (the caller refuses a
merge with conflicts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from crosswalks.rli import Item, Section

# Merges one item's own fields (base, local, upstream; each without a section's items,
# None where that side has no such item) and adds any conflict to the list it is given.
Fields = Callable[[Item | None, Item | None, Item | None], Item]
Parent = str | None  # a section's item id, or None for the list itself
_NOWHERE = object()  # the base's section of an item the base does not have


@dataclass
class _Tree:
    """One side's items by id (the first of an id), with where each one is."""

    items: dict[str, Item] = field(default_factory=dict)  # without their sections' items
    parent: dict[str, Parent] = field(default_factory=dict)
    children: dict[Parent, list[str]] = field(default_factory=lambda: {None: []})


def tree_of(items: tuple[Item, ...]) -> _Tree:
    tree = _Tree()
    _index(items, None, tree)
    return tree


def _index(items: tuple[Item, ...], parent: Parent, tree: _Tree) -> None:
    kids = tree.children[parent]
    for item in items:
        if item.id in tree.items:
            continue  # an id used twice (the archive refuses such a list): the first counts
        tree.items[item.id] = bare(item)
        tree.parent[item.id] = parent
        kids.append(item.id)
        if isinstance(item.content, Section):
            tree.children[item.id] = []
            _index(item.content.items, item.id, tree)


def bare(item: Item) -> Item:
    """``item`` without its section's items (what the item itself says)."""
    if isinstance(item.content, Section) and item.content.items:
        return replace(item, content=replace(item.content, items=()))
    return item


def merge_tree(
    base: tuple[Item, ...], local: tuple[Item, ...], upstream: tuple[Item, ...],
    prefer: str | None, conflicts: list[str], fields: Fields,
) -> tuple[Item, ...]:
    """The merged items (see module docstring); conflicts are added to ``conflicts``."""
    return _Merge(tree_of(base), tree_of(local), tree_of(upstream), prefer, conflicts).run(
        fields)


class _Merge:
    def __init__(self, b: _Tree, loc: _Tree, up: _Tree, prefer: str | None,
                 conflicts: list[str]) -> None:
        self.b, self.loc, self.up = b, loc, up
        self.prefer, self.conflicts = prefer, conflicts
        self.mine = up if prefer == "upstream" else loc  # whose side a conflict takes
        self.fates: dict[str, bool] = {}
        self.dirty: dict[tuple[int, str], bool] = {}
        self.unringed: set[str] = set()

    def run(self, fields: Fields) -> tuple[Item, ...]:
        ids = [*self.up.items, *(i for i in self.loc.items if i not in self.up.items)]
        merged: dict[str, Item] = {}
        parent: dict[str, Parent] = {}
        for i in ids:
            if not self.kept(i):
                continue
            b, loc, up = (t.items.get(i) for t in (self.b, self.loc, self.up))
            one = loc if up is None else up if loc is None else self._unsectioned(i)
            merged[i] = one if one is not None else fields(b, loc, up)
            parent[i] = self.section(i)
        self.settle(merged, parent)
        return self.build(None, merged, self.order(merged, parent))

    def kept(self, i: str) -> bool:
        """Whether item ``i`` stays (a conflict is listed when it decides)."""
        if i not in self.fates:
            sides = [t for t in (self.loc, self.up) if i in t.items]
            if len(sides) == 1 and i in self.b.items:
                self.fates[i] = self._kept_against_removal(i, sides[0])
            else:
                self.fates[i] = bool(sides)
        return self.fates[i]

    def _kept_against_removal(self, i: str, side: _Tree) -> bool:
        """Item ``i``, removed on one side, left or touched on ``side``."""
        was = self.b.parent[i]
        other = self.up if side is self.loc else self.loc
        # removed with its section (not by itself): it goes as the section goes, unless
        # ``side`` moved it out of there
        went_with = was if was is not None and was not in other.items else None
        moved = side.parent[i] != was
        if went_with is not None and not moved:
            return self.kept(went_with)
        if not self._touched(side, i):
            return False
        if moved:
            self._conflict(i, "moved to another section on one side, removed on the other")
        elif side is self.loc:
            self._conflict(i, "changed here, removed upstream")
        else:
            self._conflict(i, "removed here, changed upstream")
        return side is self.mine

    def _unsectioned(self, i: str) -> Item | None:
        """``prefer``'s side's item ``i`` if one side made the section ``i`` something
        else (a resource added under the id of a section it removed: each side hands out
        the next free id) while the other put, moved or changed something in it."""
        b = self.b.items.get(i)
        kept = [t for t in (self.loc, self.up) if isinstance(t.items[i].content, Section)]
        if b is None or not isinstance(b.content, Section) or len(kept) != 1 \
                or not self._touched(kept[0], i):
            return None
        self._conflict(i, "a section on one side, replaced by a resource on the other")
        return self.mine.items[i]

    def _touched(self, side: _Tree, i: str) -> bool:
        """Whether ``side`` changed or moved item ``i`` (a base item the other side
        removed), or added, moved in, reordered or changed something in it that would go
        with it (not what the other side kept elsewhere: that change goes with the item)."""
        key = (id(side), i)
        if key not in self.dirty:
            other = self.up if side is self.loc else self.loc
            kids = side.children.get(i, [])
            self.dirty[key] = (
                side.items[i] != self.b.items[i] or side.parent[i] != self.b.parent[i]
                or _reordered(self.b.children.get(i, []), kids)
                or any(k not in self.b.items or self.b.parent[k] != i
                       or (k not in other.items and self._touched(side, k)) for k in kids))
        return self.dirty[key]

    def section(self, i: str) -> Parent:
        """The section item ``i`` goes in, as the sides place it."""
        if i not in self.up.items or i not in self.loc.items:
            return (self.loc if i in self.loc.items else self.up).parent[i]
        here, there = self.loc.parent[i], self.up.parent[i]
        was = self.b.parent[i] if i in self.b.items else _NOWHERE
        if here == there or there == was:
            return here
        if here == was:
            return there
        self._conflict(i, "moved here and upstream, differently")
        return self.mine.parent[i]

    def settle(self, merged: dict[str, Item], parent: dict[str, Parent]) -> None:
        """Each item of ``parent`` in a section that stays, and no section in itself."""
        while self._rehome(merged, parent) or self._unring(_ring(parent), merged, parent):
            pass

    def _rehome(self, merged: dict[str, Item], parent: dict[str, Parent]) -> bool:
        """Move each item whose section is gone: one both sides kept to a section a side
        (``prefer``'s first) or the base has it in, else to the list; one whose section
        stays but is no longer a section up a level; any other goes with its section.
        Whether any moved."""
        moved = False
        for i in list(parent):
            p = parent[i]
            if _holds(p, merged):
                continue
            moved = True
            if i in self.loc.items and i in self.up.items:
                places = [t.parent[i] for t in (self.mine, self.loc, self.up, self.b)
                          if i in t.items]
                parent[i] = next(q for q in [*places, None] if _holds(q, merged))
            elif p in merged:
                parent[i] = parent[p]
            else:
                del parent[i], merged[i]  # added (or kept) in a section that is gone
        return moved

    def _unring(self, ring: list[str] | None, merged: dict[str, Item],
                parent: dict[str, Parent]) -> bool:
        """Put one section of ``ring`` (each in the next: each side is a tree, two sides'
        moves together may not be) where ``prefer``'s side has it, or in the list if that
        section is gone (not back where the ring came from). Whether there was a ring."""
        if ring is None:
            return False
        i = next((i for i in ring if i in self.mine.items
                  and parent[i] != self.mine.parent[i]), ring[0])
        self._conflict(i, "moved here and upstream into each other's sections")
        mine = self.mine.parent.get(i)
        # a second time (its section went since): the list, which stays, so this ends
        parent[i] = mine if _holds(mine, merged) and i not in self.unringed else None
        self.unringed.add(i)
        return True

    def order(self, merged: dict[str, Item], parent: dict[str, Parent]
              ) -> dict[Parent, list[str]]:
        """Each section's merged items in order (see module docstring)."""
        members: dict[Parent, list[str]] = {}
        for i, p in parent.items():
            members.setdefault(p, []).append(i)
        out: dict[Parent, list[str]] = {}
        for p, ids in members.items():
            here = set(ids)
            b, loc, up = (t.children.get(p, []) for t in (self.b, self.loc, self.up))
            first, second = (loc, up) if _reordered(b, loc) and not _reordered(b, up) else \
                (up, loc)
            ordered = _weave([i for i in first if i in here], second, here)
            ordered = _weave(ordered, b, here)
            placed = set(ordered)
            out[p] = ordered + [i for i in ids if i not in placed]
        return out

    def build(self, p: Parent, merged: dict[str, Item], order: dict[Parent, list[str]]
              ) -> tuple[Item, ...]:
        items: list[Item] = []
        for i in order.get(p, []):
            item = merged[i]
            if isinstance(item.content, Section):
                inner = self.build(i, merged, order)
                item = replace(item, content=replace(item.content, items=inner))
            items.append(item)
        return tuple(items)

    def _conflict(self, item_id: str, what: str) -> None:
        conflict(self.conflicts, item_id, what)


def conflict(conflicts: list[str], item_id: str, what: str) -> None:
    """Add a conflict on ``item_id`` unless one was found on it already."""
    if not any(c.startswith(f"item {item_id}:") for c in conflicts):
        conflicts.append(f"item {item_id}: {what}")


def _holds(p: Parent, merged: dict[str, Item]) -> bool:
    """Whether ``p`` is the list or a section that stays."""
    return p is None or (p in merged and isinstance(merged[p].content, Section))


def _ring(parent: dict[str, Parent]) -> list[str] | None:
    """Sections each in the next, if ``parent`` has any."""
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        seen: set[str] = set()
        i: Parent = start
        while i is not None and i not in done:
            if i in seen:
                return path[path.index(i):]
            seen.add(i)
            path.append(i)
            i = parent[i]
        done |= seen
    return None


def _reordered(base: list[str], side: list[str]) -> bool:
    """Whether ``side`` puts the items it shares with ``base`` in another order."""
    ids = set(side)
    common = [i for i in base if i in ids]
    shared = set(common)
    return common != [i for i in side if i in shared]


def _weave(out: list[str], other: list[str], members: set[str]) -> list[str]:
    """``out`` with each of ``members`` that ``other`` has and ``out`` has not after the
    one it follows in ``other`` (first if it follows none)."""
    placed = set(out)
    follows: dict[str | None, str] = {}
    prev: str | None = None
    for i in other:
        if i not in members:
            continue
        if i not in placed:
            follows[prev] = i
            placed.add(i)
        prev = i
    if not follows:
        return out
    woven: list[str] = []
    for at in [None, *out]:
        if at is not None:
            woven.append(at)
        after = follows.get(at)
        while after is not None:  # a run of items the other side has there, one after another
            woven.append(after)
            after = follows.get(after)
    return woven
