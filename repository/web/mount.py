"""One WSGI callable for the whole site: the OAI-PMH app where it answers, pages elsewhere.

The OAI app keeps ``/oai`` (and anything below it), ``/oai.xml`` (the raw XML
view), ``/static/`` (its stylesheet), ``/schemas/`` (the RLI schemas the records
name) and the archived version documents ``/lists/<id>/versions/<n>.xml`` byte
for byte; every other path goes to the pages app.

The pages app may be given as a :class:`LazyApp`: built on the first request
that needs it, so a worker that only answers OAI-PMH never loads Flask, Jinja2
and the views (tens of MB in every worker process).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

log = logging.getLogger(__name__)

_VERSION_XML = re.compile(r"/lists/[^/]+/versions/[^/]+\.xml")


def for_oai(path: str) -> bool:
    """Whether ``path`` belongs to the OAI app."""
    return (
        path in ("/oai", "/oai.xml")
        or path.startswith(("/oai/", "/static/", "/schemas/"))
        or _VERSION_XML.fullmatch(path) is not None
    )


class LazyApp:
    """A WSGI app made by ``factory`` when it is first called (once, whatever the threads).

    If making it fails, that request and the next get a plain 500 (logged) and the
    next request tries again.
    """

    def __init__(self, factory: Callable[[], WSGIApp]) -> None:
        self._factory = factory
        self._app: WSGIApp | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._app is not None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        app = self._app
        if app is None:
            with self._lock:
                if self._app is None:
                    try:
                        self._app = self._factory()
                    except Exception:  # never a traceback to the client
                        log.exception("the pages app could not be built")
                        start_response("500 Internal Server Error",
                                       [("Content-Type", "text/plain; charset=utf-8")])
                        return [b"internal error (logged)"]
                app = self._app
        return app(environ, start_response)


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
