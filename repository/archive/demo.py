"""The demo archive: the bundled lists in ``data/lists`` and later versions in ``data/versions``.

``data/versions/<list id>/`` holds whole documents of later versions of that
list; they are archived in file-name order after the lists, so the demo shows
real version histories. The files are those installed with rli (see
:mod:`crosswalks.bundled`); ``RLI_DATA`` or ``data_dir`` names another folder.
``data/proposals/<list id>/<source>-from-v<N>.xml``
holds a revision made in another system from version N; each becomes a
pending ``upstream-version`` change from ``<source>`` (``rli changes``).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from crosswalks.bundled import bundled
from crosswalks.rli import VersionInfo
from repository.archive.importing import ImportRefused, import_lists, read_lists
from repository.archive.store import Archive
from repository.archive.upstream import propose_version


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


def build_demo(
    archive: Archive, data_dir: Path | None = None
) -> list[tuple[str, VersionInfo]]:
    """Import the bundled lists and their later versions; returns what was archived.

    A list the archive holds already (a demo built before, or a list of its own by that
    identifier, deleted or not) is left as it is, with no version of the bundled ones
    added: running the demo again over the same archive archives nothing.
    Raises ImportRefused if there are no lists to import or a bundled file is broken
    (both packaging bugs: an empty demo is never what was asked for).
    """
    data_dir = default_data_dir() if data_dir is None else data_dir
    done: list[tuple[str, VersionInfo]] = []
    for path in bundled_lists(data_dir):
        fresh = [lst for lst in read_lists(path) if not archive.exists(lst.identifier)]
        done += import_lists(archive, fresh, editor="demo", note="bundled list",
                             source=str(path))
    added = {list_id for list_id, _ in done}
    versions = data_dir / "versions"
    for path in sorted(versions.glob("*/*.xml")) if versions.is_dir() else []:
        later = [lst for lst in read_lists(path) if lst.identifier in added]
        done += import_lists(archive, later, editor="demo",
                             note=f"bundled revision {path.stem}", new_version=True,
                             source=str(path))
    return done


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
