"""An OAI-PMH 2.0 client on httpx: the six verbs, retries, and strict page parsing.

Each page is fetched once and parsed strictly (entities and network off,
through crosswalks.xmlsafe), after the characters XML 1.0 forbids are stripped
and counted (C0 control bytes; in a UTF-16 or UTF-32 page, characters); a page
the parser refuses is parsed once more without character references to them
(``&#x1F;``), which Java and XSLT providers write. A body that is not UTF-8 and
whose encoding only the HTTP ``charset`` names (no BOM, no XML declaration of
one) is read in that charset; white space before the XML declaration (a PHP
provider's stray newline) is dropped.
Any well-formed OAI-PMH body is read as such whatever the HTTP status, so an
error sent with 4xx is still that OAI error and ``noRecordsMatch`` (even with
422) is an empty result. Bodies are streamed and capped (``max_bytes``, after
decompression) and each page has a deadline; the whole run may have one
(``stop_at``). Redirects are followed by hand, to the same host only unless
``other_hosts``.
503 and 429 are retried after Retry-After (seconds or HTTP-date, at least a
second, within a total wait budget; each wait logged; one past the cap fails
at once, WaitTooLong, naming the wait asked); timeouts, dropped connections
and 500/502/504 are retried with exponential backoff; nothing else is.
A list going nowhere is stopped (harvester.listwatch); ``badResumptionToken``
restarts the list once. A provider that says it keeps seconds but answers
``badArgument`` to a ``from``/``until`` with a time of day is asked by day from
then on (the OAI-PMH spec makes every provider take days): the window starts at
its day's midnight, earlier, and what comes twice is kept once by the caller.

Raises: protocol.OAIError subclasses (what the provider reported);
errors.TransportError / WaitBudgetExceeded / WaitTooLong / PageTooSlow /
RedirectRefused,
RunTimeExceeded, Interrupted, BrokenPage (a bounded prefix of the bytes saved under
``keep_dir`` first), RepeatedToken, EndlessList, UnexpectedResponse.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

import httpx

from crosswalks.xmlsafe import (
    MAX_INPUT_BYTES,
    XMLInputError,
    parse_untrusted,
    recode_by_charset,
    strip_illegal,
    strip_illegal_references,
)
from harvester.arguments import by_day, oai_args
from harvester.body import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    drop_space_before_declaration,
    html_title,
    read_body,
)
from harvester.envelope import (
    FormatInfo,
    Header,
    Identity,
    Page,
    Record,
    SetInfo,
    read_format,
    read_header,
    read_identity,
    read_page,
    read_record,
    read_set,
)
from harvester.errors import (
    BrokenPage,
    Interrupted,
    PageTooSlow,
    RedirectRefused,
    RunTimeExceeded,
    TransportError,
    UnexpectedResponse,
    WaitBudgetExceeded,
    WaitTooLong,
)
from harvester.listwatch import ListWatch
from harvester.retry import RetryPolicy, duration
from harvester.shared.protocol import (
    BadArgument,
    BadResumptionToken,
    Verb,
    format_datestamp,
    utc_now,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
BUSY_STATUSES = frozenset({429, 503})
# Other statuses are not retried: 501, 505 and 4xx will not change by asking again.
RETRY_STATUSES = frozenset({500, 502, 504})
# Timeouts and dropped connections may pass; a bad URL or a protocol misuse will not.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
MAX_REDIRECTS = 5
DEFAULT_PAGE_DEADLINE = 300.0
KEEP_PREFIX_BYTES = 1024 * 1024


class _Busy(Exception):
    """A 503/429 answer (internal to OAIClient._send)."""

    def __init__(self, status: int, retry_after: str | None, body: bytes) -> None:
        super().__init__(status)
        self.status, self.retry_after, self.body = status, retry_after, body


class _Retry(_Busy):
    """A 5xx answer worth asking again."""

class OAIClient:
    """A client for one provider base URL. Not thread-safe: one per thread.

    ``http`` is the httpx.Client (its transport may be an httpx.WSGITransport);
    ``sleep`` and ``clock`` are injected so waits can be observed in tests (the
    default sleep ends early, raising errors.Interrupted, once ``stop`` is set);
    ``timeout`` is per read; ``page_deadline`` bounds one page (seconds) and
    ``stop_at`` (a ``monotonic`` time) the whole run; once ``stop`` is set, the
    next read or request, or a request that fails (its socket shut down:
    harvester.sockets), raises errors.Interrupted (Ctrl-C); ``other_hosts`` lets
    redirects leave the base URL's host; ``max_bytes`` caps a decoded body.
    ``waited``, ``stripped`` and ``restarts``
    count what this client has done so far; ``asks_by_day``: it asks by day (see ``pages``).
    """

    def __init__(
        self,
        base_url: str,
        http: httpx.Client,
        *,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        policy: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        keep_dir: Path | None = None,
        page_deadline: float = DEFAULT_PAGE_DEADLINE,
        stop_at: float | None = None,
        other_hosts: bool = False,
        max_bytes: int = MAX_INPUT_BYTES,
        monotonic: Callable[[], float] = time.monotonic,
        stop: threading.Event | None = None,
    ) -> None:
        self.stop = stop or threading.Event()
        self.base_url = base_url
        self.http = http
        self.sleep = sleep or self._pause
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        self.keep_dir = keep_dir or Path(tempfile.gettempdir()) / "rli-broken-pages"
        self.page_deadline = page_deadline
        self.stop_at = stop_at
        self.other_hosts = other_hosts
        self.max_bytes = max_bytes
        self.monotonic = monotonic
        self.waited = 0.0
        self.stripped = 0
        self.restarts = 0
        self.asks_by_day = False

    # -- the six verbs -----------------------------------------------------

    def identify(self) -> Identity:
        return read_identity(self.fetch(Verb.IDENTIFY, {}))

    def list_metadata_formats(self, identifier: str | None = None) -> list[FormatInfo]:
        page = self.fetch(Verb.LIST_METADATA_FORMATS, oai_args(identifier=identifier))
        return [read_format(el) for el in page.items]

    def list_sets(self) -> Iterator[SetInfo]:
        for page in self.pages(Verb.LIST_SETS, {}):
            yield from (read_set(el) for el in page.items)

    def list_identifiers(
        self,
        prefix: str,
        *,
        from_: str | None = None,
        until: str | None = None,
        set_spec: str | None = None,
    ) -> Iterator[Header]:
        args = oai_args(prefix=prefix, from_=from_, until=until, set_spec=set_spec)
        for page in self.pages(Verb.LIST_IDENTIFIERS, args):
            yield from (read_header(el) for el in page.items)

    def list_records(
        self,
        prefix: str,
        *,
        from_: str | None = None,
        until: str | None = None,
        set_spec: str | None = None,
    ) -> Iterator[Record]:
        args = oai_args(prefix=prefix, from_=from_, until=until, set_spec=set_spec)
        for page in self.pages(Verb.LIST_RECORDS, args):
            yield from (read_record(el) for el in page.items)

    def get_record(self, identifier: str, prefix: str) -> Record:
        page = self.fetch(Verb.GET_RECORD, oai_args(identifier=identifier, prefix=prefix))
        return read_record(page.items[0])

    # -- pages -------------------------------------------------------------

    def pages(
        self, verb: Verb, args: Mapping[str, str], *, token: str | None = None,
        restart: bool = True,
    ) -> Iterator[Page]:
        """Every page of a list request, following tokens; ``token`` resumes mid-list.

        On ``badResumptionToken`` the list restarts from ``args`` once (the pages
        already yielded come again), and a second one is raised; without ``restart``,
        the first is raised (a caller that cannot take pages back restarts itself).
        A ``badArgument`` to a ``from``/``until`` with a time of day asks again by day
        (see :func:`by_day`). A page that is an earlier one again comes marked ``again``.
        Raises RepeatedToken if a token comes back, EndlessList for a list going nowhere.
        """
        watch = ListWatch(self.base_url)
        restarted = False
        while True:
            watch.asking(token)
            asked = by_day(args) if self.asks_by_day else dict(args)
            try:
                page = self.fetch(verb, {"resumptionToken": token} if token else asked)
            except BadResumptionToken:
                if token is None or restarted or not restart:
                    raise
                log.warning("%s: resumption token refused; restarting the list once", self.base_url)
                restarted, token = True, None
                self.restarts += 1
                watch.restart()
                continue
            except BadArgument:
                if token is not None or self.asks_by_day or by_day(args) == asked:
                    raise
                days = by_day(args)
                log.warning("%s: a from/until with a time of day refused (badArgument):"
                            " asking by day (%s)", self.base_url, ", ".join(
                                f"{k} {days[k]}" for k in ("from", "until") if k in days))
                self.asks_by_day = True
                continue
            yield watch.mark(page)
            if page.token is None:
                return
            watch.check(page)
            token = page.token

    def fetch(self, verb: Verb, args: Mapping[str, str]) -> Page:
        """One request, retried as the policy says, parsed into a Page.

        A well-formed OAI-PMH body is read as such whatever the HTTP status
        (Zenodo answers ``noRecordsMatch`` with 422); only a body that is not
        one makes a 4xx/5xx a TransportError.
        """
        status, data = self._send(verb, {"verb": verb.value, **args})
        cleaned, count = strip_illegal(data)
        source = f"{verb.value} response"
        try:
            root = parse_untrusted(cleaned, source=source)
        except XMLInputError as exc:
            # References to forbidden characters (&#x1F;) are looked for only in a page
            # refused: in one that parses they cannot be (or are CDATA text, to keep).
            cleaned, references = strip_illegal_references(cleaned)
            try:
                if not references:
                    raise exc
                root = parse_untrusted(cleaned, source=source)
            except XMLInputError:
                if status >= 400:
                    raise TransportError(
                        f"{self.base_url}: HTTP {status} for {verb.value}") from exc
                title = html_title(data)  # a login, maintenance or bot-check page
                said = exc if title is None else f"{source} is an HTML page ({title!r})"
                raise BrokenPage(f"{self.base_url}: {said}", self._keep(data, verb)) from exc
            count += references
        if count:
            log.warning("%s: %d illegal XML characters stripped", self.base_url, count)
            self.stripped += count
        try:
            return read_page(root, verb, count)
        except UnexpectedResponse as exc:
            if status >= 400:
                raise TransportError(f"{self.base_url}: HTTP {status} for {verb.value}") from exc
            raise

    # -- HTTP ----------------------------------------------------------------

    def _send(self, verb: Verb, params: dict[str, str]) -> tuple[int, bytes]:
        """Status and body of one request after retries (see module docstring)."""
        failures = busy = 0
        while True:
            try:
                return self._exchange(verb, params)
            except RETRYABLE_ERRORS as exc:
                self._check_stopped(exc)
                failures += 1
                if failures >= self.policy.attempts:
                    raise TransportError(
                        f"{self.base_url}: {exc.__class__.__name__} after {failures} tries"
                    ) from exc
                self._wait(self.policy.backoff_wait(failures))
            except httpx.RequestError as exc:  # bad URL, protocol misuse: retrying won't help
                self._check_stopped(exc)
                raise TransportError(f"{self.base_url}: {exc.__class__.__name__}: {exc}") from exc
            except _Retry as answer:
                failures += 1
                if failures >= self.policy.attempts:
                    return answer.status, answer.body
                log.warning("%s: HTTP %d, retrying", self.base_url, answer.status)
                self._wait(self.policy.backoff_wait(failures))
            except _Busy as answer:
                busy += 1
                if busy >= self.policy.busy_attempts:
                    raise TransportError(
                        f"{self.base_url}: HTTP {answer.status} after {busy} tries"
                    ) from None
                seconds = self.policy.busy_wait(answer.retry_after, self.clock())
                if self.policy.too_long(seconds):
                    said = (answer.retry_after or "").strip()
                    raise WaitTooLong(
                        f"{self.base_url}: HTTP {answer.status}: the provider asks to wait"
                        f" {duration(seconds)}"
                        + (f" (Retry-After: {said})" if 0 < len(said) <= 40 else "")
                        + f"; rli waits {duration(self.policy.retry_after_cap)} at most:"
                        " try again later") from None
                log.warning("%s: HTTP %d (busy), waiting %.0fs (Retry-After %s)",
                            self.base_url, answer.status, seconds, answer.retry_after or "none")
                self._wait(seconds)

    def _exchange(self, verb: Verb, params: dict[str, str] | None) -> tuple[int, bytes]:
        """One GET, redirects followed by hand (same host unless allowed), body bounded."""
        self._check_run_time()
        url: str = self.base_url
        query: dict[str, str] | None = params
        for _ in range(MAX_REDIRECTS + 1):
            deadline = self._page_deadline()
            left = max(deadline - self.monotonic(), 0.1)
            read = min(self.timeout.read or left, left)
            request = self.http.build_request(
                "GET", url, params=query, headers={"Accept-Encoding": ACCEPT_ENCODING},
                timeout=httpx.Timeout(self.timeout.connect, read=read, write=self.timeout.write,
                                      pool=self.timeout.pool),
            )
            response = self.http.send(request, stream=True, follow_redirects=False)
            try:
                if response.next_request is not None:
                    url, query = self._redirect(response.next_request.url), None
                    continue
                status = response.status_code
                if status in BUSY_STATUSES:
                    raise _Busy(status, response.headers.get("Retry-After"), b"")
                try:
                    body = read_body(response, cap=self.max_bytes, deadline=deadline,
                                     source=self.base_url, monotonic=self.monotonic,
                                     stopped=self.stop.is_set)
                except PageTooSlow:  # the page's deadline is the run's limit when that is sooner
                    self._check_run_time()
                    raise
                except BodyTooLarge as big:
                    raise BrokenPage(
                        f"{self.base_url}: {verb.value} response larger than"
                        f" {self.max_bytes // (1024 * 1024)} MB",
                        self._keep(big.prefix, verb),
                    ) from None
                self._check_stopped()  # a body cut short by a Ctrl-C is no page
                body, space = drop_space_before_declaration(body)
                if space:
                    log.warning("%s: white space before the XML declaration dropped",
                                self.base_url)
                body = recode_by_charset(body, response.charset_encoding)
                if status in RETRY_STATUSES:
                    raise _Retry(status, None, body)
                return status, body
            finally:
                response.close()
        raise TransportError(f"{self.base_url}: more than {MAX_REDIRECTS} redirects")

    def _redirect(self, target: httpx.URL) -> str:
        here = httpx.URL(self.base_url)
        if target.host != here.host and not self.other_hosts:
            raise RedirectRefused(
                f"{self.base_url}: redirect to another host ({target.host}) refused;"
                " allow it for this source if it is expected"
            )
        log.info("%s: redirected to %s", self.base_url, target)
        return str(target)

    def _page_deadline(self) -> float:
        deadline = self.monotonic() + self.page_deadline
        return deadline if self.stop_at is None else min(deadline, self.stop_at)

    def _check_run_time(self) -> None:
        if self.stop.is_set():
            raise Interrupted(f"{self.base_url}: interrupted")
        if self.stop_at is not None and self.monotonic() >= self.stop_at:
            raise RunTimeExceeded(
                f"{self.base_url}: the run passed its time limit; the next run resumes here"
            )

    def _check_stopped(self, error: Exception | None = None) -> None:
        """Raise Interrupted (for ``error``) once ``stop`` is set: a Ctrl-C shuts the socket
        a read waits on (harvester.sockets), and the read fails for that, or ends as if
        the body were whole (one without a length ends where the connection does)."""
        if self.stop.is_set():
            raise Interrupted(f"{self.base_url}: interrupted") from error

    def _wait(self, seconds: float) -> None:
        if self.waited + seconds > self.policy.wait_budget:
            raise WaitBudgetExceeded(
                f"{self.base_url}: waiting {seconds:.0f}s more would pass the"
                f" {self.policy.wait_budget:.0f}s wait budget"
            )
        self.waited += seconds
        self.sleep(seconds)

    def _pause(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Interrupted(f"{self.base_url}: interrupted")

    def _keep(self, data: bytes, verb: Verb) -> Path | None:
        """Keep at most KEEP_PREFIX_BYTES of a broken page for study."""
        try:
            self.keep_dir.mkdir(parents=True, exist_ok=True)
            stamp = format_datestamp(self.clock()).replace(":", "")
            path = self.keep_dir / f"{verb.value}-{stamp}-{time.monotonic_ns()}.xml"
            path.write_bytes(data[:KEEP_PREFIX_BYTES])
        except OSError:
            return None
        return path
