"""Seeded random three-way merges and the invariants every merge must keep.

``cases(seed, n)`` makes ``n`` (base, local, upstream) triples: a base list with
sections up to ``DEPTH`` deep, each side edited from it by a few random edits as a
person would make them (remove, add under the next free id, move within or across
sections, change, annotate, retitle a section). ``losses(...)`` merges a case
under each ``prefer`` and names every broken invariant:

- an item both sides kept is in the result exactly once;
- an item one side added is there (once), unless a section it is in on that side
  is not (the other side removed it and the conflict went that way);
- an item one side removed and the other left as it was (same value, same
  section) is gone, when that side removed it itself (its section still there);
- an item both sides kept carries the one side's change when the other left it;
- a clean merge (no conflicts) is the same whatever ``prefer``;
- the result is a list the archive takes (ids once, sections not too deep) and
  the merge gives the same result twice.

Run ``python -m tests.repository.archive.merge_random N [SEED]`` to count losing
merges over N cases (the suite runs a few hundred: test_merge_random.py).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from crosswalks.rli import Annotation, Citation, Item, Resource, ResourceList, Section
from repository.archive.checks import check_item_ids
from repository.archive.editing import IMPORTANCE, all_item_ids, fresh_ids
from repository.archive.errors import InvalidList
from repository.archive.merge import MergeResult, merge_lists
from repository.archive.merge_tree import bare

DEPTH = 3  # sections nest at most this deep in a side (the archive allows 50)
PREFERS = (None, "upstream", "local")


@dataclass
class Node:
    """One item while a side is being edited (mutable; the merge sees only Items)."""

    id: str
    title: str
    section: bool = False
    notes: list[Annotation] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    seed: int
    base: ResourceList
    local: ResourceList
    upstream: ResourceList


class _Maker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.n = 0

    def token(self, what: str) -> str:
        self.n += 1
        return f"{what} {self.n}"

    def tree(self, ids: set[str], depth: int = 1) -> list[Node]:
        nodes: list[Node] = []
        for _ in range(self.rng.randint(0, 4 if depth == 1 else 3)):
            node = self.new(ids, section=depth < DEPTH and self.rng.random() < 0.35)
            if node.section:
                node.children = self.tree(ids, depth + 1)
            nodes.append(node)
        return nodes

    def new(self, ids: set[str], *, section: bool = False) -> Node:
        item_id = next(fresh_ids(ids))
        ids.add(item_id)
        return Node(item_id, self.token("Section" if section else "Book"), section)

    def edit(self, nodes: list[Node]) -> None:
        """One random edit of a side, as `rli edit` and the web pages make them."""
        rng = self.rng
        places = _walk(nodes)
        roll = rng.random()
        if not places or roll < 0.2:  # add, under the next free id (as each side hands out)
            where = rng.choice(_containers(nodes))
            ids = {n.id for n, _, _ in places}
            node = self.new(ids, section=_depth_of(nodes, where) < DEPTH and rng.random() < 0.25)
            where.insert(rng.randint(0, len(where)), node)
            return
        node, siblings, depth = rng.choice(places)
        if roll < 0.4:
            siblings.remove(node)
        elif roll < 0.65:  # move: among its siblings, or into another section
            siblings.remove(node)
            inside = {id(c) for n, _, _ in _walk([node]) if n.section for c in [n.children]}
            targets = [c for c in _containers(nodes) if id(c) not in inside
                       and _depth_of(nodes, c) + _height(node) <= DEPTH]
            where = siblings if rng.random() < 0.4 else rng.choice(targets)
            where.insert(rng.randint(0, len(where)), node)
        elif roll < 0.8:
            node.title = self.token("Section" if node.section else "Book")
        elif roll < 0.9 or not node.notes:
            node.notes.append(Annotation(self.token("note"), author="x"))
        elif rng.random() < 0.5:
            node.notes.remove(rng.choice(node.notes))
        else:
            kind = rng.choice(IMPORTANCE)
            node.notes = [a for a in node.notes if a.kind not in IMPORTANCE]
            node.notes.append(Annotation(kind=kind))


def _walk(nodes: list[Node], depth: int = 1) -> list[tuple[Node, list[Node], int]]:
    out: list[tuple[Node, list[Node], int]] = []
    for node in nodes:
        out.append((node, nodes, depth))
        if node.section:
            out.extend(_walk(node.children, depth + 1))
    return out


def _containers(nodes: list[Node]) -> list[list[Node]]:
    return [nodes, *(n.children for n, _, _ in _walk(nodes) if n.section)]


def _depth_of(nodes: list[Node], container: list[Node]) -> int:
    """How many sections deep ``container`` is (0: the list itself)."""
    if container is nodes:
        return 0
    return next(d for n, _, d in _walk(nodes) if n.section and n.children is container)


def _height(node: Node) -> int:
    """How many levels of sections ``node`` brings (0 for a resource)."""
    if not node.section:
        return 0
    return 1 + max((_height(c) for c in node.children), default=0)


def to_items(nodes: list[Node]) -> tuple[Item, ...]:
    return tuple(
        Item(n.id, Section(n.title, items=to_items(n.children)) if n.section
             else Resource(citation=Citation(title=n.title)), tuple(n.notes))
        for n in nodes)


def to_nodes(items: tuple[Item, ...]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        content = item.content
        if isinstance(content, Section):
            out.append(Node(item.id, content.title, True, list(item.annotations),
                            to_nodes(content.items)))
        else:
            out.append(Node(item.id, content.citation.title, False, list(item.annotations)))
    return out


def make_case(seed: int) -> Case:
    rng = random.Random(seed)
    maker = _Maker(rng)
    base = maker.tree(set())
    sides: list[list[Node]] = []
    for _ in range(2):
        # now and then upstream starts from this side's edits: the same edits on both sides
        start = sides[0] if sides and rng.random() < 0.15 else base
        nodes = to_nodes(to_items(start))
        for _ in range(rng.randint(0, 4)):
            maker.edit(nodes)
        sides.append(nodes)
    lists = [ResourceList("L", title="T", owner="o", items=to_items(x)) for x in (base, *sides)]
    return Case(seed, *lists)


def cases(seed: int, n: int) -> Iterator[Case]:
    for k in range(n):
        yield make_case(seed * 1_000_003 + k)


Where = dict[str, tuple[str | None, Item]]  # id -> (its section's id, the item)


def _where(items: tuple[Item, ...], parent: str | None = None) -> Where:
    found: Where = {}
    for item in items:
        found[item.id] = (parent, item)
        if isinstance(item.content, Section):
            found.update(_where(item.content.items, item.id))
    return found


def _ancestors(where: Where, item_id: str) -> list[str]:
    out: list[str] = []
    parent = where[item_id][0]
    while parent is not None:
        out.append(parent)
        parent = where[parent][0]
    return out


def _label(item: Item) -> str:
    return item.content.title


def _title(where: Where, section: str | None) -> str | None:
    """The title of ``section`` (None: the list)."""
    return None if section is None else _label(where[section][1])


def losses(case: Case) -> list[str]:
    """Every invariant the merges of ``case`` break (empty: all kept)."""
    found: list[str] = []
    results = {}
    for prefer in PREFERS:
        result = merge_lists(case.base, case.local, case.upstream, prefer)
        if merge_lists(case.base, case.local, case.upstream, prefer) != result:
            found.append(f"prefer={prefer}: not deterministic")
        results[prefer] = result
        found += [f"prefer={prefer}: {w}"
                  for w in check(case, result.value, conflicts=result.conflicts)]
        found += [f"prefer={prefer}: {w}" for w in silent(case, result)]
        unknown = replace(case.base, items=())
        blind = merge_lists(unknown, case.local, case.upstream, prefer, known_base=False)
        found += [f"prefer={prefer}, no base: {w}"
                  for w in check(replace(case, base=unknown), blind.value, known_base=False)]
    if not results[None].conflicts and len({r.value for r in results.values()}) > 1:
        found.append("clean merge differs by prefer")
    for changed, where in ((case.local, "here"), (case.upstream, "upstream")):
        if merge_lists(case.base, changed, changed).value.items != changed.items:
            found.append("the same list on both sides: not that list")
        sides = (changed, case.base) if where == "here" else (case.base, changed)
        if merge_lists(case.base, *sides).value.items != changed.items:
            found.append(f"changed {where} only: not that side's list")
    return found


def check(case: Case, merged: ResourceList, *, known_base: bool = True,
          conflicts: tuple[str, ...] = ()) -> list[str]:
    """The invariants ``merged`` breaks as a merge of ``case`` (see module docstring);
    ``prefer`` takes one side's change to an item a conflict names."""
    out: list[str] = []
    named = _named(conflicts)
    try:
        check_item_ids(merged)
    except InvalidList as exc:
        out.append(f"invalid: {exc}")
    base, local, up, res = (_where(x.items) for x in (case.base, case.local, case.upstream,
                                                       merged))
    counts = Counter(all_item_ids(merged.items))
    labels = Counter(_label(item) for _, item in res.values())
    for i in local.keys() & up.keys():
        if known_base and i not in base and bare(local[i][1]) != bare(up[i][1]):
            continue  # two additions under one id: see below
        if counts[i] != 1:
            out.append(f"kept by both, {counts[i]} times in the result: {i}")
        elif i in base:
            b, loc, u, r = (bare(x[i][1]).content for x in (base, local, up, res))
            if ((loc == b and r != u) or (u == b and r != loc)) and i not in named:
                out.append(f"kept by both, one side's change lost: {i}")
    for i in base.keys() - local.keys() - up.keys():
        if i in res:
            out.append(f"removed on both sides, kept: {i}")
    known = {_label(item) for x in (local, up) for _, item in x.values()}
    if any(_label(item) not in known for _, item in res.values()):
        out.append("an item in the result that neither side has")
    for side, other in ((local, up), (up, local)):
        for i in side.keys() - base.keys():
            if i in other and (other[i][1] == side[i][1] or not known_base):
                continue  # the same addition on both sides (or, with no base, a conflict)
            shown = labels[_label(side[i][1])]
            gone = [a for a in _ancestors(side, i)
                    if a not in res if a in base or not labels[_label(side[a][1])]]
            if shown != 1 and not gone:
                out.append(f"added on one side, {shown} times in the result: {i}")
        for i in base.keys() - side.keys():
            parent = base[i][0]
            untouched = i in other and other[i] == base[i]
            if untouched and (parent is None or parent in side) and i in res:
                out.append(f"removed on one side, untouched on the other, kept: {i}")
    return out


def silent(case: Case, result: MergeResult) -> list[str]:
    """Edits of one side (a new title, a move to another section, an addition) missing
    from the result with no conflict naming the item or a section it is in."""
    out: list[str] = []
    base, local, up, res = (_where(x.items) for x in (case.base, case.local, case.upstream,
                                                       result.value))
    named = _named(result.conflicts)
    labels = {_label(item) for _, item in res.values()}
    for side in (local, up):
        for i, (parent, item) in side.items():
            kept = _label(item) in labels
            if i in base and _label(base[i][1]) == _label(item):
                kept = base[i][0] == parent or (i in res and (res[i][0] == parent or (
                    # a section added there may be under another id (see _apart)
                    parent not in base and _title(res, res[i][0]) == _title(side, parent))))
            around = {i, *_ancestors(side, i), *(_ancestors(base, i) if i in base else ())}
            if not kept and not around & named:
                out.append(f"an edit dropped with no conflict: {i}")
    return out


def _named(conflicts: tuple[str, ...]) -> set[str]:
    """The ids of the items (sections too) that ``conflicts`` name."""
    return {c.split(":")[0].split()[1] for c in conflicts if c.startswith(("item ", "section "))}


def show(items: tuple[Item, ...]) -> str:
    """``items`` as one line: ``i1 i2[i3 i4]``, each section's items in brackets."""
    return " ".join(
        f"{i.id}[{show(i.content.items)}]" if isinstance(i.content, Section) else i.id
        for i in items)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 3000
    seed = int(argv[1]) if len(argv) > 1 else 1
    bad = 0
    kinds: Counter[str] = Counter()
    first: dict[str, int] = {}
    for case in cases(seed, n):
        found = losses(case)
        if found:
            bad += 1
        for f in found:
            kind = f.split(": ", 1)[1].rsplit(":", 1)[0]
            kinds[kind] += 1
            first.setdefault(kind, case.seed)
    print(f"{bad} of {n} cases break an invariant")
    for kind, count in kinds.most_common():
        print(f"  {count:6d}  {kind}  (first: seed {first[kind]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
