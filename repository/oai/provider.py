"""The OAI-PMH 2.0 provider: the six verbs over the Archive, as a stream of response bytes.

``Provider.respond(pairs)`` takes the raw request arguments and returns the
response body in chunks; it never raises for any input, only :class:`Unavailable`
when the archive cannot answer now (SQLite busy or locked by another process, an
I/O error, a full disk: see :func:`~repository.oai.store.transient`), which the
app answers HTTP 503 with ``Retry-After`` so that harvesters try again (OAI-PMH
2.0, 3.1.2.2); any other failure is logged and answered ``badArgument``. Argument errors come
back as ``badVerb`` / ``badArgument`` (with an empty ``<request>``), the other
protocol errors (``badResumptionToken``, ``cannotDisseminateFormat``,
``idDoesNotExist``, ``noRecordsMatch``, ``noMetadataFormats``,
``noSetHierarchy``) with the request echoed. All database work and rendering
happen before the first byte is produced, so a failure can still be answered
as a well-formed OAI response.

Items are resource lists, identified ``oai:<repositoryIdentifier>:<list id>``
(the archive keeps list ids to unreserved URL characters, so they need no
escaping in identifiers or URLs, and an escaped form is not accepted).

Harvest guarantee (ListRecords / ListIdentifiers across resumption tokens):
the token carries the highest change sequence at the first request (*start*)
and the keyset position. Pages run in order of each list's change sequence
*as of start*, so

- every list that matched the request at start is delivered exactly once,
  even if it is edited, deleted or moved while the harvest runs;
- it is delivered in its state when its page is served (latest state wins;
  a list deleted meanwhile comes as ``status="deleted"``);
- a list edited after its page was served is not sent again, and a list
  created after start is not sent: both have datestamps after the start's
  responseDate, so the next incremental harvest (``from`` = that date) gets them.

``from``/``until`` are judged by the datestamp a list had at start (its header
shows the current one, which may lie after ``until``); set membership is
judged when each page is served, so a list that left the set meanwhile is not
delivered, and a later page emptied that way answers ``noRecordsMatch``.
``completeListSize`` is exact at start and on the last page, and always more than
the cursor and the page's records while pages follow (lists that joined the set
meanwhile raise it). Keeping this costs one query per page
over the lists changed since start: it grows with edits during the harvest,
never with its depth.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from lxml import etree

from crosswalks.http_url import url_problem
from crosswalks.registry import FORMATS, MetadataFormat
from harvester.shared.db import snapshot
from harvester.shared.protocol import (
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoMetadataFormats,
    NoRecordsMatch,
    NoSetHierarchy,
    OAIError,
    Verb,
    format_datestamp,
    utc_now,
)
from repository.archive import Archive, ListNotFound, ListState
from repository.oai import envelope as oai_xml
from repository.oai import store as oai_store
from repository.oai.args import OAIRequest, parse_request, read_set_spec
from repository.oai.compression import Rendered
from repository.oai.records import RecordRenderer, RenderCache, fingerprint
from repository.oai.tokens import DEFAULT_TTL, Position, TokenCodec

# namespace -> XSD file under data/schemas/rli served at <site>/schemas/<file>
SERVED_SCHEMAS: dict[str, str] = {
    oai_xml.RLI_NS: "rli.xsd",
    oai_xml.RLIX_NS: "rli-ext.xsd",
    oai_xml.RLX_NS: "rli-common.xsd",
}

log = logging.getLogger(__name__)

_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")


class ProviderConfigError(ValueError):
    """A provider setting is unusable (the message names it)."""


class Unavailable(Exception):
    """The archive cannot answer now; ask again in ``retry_after`` seconds (HTTP 503)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class ProviderConfig:
    """Deployment settings: names, URLs, page sizes, token lifetime, render cache size.

    ``base_url`` is the public OAI endpoint (set it when behind a proxy); the
    version documents and the stylesheet are served beside it. ``retry_after``:
    the seconds a 503 asks a harvester to wait while the archive is unavailable.
    """

    repository_name: str = "rli resource list repository"
    base_url: str = "http://127.0.0.1:8000/oai"
    admin_email: str = "admin@rli.localhost"
    repository_identifier: str = "rli.localhost"
    records_page: int = 100
    identifiers_page: int = 500
    sets_page: int = 100
    token_ttl: timedelta = DEFAULT_TTL
    stylesheet: str | None = "static/oai2.xsl"
    cache_size: int = 4096
    retry_after: int = 10

    def __post_init__(self) -> None:
        if not _REPOSITORY_ID.fullmatch(self.repository_identifier):
            raise ProviderConfigError(
                f"repository identifier {self.repository_identifier!r} is not a domain-like name"
            )
        if not _EMAIL.fullmatch(self.admin_email):
            raise ProviderConfigError(f"admin email {self.admin_email!r} is not an address")
        problem = url_problem(self.base_url)
        if problem is not None:
            raise ProviderConfigError(f"base URL {self.base_url!r} is not usable: {problem}")
        if min(self.records_page, self.identifiers_page, self.sets_page) < 1:
            raise ProviderConfigError("page sizes must be at least 1")
        if self.retry_after < 1:
            raise ProviderConfigError("retry_after must be at least 1 second")
        if self.token_ttl < timedelta(hours=24):
            raise ProviderConfigError("resumption tokens must live at least 24 hours")

    @property
    def site_url(self) -> str:
        """The URL the app's other paths hang from: ``base_url`` minus its last segment."""
        return self.base_url.rstrip("/").rsplit("/", 1)[0]

    @property
    def schema_urls(self) -> dict[str, str]:
        """namespace -> where the app serves its XSD: the project's RLI schema and
        extension (the IMS URL no longer resolves), so a harvester can validate."""
        return {ns: f"{self.site_url}/schemas/{name}" for ns, name in SERVED_SCHEMAS.items()}

    @property
    def stylesheet_href(self) -> str | None:
        """The xml-stylesheet href: ``stylesheet`` as given if absolute, else under the site path.

        ``/static/oai2.xsl`` for the default base URL; ``/rli/static/oai2.xsl`` behind
        a proxy at ``https://host/rli/oai``. None: no stylesheet.
        """
        if not self.stylesheet or self.stylesheet.startswith(("/", "http://", "https://")):
            return self.stylesheet or None
        return f"{urlsplit(self.site_url).path}/{self.stylesheet}"


Parts = list[etree._Element | Rendered]


class Provider:
    """Answers OAI-PMH requests from ``archive`` (see module docstring for the contract).

    Collaborators: ``secret`` signs resumption tokens; ``formats`` is the
    format registry offered (every item in every format); ``clock`` gives
    responseDate and token expiry; ``cache`` is the in-process LRU of rendered
    records (share one between threads); ``stamp`` keys stored renderings
    (default: :func:`~repository.oai.records.fingerprint` of code and settings).
    """

    def __init__(
        self,
        archive: Archive,
        config: ProviderConfig,
        *,
        secret: bytes,
        formats: Mapping[str, MetadataFormat] = FORMATS,
        clock: Callable[[], datetime] = utc_now,
        cache: RenderCache | None = None,
        stamp: str | None = None,
    ) -> None:
        oai_store.prepare(archive)
        self.archive = archive
        self.config = config
        self.formats = formats
        self.clock = clock
        self.cache = cache if cache is not None else RenderCache(config.cache_size)
        self.tokens = TokenCodec(secret, ttl=config.token_ttl, clock=clock)
        self.renderer = RecordRenderer(
            archive,
            identifier=self.oai_identifier,
            version_url=self.version_url,
            cache=self.cache,
            stamp=stamp or fingerprint(config.base_url, config.repository_identifier),
            schema_urls=config.schema_urls,
        )
        self._handlers: dict[Verb, Callable[[OAIRequest], Parts]] = {
            Verb.IDENTIFY: self._identify,
            Verb.LIST_METADATA_FORMATS: self._list_metadata_formats,
            Verb.LIST_SETS: self._list_sets,
            Verb.GET_RECORD: self._get_record,
            Verb.LIST_IDENTIFIERS: self._list_headers,
            Verb.LIST_RECORDS: self._list_headers,
        }

    # -- the one entry point -------------------------------------------------

    def respond(
        self, pairs: Iterable[tuple[str, str]], *, gzip: bool = False, styled: bool = True
    ) -> Iterator[bytes]:
        """The response to one request, as chunks of UTF-8 XML (one gzip member with
        ``gzip``; no ``<?xml-stylesheet?>`` unless ``styled``); raises only Unavailable."""
        date = format_datestamp(self.clock())
        bare = oai_xml.Envelope(date, self.config.base_url, (),
                                self.config.stylesheet_href if styled else None)
        try:
            request = parse_request(pairs)
        except (BadVerb, BadArgument) as exc:
            return oai_xml.stream_response(bare, None, (), [exc], gzip=gzip)
        envelope = replace(bare, arguments=(("verb", request.verb.value), *request.arguments))
        try:
            parts = self._handlers[request.verb](request)
        except OAIError as exc:
            return oai_xml.stream_response(envelope, None, (), [exc], gzip=gzip)
        except Exception as exc:  # a bug or a broken archive: log it, answer in OAI terms
            if oai_store.transient(exc):  # but a lock or the disk: ask to come back later
                log.warning("OAI request deferred (%s: %s): %s",
                            exc.__class__.__name__, exc, request)
                raise Unavailable(str(exc), self.config.retry_after) from exc
            log.exception("OAI request failed: %s", request)
            failure = BadArgument("the repository could not answer this request (logged)")
            return oai_xml.stream_response(bare, None, (), [failure], gzip=gzip)
        return oai_xml.stream_response(envelope, request.verb.value, parts, gzip=gzip)

    def refuse(
        self, error: OAIError, *, gzip: bool = False, styled: bool = True
    ) -> Iterator[bytes]:
        """An error response with an empty ``<request>`` (for arguments that could not be read)."""
        bare = oai_xml.Envelope(format_datestamp(self.clock()), self.config.base_url, (),
                                self.config.stylesheet_href if styled else None)
        return oai_xml.stream_response(bare, None, (), [error], gzip=gzip)

    # -- identifiers and URLs ------------------------------------------------

    def oai_identifier(self, list_id: str) -> str:
        return f"oai:{self.config.repository_identifier}:{list_id}"

    def list_id(self, identifier: str) -> str:
        """The list behind an OAI identifier; raises IdDoesNotExist if none."""
        return self.state_of(identifier).list_id

    def state_of(self, identifier: str) -> ListState:
        """The header facts of the list behind an OAI identifier (one query); raises
        IdDoesNotExist if there is none."""
        prefix = f"oai:{self.config.repository_identifier}:"
        if identifier.startswith(prefix) and len(identifier) > len(prefix):
            try:
                return self.archive.state(identifier[len(prefix):])
            except ListNotFound:
                pass
        raise IdDoesNotExist(f"no item {identifier!r} in this repository")

    def version_url(self, list_id: str, version: int) -> str:
        """Where the app serves the archived RLI XML of one version."""
        return f"{self.config.site_url}/lists/{list_id}/versions/{version}.xml"

    # -- verbs -----------------------------------------------------------------

    def _identify(self, request: OAIRequest) -> Parts:
        earliest = self.archive.earliest_datestamp() or format_datestamp(self.clock())
        return [*oai_xml.identify(
            name=self.config.repository_name,
            base_url=self.config.base_url,
            admin_email=self.config.admin_email,
            earliest=earliest,
            repository_identifier=self.config.repository_identifier,
            sample_id=self.oai_identifier("example-list"),
        )]

    def _list_metadata_formats(self, request: OAIRequest) -> Parts:
        identifier = request.get("identifier")
        if identifier is not None:
            self.list_id(identifier)
        if not self.formats:
            raise NoMetadataFormats("no metadata formats are available for this item")
        schemas = self.config.schema_urls
        return [oai_xml.metadata_format(fmt, schemas.get(fmt.namespace))
                for fmt in self.formats.values()]

    def _format(self, prefix: str | None) -> MetadataFormat:
        fmt = self.formats.get(prefix or "")
        if fmt is None:
            raise CannotDisseminateFormat(f"metadataPrefix {prefix!r} is not offered")
        return fmt

    def _get_record(self, request: OAIRequest) -> Parts:
        fmt = self._format(request.get("metadataPrefix"))
        return [self._record(self.state_of(request.get("identifier") or ""), fmt)]

    def _list_sets(self, request: OAIRequest) -> Parts:
        token = request.get("resumptionToken")
        if token is not None:
            pos = self.tokens.decode(token, Verb.LIST_SETS.value)
        else:
            size = oai_store.count_sets(self.archive)
            if size == 0:
                raise NoSetHierarchy("this repository has no sets yet")
            pos = Position(Verb.LIST_SETS.value, None, None, None, None, "", 0, 0, size)
        if not isinstance(pos.after, str):
            raise BadResumptionToken("the resumptionToken is not a ListSets token")
        page, more = oai_store.sets_page(self.archive, after=pos.after, limit=self.config.sets_page)
        fresh = len(page)
        if not page:  # every set after the last page went meanwhile (emptied); ListSets
            # must name one: the last one still there comes again (the same set, counted
            # once in completeListSize)
            page = oai_store.set_at_or_before(self.archive, pos.after) if pos.after else []
        if not page:
            raise NoSetHierarchy("this repository has no sets any more")
        parts: Parts = [oai_xml.set_entry(spec, name) for spec, name in page]
        parts += self._token(pos, page[-1][0], fresh, more)
        return parts

    def _list_headers(self, request: OAIRequest) -> Parts:
        """ListRecords and ListIdentifiers: one keyset page (see module docstring)."""
        verb = request.verb
        token = request.get("resumptionToken")
        pos = self.tokens.decode(token, verb.value) if token is not None else self._start(request)
        if not isinstance(pos.after, int):
            raise BadResumptionToken("the resumptionToken is not a record list token")
        fmt = self._format(pos.prefix) if token is None else self.formats.get(pos.prefix or "")
        if fmt is None:
            raise BadResumptionToken("the format of this resumptionToken is no longer offered")
        records = verb is Verb.LIST_RECORDS
        limit = self.config.records_page if records else self.config.identifiers_page
        at = oai_store.Window(pos.after, pos.upto, limit, pos.set_spec, pos.from_, pos.until)
        parts: Parts
        if records:
            entries, more = oai_store.record_page(self.archive, at, prefix=fmt.prefix,
                                                  stamp=self.renderer.stamp)
            positions = [entry.position for entry in entries]
            parts = [*self.renderer.page(entries, fmt)]
        else:
            page, more = oai_store.records_page(self.archive, at)
            positions = [position for position, _ in page]
            parts = [self._header(state) for _, state in page]
        if not positions:  # possible on a later page if the rest left the set meanwhile
            raise NoRecordsMatch("no records match the request (any more)")
        parts += self._token(pos, positions[-1], len(positions), more)
        return parts

    def _start(self, request: OAIRequest) -> Position:
        prefix = request.get("metadataPrefix")
        self._format(prefix)
        wire = request.get("set")
        set_spec = None
        if wire is not None:
            if oai_store.count_sets(self.archive) == 0:
                raise NoSetHierarchy("this repository has no sets yet")
            set_spec = read_set_spec(wire)
            if set_spec is None:  # escapes no set of ours has: a set that does not exist
                raise NoRecordsMatch("no records match the request (no such set)")
        from_, until = request.window()
        with snapshot(self.archive.db):  # what is counted is what the harvest covers
            upto = oai_store.last_change(self.archive)
            size = self.archive.count_changes(set_spec=set_spec, from_=from_, until=until)
        if size == 0:
            raise NoRecordsMatch("no records match the request")
        return Position(request.verb.value, prefix, set_spec, from_, until, 0, upto, 0, size)

    def _token(self, pos: Position, last: int | str, count: int, more: bool) -> Parts:
        """The page's resumptionToken: a new one, an empty one on the last page, or none.

        completeListSize is the count at start while the walk bears it out: raised past
        the records delivered where lists joined a set meanwhile (a harvester that stops
        once it holds that many would stop early), exact on the last page."""
        delivered = pos.cursor + count
        if more:
            size = max(pos.size, delivered + 1)
            token, expires = self.tokens.encode(
                replace(pos, after=last, cursor=delivered, size=size)
            )
            return [oai_xml.resumption_token(
                token, expiration=format_datestamp(expires), cursor=pos.cursor, size=size
            )]
        if pos.cursor > 0:
            return [oai_xml.resumption_token("", expiration=None, cursor=pos.cursor,
                                             size=delivered)]
        return []

    # -- records -------------------------------------------------------------

    def _header(self, state: ListState) -> etree._Element:
        return self.renderer.header(state)

    def _record(self, state: ListState, fmt: MetadataFormat) -> Rendered:
        return self.renderer.records([state], fmt)[0]

    def prerender(self, prefix: str, progress: Callable[[int], None] | None = None) -> int:
        """Store renderings of every live list in ``prefix``; how many were made.

        Raises CannotDisseminateFormat for an unknown prefix.
        """
        return self.renderer.prerender(self._format(prefix), progress=progress)

    def version_document(self, list_id: str, version: int) -> bytes:
        """The archived RLI XML of one version, exactly; raises ListNotFound / VersionNotFound."""
        return self.archive.document(list_id, version)


__all__ = ["ListNotFound", "Provider", "ProviderConfig", "ProviderConfigError", "RenderCache",
           "Unavailable"]
