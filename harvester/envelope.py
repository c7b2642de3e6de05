"""Reading an OAI-PMH response envelope into values: pages, headers, records, Identify.

One parsed page becomes a :class:`Page`; its list items stay lxml elements
(records are stored raw, byte for byte as the provider sent them, so nothing
is converted early). An ``<error>`` in the envelope is raised as the
protocol's OAIError subclass, except ``noRecordsMatch`` on a list verb, which
is an empty page.

Raises: OAIError (the provider's error), UnexpectedResponse (XML that is not
an OAI-PMH response, or a header without identifier/datestamp).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree

from harvester.errors import UnexpectedResponse
from harvester.shared.protocol import OAI_NS, Granularity, NoRecordsMatch, Verb, error_for

_O = f"{{{OAI_NS}}}"

# Which child of the verb element is one list item, per verb.
ITEM_TAGS: dict[Verb, str] = {
    Verb.LIST_RECORDS: "record",
    Verb.LIST_IDENTIFIERS: "header",
    Verb.LIST_SETS: "set",
    Verb.LIST_METADATA_FORMATS: "metadataFormat",
    Verb.GET_RECORD: "record",
    Verb.IDENTIFY: "",
}

LIST_VERBS = frozenset({Verb.LIST_RECORDS, Verb.LIST_IDENTIFIERS, Verb.LIST_SETS})
MAX_MESSAGE = 300  # characters of a provider's error message kept


@dataclass(frozen=True)
class Page:
    """One response: its items, its resumption token (None on the last page); ``again``:
    its records are those of an earlier page of the same list (harvester.listwatch)."""

    verb: Verb
    root: etree._Element
    response_date: str
    items: tuple[etree._Element, ...]
    token: str | None = None
    complete_list_size: int | None = None
    cursor: int | None = None
    stripped: int = 0
    again: bool = False


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: str
    deleted: bool = False
    set_specs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """A harvested record: its parsed header and the raw elements it came in."""

    header: Header
    element: etree._Element
    metadata: etree._Element | None
    about: tuple[etree._Element, ...] = ()


@dataclass(frozen=True)
class Identity:
    repository_name: str
    base_url: str
    protocol_version: str
    earliest_datestamp: str
    deleted_record: str
    granularity: Granularity
    response_date: str


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


@dataclass(frozen=True)
class FormatInfo:
    prefix: str
    schema: str
    namespace: str


def read_page(root: etree._Element, verb: Verb, stripped: int = 0) -> Page:
    """The page in a parsed response; raises the provider's OAIError if it sent one."""
    if root.tag != f"{_O}OAI-PMH":
        raise UnexpectedResponse(f"not an OAI-PMH response (root element {root.tag!r})")
    response_date = _text(root, "responseDate")
    errors = root.findall(f"{_O}error")
    if errors:
        codes = [e.get("code", "") for e in errors]
        if verb in LIST_VERBS and NoRecordsMatch.code in codes:
            return Page(verb, root, response_date, (), stripped=stripped)
        first = errors[0]
        # the provider's words go to logs, one-line errors and tab-separated listings
        raise error_for(first.get("code", ""), _cut(" ".join((first.text or "").split())))
    body = root.find(f"{_O}{verb.value}")
    if body is None:
        raise UnexpectedResponse(f"response has no <{verb.value}> element")
    tag = ITEM_TAGS[verb]
    items = tuple(body.findall(f"{_O}{tag}")) if tag else (body,)
    token_el = body.find(f"{_O}resumptionToken")
    token, size, cursor = None, None, None
    if token_el is not None:
        token = (token_el.text or "").strip() or None
        size = _int(token_el.get("completeListSize"))
        cursor = _int(token_el.get("cursor"))
    return Page(verb, root, response_date, items, token, size, cursor, stripped)


_IDENTIFIER, _DATESTAMP, _SET_SPEC = f"{_O}identifier", f"{_O}datestamp", f"{_O}setSpec"
_HEADER, _METADATA, _ABOUT = f"{_O}header", f"{_O}metadata", f"{_O}about"


def page_signature(page: Page) -> bytes | None:
    """What names a page's records or headers (their identifiers, datestamps and setSpecs,
    in order) as a digest, to tell a page sent again; None for a page with none (a
    ListSets page's sets have no header: any two pages of as many sets would match)."""
    digest = hashlib.sha256()
    signed = False
    for item in page.items:
        header = item if item.tag == _HEADER else item.find(_HEADER)  # not the metadata's
        if header is None:
            continue
        signed = True
        for el in header.iterchildren(_IDENTIFIER, _DATESTAMP, _SET_SPEC):
            digest.update((el.text or "").encode("utf-8", "surrogatepass") + b"\0")
        digest.update(b"\1")
    return digest.digest() if signed else None


def read_header(el: etree._Element) -> Header:
    """A ``<header>`` element as a Header; raises UnexpectedResponse if incomplete."""
    identifier = datestamp = None
    specs: list[str] = []
    for child in el:  # one pass; the first identifier and datestamp count, as find() would
        tag = child.tag
        if tag == _SET_SPEC:
            specs.append((child.text or "").strip())
        elif tag == _IDENTIFIER and identifier is None:
            identifier = (child.text or "").strip()
        elif tag == _DATESTAMP and datestamp is None:
            datestamp = (child.text or "").strip()
    if not identifier:
        raise UnexpectedResponse("a record header without an identifier")
    if not datestamp:  # named: the page fails, and the provider is to be told which
        raise UnexpectedResponse(f"the record header of {identifier!r} has no datestamp")
    return Header(identifier, datestamp, el.get("status") == "deleted", tuple(specs))


def read_record(el: etree._Element) -> Record:
    """A ``<record>`` element as a Record (metadata is its single child element)."""
    header_el = metadata_el = None
    abouts: list[etree._Element] = []
    for child in el:  # one pass; the first header and metadata count, as find() would
        tag = child.tag
        if tag == _HEADER:
            header_el = child if header_el is None else header_el
        elif tag == _METADATA:
            metadata_el = child if metadata_el is None else metadata_el
        elif tag == _ABOUT:
            abouts.append(child)
    if header_el is None:
        raise UnexpectedResponse("record without header")
    metadata = None
    if metadata_el is not None:
        metadata = next((c for c in metadata_el if isinstance(c.tag, str)), None)
    about = tuple(child for a in abouts for child in a if isinstance(child.tag, str))
    return Record(read_header(header_el), el, metadata, about)


def read_identity(page: Page) -> Identity:
    """The Identify answer; unknown granularity is read as day granularity."""
    body = page.items[0]
    gran_text = _text(body, "granularity")
    granularity = Granularity.SECONDS if gran_text == Granularity.SECONDS.value else Granularity.DAY
    return Identity(
        repository_name=_text(body, "repositoryName"),
        base_url=_text(body, "baseURL"),
        protocol_version=_text(body, "protocolVersion"),
        earliest_datestamp=_text(body, "earliestDatestamp"),
        deleted_record=_text(body, "deletedRecord"),
        granularity=granularity,
        response_date=page.response_date,
    )


def read_set(el: etree._Element) -> SetInfo:
    return SetInfo(_text(el, "setSpec"), _text(el, "setName"))


def read_format(el: etree._Element) -> FormatInfo:
    return FormatInfo(
        _text(el, "metadataPrefix"), _text(el, "schema"), _text(el, "metadataNamespace")
    )


def _cut(message: str) -> str:
    """A provider's error message, at most MAX_MESSAGE characters (some send a stack trace)."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _text(el: etree._Element, name: str) -> str:
    child = el.find(f"{_O}{name}")
    return (child.text or "").strip() if child is not None else ""


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None
