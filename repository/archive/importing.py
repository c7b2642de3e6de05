"""Reading list files for import: RLI XML, IMS content packages, and MODS / DC / LOM records.

RLI documents and packages are read losslessly. A MODS collection or LOM
aggregation becomes a list through the format registry; a single MODS, DC or
LOM record becomes a one-item list named after the file, owned by ``owner``.

A file is read whole into list values first and archived in one transaction,
so a file is all-or-nothing: a parse, schema or duplicate error stores nothing
of it.

A package made with ``rli export --format ims-cp --history`` holds every
version of its lists (resources ``<list id>/v<n>``, see exporting);
:func:`read_versions` gives those documents and :func:`import_lists` restores
each list's whole history from them: same numbers, sha256s, editors, dates
and notes (a list already here must have a prefix of that history).

Exception tree::

    ImportRefused    a file cannot be imported (message: "<file>: line N: reason")
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.registry import format_for_namespace
from crosswalks.rli import Item, ResourceList, VersionInfo, binding
from crosswalks.xmlsafe import MAX_INPUT_BYTES, XMLInputError, parse_untrusted
from harvester.shared.db import transaction
from repository.archive.store import Archive, ArchiveError, DuplicateList


class ImportRefused(Exception):
    pass


MAX_FILE_BYTES = MAX_INPUT_BYTES
_VERSION = re.compile(r".+/v[1-9][0-9]{0,8}")


def read_lists(path: Path, *, owner: str = "import") -> list[ResourceList]:
    """The lists held in the file at ``path`` (see module docstring for the formats).

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
    try:
        root = parse_untrusted(data, source=str(path))
    except XMLInputError as exc:
        raise ImportRefused(str(exc)) from exc
    if etree.QName(root).namespace == binding.RLI_NS:
        return [_read_document(data, str(path))]
    return [_read_foreign(root, path, owner)]


def _read_document(data: bytes, source: str) -> ResourceList:
    try:
        return binding.read_list(data, source=source)
    except binding.RLIFormatError as exc:
        raise ImportRefused(str(exc)) from exc


def _read_foreign(root: etree._Element, path: Path, owner: str) -> ResourceList:
    fmt = format_for_namespace(etree.QName(root).namespace or "")
    if fmt is None:
        raise ImportRefused(
            f"{path}: line {root.sourceline}: root element {root.tag} is not RLI, MODS, DC or LOM"
        )
    try:
        if fmt.can_read_list(root):
            lst = fmt.read_list(root).value
            return replace(lst, identifier=lst.identifier or path.stem, owner=lst.owner or owner,
                           title=lst.title or path.stem)
        res = fmt.read_resource(root).value
    except CrosswalkError as exc:
        raise ImportRefused(f"{path}: {exc}") from exc
    return ResourceList(identifier=path.stem, title=res.title or path.stem, owner=owner,
                        items=(Item(id="i1", content=res),))


def _read_package(path: Path, data: bytes) -> list[ResourceList]:
    try:
        from crosswalks import ims_cp
    except ImportError as exc:  # pragma: no cover - module ships with rli
        raise ImportRefused(f"{path}: IMS content packages are not supported here") from exc
    try:
        documents = ims_cp.read_package(data)
    except ims_cp.PackageError as exc:
        raise ImportRefused(f"{path}: {exc}") from exc
    versions = _version_names(documents)
    return [_read_document(doc, f"{path}!{name}") for name, doc in documents
            if name not in versions]


def read_versions(path: Path) -> dict[str, bytes]:
    """The version documents of a history package (resource id -> bytes); {} for other files.

    Call after :func:`read_lists` has accepted the file. Raises ImportRefused.
    """
    if not zipfile.is_zipfile(path):
        return {}
    from crosswalks import ims_cp

    try:
        documents = ims_cp.read_package(path.read_bytes())
    except (ims_cp.PackageError, OSError) as exc:
        raise ImportRefused(f"{path}: {exc}") from exc
    names = _version_names(documents)
    return {name: doc for name, doc in documents if name in names}


def _version_names(documents: Sequence[tuple[str, bytes]]) -> set[str]:
    lists = {name for name, _ in documents if "/" not in name}
    return {name for name, _ in documents if _VERSION.fullmatch(name)
            and name.rsplit("/", 1)[0] in lists}


def import_lists(
    archive: Archive,
    lists: Sequence[ResourceList],
    *,
    editor: str,
    note: str,
    new_version: bool = False,
    source: str = "input",
    versions: Mapping[str, bytes] | None = None,
) -> list[tuple[str, VersionInfo]]:
    """Archive ``lists`` in one transaction; all or nothing.

    Without ``new_version`` an identifier already in the archive is refused;
    with it, the file becomes that list's next version. A list whose history
    names documents in ``versions`` gets that whole history instead (see
    module docstring). Raises ImportRefused.
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
                if versions and lst.history:
                    info = _restore_history(archive, lst, versions)
                elif new_version:
                    info = archive.save(lst, editor=editor, note=note)
                else:
                    info = archive.add(lst, editor=editor, note=note)
                done.append((lst.identifier, info))
    except DuplicateList as exc:
        raise ImportRefused(f"{source}: {exc} (use --new-version to add a version)") from exc
    except (ArchiveError, binding.RLIFormatError) as exc:
        raise ImportRefused(f"{source}: {exc}") from exc
    return done


def _restore_history(
    archive: Archive, lst: ResourceList, versions: Mapping[str, bytes]
) -> VersionInfo:
    from repository.archive.replicate import replicate_history

    def fetch(name: str) -> bytes:
        if name not in versions:
            raise ImportRefused(f"the package has no version document {name!r}")
        return versions[name]

    info = replicate_history(archive, lst, source=None, origin=None, sets=(), fetch=fetch)
    if info is None:
        raise ImportRefused(
            f"the history of list {lst.identifier!r} does not continue the one archived here")
    return info
