"""Keeping one harvested record: its raw version, then its RLI reading.

Every record is first stored raw (header, metadata and about bytes, with
base URL, identifier, datestamp, metadataNamespace and harvest time); a record
identical to its latest raw version is not stored again, so re-harvesting a
page is harmless. Then the record is read through the format registry:

=========================  ==========================================
outcome                    harvest_resources.status (reason stored)
=========================  ==========================================
resource read              ``ok`` (losses stored, one per line)
list, sink took it         ``list`` (rli's, or rli's served as MODS or
                           LOM: ``record_holds_list``; list_id kept for
                           later deletes; one naming no identifier or
                           owner, as RLI written by others, gets its OAI
                           identifier made safe and owner "unknown")
crosswalk not importable   ``pending`` (raw kept; read again later)
no sink for a list         ``pending``
reader or sink raised      ``failed``
no metadata                ``failed``
deleted header             previous status kept, ``deleted = 1``
older than the current     kept raw once, not read: the current version
version (datestamp)        and its status stay (a list repeating an
                           identifier with an older datestamp, or a
                           stale mirror, does not undo a change)
=========================  ==========================================

Never raises for a bad record: a record that cannot be read is kept raw
with its reason. Callers wrap a page in one transaction. :func:`prepare`
makes a record's raw parts and digest without the database (a harvest makes
a page's before its transaction), :func:`store_raw` keeps them; :func:`store_record`
does both.
:func:`harvester.pending.reread_pending` reads ``pending`` records again from
their raw version (at the start of each run), so records harvested before a
crosswalk existed are read once it does, without harvesting them again.

Storage: ``header`` and ``metadata`` hold the elements as sent; ``about``
holds the record's ``<about>`` elements inside an otherwise empty
``<record>`` element (one root, however many ``<about>`` there were). The
``datestamp`` columns hold the header's as an OAI datestamp, so that they compare: a
``20210311``, an offset or a fraction of a second (sent by some providers) as the day or
UTC second it names, as provenance writes it (else as sent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass, replace
from enum import Enum

import sqlite_utils
from lxml import etree

from crosswalks.oai_file import harvested_list_id, provenance_date, record_holds_list
from crosswalks.registry import MetadataFormat, get_format
from crosswalks.rli import Resource, ResourceList
from crosswalks.xmlsafe import parse_untrusted
from harvester.envelope import Record
from harvester.envelope import read_record as envelope_record
from harvester.provenance import origin_bytes, origin_description
from harvester.search import drop_resource, index_resource
from harvester.shared.blobs import FAST, pack, pack_optional, unpack
from harvester.shared.protocol import OAI_NS, BadArgument, in_future, parse_datestamp
from harvester.sink import ListSink
from harvester.versions import Fetch

_O = f"{{{OAI_NS}}}"
PREFETCH_BYTES = 32 * 1024 * 1024  # past versions kept (packed) for one page, at most


# An rli list as a harvest keeps it: the list, the reader's losses, what was supplied.
HarvestedList = tuple[ResourceList, tuple[str, ...], list[str]]


class Outcome(str, Enum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DELETED = "deleted"


@dataclass(frozen=True)
class Context:
    """What every record of a run (or a page) shares; ``lists``: the rli lists
    :func:`prefetch` read already, by metadata element, so storing them reads none
    twice."""

    source: str
    base_url: str
    prefix: str
    run_id: int
    harvested_at: str
    sink: ListSink | None = None
    fetch: Fetch | None = None
    lists: Mapping[etree._Element, HarvestedList] | None = None


@dataclass(frozen=True)
class Reading:
    status: str
    reason: str = ""
    losses: tuple[str, ...] = ()
    title: str = ""
    list_id: str | None = None
    resource: Resource | None = None


@dataclass(frozen=True)
class Raw:
    """A record made ready to store: its parts as stored (metadata and about
    compressed, :func:`harvester.shared.blobs.pack_optional`) and the digest of
    their plain bytes.

    Made by :func:`prepare` without the database, so a harvest makes a page's
    before it takes the write lock, in the storing thread (the fetching thread only
    fetches and parses: :mod:`harvester.ahead` says why); the crosswalk is left to
    :func:`store_raw`, which skips it for a record that has not changed.
    """

    record: Record
    header: bytes
    metadata: bytes | None
    about: bytes | None
    namespace: str
    sha256: str


def prepare(record: Record) -> Raw:
    """``record``'s raw parts as bytes and their digest."""
    header_el = record.element.find(f"{_O}header")
    header_bytes = etree.tostring(header_el) if header_el is not None else b""
    metadata_bytes = etree.tostring(record.metadata) if record.metadata is not None else None
    about_bytes = _about_bytes(record.element)
    namespace = etree.QName(record.metadata).namespace or "" if record.metadata is not None else ""
    digest = hashlib.sha256(
        b"\0".join((header_bytes, metadata_bytes or b"", about_bytes or b""))
    ).hexdigest()
    head = record.header  # kept as the OAI datestamp it names, if any (module docstring)
    moment = provenance_date(head.datestamp) or head.datestamp
    if moment != head.datestamp:  # (rare: two replace() calls cost 5 us a record)
        record = replace(record, header=replace(head, datestamp=moment))
    return Raw(record, header_bytes, pack_optional(metadata_bytes), pack_optional(about_bytes),
               namespace, digest)


def store_record(db: sqlite_utils.Database, ctx: Context, record: Record) -> tuple[Outcome, str]:
    """Keep ``record``; return what happened and its status (see module table)."""
    return store_raw(db, ctx, prepare(record))


def store_raw(db: sqlite_utils.Database, ctx: Context, raw: Raw) -> tuple[Outcome, str]:
    """Keep a prepared record; return what happened and its status (see module table)."""
    record = raw.record
    head = record.header
    previous = _previous(db, ctx.source, head.identifier)
    stale = None  # the current version's status, when this one is older than it
    if previous is not None:
        if previous["sha256"] == raw.sha256:
            return Outcome.UNCHANGED, str(previous["status"])
        if _older(head.datestamp, str(previous["datestamp"]), ctx.harvested_at):
            if _kept(db, ctx.source, head.identifier, raw.sha256):
                return Outcome.UNCHANGED, str(previous["status"])
            stale = str(previous["status"])
    cur = db.conn.execute(
        "INSERT INTO harvest_records (source, identifier, datestamp, deleted, header, metadata,"
        " about, metadata_namespace, base_url, harvested_at, run_id, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ctx.source,
            head.identifier,
            head.datestamp,
            int(head.deleted),
            raw.header,
            raw.metadata,
            raw.about,
            raw.namespace,
            ctx.base_url,
            ctx.harvested_at,
            ctx.run_id,
            raw.sha256,
        ),
    )
    record_id = int(cur.lastrowid or 0)
    if stale is not None:  # kept raw, as sent; the newer version stays the current one
        return Outcome.UNCHANGED, stale
    if head.deleted:
        list_id = str(previous["list_id"]) if previous and previous["list_id"] else None
        if list_id is not None and ctx.sink is not None:
            # LookupError: never archived here, so there is nothing to tombstone.
            with suppress(LookupError):
                ctx.sink.delete(list_id, editor=f"harvest:{ctx.source}", note=_note(ctx, record))
        status = str(previous["status"]) if previous else "deleted"
        reading = Reading(
            status,
            str(previous["reason"]) if previous else "",
            title=str(previous["title"]) if previous else "",
            list_id=list_id,
        )
        _upsert(db, ctx, record, record_id, reading)
        drop_resource(db.conn, ctx.source, head.identifier)
        return Outcome.DELETED, status
    reading = read_record(ctx, record, raw.namespace)
    _upsert(db, ctx, record, record_id, reading)
    keep_indexed(db, ctx.source, head.identifier, head.datestamp, reading,
                 fresh=previous is None)
    return (Outcome.NEW if previous is None else Outcome.CHANGED), reading.status


def read_record(ctx: Context, record: Record, namespace: str) -> Reading:
    """Crosswalk a live record into RLI (or hand an rli list to the sink)."""
    if record.metadata is None:
        return Reading("failed", "record has no metadata")
    fmt = get_format(ctx.prefix)
    try:
        if record_holds_list(fmt, record.metadata, record.element):
            return _read_list(ctx, fmt, record, namespace)
        converted = fmt.read_resource(record.metadata)
    except ImportError as exc:
        return Reading("pending", f"crosswalk for {ctx.prefix} not available yet: {exc}")
    except Exception as exc:  # noqa: BLE001 - a reader's failure must not lose the raw record
        return Reading("failed", f"{exc.__class__.__name__}: {exc}")
    return Reading("ok", losses=converted.losses, title=converted.value.title,
                   resource=converted.value)


def _read_list(ctx: Context, fmt: MetadataFormat, record: Record, namespace: str) -> Reading:
    assert record.metadata is not None
    if ctx.sink is None:
        return Reading("pending", "no archive given to receive harvested lists")
    known = ctx.lists.get(record.metadata) if ctx.lists else None
    lst, losses, supplied = known if known is not None else _harvested_list(record, fmt)
    origin = origin_description(
        base_url=ctx.base_url,
        identifier=record.header.identifier,
        datestamp=record.header.datestamp,
        metadata_namespace=namespace,
        harvest_date=ctx.harvested_at,
        altered=bool(losses or supplied),
        about=record.about,
    )
    history = {"fetch": ctx.fetch} if ctx.fetch is not None else {}
    ctx.sink.save(
        lst,
        editor=f"harvest:{ctx.source}",
        note=_note(ctx, record),
        origin=origin_bytes(origin),
        sets=(f"source:{ctx.source}",),
        **history,
    )
    report = losses + tuple(f"supplied: {line}" for line in supplied)
    return Reading("list", losses=report, title=lst.title, list_id=lst.identifier)


def _harvested_list(record: Record, fmt: MetadataFormat) -> HarvestedList:
    """The list a record holds, named and owned as archived: (list, losses, supplied)."""
    assert record.metadata is not None
    converted = fmt.read_list(record.metadata)
    lst = converted.value
    supplied: list[str] = []
    if not lst.identifier:  # RLI as others write it names no list: the record names it
        lst = replace(lst, identifier=harvested_list_id(record.header.identifier))
        supplied.append(f"list identifier {lst.identifier!r} (from the OAI identifier)")
    if not lst.owner:
        lst = replace(lst, owner="unknown")
        supplied.append("owner 'unknown'")
    return lst, converted.losses, supplied


def prefetch_versions(
    db: sqlite_utils.Database, ctx: Context, raws: Sequence[Raw], budget: int = PREFETCH_BYTES,
    lists: dict[etree._Element, HarvestedList] | None = None,
) -> Fetch | None:
    """:func:`prefetch` for this page's new and changed records (an unchanged one is not
    stored again), before the page's write transaction opens."""
    def changed() -> Iterator[Record]:  # read only if prefetch reads records at all
        for raw in raws:
            previous = _previous(db, ctx.source, raw.record.header.identifier)
            if not raw.record.header.deleted and (previous is None or (
                    previous["sha256"] != raw.sha256
                    and not _older(raw.record.header.datestamp, str(previous["datestamp"]),
                                   ctx.harvested_at))):
                yield raw.record

    return prefetch(ctx, changed(), budget, lists)


def prefetch(
    ctx: Context, records: Iterable[Record], budget: int = PREFETCH_BYTES,
    lists: dict[etree._Element, HarvestedList] | None = None,
) -> Fetch | None:
    """``ctx.fetch`` with the past versions the lists of ``records`` lack here fetched
    now, before the write transaction that stores them opens: waiting on the provider
    inside it would hold every other writer of the archive off (for an rli harvest into
    a sink that copies histories; otherwise ``ctx.fetch`` itself, ``records`` unread).

    The Fetch returned answers from what was fetched (packed, about ``budget`` bytes at
    most; a failure, of any kind, is raised again where ``save`` asks, as if fetched
    there) and fetches anything else when asked, as before. A list's fetching stops at
    its first failure or sha256 mismatch, where copying its history stops. Reads the
    archive, writes nothing. ``lists`` (if given) gets each list read here, by its
    record's metadata element, for storing it without reading it again
    (:attr:`Context.lists`).
    """
    wanted = getattr(ctx.sink, "versions_to_fetch", None)
    fetch = ctx.fetch
    if fetch is None or wanted is None or ctx.prefix != "rli":
        return fetch
    got: dict[str, bytes | Exception] = {}
    kept = 0
    for record in records:
        if record.metadata is None:
            continue
        try:
            found = _harvested_list(record, get_format(ctx.prefix))
            if lists is not None:
                lists[record.metadata] = found
            lst = found[0]
            versions = wanted(lst, source=ctx.source) if lst.history else []
        except Exception:  # noqa: BLE001 - storing the record reports why it cannot be kept
            continue
        for url, sha256 in versions:
            if kept > budget:
                break  # the rest is fetched when asked, inside the transaction as before
            try:
                data = fetch(url)
            except Exception as exc:  # noqa: BLE001 - raised again where save asks for it
                got[url] = exc
                break  # the list falls back to its latest version: nothing more to ask
            packed = pack(data, FAST)
            got[url] = packed
            kept += len(packed)
            if hashlib.sha256(data).hexdigest() != sha256:
                break  # save refuses this version: the later ones would not be asked for

    if not got:
        return fetch

    def prefetched(url: str) -> bytes:
        found = got.get(url)
        if isinstance(found, Exception):
            raise found
        return unpack(found) if found is not None else fetch(url)

    return prefetched


def keep_indexed(
    db: sqlite_utils.Database, source: str, identifier: str, datestamp: str, reading: Reading,
    *, fresh: bool = False,
) -> None:
    """The search index follows the reading: a readable resource in, anything else out."""
    if reading.resource is not None:
        index_resource(db.conn, source, identifier, datestamp, reading.resource, fresh=fresh)
    elif not fresh:
        drop_resource(db.conn, source, identifier)


def _about_bytes(record_el: etree._Element) -> bytes | None:
    abouts = record_el.findall(f"{_O}about")
    if not abouts:
        return None
    holder = etree.Element(f"{_O}record", nsmap={"oai": OAI_NS})
    for about in abouts:
        holder.append(deepcopy(about))
    return bytes(etree.tostring(holder))


def rebuild_record(header: bytes, metadata: bytes | None, about: bytes | None) -> Record:
    """A Record from its stored raw parts (they were well-formed when stored)."""
    element = etree.Element(f"{_O}record", nsmap={"oai": OAI_NS})
    element.append(parse_untrusted(header, source="stored header"))
    if metadata is not None:
        holder = etree.SubElement(element, f"{_O}metadata")
        holder.append(parse_untrusted(bytes(metadata), source="stored metadata"))
    if about is not None:
        for el in list(parse_untrusted(bytes(about), source="stored about")):
            element.append(el)
    return envelope_record(element)


def _note(ctx: Context, record: Record) -> str:
    head = record.header
    action = "deleted at" if head.deleted else "harvested from"
    return f"{action} {ctx.base_url} ({head.identifier}, {head.datestamp})"


def _previous(db: sqlite_utils.Database, source: str, identifier: str) -> dict[str, object] | None:
    cur = db.conn.execute(
        "SELECT r.sha256, s.status, s.reason, s.title, s.list_id, s.datestamp"
        " FROM harvest_resources s"
        " JOIN harvest_records r ON r.id = s.record_id"
        " WHERE s.source = ? AND s.identifier = ?",
        (source, identifier),
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cur.description], row))


def _older(datestamp: str, current: str, now: str) -> bool:
    """Whether ``datestamp`` is before ``current`` (at the coarser of the two granularities);
    False if either is no OAI datestamp, or ``current`` is in_future (it would freeze)."""
    try:
        (mine, g1), (theirs, g2) = parse_datestamp(datestamp), parse_datestamp(current)
    except BadArgument:
        return False
    earlier = mine.date() < theirs.date() if g1 is not g2 else mine < theirs
    return earlier and not in_future(current, now)


def _kept(db: sqlite_utils.Database, source: str, identifier: str, sha256: str) -> bool:
    """Whether this raw version of the record is stored already (not as the current one)."""
    return db.conn.execute(
        "SELECT 1 FROM harvest_records WHERE source = ? AND identifier = ? AND sha256 = ?"
        " LIMIT 1", (source, identifier, sha256),
    ).fetchone() is not None


def _upsert(
    db: sqlite_utils.Database, ctx: Context, record: Record, record_id: int, reading: Reading
) -> None:
    head = record.header
    db.conn.execute(
        "INSERT INTO harvest_resources (source, identifier, record_id, datestamp, set_specs,"
        " deleted, status, reason, losses, title, list_id, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source, identifier) DO UPDATE SET record_id = excluded.record_id,"
        " datestamp = excluded.datestamp, set_specs = excluded.set_specs,"
        " deleted = excluded.deleted, status = excluded.status, reason = excluded.reason,"
        " losses = excluded.losses, title = excluded.title, list_id = excluded.list_id,"
        " updated_at = excluded.updated_at",
        (
            ctx.source,
            head.identifier,
            record_id,
            head.datestamp,
            " ".join(head.set_specs),
            int(head.deleted),
            reading.status,
            reading.reason,
            "\n".join(reading.losses),
            reading.title,
            reading.list_id,
            ctx.harvested_at,
        ),
    )
