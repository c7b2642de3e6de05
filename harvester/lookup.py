"""Looking one harvested record up, and each source's last run, for pages that show them.

:func:`harvested_record` returns the record's latest raw version (header,
metadata, about) with its provenance and, where the crosswalk reads it, the
RLI resource; :func:`last_runs` the latest run of every source.

Raises RecordNotFound (a HarvestError, also a LookupError) for a record the
harvest log does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from crosswalks.registry import record_format
from crosswalks.rli import Resource
from crosswalks.xmlsafe import parse_untrusted
from harvester.errors import HarvestError
from harvester.lock import run_status
from harvester.shared.blobs import unpack_optional
from harvester.sources import ensure_schema, get_source


class RecordNotFound(HarvestError, LookupError):
    pass


@dataclass(frozen=True)
class HarvestedRecord:
    """One harvested record as it was last harvested, with what was read from it."""

    source: str
    identifier: str
    datestamp: str
    deleted: bool
    status: str
    reason: str
    losses: tuple[str, ...]
    set_specs: tuple[str, ...]
    list_id: str | None
    base_url: str
    harvested_at: str
    metadata_namespace: str
    header: bytes
    metadata: bytes | None
    about: bytes | None
    resource: Resource | None


@dataclass(frozen=True)
class RunSummary:
    """The latest harvest run of a source."""

    source: str
    status: str
    started_at: str
    finished_at: str | None
    records: int
    error: str | None


def harvested_record(db: sqlite_utils.Database, source: str, identifier: str) -> HarvestedRecord:
    """The latest version of record ``identifier`` of ``source``.

    Raises SourceError for an unknown source, RecordNotFound for an unknown record.
    """
    ensure_schema(db)
    row = db.conn.execute(
        "SELECT s.datestamp, s.deleted, s.status, s.reason, s.losses, s.set_specs, s.list_id,"
        " r.base_url, r.harvested_at, r.metadata_namespace, r.header, r.metadata, r.about,"
        " src.prefix FROM harvest_resources s JOIN harvest_records r ON r.id = s.record_id"
        " LEFT JOIN harvest_sources src ON src.name = s.source"  # none once removed
        " WHERE s.source = ? AND s.identifier = ?",
        (source, identifier),
    ).fetchone()
    if row is None:
        get_source(db, source)  # SourceError for a name never harvested
        raise RecordNotFound(f"source {source!r} has no record {identifier!r}")
    metadata = unpack_optional(row[11])
    resource = None
    fmt = record_format(row[13], str(row[9]))
    if metadata is not None and fmt is not None and not row[1] and row[2] in ("ok", "pending"):
        try:
            resource = fmt.read_resource(parse_untrusted(metadata)).value
        except Exception:  # noqa: BLE001 - unreadable now: the page shows the raw record
            resource = None
    return HarvestedRecord(
        source=source,
        identifier=identifier,
        datestamp=str(row[0]),
        deleted=bool(row[1]),
        status=str(row[2]),
        reason=str(row[3]),
        losses=tuple(x for x in str(row[4]).split("\n") if x),
        set_specs=tuple(str(row[5]).split()),
        list_id=str(row[6]) if row[6] is not None else None,
        base_url=str(row[7]),
        harvested_at=str(row[8]),
        metadata_namespace=str(row[9]),
        header=bytes(row[10]),
        metadata=metadata,
        about=unpack_optional(row[12]),
        resource=resource,
    )


def last_runs(db: sqlite_utils.Database) -> dict[str, RunSummary]:
    """The latest run of each source that has run, by source name; one still 'running' whose
    process is gone (``kill -9``) reads 'interrupted'."""
    ensure_schema(db)
    rows = db.conn.execute(
        "SELECT source, status, started_at, finished_at, records, error FROM harvest_runs"
        " WHERE id IN (SELECT MAX(id) FROM harvest_runs GROUP BY source)"
    ).fetchall()
    return {
        r[0]: RunSummary(r[0], run_status(db.conn, r[0], str(r[1])), r[2], r[3], int(r[4]), r[5])
        for r in rows
    }


def record_count(db: sqlite_utils.Database) -> int:
    """How many live harvested records the log holds, all sources."""
    ensure_schema(db)
    return int(
        db.conn.execute("SELECT count(*) FROM harvest_resources WHERE deleted = 0").fetchone()[0]
    )
