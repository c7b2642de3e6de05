"""The WSGI application: ``/oai`` (GET and form POST), version documents, the stylesheet.

Routes (relative to the mount point, ``SCRIPT_NAME``):

- ``/oai`` GET or POST ``application/x-www-form-urlencoded``: OAI-PMH, always
  HTTP 200 with ``text/xml`` (errors are ``<error>`` elements); undecodable
  or oversized arguments are answered ``badArgument``. Other methods: 405.
  A request that prefers ``text/html`` (a browser) gets the same response as a
  page rendered on the server (:mod:`repository.oai.html`); ``Vary: Accept``.
- ``/oai.xml``: the same OAI-PMH endpoint, always XML, without
  ``<?xml-stylesheet?>`` (the pages link here so a browser shows the raw XML).
- ``/lists/<id>/versions/<n>.xml``: the archived RLI XML of a version, byte
  for byte, ``application/xml``; 404 if there is no such list or version.
- ``/static/oai2.xsl``: the XSLT that renders responses as HTML in a browser.
- ``/schemas/rli.xsd``, ``/schemas/rli-ext.xsd``, ``/schemas/rli-common.xsd``: the
  project's RLI schemas (the ``schema`` ListMetadataFormats gives for ``rli``).
- ``/``: redirect to Identify. Anything else: 404.

Bodies are gzip-compressed when the client accepts gzip (OAI responses with
cached records spliced in precompressed, see :mod:`repository.oai.compression`).
A body held in memory, or one that ends within WHOLE bytes, goes out whole with
its Content-Length (no chunked framing; an HTTP/1.0 client or a proxy knows the
size); a longer one (a ListRecords page) streams as it is written.
The app never lets an exception out: failures are logged and answered in OAI
terms (``/oai``) or as a plain 500 (other paths, which take no client input
beyond the path). While the archive cannot answer (another process holds SQLite's
lock, an I/O error, a full disk), ``/oai`` and the version documents answer
``503 Service Unavailable`` with ``Retry-After`` (seconds, ``ProviderConfig.retry_after``)
and a line of plain text, so harvesters try again instead of giving up (OAI-PMH
2.0, 3.1.2.2).
"""

from __future__ import annotations

import logging
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import sqlite_utils

from crosswalks.validation import schema_dir
from harvester.shared.db import open_db
from harvester.shared.protocol import BadArgument, utc_now
from repository.archive import Archive, ArchiveError
from repository.oai import html as oai_html
from repository.oai import store as oai_store
from repository.oai.provider import SERVED_SCHEMAS, Provider, ProviderConfig, Unavailable
from repository.oai.records import RenderCache, fingerprint

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 64 * 1024
WHOLE = 64 * 1024  # a streamed body that ends within this goes out whole, with its length
RENDER_WRITE_WAIT_MS = 250
# The browser's page of a response (not the XML): framed by no other site, as the pages
# for people are not (its stylesheet is inline, so no stricter policy here).
PAGE_HEADERS = (("X-Frame-Options", "DENY"), ("Content-Security-Policy", "frame-ancestors 'none'"),
                ("X-Content-Type-Options", "nosniff"))
# Every other answer (XML, plain text): no script runs from what a record holds, were a
# browser to render it (an XHTML or SVG script inside an imported list's metadata);
# 'self' for the <?xml-stylesheet?> a browser runs as XSLT under script-src.
XML_HEADERS = (("Content-Security-Policy", "default-src 'none'; script-src 'self';"
                " style-src 'unsafe-inline'; frame-ancestors 'none'"),
               ("X-Content-Type-Options", "nosniff"))
_VERSION_PATH = re.compile(r"/lists/(?P<id>[^/]+)/versions/(?P<n>[1-9][0-9]{0,8})\.xml")
_STATIC: dict[str, tuple[str, str]] = {
    "/static/oai2.xsl": ("oai2.xsl", "text/xsl; charset=utf-8"),
}

StartResponse = Callable[..., Any]
Headers = list[tuple[str, str]]


def static_file(name: str) -> bytes:
    """The bytes of ``repository/static/<name>``, as installed with rli."""
    return (files("repository") / "static" / name).read_bytes()


class OAIApp:
    """The WSGI callable (see module docstring); one Provider per thread over one database."""

    def __init__(
        self,
        db: Path | sqlite_utils.Database,
        config: ProviderConfig,
        *,
        secret: bytes | None = None,
        clock: Callable[[], datetime] = utc_now,
        stamp: str | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.cache = RenderCache(config.cache_size)
        self._path = db if isinstance(db, Path) else None
        first = Archive(db if isinstance(db, sqlite_utils.Database) else open_db(db))
        oai_store.prepare(first)
        self.secret = secret or oai_store.token_secret(first.db)
        self.stamp = stamp or fingerprint(config.base_url, config.repository_identifier)
        self._shared = self._provider(first)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._static = {
            route: (static_file(name), ctype)
            for route, (name, ctype) in _STATIC.items()
        }
        self._static.update({
            f"/schemas/{name}": ((schema_dir() / "rli" / name).read_bytes(), "application/xml")
            for name in SERVED_SCHEMAS.values()
        })
        self._pages = oai_html.PageRenderer(self._static["/static/oai2.xsl"][0])

    def _provider(self, archive: Archive) -> Provider:
        return Provider(archive, self.config, secret=self.secret, clock=self.clock,
                        cache=self.cache, stamp=self.stamp)

    def provider(self) -> Provider:
        """This thread's Provider (its own SQLite connection when the app owns the file)."""
        if self._path is None:
            return self._shared
        found: Provider | None = getattr(self._local, "provider", None)
        if found is None:
            db = open_db(self._path)
            # Readers never wait in WAL; only storing a rendering can, and that may give up.
            db.conn.execute(f"PRAGMA busy_timeout = {RENDER_WRITE_WAIT_MS}")
            found = self._provider(Archive(db))
            self._local.provider = found
        return found

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        zipped = _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        body: Iterable[bytes]
        try:
            status, headers, body = self._route(environ, path, zipped)
            headers, body = _sized(headers, body)
        except Exception:  # never a traceback to the client
            log.exception("request for %s failed", path)
            status, headers, body = _plain("500 Internal Server Error", "internal error (logged)")
            headers, body = _sized(headers, _gzip(body) if zipped else body)
        if zipped:
            headers = [*headers, ("Content-Encoding", "gzip")]
        if all(name != "Content-Security-Policy" for name, _ in headers):
            headers = [*headers, *XML_HEADERS]
        if environ.get("REQUEST_METHOD") == "HEAD":  # GET's headers (RFC 9110 9.3.2), no body
            close = getattr(body, "close", None)
            if close is not None:
                close()
            body = iter(())
        # every answer, plain or not: a cache must not give a plain one to a client that
        # refuses identity, nor keep one answer for all clients
        start_response(status, _vary(headers, "Accept-Encoding"))
        return body

    def _route(
        self, environ: dict[str, Any], path: str, zipped: bool
    ) -> tuple[str, Headers, Iterable[bytes]]:
        """Status, headers and body (already gzip-compressed when ``zipped``)."""
        if path in ("/oai", "/oai.xml") and environ.get("REQUEST_METHOD", "GET") in (
            "GET", "HEAD", "POST"
        ):
            return self._negotiated(environ, path, zipped)
        status, headers, body = self._other(environ, path)
        return status, headers, _gzip(body) if zipped else body

    def _other(self, environ: dict[str, Any], path: str) -> tuple[str, Headers, Iterable[bytes]]:
        method = environ.get("REQUEST_METHOD", "GET")
        if path in ("/oai", "/oai.xml"):
            status, headers, body = _plain("405 Method Not Allowed", "use GET or POST")
            return status, [*headers, ("Allow", "GET, HEAD, POST")], body
        if method not in ("GET", "HEAD"):
            status, headers, body = _plain("405 Method Not Allowed", "use GET")
            return status, [*headers, ("Allow", "GET, HEAD")], body
        if path in self._static:
            data, ctype = self._static[path]
            return "200 OK", [("Content-Type", ctype)], iter((data,))
        found = _VERSION_PATH.fullmatch(path)
        if found:
            return self._version(found["id"], int(found["n"]))
        if path == "/":
            target = f"{environ.get('SCRIPT_NAME', '')}/oai?verb=Identify"
            return "302 Found", [("Location", target), ("Content-Type", "text/plain")], iter(())
        return _plain("404 Not Found", "not found")

    def _negotiated(
        self, environ: dict[str, Any], path: str, zipped: bool
    ) -> tuple[str, Headers, Iterator[bytes]]:
        """``/oai``: a page for a browser, else the XML; ``/oai.xml``: the XML, unstyled;
        503 while the archive is unavailable."""
        try:
            return self._answer(environ, path, zipped)
        except Unavailable as exc:
            status, headers, body = _unavailable(exc.retry_after)
            return status, headers, _gzip(body) if zipped else body

    def _answer(
        self, environ: dict[str, Any], path: str, zipped: bool
    ) -> tuple[str, Headers, Iterator[bytes]]:
        xml = [("Content-Type", "text/xml; charset=utf-8")]
        if path == "/oai.xml":
            return "200 OK", xml, self._oai(environ, zipped, styled=False)
        vary = ("Vary", "Accept")
        if not oai_html.prefers_html(str(environ.get("HTTP_ACCEPT", ""))):
            return "200 OK", [*xml, vary], self._oai(environ, zipped)
        response = b"".join(self._oai(environ, False))
        get = environ.get("REQUEST_METHOD") != "POST"
        raw = f"oai.xml?{environ.get('QUERY_STRING', '')}" if get else ""
        try:
            page = self._pages.render(response, raw_xml=raw)
        except oai_html.PageError:  # still an answer: the XML the browser would have had
            log.exception("OAI page could not be rendered")
            return "200 OK", [*xml, vary], _gzip((response,)) if zipped else iter((response,))
        headers = [("Content-Type", "text/html; charset=utf-8"), vary, *PAGE_HEADERS]
        return "200 OK", headers, _gzip((page,)) if zipped else iter((page,))

    def _oai(self, environ: dict[str, Any], zipped: bool, styled: bool = True) -> Iterator[bytes]:
        try:
            pairs = _arguments(environ)
        except BadArgument as exc:
            return self._ready().refuse(exc, gzip=zipped, styled=styled)
        if self._path is not None:
            return self._ready().respond(pairs, gzip=zipped, styled=styled)
        with self._lock:
            return self._ready().respond(pairs, gzip=zipped, styled=styled)

    def _ready(self) -> Provider:
        """This thread's Provider; Unavailable if its connection cannot be opened now."""
        try:
            return self.provider()
        except Exception as exc:
            if not oai_store.transient(exc):
                raise
            log.warning("archive unavailable (%s: %s)", exc.__class__.__name__, exc)
            raise Unavailable(str(exc), self.config.retry_after) from exc

    def _version(self, list_id: str, version: int) -> tuple[str, Headers, Iterable[bytes]]:
        try:
            with self._lock if self._path is None else _NoLock():
                data = self._ready().version_document(list_id, version)
        except ArchiveError:
            return _plain("404 Not Found", "no such list version")
        except Unavailable as exc:
            return _unavailable(exc.retry_after)
        except Exception as exc:
            if not oai_store.transient(exc):
                raise
            log.warning("version document deferred (%s: %s)", exc.__class__.__name__, exc)
            return _unavailable(self.config.retry_after)
        return "200 OK", [("Content-Type", "application/xml")], [data]  # sized whole


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def make_app(
    db: Path | str | sqlite_utils.Database,
    config: ProviderConfig,
    *,
    secret: bytes | None = None,
    clock: Callable[[], datetime] = utc_now,
    stamp: str | None = None,
) -> OAIApp:
    """The WSGI app over the archive in ``db`` (a path, or an open Database shared under a lock).

    ``stamp`` keys stored renderings (default: fingerprint of code and settings;
    a server passes the one its master used, so all processes agree).
    Raises StoreError if the file is not a usable database.
    """
    target = db if isinstance(db, sqlite_utils.Database) else Path(db)
    return OAIApp(target, config, secret=secret, clock=clock, stamp=stamp)


def _arguments(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The request's (name, value) pairs; raises BadArgument if they cannot be read."""
    raw = str(environ.get("QUERY_STRING", "")).encode("latin-1", "replace")
    if environ.get("REQUEST_METHOD") == "POST":
        ctype = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            raise BadArgument("POST requests must be application/x-www-form-urlencoded")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadArgument("bad Content-Length") from None
        if length > MAX_FORM_BYTES:
            raise BadArgument("the request is too large")
        chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
        # No Content-Length: the server de-chunks; read at most one byte past the limit.
        wanted = length if length > 0 else MAX_FORM_BYTES + 1 if chunked else 0
        raw = _read_body(environ, wanted)
        if len(raw) > MAX_FORM_BYTES:
            raise BadArgument("the request is too large")
    pairs = []
    for field in raw.split(b"&"):
        if not field:
            continue
        key, _, value = field.partition(b"=")
        try:
            pairs.append((_unquote(key), _unquote(value)))
        except UnicodeDecodeError:
            raise BadArgument("arguments must be percent-encoded UTF-8") from None
    return pairs


def _read_body(environ: dict[str, Any], size: int) -> bytes:
    """Up to ``size`` bytes of the request body; BadArgument if the server cannot read it."""
    if size <= 0:
        return b""
    try:
        return bytes(environ["wsgi.input"].read(size))
    except Exception as exc:  # the server's own error types (a malformed chunk, a reset)
        log.info("unreadable request body: %s: %s", exc.__class__.__name__, exc)
        raise BadArgument("the request body could not be read") from exc


def _unquote(part: bytes) -> str:
    return unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")


class _Rest:
    """A streamed body after its first chunks were read (closing it closes the body)."""

    def __init__(self, first: list[bytes], rest: Iterator[bytes], body: Iterable[bytes]) -> None:
        self._first = first
        self._rest = rest
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        yield from self._first
        self._first = []
        yield from self._rest

    def close(self) -> None:
        for source in (self._body, self._rest):
            close = getattr(source, "close", None)
            if close is not None:
                close()
                return


def _sized(headers: Headers, body: Iterable[bytes]) -> tuple[Headers, Iterable[bytes]]:
    """A body held in memory (a list or tuple), or one that ends within WHOLE bytes, as
    one piece with its Content-Length (two writes, headers and body, not three: no
    chunked framing, and a client knows the size); a longer one streamed as it comes,
    after the chunks read to find out."""
    first: list[bytes] = []
    rest: Iterator[bytes] = iter(())
    if isinstance(body, (list, tuple)):
        first = list(body)
    else:
        rest = iter(body)
        size = 0
        for chunk in rest:
            first.append(chunk)
            size += len(chunk)
            if size > WHOLE:
                return headers, _Rest(first, rest, body)
    data = b"".join(first)
    return [*headers, ("Content-Length", str(len(data)))], [data]


def _plain(status: str, text: str) -> tuple[str, Headers, Iterator[bytes]]:
    return status, [("Content-Type", "text/plain; charset=utf-8")], iter((text.encode(),))


def _unavailable(retry_after: int) -> tuple[str, Headers, Iterator[bytes]]:
    status, headers, body = _plain(
        "503 Service Unavailable",
        f"the repository cannot answer just now; try again in {retry_after} seconds")
    return status, [*headers, ("Retry-After", str(retry_after))], body


def _vary(headers: Headers, name: str) -> Headers:
    """``headers`` with ``name`` added to their one ``Vary`` header."""
    names = [value for key, value in headers if key == "Vary"]
    return [*((k, v) for k, v in headers if k != "Vary"), ("Vary", ", ".join([*names, name]))]


def _accepts_gzip(header: str) -> bool:
    """Whether to gzip for ``Accept-Encoding`` (RFC 9110 §12.5.3): gzip named with a
    weight above zero, or welcome through ``*`` when the client refuses identity."""
    weights: dict[str, float] = {}
    for part in header.lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                weight = _weight(value.strip())
        weights.setdefault(name, weight)
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("identity", weights.get("*", 1.0)) == 0 and weights.get("*", 0.0) > 0


def _weight(text: str) -> float:
    """A qvalue (``0`` to ``1``, at most three decimals; ``0.`` is zero); 0 if unreadable."""
    if not re.fullmatch(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?", text):
        return 0.0
    return float(text)


def _gzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Gzip for the small non-OAI bodies (OAI responses compress in oai_xml)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        out = packer.compress(chunk)
        if out:
            yield out
    yield packer.flush()
