"""How the pages behave: :class:`WebConfig` (imports no web framework)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from crosswalks.openurl import OpenURLError, openurl_link
from crosswalks.rli import Resource
from harvester.shared.protocol import utc_now


class WebConfigError(ValueError):
    pass


@dataclass(frozen=True)
class WebConfig:
    """How the pages behave.

    ``resolver``: a link-resolver base URL for OpenURL "find it" links;
    ``private``: reading needs a login too; ``secure_cookies``: the session
    cookie is sent over HTTPS only; ``login_limit`` failed logins per name or
    address within ``login_window`` seconds before logins are refused;
    ``proxies``: how many reverse proxies in front are trusted to say the
    client's address and scheme (``X-Forwarded-For``/``-Proto``); 0 ignores
    those headers, which anyone can forge.
    """

    resolver: str | None = None
    private: bool = False
    secure_cookies: bool = False
    recent: int = 20
    login_limit: int = 5
    login_window: int = 300
    session_hours: int = 12
    proxies: int = 0
    clock: Callable[[], datetime] = field(default=utc_now, compare=False)

    def check(self) -> None:
        """Raises WebConfigError for an unusable resolver base URL."""
        if self.proxies < 0:
            raise WebConfigError("the number of trusted proxies cannot be negative")
        if self.resolver:
            try:
                openurl_link(Resource(), self.resolver)
            except OpenURLError as exc:
                raise WebConfigError(str(exc)) from exc
