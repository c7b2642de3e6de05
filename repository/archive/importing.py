"""Reading list files for import: RLI XML, IMS content packages, and MODS / DC / LOM records.

RLI documents and packages are read losslessly. A MODS collection or LOM
aggregation becomes a list through the format registry; a single MODS, DC or
LOM record becomes a one-item list named after the file, owned by ``owner``.

A file is read whole into list values first and archived in one transaction,
so a file is all-or-nothing: a parse, schema or duplicate error stores nothing
of it. :func:`import_files` archives many files' lists in batches through
:mod:`repository.archive.bulk` (one transaction per batch of files), falling
back to one transaction per file for a batch the archive refuses, so the
outcome of every file is the same as importing the files one by one.

Exception tree::

    ImportRefused    a file cannot be imported (message: "<file>: line N: reason")
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.registry import format_for_namespace
from crosswalks.rli import Item, ResourceList, VersionInfo, binding
from crosswalks.xmlsafe import MAX_INPUT_BYTES, XMLInputError, parse_untrusted
from harvester.shared.db import transaction
from repository.archive.bulk import save_many
from repository.archive.store import Archive, ArchiveError, DuplicateList


class ImportRefused(Exception):
    pass


MAX_FILE_BYTES = MAX_INPUT_BYTES
BATCH_LISTS = 500


@dataclass(frozen=True)
class FileImport:
    """What importing one file did: its lists' new versions, or why it was refused."""

    path: Path
    done: tuple[tuple[str, VersionInfo], ...] = ()
    error: str = ""


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


def import_files(
    archive: Callable[[], Archive],
    paths: Iterable[Path],
    *,
    editor: str,
    note: str,
    owner: str,
    new_version: bool = False,
    batch: int = BATCH_LISTS,
) -> Iterator[FileImport]:
    """Import each file of ``paths``, all-or-nothing per file, about ``batch`` lists per
    transaction; yields one FileImport per path, in order.

    ``archive`` is called (once) when the first file has been read, so nothing is
    created for input that is all refused.
    """
    pending: list[tuple[Path, list[ResourceList]]] = []
    for path in paths:
        try:
            pending.append((path, read_lists(path, owner=owner)))
        except ImportRefused as exc:
            yield from _flush(archive, pending, editor, note, new_version)
            pending = []
            yield FileImport(path, error=str(exc))
            continue
        if sum(len(lists) for _, lists in pending) >= batch:
            yield from _flush(archive, pending, editor, note, new_version)
            pending = []
    yield from _flush(archive, pending, editor, note, new_version)


def _flush(
    archive: Callable[[], Archive],
    pending: list[tuple[Path, list[ResourceList]]],
    editor: str,
    note: str,
    new_version: bool,
) -> Iterator[FileImport]:
    if not pending:
        return
    store = archive()
    lists = [lst for _, files in pending for lst in files]
    try:
        with transaction(store.db):
            done = list(save_many(store, lists, editor=editor, note=note,
                                  new_version=new_version, batch=len(lists)))
    except ArchiveError:  # some file is refused: find which, one transaction per file
        for path, files in pending:
            try:
                found = import_lists(store, files, editor=editor, note=note,
                                     new_version=new_version, source=str(path))
            except ImportRefused as exc:
                yield FileImport(path, error=str(exc))
            else:
                yield FileImport(path, tuple(found))
        return
    start = 0
    for path, files in pending:
        yield FileImport(path, tuple(done[start:start + len(files)]))
        start += len(files)
