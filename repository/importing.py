"""Reading list files for import: RLI XML documents (and, through the registry, other formats).

A file is read whole into list values first and archived in one transaction,
so a file is all-or-nothing: a parse, schema or duplicate error stores nothing
of it.

Exception tree::

    ImportRefused    a file cannot be imported (message: "<file>: line N: reason")
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from crosswalks import rli_xml
from crosswalks.rli import ResourceList, VersionInfo
from crosswalks.xmlsafe import MAX_INPUT_BYTES
from harvester.db import transaction
from repository.archive import Archive, ArchiveError, DuplicateList


class ImportRefused(Exception):
    pass


MAX_FILE_BYTES = MAX_INPUT_BYTES


def read_lists(path: Path) -> list[ResourceList]:
    """The lists held in the file at ``path`` (an RLI document, or an IMS CP zip of them).

    Raises ImportRefused for unreadable, oversize, malformed or invalid input.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(f"{path}: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"{path}: {size // (1024 * 1024)} MB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB"
            " limit for one file"
        )
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        return _read_package(path, data)
    return [_read_document(data, str(path))]


def _read_document(data: bytes, source: str) -> ResourceList:
    try:
        return rli_xml.read_list(data, source=source)
    except rli_xml.RLIFormatError as exc:
        raise ImportRefused(str(exc)) from exc


def _read_package(path: Path, data: bytes) -> list[ResourceList]:
    try:
        from crosswalks import ims_cp
    except ImportError as exc:  # pragma: no cover - module ships with rli
        raise ImportRefused(f"{path}: IMS content packages are not supported here") from exc
    try:
        documents = ims_cp.read_package(data)
    except ims_cp.PackageError as exc:
        raise ImportRefused(f"{path}: {exc}") from exc
    return [_read_document(doc, f"{path}!{name}") for name, doc in documents]


def import_lists(
    archive: Archive,
    lists: Sequence[ResourceList],
    *,
    editor: str,
    note: str,
    new_version: bool = False,
    source: str = "input",
) -> list[tuple[str, VersionInfo]]:
    """Archive ``lists`` in one transaction; all or nothing.

    Without ``new_version`` an identifier already in the archive is refused;
    with it, the file becomes that list's next version. Raises ImportRefused.
    """
    seen: set[str] = set()
    for lst in lists:
        if lst.identifier in seen:
            raise ImportRefused(f"{source}: list identifier {lst.identifier!r} appears twice")
        seen.add(lst.identifier)
    done: list[tuple[str, VersionInfo]] = []
    try:
        with transaction(archive.db):
            for lst in lists:
                if new_version:
                    info = archive.save(lst, editor=editor, note=note)
                else:
                    info = archive.add(lst, editor=editor, note=note)
                done.append((lst.identifier, info))
    except DuplicateList as exc:
        raise ImportRefused(f"{source}: {exc} (use --new-version to add a version)") from exc
    except ArchiveError as exc:
        raise ImportRefused(f"{source}: {exc}") from exc
    return done
