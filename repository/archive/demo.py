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
from pathlib import Path

from crosswalks.bundled import bundled
from crosswalks.rli import VersionInfo
from repository.archive.importing import ImportRefused, import_lists, read_lists
from repository.archive.store import Archive
from repository.archive.upstream import propose_version


def default_data_dir() -> Path:
    """``RLI_DATA`` if set, else the bundled ``data/`` installed with rli."""
    return Path(os.environ.get("RLI_DATA") or bundled())


def build_demo(
    archive: Archive, data_dir: Path | None = None
) -> list[tuple[str, VersionInfo]]:
    """Import the bundled lists and their later versions; returns what was archived.

    Raises ImportRefused if there are no lists to import or a bundled file is broken
    (both packaging bugs: an empty demo is never what was asked for).
    """
    data_dir = default_data_dir() if data_dir is None else data_dir
    lists = sorted((data_dir / "lists").glob("*.xml"))
    if not lists:
        raise ImportRefused(f"no bundled lists in {data_dir / 'lists'} (is rli fully installed?)")
    done: list[tuple[str, VersionInfo]] = []
    for path in lists:
        done += import_lists(archive, read_lists(path), editor="demo", note="bundled list",
                             new_version=True, source=str(path))
    versions = data_dir / "versions"
    for path in sorted(versions.glob("*/*.xml")) if versions.is_dir() else []:
        done += import_lists(archive, read_lists(path), editor="demo",
                             note=f"bundled revision {path.stem}", new_version=True,
                             source=str(path))
    return done


def propose_demo_revisions(archive: Archive, data_dir: Path | None = None) -> int:
    """Offer the bundled revisions made elsewhere as pending changes; how many were offered."""
    data_dir = default_data_dir() if data_dir is None else data_dir
    offered = 0
    proposals = data_dir / "proposals"
    for path in sorted(proposals.glob("*/*-from-v*.xml")) if proposals.is_dir() else []:
        source, _, version = path.stem.rpartition("-from-v")
        for lst in read_lists(path, owner="demo"):
            if propose_version(archive, lst, source=source, base_version=int(version)):
                offered += 1
    return offered
