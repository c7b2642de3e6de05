"""OAI-PMH responses built with lxml, and CatalogPeer: a small, correct provider.

CatalogPeer serves a list of :class:`Rec` as oai_dc (every response validated
against the bundled XSDs before it is sent) with stateless tokens
(``offset|from|until|set``), from/until/set filtering at its granularity,
deleted records, an optional sleep per page, and a record of each request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

from lxml import etree

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.shared.protocol import (
    DC_NS,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_NS,
    XSI_NS,
    Granularity,
    format_datestamp,
    parse_datestamp,
)

OAI = f"{{{OAI_NS}}}"


@dataclass(frozen=True)
class Rec:
    identifier: str
    datestamp: datetime
    title: str = ""
    sets: tuple[str, ...] = ()
    deleted: bool = False
    creator: str = "Doe, Jane"


def envelope(verb: str | None, args: dict[str, str], now: datetime) -> etree._Element:
    root = etree.Element(f"{OAI}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    )
    etree.SubElement(root, f"{OAI}responseDate").text = format_datestamp(now)
    request = etree.SubElement(root, f"{OAI}request")
    if verb:
        request.set("verb", verb)
    for k, v in args.items():
        request.set(k, v)
    request.text = "http://peer.example/oai"
    return root


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def error_response(code: str, message: str = "", now: datetime | None = None) -> bytes:
    root = envelope(None, {}, now or datetime.now(timezone.utc))
    el = etree.SubElement(root, f"{OAI}error", code=code)
    el.text = message or code
    return to_bytes(root)


def identify_response(
    granularity: Granularity = Granularity.SECONDS,
    earliest: str = "2020-01-01T00:00:00Z",
    now: datetime | None = None,
) -> bytes:
    root = envelope("Identify", {}, now or datetime.now(timezone.utc))
    body = etree.SubElement(root, f"{OAI}Identify")
    values = (
        ("repositoryName", "Test peer"),
        ("baseURL", "http://peer.example/oai"),
        ("protocolVersion", "2.0"),
        ("adminEmail", "admin@peer.example"),
        ("earliestDatestamp", earliest if granularity is Granularity.SECONDS else earliest[:10]),
        ("deletedRecord", "persistent"),
        ("granularity", granularity.value),
    )
    for name, value in values:
        etree.SubElement(body, f"{OAI}{name}").text = value
    return to_bytes(root)


def formats_response(now: datetime | None = None) -> bytes:
    root = envelope("ListMetadataFormats", {}, now or datetime.now(timezone.utc))
    body = etree.SubElement(root, f"{OAI}ListMetadataFormats")
    fmt = etree.SubElement(body, f"{OAI}metadataFormat")
    for name, value in (("metadataPrefix", "oai_dc"), ("schema", OAI_DC_SCHEMA),
                        ("metadataNamespace", OAI_DC_NS)):
        etree.SubElement(fmt, f"{OAI}{name}").text = value
    return to_bytes(root)


def dc_metadata(rec: Rec) -> etree._Element:
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    for name, value in (
        ("title", rec.title),
        ("creator", rec.creator),
        ("type", "Text"),
        ("identifier", f"https://peer.example/items/{rec.identifier.rsplit(':', 1)[-1]}"),
    ):
        etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = value
    return dc


def add_record(
    parent: etree._Element,
    rec: Rec,
    granularity: Granularity,
    metadata: Callable[[Rec], etree._Element] = dc_metadata,
) -> etree._Element:
    el = etree.SubElement(parent, f"{OAI}record")
    header = etree.SubElement(el, f"{OAI}header")
    if rec.deleted:
        header.set("status", "deleted")
    etree.SubElement(header, f"{OAI}identifier").text = rec.identifier
    etree.SubElement(header, f"{OAI}datestamp").text = format_datestamp(rec.datestamp, granularity)
    for spec in rec.sets:
        etree.SubElement(header, f"{OAI}setSpec").text = spec
    if not rec.deleted:
        etree.SubElement(el, f"{OAI}metadata").append(metadata(rec))
    return el


def records_response(
    recs: Iterable[Rec],
    *,
    token: str | None = None,
    size: int | None = None,
    cursor: int | None = None,
    granularity: Granularity = Granularity.SECONDS,
    args: dict[str, str] | None = None,
    now: datetime | None = None,
    metadata: Callable[[Rec], etree._Element] = dc_metadata,
) -> bytes:
    root = envelope("ListRecords", args or {}, now or datetime.now(timezone.utc))
    body = etree.SubElement(root, f"{OAI}ListRecords")
    for rec in recs:
        add_record(body, rec, granularity, metadata)
    if token is not None or cursor is not None:
        t = etree.SubElement(body, f"{OAI}resumptionToken")
        t.text = token or ""
        if size is not None:
            t.set("completeListSize", str(size))
        if cursor is not None:
            t.set("cursor", str(cursor))
    return to_bytes(root)


@dataclass
class CatalogPeer:
    """A correct oai_dc provider over ``records`` (a WSGI app)."""

    records: list[Rec]
    page_size: int = 10
    granularity: Granularity = Granularity.SECONDS
    delay: float = 0.0
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc).replace(microsecond=0)
    metadata: Callable[[Rec], etree._Element] = dc_metadata
    validate: bool = True
    requests: list[tuple[float, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        args = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        with self.lock:
            self.requests.append((time.monotonic(), args))
        body = self.respond(args)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body]

    def respond(self, args: dict[str, str]) -> bytes:
        """The response to ``args``, checked against the OAI-PMH XSDs (unless validate=False)."""
        body = self._respond(args)
        if self.validate:
            validate(parse_untrusted(body), "oai-pmh")  # a peer that lies would prove nothing
        return body

    def _respond(self, args: dict[str, str]) -> bytes:
        verb = args.get("verb", "")
        if verb == "Identify":
            return identify_response(self.granularity, now=self.clock())
        if verb == "ListMetadataFormats":
            return formats_response(now=self.clock())
        if verb != "ListRecords":
            return error_response("badVerb", now=self.clock())
        if self.delay:
            time.sleep(self.delay)
        if "resumptionToken" in args:
            parts = args["resumptionToken"].split("|")
            if len(parts) != 4 or not parts[0].isdigit():
                return error_response("badResumptionToken", now=self.clock())
            offset, from_, until, set_spec = int(parts[0]), parts[1], parts[2], parts[3]
        else:
            if args.get("metadataPrefix") != "oai_dc":
                return error_response("cannotDisseminateFormat", now=self.clock())
            offset = 0
            from_, until = args.get("from", ""), args.get("until", "")
            set_spec = args.get("set", "")
            for value in (from_, until):
                if value and len(value) != len(format_datestamp(datetime.now(), self.granularity)):
                    return error_response("badArgument", f"granularity of {value}", self.clock())
        chosen = [r for r in self.records if self._matches(r, from_, until, set_spec)]
        if not chosen:
            return error_response("noRecordsMatch", now=self.clock())
        page = chosen[offset : offset + self.page_size]
        more = offset + self.page_size < len(chosen)
        token = f"{offset + self.page_size}|{from_}|{until}|{set_spec}" if more else None
        return records_response(
            page,
            token=token,
            size=len(chosen),
            cursor=offset if (more or offset) else None,
            granularity=self.granularity,
            args={k: v for k, v in args.items() if k != "verb"},
            now=self.clock(),
            metadata=self.metadata,
        )

    def _matches(self, rec: Rec, from_: str, until: str, set_spec: str) -> bool:
        stamp = format_datestamp(rec.datestamp, self.granularity)
        moment = parse_datestamp(stamp)[0]
        if from_ and moment < parse_datestamp(from_)[0]:
            return False
        if until and moment > parse_datestamp(until)[0]:
            return False
        return not set_spec or any(s == set_spec or s.startswith(set_spec + ":") for s in rec.sets)

    def list_requests(self) -> list[dict[str, str]]:
        with self.lock:
            return [a for _, a in self.requests if a.get("verb") == "ListRecords"]
