"""Reading the harvest back: harvested resources as RLI values, and as table rows.

A resource is read from its latest raw version through the format registry
each time, so records kept ``pending`` (crosswalk not yet available) become
readable once the crosswalk exists. Records that still cannot be read, and
harvested whole lists (status ``list``), are skipped by
:func:`harvested_resources`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import sqlite_utils
from lxml import etree

from crosswalks.registry import get_format, record_format
from crosswalks.rli import Origin, Resource
from crosswalks.xmlsafe import parse_untrusted
from harvester.errors import SourceError
from harvester.records import rebuild_record
from harvester.shared.blobs import unpack, unpack_optional
from harvester.sources import ensure_schema, get_source


@dataclass(frozen=True)
class HarvestedRow:
    """One harvested record's current state, as ``rli resources`` lists it.

    ``creators``, ``date``, ``type`` and ``identifiers`` are what the search
    index holds of the record's RLI reading (empty if it has none).
    """

    id: str
    source: str
    identifier: str
    title: str
    deleted: bool
    datestamp: str
    status: str
    reason: str
    losses: tuple[str, ...]
    sets: tuple[str, ...]
    creators: tuple[str, ...] = ()
    date: str = ""
    type: str = ""
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class HarvestedResource:
    """One harvested record, read: its origin, its RLI resource and its raw OAI record."""

    source: str
    identifier: str
    datestamp: str
    sha256: str
    base_url: str
    resource: Resource
    record: bytes


def harvested_resources(
    db: sqlite_utils.Database, source: str, set_spec: str | None = None
) -> Iterator[Resource]:
    """Live (not deleted) harvested resources of ``source``, ordered by OAI identifier.

    Each carries its :class:`Origin` (source, OAI identifier, datestamp and
    the sha256 of the metadata as harvested, see :func:`metadata_sha256`).
    ``set_spec`` keeps records whose header names that set or one below it
    (``a`` matches ``a`` and ``a:b``). Raises SourceError for an unknown source.
    """
    src = get_source(db, source)
    fmt = get_format(src.prefix)
    cur = db.conn.execute(
        "SELECT s.set_specs, r.metadata, s.identifier, r.datestamp FROM harvest_resources s"
        " JOIN harvest_records r ON r.id = s.record_id"
        " WHERE s.source = ? AND s.deleted = 0 AND s.status IN ('ok', 'pending')"
        " ORDER BY s.identifier",
        (source,),
    )
    for specs, stored, identifier, datestamp in cur:
        if set_spec is not None and not _in_set(str(specs).split(), set_spec):
            continue
        if stored is None:
            continue
        metadata = unpack(stored)
        try:
            resource = fmt.read_resource(parse_untrusted(bytes(metadata))).value
        except Exception:  # noqa: BLE001 - unreadable (or crosswalk missing): skipped, not fatal
            continue
        origin = Origin(source, str(identifier), str(datestamp), metadata_sha256(metadata))
        yield replace(resource, origin=origin)


def metadata_sha256(metadata: bytes | None) -> str:
    """The hash a harvested record's metadata is known by (its bytes as stored)."""
    return hashlib.sha256(bytes(metadata or b"")).hexdigest()


@dataclass(frozen=True)
class RecordUpdate:
    """One raw record version a harvest kept, as change propagation reads it.

    ``resource`` is the record read into RLI (None for a deletion, or when it
    cannot be read); ``sha256`` is :func:`metadata_sha256` of its metadata.
    """

    id: int
    identifier: str
    datestamp: str
    deleted: bool
    sha256: str
    resource: Resource | None


def record_updates(
    db: sqlite_utils.Database,
    source: str,
    after: int,
    until: int,
    wanted: Callable[[str], bool],
) -> Iterator[RecordUpdate]:
    """Current raw record versions of ``source`` with ``after < id <= until``, in order,
    streamed (a version kept but not current, older than the current one, is none).

    Only records whose OAI identifier is ``wanted`` are read (their metadata
    parsed); harvested whole lists (prefix ``rli``) are not resources and
    yield nothing. Raises SourceError for an unknown source.
    """
    src = get_source(db, source)
    if src.prefix == "rli":
        return
    fmt = get_format(src.prefix)
    cur = db.conn.execute(  # current versions only: an older one sent again is no update
        "SELECT r.id, r.identifier, r.datestamp, r.deleted FROM harvest_records r"
        " JOIN harvest_resources s ON s.source = r.source AND s.identifier = r.identifier"
        " AND s.record_id = r.id"
        " WHERE r.id > ? AND r.id <= ? AND r.source = ? ORDER BY r.id",
        (after, until, source),
    )
    for record_id, identifier, datestamp, deleted in cur:
        if not wanted(str(identifier)):
            continue
        metadata = unpack_optional(db.conn.execute(
            "SELECT metadata FROM harvest_records WHERE id = ?", (record_id,)
        ).fetchone()[0])
        resource: Resource | None = None
        if not deleted and metadata is not None:
            try:
                resource = fmt.read_resource(parse_untrusted(bytes(metadata))).value
            except Exception:  # noqa: BLE001 - unreadable: nothing to propose, not fatal
                resource = None
        sha = metadata_sha256(metadata)
        if resource is not None:
            resource = replace(resource, origin=Origin(source, identifier, datestamp, sha))
        yield RecordUpdate(int(record_id), str(identifier), str(datestamp), bool(deleted), sha,
                           resource)


def last_record_id(db: sqlite_utils.Database, source: str) -> int:
    """The id of the newest raw record version kept for ``source`` (0 if none)."""
    row = db.conn.execute(
        "SELECT max(id) FROM harvest_records WHERE source = ?", (source,)
    ).fetchone()
    return int(row[0] or 0)


def resource_rows(db: sqlite_utils.Database, source: str | None = None) -> list[HarvestedRow]:
    """Every harvested record (deleted ones too) of one source or all, ordered.

    A deleted record's status reads ``deleted`` whether or not it was harvested
    alive before (the stored reading of its last live version stays in the table).
    """
    ensure_schema(db)
    # a source removed keeps its records, and they are listed; a name with none must be known
    if source is not None and db.conn.execute(
            "SELECT 1 FROM harvest_resources WHERE source = ? LIMIT 1", (source,)
    ).fetchone() is None:
        get_source(db, source)
    cur = db.conn.execute(
        "SELECT s.source, s.identifier, s.title, s.deleted, s.datestamp, s.status, s.reason,"
        " s.losses, s.set_specs, d.creators, d.date, d.type, d.identifiers"
        " FROM harvest_resources s LEFT JOIN harvest_search_docs d"
        " ON d.source = s.source AND d.identifier = s.identifier"
        " WHERE ? IS NULL OR s.source = ? ORDER BY s.source, s.identifier",
        (source, source),
    )
    return [
        HarvestedRow(
            id=f"{r[0]}:{r[1]}",
            source=r[0],
            identifier=r[1],
            title=r[2],
            deleted=bool(r[3]),
            datestamp=r[4],
            status="deleted" if r[3] else r[5],
            reason=r[6],
            losses=tuple(x for x in str(r[7]).split("\n") if x),
            sets=tuple(str(r[8]).split()),
            creators=_lines(r[9]),
            date=r[10] or "",
            type=r[11] or "",
            identifiers=_lines(r[12]),
        )
        for r in cur.fetchall()
    ]


def split_resource_id(resource_id: str) -> tuple[str, str]:
    """``SOURCE:OAI_IDENTIFIER`` as (source, identifier). Raises SourceError if malformed."""
    source, sep, identifier = resource_id.partition(":")
    if not sep or not source or not identifier:
        raise SourceError(
            f"bad resource id {resource_id!r}: give SOURCE:OAI_IDENTIFIER (see `rli resources`)"
        )
    return source, identifier


def harvested_resource(db: sqlite_utils.Database, resource_id: str) -> HarvestedResource:
    """The live harvested resource ``SOURCE:OAI_IDENTIFIER``, read from its latest raw record.

    The resource carries its :class:`Origin` (as items built from it keep it, so a
    later harvest that changes or deletes the record flags the lists citing it).

    Raises SourceError if there is no such record, it is deleted upstream, or
    it cannot be read as a resource (the reason is given).
    """
    ensure_schema(db)
    source, identifier = split_resource_id(resource_id)
    row = db.conn.execute(
        "SELECT s.deleted, s.status, s.reason, s.datestamp, r.sha256, r.base_url, r.header,"
        " r.metadata, r.about, src.prefix, r.metadata_namespace FROM harvest_resources s"
        " JOIN harvest_records r ON r.id = s.record_id"
        " LEFT JOIN harvest_sources src ON src.name = s.source"
        " WHERE s.source = ? AND s.identifier = ?",
        (source, identifier),
    ).fetchone()
    if row is None:
        raise SourceError(f"no harvested record {resource_id!r}")
    deleted, status, reason, datestamp, sha256, base_url, header, metadata, about = row[:9]
    metadata, about = unpack_optional(metadata), unpack_optional(about)
    fmt = record_format(row[9], str(row[10]))
    if deleted:
        raise SourceError(f"harvested record {resource_id!r} is deleted at its source")
    if status != "ok" or metadata is None or fmt is None:
        why = f" ({reason})" if reason else ""
        raise SourceError(f"harvested record {resource_id!r} is not a resource: {status}{why}")
    resource = fmt.read_resource(parse_untrusted(bytes(metadata))).value
    origin = Origin(source, identifier, str(datestamp), metadata_sha256(metadata))
    resource = replace(resource, origin=origin)
    return HarvestedResource(
        source, identifier, datestamp, sha256, base_url, resource,
        _record_xml(bytes(header), metadata, about),
    )


def _record_xml(header: bytes, metadata: bytes | None, about: bytes | None) -> bytes:
    """The stored raw parts as one OAI-PMH ``record`` element, as the provider sent them."""
    record = rebuild_record(header, metadata, about).element
    return bytes(etree.tostring(record, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _lines(value: str | None) -> tuple[str, ...]:
    return tuple(x for x in (value or "").split("\n") if x)


def _in_set(specs: list[str], wanted: str) -> bool:
    return any(s == wanted or s.startswith(wanted + ":") for s in specs)
