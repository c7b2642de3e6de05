"""Harvested records kept in a file: an OAI-PMH response or ``rli harvest -o`` dump, read as RLI.

Three shapes hold OAI ``record`` elements: a ListRecords or GetRecord response
(``OAI-PMH`` root, the base URL in ``request``, the date in ``responseDate``),
one ``record`` saved on its own (no base URL; the harvest date is when it is read)
and the one-shot dump ``rli harvest -l URL -o FILE`` writes (``repository``
root, no namespace, attributes ``baseURL``, ``metadataPrefix``,
``harvestDate``). Each live record's metadata is read by the registry's format
for its namespace; a resource becomes an item that keeps the record's OAI
provenance as an extension element (``prov:provenance/prov:originDescription``
with base URL, OAI identifier, datestamp, metadata namespace, the harvest date,
``altered`` when the crosswalk lost something; the record's own provenance
nested as an earlier hop). A list in a record (an RLI list, or a list ``rli serve`` sent as
MODS or LOM: its version statement in ``<about>``) stays a list, with its origin
description beside it.

What is lost: deleted records (counted), records whose metadata no registered
format reads (counted by namespace), a record's sets and ``about`` other than
provenance.

Exception tree: none of its own; :class:`crosswalks.errors.CrosswalkError`
for a root that is neither shape.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.registry import MetadataFormat, format_for_namespace
from crosswalks.rli import Item, Resource, ResourceList
from crosswalks.rli.read import extension_of
from crosswalks.rli.write import RLIX_NS
from crosswalks.xmlsafe import clean_text

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
PROVENANCE_NS = "http://www.openarchives.org/OAI/2.0/provenance"
_O = f"{{{OAI_NS}}}"
_P = f"{{{PROVENANCE_NS}}}"
_FIELDS = ("baseURL", "identifier", "datestamp", "metadataNamespace")


@dataclass(frozen=True)
class HarvestedList:
    """An RLI list found in a record, with the record's originDescription (serialised)
    and OAI identifier."""

    value: ResourceList
    origin: bytes
    supplied: tuple[str, ...] = ()
    identifier: str = ""


_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._~-]+")


def harvested_list_id(identifier: str) -> str:
    """The list identifier for a harvested RLI document that names none: its OAI identifier
    if a list id can hold it as it is, else made safe (runs of other characters become
    ``-``, cut to fit) and followed by ten hex digits of its sha256, so that two OAI
    identifiers never share a list (``lists/1``, ``lists:1`` and ``lists 1`` would)."""
    safe = _UNSAFE_ID.sub("-", identifier).strip("-._~")
    if safe and safe == identifier and len(safe) <= 200:
        return safe
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{safe[:189]}-{digest}" if safe else f"list-{digest}"


@dataclass(frozen=True)
class HarvestFile:
    """What a file of harvested records holds: resources as items, RLI lists, and the report."""

    items: tuple[Item, ...]
    lists: tuple[HarvestedList, ...]
    losses: tuple[str, ...]
    records: int


def holds_records(root: etree._Element) -> bool:
    """True for an OAI-PMH response, a lone OAI record or a one-shot harvest dump."""
    return bool(root.tag in (f"{_O}OAI-PMH", f"{_O}record", "repository"))


def record_holds_list(
    fmt: MetadataFormat, payload: etree._Element, record: etree._Element
) -> bool:
    """Whether an OAI ``record`` (its ``payload`` read by ``fmt``) is a list: RLI (a list,
    or a resource read as one), or a list rli served as MODS or LOM, its version statement
    (``rlix:history``) in ``<about>``. Other providers' records are resources: a
    catalogue's bibliography with its chapters as constituents is a book, not a reading
    list. Files (:func:`read_records`) and harvests decide by this one rule."""
    if fmt.prefix == "rli":
        return True
    served = record.find(f"{_O}about/{{{RLIX_NS}}}history") is not None
    return served and fmt.can_read_list(payload)


def read_records(root: etree._Element) -> HarvestFile:
    """Read every record of an OAI-PMH response, lone record or harvest dump (see the module
    docstring).

    Raises CrosswalkError for another root.
    """
    if not holds_records(root):
        raise CrosswalkError(f"expected an OAI-PMH response or harvest dump, got {root.tag!r}")
    base_url, sent_date = _envelope(root)
    items: list[Item] = []
    lists: list[HarvestedList] = []
    losses: list[str] = []
    harvest_date = provenance_date(sent_date)
    if harvest_date is None:  # the provenance needs a date: the moment the file was read
        harvest_date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        losses.append(f"harvest date {sent_date!r} is no date: {harvest_date} (now) given")
    deleted = 0
    unread: Counter[str] = Counter()
    records = list(_records(root))
    for record in records:
        header = record.find(f"{_O}header")
        metadata = record.find(f"{_O}metadata")
        if header is None:
            continue
        # the payload is the first element: a provider's comment may come before it
        found = [] if metadata is None else [c for c in metadata if isinstance(c.tag, str)]
        if header.get("status") == "deleted" or not found:
            deleted += header.get("status") == "deleted"
            continue
        payload = found[0]
        namespace = etree.QName(payload).namespace or ""
        fmt = format_for_namespace(namespace)
        if fmt is None:
            unread[namespace or payload.tag] += 1
            continue
        ident = header.findtext(f"{_O}identifier") or ""
        sent = (header.findtext(f"{_O}datestamp") or "").strip()
        datestamp = provenance_date(sent)
        if datestamp is None:
            datestamp = harvest_date
            losses.append(f"{ident}: datestamp {sent!r} is no date: the harvest date given")
        try:
            if record_holds_list(fmt, payload, record):
                got_list = fmt.read_list(payload)
                origin = _origin(record, header, base_url, (harvest_date, datestamp),
                                 namespace, bool(got_list.losses))
                losses.extend(f"{ident}: {loss}" for loss in got_list.losses)
                lists.append(HarvestedList(got_list.value, origin, got_list.supplied, ident))
                continue
            got = fmt.read_resource(payload)
        except (CrosswalkError, ValueError) as exc:
            losses.append(f"{ident}: not read ({exc})")
            continue
        losses.extend(f"{ident}: {loss}" for loss in got.losses)
        origin = _origin(record, header, base_url, (harvest_date, datestamp), namespace,
                         bool(got.losses))
        items.append(Item(f"i{len(items) + 1}", _with_provenance(got.value, origin)))
    if deleted:
        losses.append(f"{deleted} deleted record(s) skipped")
    for namespace, n in sorted(unread.items()):
        losses.append(f"{n} record(s) in {namespace} not read (no format for that namespace)")
    return HarvestFile(tuple(items), tuple(lists), tuple(losses), len(records))


def _records(root: etree._Element) -> Iterator[etree._Element]:
    if root.tag in ("repository", f"{_O}record"):
        yield from root.iter(f"{_O}record")
        return
    for verb in root:
        if verb.tag in (f"{_O}ListRecords", f"{_O}GetRecord"):
            yield from verb.iter(f"{_O}record")


def _envelope(root: etree._Element) -> tuple[str, str]:
    """(base URL, harvest date) of a response or dump."""
    if root.tag != f"{_O}OAI-PMH":
        return root.get("baseURL", ""), root.get("harvestDate", "")
    request = root.find(f"{_O}request")
    base = (request.text or "").strip() if request is not None else ""
    return base, (root.findtext(f"{_O}responseDate") or "").strip()


_COMPACT_DAY = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})\Z")


def provenance_date(value: str) -> str | None:
    """``value`` as the provenance schema's date (an xs:date or a UTC xs:dateTime), or
    None: what providers send is not always an OAI datestamp (``20210311``, an offset,
    a fraction of a second), and written as sent it made the record invalid."""
    value = value.strip()
    if _UTC_SECOND.fullmatch(value):  # what nearly every provider sends: checked, kept
        try:
            datetime.fromisoformat(value[:-1])
        except ValueError:
            return None
        return value
    compact = _COMPACT_DAY.match(value)
    if compact:
        value = "-".join(compact.groups())
    if len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    moment = iso_moment(value)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_UTC_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_FRACTION = re.compile(r"(?<=:\d\d)\.\d+")


def iso_moment(value: str) -> datetime | None:
    """The UTC moment an ISO 8601 date-time with ``Z`` or an offset names (a fraction of a
    second dropped), else None: a local time of an unknown zone names no moment."""
    if not value.isascii() or "T" not in value:
        return None
    try:
        # fromisoformat takes 3 or 6 digits of a second before Python 3.11; .NET writes 7
        moment = datetime.fromisoformat(_FRACTION.sub("", value.replace("Z", "+00:00")))
    except ValueError:
        return None
    return None if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _origin(
    record: etree._Element, header: etree._Element, base_url: str, dates: tuple[str, str],
    namespace: str, altered: bool,
) -> bytes:
    """The record's originDescription; ``dates``: harvest date and datestamp, both
    :func:`provenance_date`."""
    harvest_date, datestamp = dates
    el = etree.Element(f"{_P}originDescription", nsmap={"prov": PROVENANCE_NS})
    el.set("harvestDate", harvest_date)
    el.set("altered", "true" if altered else "false")
    values = (base_url, header.findtext(f"{_O}identifier") or "", datestamp, namespace)
    for name, value in zip(_FIELDS, values):
        etree.SubElement(el, f"{_P}{name}").text = clean_text(value.strip())
    earlier = record.find(f"{_O}about/{_P}provenance/{_P}originDescription")
    if earlier is not None:
        el.append(deepcopy(earlier))
    return bytes(etree.tostring(el, encoding="UTF-8"))


def _with_provenance(res: Resource, origin: bytes) -> Resource:
    holder = etree.Element(f"{_P}provenance", nsmap={"prov": PROVENANCE_NS})
    holder.append(etree.fromstring(origin))  # our own bytes, built just above
    return replace(res, extensions=(*res.extensions, extension_of(holder)))
