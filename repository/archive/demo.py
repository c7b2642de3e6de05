"""The demo archive: the bundled lists in ``data/lists`` and later versions in ``data/versions``.

``data/versions/<list id>/`` holds whole documents of later versions of that
list; they are archived in file-name order after the lists, so the demo shows
real version histories. The files are those installed with rli (see
:mod:`crosswalks.bundled`); ``RLI_DATA`` or ``data_dir`` names another folder.
``data/proposals/<list id>/<source>-from-v<N>.xml``
holds a revision made in another system from version N; each becomes a
pending ``upstream-version`` change from ``<source>`` (``rli changes``).

The demo goes only into a new archive or one it made: an archive holding lists of
its own or harvest sources is refused (the demo's lists would stay in it for good),
and :func:`make_demo` archives all or nothing, so a demo stopped half-way is made
whole by the next run.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from itertools import chain, islice
from pathlib import Path

from crosswalks.bundled import bundled
from crosswalks.rli import VersionInfo
from harvester.shared.db import transaction
from harvester.sources import all_sources
from repository.archive.importing import ImportRefused, import_lists, read_lists
from repository.archive.store import Archive
from repository.archive.upstream import propose_version

DEMO_EDITOR = "demo"


def default_data_dir() -> Path:
    """``RLI_DATA`` if set, else the bundled ``data/`` installed with rli."""
    return Path(os.environ.get("RLI_DATA") or bundled())


def bundled_lists(data_dir: Path | None = None) -> list[Path]:
    """The list files of ``data_dir`` (default: the installed ones), in name order.

    Raises ImportRefused if there are none (a packaging bug, or a --data folder that is
    not one)."""
    data_dir = default_data_dir() if data_dir is None else data_dir
    lists = sorted((data_dir / "lists").glob("*.xml"))
    if not lists:
        raise ImportRefused(f"no bundled lists in {data_dir / 'lists'} (is rli fully installed?)")
    return lists


def make_demo(
    archive: Archive, data_dir: Path | None = None
) -> tuple[list[tuple[str, VersionInfo]], int]:
    """:func:`build_demo` and :func:`propose_demo_revisions` for what it archived, in one
    transaction: what was archived, and how many pending changes were offered.

    Raises ImportRefused as :func:`build_demo` does, with nothing written.
    """
    with transaction(archive.db):
        done = build_demo(archive, data_dir)
        return done, propose_demo_revisions(archive, data_dir, {list_id for list_id, _ in done})


def build_demo(
    archive: Archive, data_dir: Path | None = None
) -> list[tuple[str, VersionInfo]]:
    """Import the bundled lists and their later versions; returns what was archived.

    A list the archive holds already (a demo built before, deleted or not) is left as it
    is, with no version of the bundled ones added: running the demo again over the same
    archive archives nothing.
    Raises ImportRefused if there are no lists to import or a bundled file is broken
    (both packaging bugs: an empty demo is never what was asked for), or if there are
    lists to import and the archive holds lists the demo did not make or harvest
    sources (NotTheDemos).
    """
    data_dir = default_data_dir() if data_dir is None else data_dir
    done: list[tuple[str, VersionInfo]] = []
    files = [(path, read_lists(path)) for path in bundled_lists(data_dir)]
    if any(not archive.exists(lst.identifier) for _, lists in files for lst in lists):
        _refuse_others(archive, {lst.identifier for _, lists in files for lst in lists})
    for path, lists in files:
        fresh = [lst for lst in lists if not archive.exists(lst.identifier)]
        done += import_lists(archive, fresh, editor=DEMO_EDITOR, note="bundled list",
                             source=str(path))
    added = {list_id for list_id, _ in done}
    versions = data_dir / "versions"
    for path in sorted(versions.glob("*/*.xml")) if versions.is_dir() else []:
        later = [lst for lst in read_lists(path) if lst.identifier in added]
        done += import_lists(archive, later, editor=DEMO_EDITOR,
                             note=f"bundled revision {path.stem}", new_version=True,
                             source=str(path))
    return done


class NotTheDemos(ImportRefused):
    """The archive holds what the demo did not make (``named``: a few of them)."""

    def __init__(self, others: list[str]) -> None:
        self.named = ", ".join(others[:3]) + (" and more" if len(others) > 3 else "")
        super().__init__(f"the archive is not a demo archive (it holds {self.named})")


def _refuse_others(archive: Archive, demo_lists: Collection[str]) -> None:
    """Raise NotTheDemos if the archive holds a list that the demo did not make (one it
    does not bundle, or one by a bundled identifier first archived by someone else) or a
    harvest source."""
    lists = (f"list {s.id}" for s in archive.summaries() if s.id not in demo_lists
             or archive.history(s.id)[0].editor != DEMO_EDITOR)
    sources = (f"source {source.name}" for source in all_sources(archive.db))
    others = list(islice(chain(lists, sources), 4))  # a few to name, not a million
    if others:
        raise NotTheDemos(others)


def propose_demo_revisions(
    archive: Archive, data_dir: Path | None = None, lists: Collection[str] | None = None
) -> int:
    """Offer the bundled revisions made elsewhere as pending changes; how many were offered.

    ``lists``: only for these lists (the ones :func:`build_demo` archived), else for any.
    """
    data_dir = default_data_dir() if data_dir is None else data_dir
    offered = 0
    proposals = data_dir / "proposals"
    for path in sorted(proposals.glob("*/*-from-v*.xml")) if proposals.is_dir() else []:
        source, _, version = path.stem.rpartition("-from-v")
        for lst in read_lists(path, owner="demo"):
            if lists is not None and lst.identifier not in lists:
                continue
            if propose_version(archive, lst, source=source, base_version=int(version)):
                offered += 1
    return offered
