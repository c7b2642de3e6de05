"""The demo archive: the bundled lists in ``data/lists`` and later versions in ``data/versions``.

``data/versions/<list id>/`` holds whole documents of later versions of that
list; they are archived in file-name order after the lists, so the demo shows
real version histories. ``data/proposals/<list id>/<source>-from-v<N>.xml``
holds a revision made in another system from version N; each becomes a
pending ``upstream-version`` change from ``<source>`` (``rli changes``).
"""

from __future__ import annotations

import os
from pathlib import Path

from crosswalks.rli import VersionInfo
from repository.archive.importing import import_lists, read_lists
from repository.archive.store import Archive
from repository.archive.upstream import propose_version

DATA_DIR = Path(os.environ.get("RLI_DATA", Path(__file__).resolve().parents[2] / "data"))


def build_demo(archive: Archive, data_dir: Path = DATA_DIR) -> list[tuple[str, VersionInfo]]:
    """Import the bundled lists and their later versions; returns what was archived.

    Raises ImportRefused if a bundled file is broken (a packaging bug).
    """
    done: list[tuple[str, VersionInfo]] = []
    for path in sorted((data_dir / "lists").glob("*.xml")):
        done += import_lists(archive, read_lists(path), editor="demo", note="bundled list",
                             new_version=True, source=str(path))
    versions = data_dir / "versions"
    for path in sorted(versions.glob("*/*.xml")) if versions.is_dir() else []:
        done += import_lists(archive, read_lists(path), editor="demo",
                             note=f"bundled revision {path.stem}", new_version=True,
                             source=str(path))
    return done


def propose_demo_revisions(archive: Archive, data_dir: Path = DATA_DIR) -> int:
    """Offer the bundled revisions made elsewhere as pending changes; how many were offered."""
    offered = 0
    proposals = data_dir / "proposals"
    for path in sorted(proposals.glob("*/*-from-v*.xml")) if proposals.is_dir() else []:
        source, _, version = path.stem.rpartition("-from-v")
        for lst in read_lists(path, owner="demo"):
            if propose_version(archive, lst, source=source, base_version=int(version)):
                offered += 1
    return offered
