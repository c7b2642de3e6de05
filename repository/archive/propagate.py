"""Change propagation (UC8): records changed or deleted upstream flag the lists that cite them.

After a harvest, :func:`propagate` reads the raw record versions the source
kept since its propagation mark (so a crash between harvest and propagation
loses nothing: the next call picks them up), finds the lists whose items cite
each record (the item-origin index; deleted lists too: their changes wait for a
restore) and gives each list one pending change: ``item-updated`` with a
field-by-field difference when the record's metadata hash differs from the one
the list's items were built from, or
``item-withdrawn`` when the record was deleted. Lists are never changed here;
accepting the change does that (:mod:`repository.archive.decide`). Only the
records some list cites are read again, and none when no list cites the
source, so a harvest nobody's lists depend on pays one index probe.
"""

from __future__ import annotations

import time
from dataclasses import fields

from crosswalks.rli import Citation, Resource, ResourceList, binding, iter_resources
from harvester.query import RecordUpdate, last_record_id, record_updates
from harvester.shared.db import transaction
from harvester.shared.protocol import format_datestamp
from repository.archive.changes import Proposal, propose, supersede
from repository.archive.origins import cites_source, citing
from repository.archive.store import Archive

_RESOURCE_FIELDS = ("type", "identifier", "description", "language", "format", "rights",
                    "subjects", "locations")


def propagate(archive: Archive, source: str, stop_at: float | None = None) -> list[int] | None:
    """Propose changes for what ``source`` harvested since its last propagation; their ids.

    A transaction a block of BLOCK record versions. With ``stop_at`` (a ``time.monotonic()``
    moment), none begins once it is past: None then, and the next call goes on from there.
    """
    made: list[int] = []
    while _mark(archive, source) < last_record_id(archive.db, source):
        if stop_at is not None and time.monotonic() >= stop_at:
            return None
        made += _block(archive, source)
    return made


BLOCK = 1024


def lagging(archive: Archive) -> list[str]:
    """The registered sources with records not yet proposed from (a --max-time stopped
    their proposals): any later harvest goes on with them."""
    names = [str(r[0]) for r in archive.db.conn.execute(
        "SELECT name FROM harvest_sources ORDER BY name")]
    return [n for n in names if _mark(archive, n) < last_record_id(archive.db, n)]


def _mark(archive: Archive, source: str) -> int:
    row = archive.db.conn.execute(
        "SELECT record_id FROM propagation_marks WHERE source = ?", (source,)
    ).fetchone()
    return int(row[0]) if row else 0


def _block(archive: Archive, source: str) -> list[int]:
    made: list[int] = []
    conn = archive.db.conn
    with transaction(archive.db):
        after = _mark(archive, source)
        mark = int(conn.execute(
            "SELECT max(id) FROM (SELECT id FROM harvest_records WHERE source = ? AND id > ?"
            " ORDER BY id LIMIT ?)", (source, after, BLOCK)).fetchone()[0] or after)
        at = format_datestamp(archive.clock())
        # Only records some list cites are read (none at all if no list cites the source).
        cited = cites_source(conn, source)
        updates = record_updates(archive.db, source, after, mark,
                                 lambda identifier: bool(citing(conn, source, identifier)))
        for update in updates if cited else ():
            for list_id, known in citing(conn, source, update.identifier).items():
                if not update.deleted and known == {update.sha256}:
                    # upstream is back at what the list has: nothing of before waits
                    supersede(conn, list_id, source, update.identifier, at)
                    continue
                if not update.deleted and update.resource is None:
                    continue
                kind, proposal = _proposal(archive.get(list_id), source, update)
                change_id = propose(conn, list_id, kind, source, proposal, at)
                if change_id is not None:
                    made.append(change_id)
        conn.execute(
            "INSERT INTO propagation_marks (source, record_id) VALUES (?, ?)"
            " ON CONFLICT (source) DO UPDATE SET record_id = excluded.record_id",
            (source, mark),
        )
    return made


def cited_items(lst: ResourceList, source: str, identifier: str) -> list[tuple[str, Resource]]:
    """(item id, resource) of every item of ``lst`` built from that harvested record."""
    return [
        (item.id, res)
        for item, res in iter_resources(lst.items)
        if res.origin is not None
        and res.origin.source == source
        and res.origin.identifier == identifier
    ]


def resource_changes(old: Resource, new: Resource) -> list[str]:
    """Field-by-field difference of two readings of one record, one line per field."""
    before, after = old.citation, new.citation
    lines = [
        f"{f.name}: {_show(getattr(before, f.name))} -> {_show(getattr(after, f.name))}"
        for f in fields(Citation)
        if getattr(before, f.name) != getattr(after, f.name)
    ]
    lines += [
        f"{name}: {_show(getattr(old, name))} -> {_show(getattr(new, name))}"
        for name in _RESOURCE_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    return lines


def _proposal(lst: ResourceList, source: str, update: RecordUpdate) -> tuple[str, Proposal]:
    items = cited_items(lst, source, update.identifier)
    ids = ", ".join(item_id for item_id, _ in items)
    if update.deleted or update.resource is None:
        summary = f"{ids}: {update.identifier} was deleted upstream ({update.datestamp})"
        return "item-withdrawn", Proposal(update.identifier, f"deleted {update.datestamp}",
                                          summary, ())
    details = tuple(resource_changes(items[0][1], update.resource)) if items else ()
    first = details[0] if details else "metadata changed"
    more = f" (+{len(details) - 1} more)" if len(details) > 1 else ""
    summary = f"{ids}: {update.identifier} changed upstream: {first}{more}"
    return "item-updated", Proposal(update.identifier, update.sha256, summary, details,
                                    upstream=binding.write_resource(update.resource))


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + "; ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    for name in ("name", "title", "value", "locator"):
        if hasattr(value, name) and not isinstance(getattr(value, name), tuple):
            return _show(getattr(value, name))
    return str(getattr(value, "value", value))
