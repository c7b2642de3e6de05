"""The demo archive: the bundled lists in ``data/lists`` and later versions in ``data/versions``.

``data/versions/<list id>/`` holds whole documents of later versions of that
list; they are archived in file-name order after the lists, so the demo shows
real version histories.
"""

from __future__ import annotations

import os
from pathlib import Path

from crosswalks.rli import VersionInfo
from repository.archive.importing import import_lists, read_lists
from repository.archive.store import Archive

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
