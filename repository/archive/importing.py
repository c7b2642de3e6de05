"""Reading list files for import: RLI XML, IMS content packages, MODS / DC / LOM records, ...

... and files of harvested records (an OAI-PMH response or an ``rli harvest -o`` dump).

RLI documents rli wrote and packages are read losslessly; RLI others wrote (the
public shape: resources directly under the list, no owner or ids) is read
leniently by :mod:`crosswalks.rli.public`. A MODS collection or LOM aggregation
becomes a list through the format registry; a single RLI resource or MODS, DC or
LOM record becomes a one-item list. Harvested records become one list of their
resources (each keeping its OAI provenance) plus one list per RLI list record
(archived with its origin description).

What a document lacks is supplied and reported (:class:`FileRead`): the list
identifier from ``list_id``, else the file name (a harvested RLI list: its
record's OAI identifier, as a harvest names it); the owner from ``owner``,
else ``unknown`` (RLI and harvested records) or ``default_owner`` (a MODS, DC
or LOM record); item ids in document order.

A file is read whole into list values first and archived in one transaction,
so a file is all-or-nothing: a parse, schema or duplicate error stores nothing
of it.

A package made with ``rli export --format ims-cp --history`` holds every
version of its lists (resources ``<list id>/v<n>``, see exporting);
:func:`read_file` gives those documents (``FileRead.versions``) and :func:`import_lists` restores
each list's whole history from them: same numbers, sha256s, editors, dates
and notes (a list already here must have a prefix of that history; one deleted
here is refused without ``new_version`` and brought back with it: by the
package's next version, or, if it adds none, as ``rli restore`` would).

Exception tree::

    ImportRefused    a file cannot be imported (message: "<file>: line N: reason")
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from crosswalks.convert import records_list, supply
from crosswalks.errors import CrosswalkError
from crosswalks.oai_file import harvested_list_id, holds_records, read_records
from crosswalks.registry import format_for_namespace
from crosswalks.rli import Item, Resource, ResourceList, VersionInfo, binding, iter_resources
from crosswalks.rli.public import read_public_element
from crosswalks.xmlsafe import MAX_INPUT_BYTES, XMLInputError, parse_untrusted
from harvester.shared.db import transaction
from repository.archive import editing
from repository.archive.store import Archive, ArchiveError, DuplicateList, ListDeleted
from repository.archive.upstream import upstream_item_ids
from repository.archive.writes import check_version


class ImportRefused(Exception):
    pass


MAX_FILE_BYTES = MAX_INPUT_BYTES
_VERSION = re.compile(r".+/v[1-9][0-9]{0,8}")
_SUFFIXES = re.compile(r"(\.(rli|mods|lom|dc|oai_dc|oai|xml))+$", re.I)
_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class FileRead:
    """What one file holds for import, and the report of reading it.

    ``origins`` pairs a list identifier with the OAI originDescription it was
    harvested with; ``single`` is true when the file held one resource, not a list;
    ``versions`` holds a history package's past version documents (resource id -> bytes).
    """

    lists: tuple[ResourceList, ...]
    supplied: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    single: bool = False
    origins: dict[str, bytes] = field(default_factory=dict)
    versions: dict[str, bytes] = field(default_factory=dict)

    @property
    def resources(self) -> list[Resource]:
        """Every resource in the file's lists, in order."""
        return [res for lst in self.lists for _, res in iter_resources(lst.items)]

    def gives_deletion(self, list_id: str, deleted_at: str) -> bool:
        """Whether the history of ``list_id`` here holds a deletion made at ``deleted_at``
        (a restore after it was copied, not made by importing the file)."""
        return any(v.deleted_at == deleted_at for lst in self.lists
                   if lst.identifier == list_id for v in lst.history)


def file_list_id(path: Path) -> str:
    """A list identifier made from a file name: its stem without format suffixes, made safe."""
    stem = _SUFFIXES.sub("", path.name)
    return _UNSAFE.sub("-", stem).strip("-._~") or "list"


def read_lists(path: Path, *, owner: str = "import") -> list[ResourceList]:
    """The lists held in the file at ``path``; see :func:`read_file`."""
    return list(read_file(path, default_owner=owner).lists)


def read_file(
    path: Path, *, owner: str | None = None, list_id: str | None = None,
    default_owner: str = "import",
) -> FileRead:
    """The lists held in the file at ``path`` and what was supplied or not read.

    Raises ImportRefused for unreadable, oversize or malformed input, a root
    outside the RLI, MODS, DC, LOM and OAI-PMH vocabularies, or a list without title.
    """
    data = read_capped(path)
    if zipfile.is_zipfile(io.BytesIO(data)):
        if list_id is not None:  # it named nothing: the package's lists keep their own
            raise ImportRefused(f"{path}: a package's lists keep their own identifiers; an"
                                " identifier is given to the list of one record or RLI file")
        return _read_package(path, data)
    try:
        root = parse_untrusted(data, source=str(path))
    except XMLInputError as exc:
        raise ImportRefused(str(exc)) from exc
    name = list_id or file_list_id(path)
    try:
        if etree.QName(root).namespace == binding.RLI_NS:
            return _read_rli(root, path, name, owner or "unknown", list_id or "")
        if holds_records(root):
            return _read_records(root, name, owner or "unknown", list_id or "")
        return _read_foreign(root, path, name, owner or default_owner, list_id or "")
    except (binding.RLIFormatError, CrosswalkError) as exc:
        message = str(exc)
        raise ImportRefused(message if message.startswith(str(path)) else f"{path}: {message}") \
            from exc


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, read at most ``limit`` + 1 of them: a file, a pipe or
    ``/dev/zero`` alike (a stream's size is not known before it is read).

    Raises ImportRefused if it cannot be read or holds more than ``limit`` bytes.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        with path.open("rb") as stream:
            while size <= limit:  # one read may return less than asked (pipes)
                chunk = stream.read(min(limit + 1 - size, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ImportRefused(f"{path}: {exc.strerror or exc}") from exc
    if size > limit:
        raise ImportRefused(f"{path}: over the {limit // (1024 * 1024)} MB limit for one file")
    return b"".join(chunks)


def _read_rli(root: etree._Element, path: Path, name: str, owner: str, list_id: str) -> FileRead:
    got = read_public_element(root, source=str(path))
    lst, supplied = supply(got.value, name=name, owner=owner, list_id=list_id)
    return FileRead((lst,), got.supplied + supplied, got.unread, got.single)


def _read_records(root: etree._Element, name: str, owner: str, list_id: str) -> FileRead:
    found = read_records(root)
    lists: list[ResourceList] = []
    supplied: list[str] = []
    origins: dict[str, bytes] = {}
    if found.items or not found.lists:
        lst, losses = records_list(replace(found, lists=()), name)
        lst, given = supply(lst, name=name, owner=owner, list_id=list_id)
        lists.append(lst)
        supplied.extend(given)
    else:
        losses = found.losses
    for harvested in found.lists:
        lst = harvested.value
        if not lst.identifier and harvested.identifier:  # named as a harvest names it
            lst = replace(lst, identifier=harvested_list_id(harvested.identifier))
            supplied.append(f"list identifier {lst.identifier!r} (from the OAI identifier)")
        lst, given = supply(lst, name=f"{name}-{len(lists) + 1}", owner=owner)
        lists.append(lst)
        origins[lst.identifier] = harvested.origin
        supplied.extend(harvested.supplied + given)
    return FileRead(tuple(lists), tuple(supplied), tuple(losses), origins=origins)


def _read_foreign(
    root: etree._Element, path: Path, name: str, owner: str, list_id: str
) -> FileRead:
    fmt = format_for_namespace(etree.QName(root).namespace or "")
    if fmt is None:
        raise ImportRefused(
            f"{path}: line {root.sourceline}: root element {root.tag} is not RLI, MODS, DC,"
            " LOM or an OAI-PMH response"
        )
    if fmt.can_read_list(root):
        got_list = fmt.read_list(root)
        lst, supplied = supply(got_list.value, name=name, owner=owner, list_id=list_id)
        return FileRead((lst,), got_list.supplied + supplied, got_list.losses)
    got = fmt.read_resource(root)
    lst = ResourceList(identifier=name, title=got.value.title or name, owner=owner,
                       items=(Item(id="i1", content=got.value),))
    supplied = (f"list identifier {name!r}", f"owner {owner!r}", "item id i1")
    return FileRead((lst,), supplied, got.losses, single=True)


def _read_package(path: Path, data: bytes) -> FileRead:
    try:
        from crosswalks import ims_cp
    except ImportError as exc:  # pragma: no cover - module ships with rli
        raise ImportRefused(f"{path}: IMS content packages are not supported here") from exc
    try:
        documents = ims_cp.read_package(data)
    except ims_cp.PackageError as exc:
        raise ImportRefused(f"{path}: {exc}") from exc
    names = _version_names(documents)
    lists = tuple(_read_document(doc, f"{path}!{name}") for name, doc in documents
                  if name not in names)
    return FileRead(lists, versions={name: doc for name, doc in documents if name in names})


def _version_names(documents: Sequence[tuple[str, bytes]]) -> set[str]:
    lists = {name for name, _ in documents if "/" not in name}
    return {name for name, _ in documents if _VERSION.fullmatch(name)
            and name.rsplit("/", 1)[0] in lists}


def _read_document(data: bytes, source: str) -> ResourceList:
    try:
        return binding.read_list(data, source=source)
    except binding.RLIFormatError as exc:
        raise ImportRefused(str(exc)) from exc


def import_lists(
    archive: Archive,
    lists: Sequence[ResourceList],
    *,
    editor: str,
    note: str,
    new_version: bool = False,
    source: str = "input",
    origins: dict[str, bytes] | None = None,
    versions: Mapping[str, bytes] | None = None,
    if_version: int | None = None,
) -> list[tuple[str, VersionInfo]]:
    """Archive ``lists`` in one transaction; all or nothing.

    Without ``new_version`` an identifier already in the archive is refused;
    with it, the file becomes that list's next version. A list whose history
    names documents in ``versions`` gets that whole history instead (see
    module docstring). ``if_version`` (one list only) refuses the file unless that
    list's latest version is still this one. Raises ImportRefused.
    """
    check_distinct(lists, source=source)
    if if_version is not None and len(lists) != 1:
        raise ImportRefused(f"{source}: holds {len(lists)} lists; --if-version is the version"
                            " of one")
    done: list[tuple[str, VersionInfo]] = []
    try:
        with transaction(archive.db):
            for lst in lists:
                if if_version is not None:
                    check_version(archive, lst.identifier, if_version)
                origin = (origins or {}).get(lst.identifier)
                if versions and lst.history:
                    info = _restore_history(archive, lst, versions, editor=editor, note=note,
                                            new_version=new_version)
                elif new_version:
                    info = archive.save(lst, editor=editor, note=note, origin=origin)
                else:
                    info = archive.add(lst, editor=editor, note=note, origin=origin)
                done.append((lst.identifier, info))
    except DuplicateList as exc:
        raise ImportRefused(f"{source}: {exc} (use --new-version to add a version)") from exc
    except (ArchiveError, binding.RLIFormatError) as exc:
        raise ImportRefused(f"{source}: {exc}") from exc
    return done


def check_distinct(lists: Sequence[ResourceList], *, source: str = "input") -> None:
    """Raise ImportRefused, as :func:`import_lists` does first, if two of ``lists`` share
    an identifier."""
    seen: set[str] = set()
    for lst in lists:
        if lst.identifier in seen:
            raise ImportRefused(f"{source}: list identifier {lst.identifier!r} appears twice")
        seen.add(lst.identifier)


def add_to_list(
    archive: Archive, list_id: str, resources: Sequence[Resource], *, editor: str, note: str,
    source: str = "input", if_version: int | None = None,
) -> VersionInfo:
    """Append ``resources`` to the archived list ``list_id`` as one new version.

    Raises ImportRefused (unknown or deleted list, nothing to add, the latest
    version not ``if_version``).
    """
    if not resources:
        raise ImportRefused(f"{source}: no resource to add to {list_id!r}")
    try:
        with transaction(archive.db):
            check_version(archive, list_id, if_version)
            if archive.state(list_id).deleted:
                raise ImportRefused(f"{source}: list {list_id!r} is deleted")
            lst = editing.append_resources(archive.get(list_id), resources,
                                           upstream_item_ids(archive, list_id))
            return archive.save(lst, editor=editor, note=note)
    except ArchiveError as exc:
        raise ImportRefused(f"{source}: {exc}") from exc


def _restore_history(
    archive: Archive, lst: ResourceList, versions: Mapping[str, bytes], *, editor: str,
    note: str, new_version: bool,
) -> VersionInfo:
    """``lst``'s history copied from ``versions``. A list deleted here (a deletion the
    package's history does not give: one made here) is refused without
    ``new_version``; with it, the package's next version brings it back, or, when the
    package does not lengthen its history, a new version of its last content does (as
    ``rli restore`` makes)."""
    from repository.archive.replicate import replicate_history

    def fetch(name: str) -> bytes:
        if name not in versions:
            raise ImportRefused(f"the package has no version document {name!r}")
        return versions[name]

    state = archive.state(lst.identifier) if archive.exists(lst.identifier) else None
    deleted = state is not None and state.deleted and not any(  # not the package's deletion
        v.version == state.version and v.deleted_at for v in lst.history)
    if deleted and not new_version:
        raise ListDeleted(f"list {lst.identifier!r} is deleted here (--new-version restores"
                          " it)")
    had = state.version if state is not None else 0
    info = replicate_history(archive, lst, source=None, origin=None, sets=(), fetch=fetch)
    if info is None:
        raise ImportRefused(
            f"the history of list {lst.identifier!r} does not continue the one archived here")
    if deleted and info.version == had:  # the package adds no version to it
        info = archive.restore(lst.identifier, editor=editor, note=note)
    return info
