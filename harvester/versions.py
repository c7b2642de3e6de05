"""Fetching the past versions of a harvested rli list, from the URLs its history gives.

An rli provider's ``rli`` payload lists every version of a list with the URL
of that version's archived RLI XML (``/lists/<id>/versions/<n>.xml``). The
archive asks for the versions it lacks through a :data:`Fetch`; this module
makes one over the harvest's own HTTP client. Only URLs on the provider's
own scheme, host and port are fetched (a record cannot send the harvester
elsewhere), each answer is bounded in size, and any failure raises
TransportError (a HarvestError) for the caller to fall back on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from harvester.body import BodyTooLarge, read_body
from harvester.client import OAIClient
from harvester.errors import TransportError

Fetch = Callable[[str], bytes]

MAX_VERSION_BYTES = 10 * 1024 * 1024
# A harvest fetches the versions a page needs before the page's write transaction
# (harvester.records.prefetch_versions); one it did not foresee is fetched inside it,
# holding the archive's write lock: a provider that drips a document must not hold it long.
VERSION_DEADLINE = 10.0


def version_fetcher(
    client: OAIClient, max_bytes: int = MAX_VERSION_BYTES, deadline: float = VERSION_DEADLINE
) -> Fetch:
    """A Fetch for version URLs on ``client``'s provider (see module docstring).

    Each document must arrive whole within ``deadline`` seconds (PageTooSlow).
    """
    home = _origin(client.base_url)

    def fetch(url: str) -> bytes:
        try:
            where = _origin(url)
        except ValueError as exc:  # a broken [IPv6] host, a port past 65535
            raise TransportError(f"{url}: not a usable URL ({exc}); not fetched") from exc
        if where != home:
            raise TransportError(f"{url}: not on the provider {client.base_url}; not fetched")
        try:
            with client.http.stream("GET", url, timeout=client.timeout) as response:
                if response.status_code != 200:
                    raise TransportError(f"{url}: HTTP {response.status_code}")
                return read_body(response, cap=max_bytes, deadline=time.monotonic() + deadline,
                                 source=url)
        except BodyTooLarge as exc:
            raise TransportError(f"{url}: larger than {max_bytes} bytes") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL: a control character
            raise TransportError(f"{url}: {exc.__class__.__name__}: {exc}") from exc

    return fetch


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
