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

from crosswalks.registry import get_format
from crosswalks.rli import Origin, Resource
from crosswalks.xmlsafe import parse_untrusted
from harvester.sources import ensure_schema, get_source


@dataclass(frozen=True)
class HarvestedRow:
    """One harvested record's current state, as ``rli resources`` lists it."""

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
    for specs, metadata, identifier, datestamp in cur:
        if set_spec is not None and not _in_set(str(specs).split(), set_spec):
            continue
        if metadata is None:
            continue
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
    """Raw record versions of ``source`` with ``after < id <= until``, in order, streamed.

    Only records whose OAI identifier is ``wanted`` are read (their metadata
    parsed); harvested whole lists (prefix ``rli``) are not resources and
    yield nothing. Raises SourceError for an unknown source.
    """
    src = get_source(db, source)
    if src.prefix == "rli":
        return
    fmt = get_format(src.prefix)
    cur = db.conn.execute(
        "SELECT id, identifier, datestamp, deleted FROM harvest_records"
        " WHERE id > ? AND id <= ? AND source = ? ORDER BY id",
        (after, until, source),
    )
    for record_id, identifier, datestamp, deleted in cur:
        if not wanted(str(identifier)):
            continue
        metadata = db.conn.execute(
            "SELECT metadata FROM harvest_records WHERE id = ?", (record_id,)
        ).fetchone()[0]
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
    """Every harvested record (deleted ones too) of one source or all, ordered."""
    ensure_schema(db)
    if source is not None:
        get_source(db, source)
    cur = db.conn.execute(
        "SELECT source, identifier, title, deleted, datestamp, status, reason, losses, set_specs"
        " FROM harvest_resources WHERE ? IS NULL OR source = ? ORDER BY source, identifier",
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
            status=r[5],
            reason=r[6],
            losses=tuple(x for x in str(r[7]).split("\n") if x),
            sets=tuple(str(r[8]).split()),
        )
        for r in cur.fetchall()
    ]


def _in_set(specs: list[str], wanted: str) -> bool:
    return any(s == wanted or s.startswith(wanted + ":") for s in specs)
