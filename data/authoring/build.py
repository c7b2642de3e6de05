"""Write the bundled course lists to ``data/lists`` and ``data/versions`` as canonical RLI XML.

Usage::

    python data/authoring/build.py           # (re)write every file
    python data/authoring/build.py --check   # exit 1 if any file on disk differs

Each authoring module (one per list) has ``versions()``, the list's versions
oldest first. Version 1 goes to ``data/lists/<id>.xml``; version ``n >= 2`` to
``data/versions/<id>/v<n>.xml``, which ``rli demo`` archives in file-name order
after the lists. A module's optional ``proposals()`` (revisions made in another
system) go to ``data/proposals/<id>/<source>-from-v<n>.xml``, which ``rli demo``
offers as pending changes. Files no longer produced are reported by ``--check`` but never
deleted. Raises ``crosswalks.rli.binding.RLIFormatError`` if a list cannot be
written (a bug in the authoring data).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import biol2003
import comp2150
import econ1001
import film1203
import hist2041
import law2210
import musi2310
import nurs1105

from crosswalks.rli import ResourceList
from crosswalks.rli.binding import write_list

DATA = Path(__file__).resolve().parent.parent
MODULES: tuple[ModuleType, ...] = (
    hist2041, biol2003, comp2150, law2210, film1203, econ1001, nurs1105, musi2310,
)


def documents(data: Path = DATA) -> Iterator[tuple[Path, ResourceList]]:
    """Every bundled file's path and the list version it holds."""
    for module in MODULES:
        versions: tuple[ResourceList, ...] = module.versions()
        first = versions[0]
        yield data / "lists" / f"{first.identifier}.xml", first
        for number, later in enumerate(versions[1:], start=2):
            yield data / "versions" / first.identifier / f"v{number}.xml", later
        offered = module.proposals() if hasattr(module, "proposals") else {}
        for source, (base, revision) in sorted(offered.items()):
            yield data / "proposals" / first.identifier / f"{source}-from-v{base}.xml", revision


def build(data: Path = DATA, *, check: bool = False) -> list[Path]:
    """Write (or with ``check``, compare) every file; returns the paths that were out of date."""
    stale: list[Path] = []
    for path, lst in documents(data):
        document = write_list(lst)
        if path.exists() and path.read_bytes() == document:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(document)
    return stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = build(check=check)
    for path in stale:
        print(f"{'out of date' if check else 'wrote'}: {path.relative_to(DATA.parent)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
