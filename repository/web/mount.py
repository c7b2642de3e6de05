"""One WSGI callable for the whole site: the OAI-PMH app where it answers, pages elsewhere.

The OAI app keeps ``/oai`` (and anything below it), ``/oai.xml`` (the raw XML
view), ``/static/`` (its
stylesheet) and the archived version documents ``/lists/<id>/versions/<n>.xml``
byte for byte; every other path goes to the pages app.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_VERSION_XML = re.compile(r"/lists/[^/]+/versions/[^/]+\.xml")


def for_oai(path: str) -> bool:
    """Whether ``path`` belongs to the OAI app."""
    return (
        path in ("/oai", "/oai.xml")
        or path.startswith(("/oai/", "/static/"))
        or _VERSION_XML.fullmatch(path) is not None
    )


class Mount:
    """Dispatches each request on its path (see module docstring)."""

    def __init__(self, oai: WSGIApp, pages: WSGIApp) -> None:
        self.oai = oai
        self.pages = pages

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        app = self.oai if for_oai(environ.get("PATH_INFO") or "/") else self.pages
        return app(environ, start_response)


def mount(oai: WSGIApp, pages: WSGIApp) -> Mount:
    """The site: ``oai`` for the OAI paths, ``pages`` for the rest."""
    return Mount(oai, pages)
