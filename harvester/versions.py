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

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from harvester.client import OAIClient
from harvester.errors import TransportError

Fetch = Callable[[str], bytes]

MAX_VERSION_BYTES = 10 * 1024 * 1024


def version_fetcher(client: OAIClient, max_bytes: int = MAX_VERSION_BYTES) -> Fetch:
    """A Fetch for version URLs on ``client``'s provider (see module docstring)."""
    home = _origin(client.base_url)

    def fetch(url: str) -> bytes:
        if _origin(url) != home:
            raise TransportError(f"{url}: not on the provider {client.base_url}; not fetched")
        try:
            with client.http.stream("GET", url, timeout=client.timeout) as response:
                if response.status_code != 200:
                    raise TransportError(f"{url}: HTTP {response.status_code}")
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise TransportError(f"{url}: larger than {max_bytes} bytes")
        except httpx.HTTPError as exc:
            raise TransportError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
        return bytes(data)

    return fetch


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
