"""Records kept ``pending`` (harvested before their crosswalk or their archive was
there), read again at the start of each run: :func:`pending_records` as stored (before
any write transaction), :func:`reread_pending` in the run's first transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from harvester.envelope import Record
from harvester.records import Context, keep_indexed, read_record, rebuild_record
from harvester.shared.blobs import unpack_optional


@dataclass(frozen=True)
class Pending:
    """A kept record whose reading waits (``pending``): its raw parts as stored."""

    identifier: str
    datestamp: str
    header: bytes
    metadata: bytes | None  # packed, as stored
    about: bytes | None  # packed, as stored
    namespace: str

    @property
    def record(self) -> Record:
        """The record rebuilt from its parts (each time: a parsed tree is not kept)."""
        return rebuild_record(self.header, unpack_optional(self.metadata),
                              unpack_optional(self.about))


def pending_records(db: sqlite_utils.Database, source: str) -> list[Pending]:
    """The source's live ``pending`` records, as stored (read before any write transaction)."""
    cur = db.conn.execute(
        "SELECT s.identifier, s.datestamp, r.header, r.metadata, r.about, r.metadata_namespace"
        " FROM harvest_resources s JOIN harvest_records r ON r.id = s.record_id"
        " WHERE s.source = ? AND s.status = 'pending' AND s.deleted = 0 ORDER BY s.identifier",
        (source,),
    )
    return [Pending(str(identifier), str(datestamp), bytes(header),
                    None if metadata is None else bytes(metadata),
                    None if about is None else bytes(about), str(namespace))
            for identifier, datestamp, header, metadata, about, namespace in cur.fetchall()]


def reread_pending(
    db: sqlite_utils.Database, ctx: Context, pending: Sequence[Pending] | None = None
) -> int:
    """Read the source's live ``pending`` records (or ``pending``, from
    :func:`pending_records`) again; return how many are no longer pending."""
    done = 0
    for item in pending_records(db, ctx.source) if pending is None else pending:
        reading = read_record(ctx, item.record, item.namespace)
        if reading.status == "pending":
            continue
        db.conn.execute(
            "UPDATE harvest_resources SET status = ?, reason = ?, losses = ?, title = ?,"
            " list_id = ? WHERE source = ? AND identifier = ?",
            (reading.status, reading.reason, "\n".join(reading.losses), reading.title,
             reading.list_id, ctx.source, item.identifier),
        )
        keep_indexed(db, ctx.source, item.identifier, item.datestamp, reading)
        done += 1
    return done
