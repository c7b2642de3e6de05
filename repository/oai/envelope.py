"""OAI-PMH response XML: the envelope (streamed), headers, records and their ``<about>``.

Everything is built with lxml; every string from the archive or the request
passes through :func:`~crosswalks.xmlsafe.clean_text`, so output is always
well-formed. :func:`stream_response` writes the envelope incrementally with
``lxml.etree.xmlfile`` and splices in records already serialised by lxml
(cached renderings), yielding chunks for a WSGI body, gzip-compressed on
request (:mod:`repository.oai.compression`).

``<about>`` carries, for live records: the OAI provenance ``originDescription``
chain of a harvested list (stored bytes, re-parsed safely; if they no longer
parse they are left out and logged) and a version statement in the rli
extension namespace (:data:`RLIX_NS`): the global ``rlix:history`` element of
``data/schemas/rli/rli-ext.xsd``, so no schema of its own is needed.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from crosswalks.registry import MetadataFormat
from crosswalks.rli import VersionInfo
from crosswalks.xmlsafe import XMLInputError, clean_text, parse_untrusted
from harvester.shared.protocol import (
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    OAI_NS,
    OAI_SCHEMA,
    PROVENANCE_NS,
    PROVENANCE_SCHEMA,
    XSI_NS,
    OAIError,
)
from repository.oai.args import wire_set_spec
from repository.oai.compression import GzipStream, Rendered, rendered

log = logging.getLogger(__name__)

RLIX_NS = "urn:x-rli:extension:1.0"
RLI_NS = "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
RLX_NS = "http://www.imsglobal.org/services/rli/rlicommon/imsRLICommonSchema_v1p0"
_SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"
XSI_LOCATION = _SCHEMA_LOCATION
_CHUNK = 64 * 1024


def _o(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def _nsmap(default: str, **prefixed: str) -> dict[Any, str]:
    # lxml takes None as the key of the default namespace; its stubs do not.
    return {None: default, **prefixed}


def _sub(parent: etree._Element, name: str, text: str) -> etree._Element:
    el = etree.SubElement(parent, _o(name))
    el.text = clean_text(text)
    return el


@dataclass(frozen=True)
class Envelope:
    """What every response starts with; ``arguments`` empty on badVerb / badArgument."""

    response_date: str
    base_url: str
    arguments: tuple[tuple[str, str], ...] = ()
    stylesheet: str | None = None


def stream_response(
    envelope: Envelope,
    verb: str | None,
    parts: Iterable[etree._Element | Rendered],
    errors: Sequence[OAIError] = (),
    *,
    gzip: bool = False,
) -> Iterator[bytes]:
    """The whole response as byte chunks: errors if any, else ``<verb>`` holding ``parts``.

    ``parts`` are elements (serialised here) or records already serialised by
    lxml (:class:`~repository.oai.compression.Rendered`). With ``gzip`` the chunks
    form one gzip member (records spliced in precompressed).
    """
    sink = io.BytesIO()
    out = _Output(GzipStream() if gzip else None)
    with etree.xmlfile(sink, encoding="UTF-8") as xf:
        xf.write_declaration()
        if envelope.stylesheet:
            xf.write(etree.ProcessingInstruction(
                "xml-stylesheet", f'type="text/xsl" href="{clean_text(envelope.stylesheet)}"'))
        root_attrs = {_SCHEMA_LOCATION: f"{OAI_NS} {OAI_SCHEMA}"}
        with xf.element(_o("OAI-PMH"), root_attrs, nsmap=_nsmap(OAI_NS, xsi=XSI_NS)):
            with xf.element(_o("responseDate")):
                xf.write(envelope.response_date)
            request_attrs = {k: clean_text(v) for k, v in envelope.arguments}
            with xf.element(_o("request"), request_attrs):
                xf.write(clean_text(envelope.base_url))
            if errors or verb is None:
                for err in errors:
                    with xf.element(_o("error"), {"code": err.code}):
                        xf.write(clean_text(err.message))
            else:
                with xf.element(_o(verb)):
                    written = True  # to the writer since its last flush
                    for part in parts:
                        if isinstance(part, Rendered):
                            if written:
                                xf.flush()
                                out.plain(_drain(sink))
                                written = False
                            out.record(part)
                            if out.size < _CHUNK:  # nothing waits in the sink
                                continue
                        else:
                            xf.write(part)
                            written = True
                        if out.size + sink.tell() >= _CHUNK:
                            xf.flush()
                            out.plain(_drain(sink))
                            written = False
                            yield out.take()
    out.plain(_drain(sink))
    yield out.finish()


class _Output:
    """Serialised bytes on their way out: as they are, or through a GzipStream."""

    def __init__(self, packer: GzipStream | None) -> None:
        self.packer = packer
        self.chunks: list[bytes] = []
        self.size = 0

    def _add(self, data: bytes) -> None:
        if data:
            self.chunks.append(data)
            self.size += len(data)

    def plain(self, data: bytes) -> None:
        if data:
            self._add(self.packer.plain(data) if self.packer else data)

    def record(self, record: Rendered) -> None:
        data = self.packer.segment(record) if self.packer else record.raw
        self.chunks.append(data)  # never empty: a record has bytes
        self.size += len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data

    def finish(self) -> bytes:
        if self.packer is not None:
            self._add(self.packer.finish())
        return self.take()


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


def header(
    identifier: str, datestamp: str, set_specs: Iterable[str], deleted: bool
) -> etree._Element:
    """An OAI ``<header>``; set specs are archive specs, written in wire form."""
    el = etree.Element(_o("header"), nsmap=_nsmap(OAI_NS))
    if deleted:
        el.set("status", "deleted")
    _sub(el, "identifier", identifier)
    _sub(el, "datestamp", datestamp)
    for spec in set_specs:
        _sub(el, "setSpec", wire_set_spec(spec))
    return el


def record(
    head: etree._Element, metadata: etree._Element | None, about: Sequence[etree._Element] = ()
) -> etree._Element:
    """An OAI ``<record>``: header, metadata (None for a deleted record), about containers."""
    el = etree.Element(_o("record"), nsmap=_nsmap(OAI_NS))
    el.append(head)
    if metadata is not None:
        etree.SubElement(el, _o("metadata")).append(metadata)
    for item in about:
        etree.SubElement(el, _o("about")).append(item)
    return el


_PLACEHOLDER = b"<payload/>"


def record_around(
    head: etree._Element, about: Sequence[etree._Element] = ()
) -> tuple[bytes, bytes]:
    """A live record serialised as :func:`serialise` would, split where its metadata
    payload goes: the bytes before it and after it (payload bytes serialised by lxml
    on their own fit between, as when serialised inside the record)."""
    placeholder = etree.Element(_o("payload"), nsmap=_nsmap(OAI_NS))
    data = bytes(etree.tostring(record(head, placeholder, about), encoding="UTF-8",
                                xml_declaration=False))
    # The first one is ours: the header before it holds only escaped text.
    before, found, after = data.partition(_PLACEHOLDER)
    if not found:
        raise ValueError("record placeholder not serialised as expected")
    return before, after


def serialise(el: etree._Element) -> Rendered:
    """``el`` serialised (UTF-8, no declaration) with its deflate segment, for streaming."""
    return rendered(bytes(etree.tostring(el, encoding="UTF-8", xml_declaration=False)))


def provenance(origin: bytes | None, *, source: str) -> etree._Element | None:
    """The ``<provenance>`` container around a stored originDescription, or None."""
    if origin is None:
        return None
    try:
        description = parse_untrusted(origin, source=source)
    except XMLInputError as exc:
        log.warning("provenance of %s left out: %s", source, exc)
        return None
    if description.tag != f"{{{PROVENANCE_NS}}}originDescription":
        log.warning("provenance of %s left out: not an originDescription", source)
        return None
    el = etree.Element(f"{{{PROVENANCE_NS}}}provenance", nsmap=_nsmap(PROVENANCE_NS, xsi=XSI_NS))
    el.set(_SCHEMA_LOCATION, f"{PROVENANCE_NS} {PROVENANCE_SCHEMA}")
    el.append(description)
    return el


def with_schema_location(
    el: etree._Element, locations: Sequence[tuple[str, str]]
) -> etree._Element:
    """``el`` (a payload root) declaring ``xmlns:xsi`` and ``xsi:schemaLocation`` for
    (namespace, URL) pairs, like the other formats' roots; ``el`` itself if none."""
    if not locations:
        return el
    nsmap: dict[Any, str] = {"xsi": XSI_NS}  # None keys the default namespace
    nsmap.update(el.nsmap)
    out = etree.Element(el.tag, nsmap=nsmap)
    for name, value in el.attrib.items():
        out.set(name, value)
    out.set(_SCHEMA_LOCATION, " ".join(f"{ns} {url}" for ns, url in locations))
    out.text = el.text
    out.extend(list(el))
    return out


def version_statement(
    history: Sequence[VersionInfo], url_for: Callable[[int], str], schema: str | None = None
) -> etree._Element:
    """``rlix:history`` (rli-ext.xsd): every version up to the record's, oldest first.

    The last ``rlix:version`` is the version the record disseminates; each has
    its number, archived-at time, sha256, editor, the URL of its RLI XML, and
    the editor's note as text.
    """
    el = etree.Element(f"{{{RLIX_NS}}}history", nsmap={"rlix": RLIX_NS})
    if schema:
        el = with_schema_location(el, [(RLIX_NS, schema)])
    for info in history:
        item = etree.SubElement(el, f"{{{RLIX_NS}}}version")
        item.set("number", str(info.version))
        item.set("archivedAt", clean_text(info.archived_at))
        item.set("sha256", clean_text(info.sha256))
        if info.editor:
            item.set("editor", clean_text(info.editor))
        item.set("url", clean_text(url_for(info.version)))
        item.text = clean_text(info.note) or None
    return el


def identify(
    *,
    name: str,
    base_url: str,
    admin_email: str,
    earliest: str,
    repository_identifier: str,
    sample_id: str,
) -> list[etree._Element]:
    """Identify's children: seconds granularity, persistent deletes, gzip, an oai-identifier."""
    el = etree.Element(_o("Identify"), nsmap=_nsmap(OAI_NS))
    for tag, value in (
        ("repositoryName", name),
        ("baseURL", base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", admin_email),
        ("earliestDatestamp", earliest),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ("compression", "gzip"),
    ):
        _sub(el, tag, value)
    ident = etree.Element(f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
                          nsmap=_nsmap(OAI_IDENTIFIER_NS, xsi=XSI_NS))
    ident.set(_SCHEMA_LOCATION, f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
    for tag, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository_identifier),
        ("delimiter", ":"),
        ("sampleIdentifier", sample_id),
    ):
        etree.SubElement(ident, f"{{{OAI_IDENTIFIER_NS}}}{tag}").text = clean_text(value)
    etree.SubElement(el, _o("description")).append(ident)
    return list(el)


def metadata_format(fmt: MetadataFormat, schema: str | None = None) -> etree._Element:
    """One ``<metadataFormat>`` entry of ListMetadataFormats (``schema`` overrides the
    registry's schema URL, for schemas the app serves itself)."""
    el = etree.Element(_o("metadataFormat"), nsmap=_nsmap(OAI_NS))
    _sub(el, "metadataPrefix", fmt.prefix)
    _sub(el, "schema", schema or fmt.schema)
    _sub(el, "metadataNamespace", fmt.namespace)
    return el


def set_entry(spec: str, name: str) -> etree._Element:
    """One ``<set>`` entry of ListSets (archive spec written in wire form)."""
    el = etree.Element(_o("set"), nsmap=_nsmap(OAI_NS))
    _sub(el, "setSpec", wire_set_spec(spec))
    _sub(el, "setName", name or spec)
    return el


def resumption_token(
    token: str, *, expiration: str | None, cursor: int, size: int
) -> etree._Element:
    """``<resumptionToken>``; an empty ``token`` marks the last page (no expirationDate)."""
    el = etree.Element(_o("resumptionToken"), nsmap=_nsmap(OAI_NS))
    if token and expiration:
        el.set("expirationDate", expiration)
    el.set("completeListSize", str(size))
    el.set("cursor", str(cursor))
    el.text = clean_text(token) or None
    return el
