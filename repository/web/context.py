"""What a view needs of the request's world: the archive for this thread, the page settings.

Kept apart from :mod:`repository.web.app` so views import it without a circle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlite_utils
from flask import abort, current_app, request
from werkzeug.routing import IntegerConverter, PathConverter

from crosswalks.xmlsafe import clean_text
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.web.config import WebConfig


class Stores:
    """The archive for the current thread: its own connection when the app owns the file."""

    def __init__(self, db: Path | sqlite_utils.Database, clock: Callable[[], datetime]) -> None:
        self._path = db if isinstance(db, Path) else None
        self._clock = clock
        self._shared = Archive(db, clock=clock) if isinstance(db, sqlite_utils.Database) else None
        self._local = threading.local()

    def archive(self) -> Archive:
        if self._shared is not None:
            return self._shared
        found: Archive | None = getattr(self._local, "archive", None)
        if found is None:
            assert self._path is not None
            found = Archive(open_db(self._path), clock=self._clock)
            self._local.archive = found
        return found


def archive() -> Archive:
    """The current request's archive."""
    stores: Stores = current_app.extensions["rli"]
    return stores.archive()


def config() -> WebConfig:
    found: WebConfig = current_app.extensions["rli.config"]
    return found


MAX_NUMBER = 2**63 - 1  # SQLite's largest INTEGER: a larger one is no version or change


class Number(IntegerConverter):
    """``<n:name>`` in a route: a whole number from 1 to MAX_NUMBER (else no match: 404)."""

    def __init__(self, url_map: object) -> None:
        super().__init__(url_map, min=1, max=MAX_NUMBER)  # type: ignore[arg-type]


class Slashed(PathConverter):
    """``<slashed:name>``: a value that may hold "/" (an OAI identifier), linked with each
    "/" as %2F: a "." or ".." in it is then no path segment for a browser to fold away
    (``oai:x:a/../b`` was linked as ``/resources/s/oai:x:a/../b``, which is ``.../b``)."""

    def to_url(self, value: str) -> str:
        return quote(value, safe="!$&'()*+,:;=@")


def number(raw: str | None, *, low: int = 1, high: int = MAX_NUMBER) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high`` in ASCII digits, else None
    (``str.isdigit`` takes "²", which ``int`` refuses, and any script's digits)."""
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def form_text(name: str) -> str:
    """The form's field ``name`` as the archive keeps it: without the characters XML cannot
    carry (the archive drops them on write) and surrounding space, so a field of only
    those (a NUL) is empty here too, not an untitled list or an empty note once saved."""
    return clean_text(request.form.get(name, "")).strip()


def form_version() -> int:
    """The version a form was made from (its ``version`` field), else a 400."""
    found = number(request.form.get("version"))
    if found is None:
        abort(400, "The form does not say which version it was made from.")
    return found
