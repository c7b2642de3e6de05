"""An OAI-PMH 2.0 client on httpx: the six verbs, retries, and strict page parsing.

Each page is fetched once and parsed once, strictly (entities and network
off, through crosswalks.xmlsafe), after C0 control bytes are stripped and
counted. The OAI ``<error>`` is read before the HTTP status, so an error sent
with 4xx is still that OAI error; ``noRecordsMatch`` is an empty result.
503 and 429 are retried after Retry-After (seconds or HTTP-date, capped,
within a total wait budget); timeouts, connection errors and other 5xx are
retried with exponential backoff. A resumption token seen before stops the
list; ``badResumptionToken`` restarts the list from its first request once.

Raises: protocol.OAIError subclasses (what the provider reported);
errors.TransportError / WaitBudgetExceeded, BrokenPage (the bytes are saved
under ``keep_dir`` first), RepeatedToken, UnexpectedResponse.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

import httpx

from crosswalks.xmlsafe import XMLInputError, parse_untrusted, strip_illegal_bytes
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
from harvester.errors import BrokenPage, RepeatedToken, TransportError, WaitBudgetExceeded
from harvester.retry import RetryPolicy
from harvester.shared.protocol import BadResumptionToken, Verb, format_datestamp, utc_now

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
BUSY_STATUSES = frozenset({429, 503})

# Keyword argument -> OAI-PMH wire name.
WIRE_NAMES: dict[str, str] = {
    "prefix": "metadataPrefix",
    "from_": "from",
    "until": "until",
    "set_spec": "set",
    "identifier": "identifier",
}


def oai_args(**kwargs: str | None) -> dict[str, str]:
    """Keyword arguments (prefix, from_, until, set_spec, identifier) as OAI wire arguments."""
    return {WIRE_NAMES[k]: v for k, v in kwargs.items() if v is not None and v != ""}


class OAIClient:
    """A client for one provider base URL. Not thread-safe: one per thread.

    ``http`` is the httpx.Client (its transport may be an httpx.WSGITransport);
    ``sleep`` and ``clock`` are injected so waits can be observed in tests;
    ``timeout`` is per request. ``waited``, ``stripped`` and ``restarts``
    count what this client has done so far.
    """

    def __init__(
        self,
        base_url: str,
        http: httpx.Client,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        policy: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        keep_dir: Path | None = None,
    ) -> None:
        self.base_url = base_url
        self.http = http
        self.sleep = sleep
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        self.keep_dir = keep_dir or Path(tempfile.gettempdir()) / "rli-broken-pages"
        self.waited = 0.0
        self.stripped = 0
        self.restarts = 0

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
        self, verb: Verb, args: Mapping[str, str], *, token: str | None = None
    ) -> Iterator[Page]:
        """Every page of a list request, following tokens; ``token`` resumes mid-list.

        On ``badResumptionToken`` the list restarts from ``args`` once; a
        second one is raised. Raises RepeatedToken if a token comes back.
        """
        seen: set[str] = set()
        restarted = False
        while True:
            if token is not None:
                seen.add(token)
            try:
                page = self.fetch(verb, {"resumptionToken": token} if token else dict(args))
            except BadResumptionToken:
                if token is None or restarted:
                    raise
                log.warning("%s: resumption token refused; restarting the list once", self.base_url)
                restarted, token = True, None
                self.restarts += 1
                seen.clear()
                continue
            yield page
            if page.token is None:
                return
            if page.token in seen:
                raise RepeatedToken(f"{self.base_url}: resumptionToken {page.token!r} repeated")
            token = page.token

    def fetch(self, verb: Verb, args: Mapping[str, str]) -> Page:
        """One request, retried as the policy says, parsed into a Page."""
        response = self._send({"verb": verb.value, **args})
        data = response.content
        cleaned, count = strip_illegal_bytes(data)
        if count:
            log.warning("%s: %d illegal XML characters stripped", self.base_url, count)
            self.stripped += count
        try:
            root = parse_untrusted(cleaned, source=f"{verb.value} response")
        except XMLInputError as exc:
            if response.status_code >= 400:
                raise TransportError(
                    f"{self.base_url}: HTTP {response.status_code} for {verb.value}"
                ) from exc
            raise BrokenPage(f"{self.base_url}: {exc}", self._keep(data, verb)) from exc
        page = read_page(root, verb, count)
        if response.status_code >= 400:
            raise TransportError(f"{self.base_url}: HTTP {response.status_code} for {verb.value}")
        return page

    # -- HTTP ----------------------------------------------------------------

    def _send(self, params: dict[str, str]) -> httpx.Response:
        failures = busy = 0
        while True:
            try:
                response = self.http.get(self.base_url, params=params, timeout=self.timeout)
            except httpx.TransportError as exc:
                failures += 1
                if failures >= self.policy.attempts:
                    raise TransportError(
                        f"{self.base_url}: {exc.__class__.__name__} after {failures} tries"
                    ) from exc
                self._wait(self.policy.backoff_wait(failures))
                continue
            except httpx.RequestError as exc:  # bad gzip, redirect loop: retrying won't help
                raise TransportError(f"{self.base_url}: {exc.__class__.__name__}: {exc}") from exc
            if response.status_code in BUSY_STATUSES:
                busy += 1
                if busy >= self.policy.busy_attempts:
                    raise TransportError(
                        f"{self.base_url}: HTTP {response.status_code} after {busy} tries"
                    )
                self._wait(self.policy.busy_wait(response.headers.get("Retry-After"), self.clock()))
                continue
            if response.status_code >= 500 and failures + 1 < self.policy.attempts:
                failures += 1
                self._wait(self.policy.backoff_wait(failures))
                continue
            return response

    def _wait(self, seconds: float) -> None:
        if self.waited + seconds > self.policy.wait_budget:
            raise WaitBudgetExceeded(
                f"{self.base_url}: waiting {seconds:.0f}s more would pass the"
                f" {self.policy.wait_budget:.0f}s wait budget"
            )
        self.waited += seconds
        self.sleep(seconds)

    def _keep(self, data: bytes, verb: Verb) -> Path | None:
        try:
            self.keep_dir.mkdir(parents=True, exist_ok=True)
            stamp = format_datestamp(self.clock()).replace(":", "")
            path = self.keep_dir / f"{verb.value}-{stamp}-{time.monotonic_ns()}.xml"
            path.write_bytes(data)
        except OSError:
            return None
        return path
