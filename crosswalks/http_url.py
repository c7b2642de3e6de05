"""Whether a string is an absolute http(s) URL a request could be sent to.

Base URLs come from users (a harvest source, a resolver, the provider's public
address) and fail late and badly when they are not usable: a port that is no
number or past 65535, an unclosed IPv6 bracket, a host name with an empty or
over-long label (which the resolver's IDNA encoding refuses at connect time), a
tab or space copied along with it. :func:`url_problem` says what is wrong before
anything is stored or served.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
NOT_HTTP = "it is not an absolute http(s) URL"


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a usable host and port; None if it is."""
    found = _CONTROL_OR_SPACE.search(url)
    if found:
        return f"it holds the character {found.group()!r} (at {found.start()})"
    try:
        parts = urlsplit(url)
    except ValueError:  # what urlsplit refuses: a bracketed host that is no IPv6 address
        return "its [...] host is not a valid IPv6 address"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return NOT_HTTP
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = 0
    if port == 0:
        return "its port is not a number from 1 to 65535"
    host = parts.hostname
    if ":" not in host:  # a name or an IPv4 address (an IPv6 literal has been checked)
        try:
            host.encode("idna")
        except UnicodeError:
            return f"{host!r} is not a usable host name"
    return None
