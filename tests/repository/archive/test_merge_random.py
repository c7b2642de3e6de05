"""Seeded random three-way merges keep every invariant (merge_random.py names them).

The suite runs a few hundred cases; ``python -m tests.repository.archive.merge_random
30000`` runs more and counts what breaks.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from crosswalks.rli import Item, Section
from repository.archive.merge import merge_lists
from tests import paths
from tests.repository.archive.merge_random import PREFERS, cases, losses, make_case

SEED = 20260
CASES = 600


def test_random_merges_lose_nothing() -> None:
    broken = {case.seed: found for case in cases(SEED, CASES) if (found := losses(case))}
    assert broken == {}


def test_the_generator_makes_the_cases_that_matter() -> None:
    # enough of each kind of case that a loss would show: moves across sections,
    # removals on one side, additions meeting under one id, conflicts
    kinds = {"conflict": 0, "moved": 0, "removed": 0, "same id": 0}
    for case in cases(SEED, CASES):
        result = merge_lists(case.base, case.local, case.upstream)
        kinds["conflict"] += bool(result.conflicts)
        shown = {s: _places(x.items) for s, x in (("b", case.base), ("l", case.local),
                                                   ("u", case.upstream))}
        for side in ("l", "u"):
            kinds["moved"] += any(shown["b"][i] != p for i, p in shown[side].items()
                                  if i in shown["b"])
            kinds["removed"] += bool(shown["b"].keys() - shown[side].keys())
        kinds["same id"] += bool((shown["l"].keys() & shown["u"].keys()) - shown["b"].keys())
    assert min(kinds.values()) >= CASES // 20, kinds


def _places(items: tuple[Item, ...], parent: str | None = None) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for item in items:
        found[item.id] = parent
        if isinstance(item.content, Section):
            found.update(_places(item.content.items, item.id))
    return found


DIGEST = """
import hashlib
from repository.archive.merge import merge_lists
from tests.repository.archive.merge_random import PREFERS, cases
h = hashlib.sha256()
for case in cases({seed}, {n}):
    for prefer in PREFERS:
        result = merge_lists(case.base, case.local, case.upstream, prefer)
        h.update(repr(result).encode())
print(h.hexdigest())
"""


def test_the_merge_is_the_same_in_every_process() -> None:
    # string hashing differs between processes: a merge that walked a set would differ
    here = hashlib.sha256()
    for case in cases(SEED, 200):
        for prefer in PREFERS:
            here.update(repr(merge_lists(case.base, case.local, case.upstream, prefer)).encode())
    for hash_seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-c", DIGEST.format(seed=SEED, n=200)], capture_output=True,
            text=True, timeout=120, cwd=paths.ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == here.hexdigest()


def test_a_case_is_made_from_its_seed_alone() -> None:
    assert make_case(7) == make_case(7) and make_case(7) != make_case(8)
