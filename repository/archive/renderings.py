"""Format metadata written when a version is saved, so serving never re-reads the document.

An OAI record's header and ``<about>`` depend on the provider's settings (base
URL, repository identifier); the ``<metadata>`` payload of a format that shows
no version URLs does not. Written here, from the model the archive write has in
hand, it costs the format's writer once per version (about 0.2 ms for
``oai_dc``) instead of reading the archived RLI document back into the model
(about 3 ms) the first time the record is served.

``saved_metadata`` keeps one row per (list, prefix): the version it was made
from, the *code stamp* (a hash of the sources the format's writer runs, so an
upgrade that changes the writer makes the row unusable rather than wrong, and
one that changes only readers or other formats keeps it) and the payload,
serialised by lxml and kept as a self-contained raw deflate segment (the
form :mod:`repository.oai.compression` splices into gzip responses), with the
CRC-32 and length of the plain bytes (so serving needs not inflate it). Only the
latest version's row is kept.
:func:`saved` returns a payload only where version and stamp both match;
anything else is rendered from the document as before (:mod:`repository.oai.records`).

Formats kept (:data:`SAVED_PREFIXES`): those whose writer reads no version
history (the ``rli`` format does: its payload carries version URLs).
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.registry import FORMATS
from crosswalks.rli import ResourceList

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@dataclass(frozen=True)
class Payload:
    """One saved payload: its deflate segment (:func:`segment`), CRC-32 and length."""

    segment: bytes
    crc: int
    size: int


SAVED_PREFIXES: tuple[str, ...] = ("oai_dc",)
READER = "crosswalks.rli.binding"  # reads archived documents (``Archive.get``)
_PACKAGE = files("crosswalks")

MIGRATIONS: list[str] = [
    """
    CREATE TABLE saved_metadata (
        list_id TEXT NOT NULL,
        prefix TEXT NOT NULL,
        version INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        data BLOB NOT NULL,
        crc INTEGER NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (list_id, prefix)
    )
    """,
]


@cache
def code_stamp(prefix: str) -> str:
    """A short hash of what ``prefix``'s payloads depend on (:func:`stamp` of this code)."""
    return stamp(prefix, _PACKAGE)


def stamp(prefix: str, package: Traversable) -> str:
    """The code stamp of ``prefix`` for the ``crosswalks`` sources in ``package``: the
    sources of the modules its list writer imports, directly or through others
    (:func:`writer_sources`), of those that read an archived document back into the
    model (:data:`READER`; the provider saves payloads of lists it read so), and of
    this module (the serialisation and the segment)."""
    digest = hashlib.sha256()
    sources = writer_sources(FORMATS[prefix].write_module(), package)
    # The provider also saves payloads of lists it read back from their documents.
    sources.update(writer_sources(READER, package))
    sources[__name__] = files("repository.archive").joinpath("renderings.py").read_bytes()
    for name, source in sorted(sources.items()):
        digest.update(name.encode() + b"\x00" + source + b"\x00")
    return digest.hexdigest()[:32]


def writer_sources(start: str, package: Traversable) -> dict[str, bytes]:
    """The source of module ``start`` and of every ``crosswalks`` module it imports, at any
    depth (imports inside functions too), read from ``package`` (the ``crosswalks``
    directory): dotted name -> bytes. A package's ``__init__`` counts only where it is
    imported by name (``from crosswalks.rli import ...``), not for a module inside it."""
    found: dict[str, bytes] = {}
    pending = [start]
    while pending:
        name = pending.pop()
        path = _source(package, name)
        if name in found or path is None:
            continue
        found[name] = path.read_bytes()
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(found[name], filename=name)):
            if isinstance(node, ast.Import):
                pending.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(here, node.module, node.level)
                pending.append(base)  # and a module imported from a package by name:
                pending.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


def _absolute(package: str, module: str | None, level: int) -> str:
    """The absolute name ``from <level dots><module> import ...`` means in ``package``."""
    if not level:
        return module or ""
    base = package.rsplit(".", level - 1)[0] if level > 1 else package
    return f"{base}.{module}" if module else base


def _source(package: Traversable, name: str) -> Traversable | None:
    """The file of the ``crosswalks`` module ``name`` under ``package``; None for others."""
    top, _, rest = name.partition(".")
    if top != package.name:
        return None
    parts = rest.split(".") if rest else []
    folder = package
    for part in parts[:-1]:
        folder = folder.joinpath(part)
    candidates = ([folder.joinpath(parts[-1] + ".py"),
                   folder.joinpath(parts[-1]).joinpath("__init__.py")]
                  if parts else [package.joinpath("__init__.py")])
    return next((path for path in candidates if path.is_file()), None)


def payload(lst: ResourceList, prefix: str) -> bytes | None:
    """``lst``'s metadata in ``prefix`` as the provider serialises it; None if the
    format cannot write it (the record is then rendered, and refused, when asked for)."""
    try:
        element = _writer(prefix)(lst)
    except CrosswalkError:
        return None
    return bytes(etree.tostring(element, encoding="UTF-8", xml_declaration=False))


@cache
def _writer(prefix: str) -> Callable[[ResourceList], etree._Element]:
    """``prefix``'s ``write_list`` itself (the registry's code is not in the stamp)."""
    module = importlib.import_module(FORMATS[prefix].write_module())
    writer: Callable[[ResourceList], etree._Element] = module.write_list
    return writer


def segment(data: bytes) -> bytes:
    """``data`` as raw deflate, byte-aligned by a sync flush, not final, referring to
    nothing outside itself: segments can be placed one after another in a stream."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


Rendered = tuple[str, bytes, int, int]  # prefix, segment, CRC-32 and length of the payload


def rendered(lst: ResourceList) -> tuple[Rendered, ...]:
    """The payloads of the clean model ``lst`` to keep, one for each format that can write it
    (pure: a worker process of ``rli import`` makes them)."""
    return tuple((prefix, segment(data), zlib.crc32(data), len(data))
                 for prefix in SAVED_PREFIXES
                 if (data := payload(lst, prefix)) is not None)


def save(conn: sqlite3.Connection, versions: Iterable[tuple[str, int, ResourceList]]) -> None:
    """Keep the payloads of each (list id, version, clean model), replacing those of
    older versions (never a newer one).

    Called inside the archive's write transaction, with the model that was archived
    (and by the provider for lists it had to render from their documents).
    """
    save_rendered(conn, ((list_id, version, rendered(lst)) for list_id, version, lst in versions))


def save_rendered(
    conn: sqlite3.Connection, versions: Iterable[tuple[str, int, Sequence[Rendered]]]
) -> None:
    """:func:`save` for payloads made already (:func:`rendered`, by this code)."""
    conn.executemany(
        "INSERT INTO saved_metadata (list_id, prefix, version, stamp, data, crc, size)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (list_id, prefix) DO UPDATE SET"
        " version = excluded.version, stamp = excluded.stamp, data = excluded.data,"
        " crc = excluded.crc, size = excluded.size"
        " WHERE excluded.version >= saved_metadata.version",
        [(list_id, prefix, version, code_stamp(prefix), data, crc, size)
         for list_id, version, rows in versions for prefix, data, crc, size in rows])


def saved(
    conn: sqlite3.Connection, prefix: str, wanted: Sequence[tuple[str, int]]
) -> dict[str, Payload]:
    """Payloads for ``wanted`` (list id, version) pairs whose version and code stamp match."""
    if prefix not in SAVED_PREFIXES or not wanted:
        return {}
    versions = dict(wanted)
    marks = ",".join("?" * len(versions))
    rows = conn.execute(
        f"SELECT list_id, version, data, crc, size FROM saved_metadata WHERE prefix = ?"
        f" AND stamp = ?"
        f" AND list_id IN ({marks})", (prefix, code_stamp(prefix), *versions)).fetchall()
    return {str(r[0]): Payload(bytes(r[2]), r[3], r[4])
            for r in rows if versions.get(str(r[0])) == r[1]}
