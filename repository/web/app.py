"""The pages application: :func:`create_app` over one archive file (or an open database).

Each thread gets its own SQLite connection (gunicorn workers are processes,
possibly with threads). Unknown lists, versions, records and sources are a
404 page; anything unexpected is logged and answered by a plain 500 page,
never a traceback.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from flask import Flask, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from crosswalks.openurl import openurl_link
from crosswalks.rli import Resource
from repository.archive.editing import IMPORTANCE
from repository.web import accounts, security
from repository.web.config import WebConfig
from repository.web.context import Number, Slashed, Stores, config
from repository.web.views import changes, create, edit, home, lists, search

log = logging.getLogger(__name__)


def create_app(db: Path | str | sqlite_utils.Database, web: WebConfig | None = None) -> Flask:
    """The pages WSGI app over the archive in ``db``.

    Raises WebConfigError for a bad configuration, StoreError for an unusable database.
    """

    web = web or WebConfig()
    web.check()
    target = db if isinstance(db, sqlite_utils.Database) else Path(db)
    stores = Stores(target, web.clock)
    first = stores.archive().db
    accounts.ensure_schema(first)
    app = Flask(__name__, static_url_path="/assets")
    app.config.update(
        SECRET_KEY=accounts.session_secret(first),
        SESSION_COOKIE_NAME="rli_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=web.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=web.session_hours),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.url_map.converters.update(n=Number, slashed=Slashed)
    app.extensions["rli"] = stores
    app.extensions["rli.config"] = web
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(find_it=_find_it, safe_url=safe_url, importance=IMPORTANCE)
    security.install(app)
    for blueprint in (home.bp, lists.bp, edit.bp, create.bp, search.bp, changes.bp):
        app.register_blueprint(blueprint)
    _errors(app)
    if web.proxies:
        # Only the hops the operator vouches for: the login throttle counts the real client.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=web.proxies, x_proto=web.proxies)
    return app


def safe_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) URL (safe as an ``href``), else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _find_it(res: Resource) -> str | None:
    base = config().resolver
    return openurl_link(res, base) if base else None


def _errors(app: Flask) -> None:
    from harvester.errors import SourceError
    from harvester.lookup import RecordNotFound
    from repository.archive import ListNotFound, VersionNotFound

    def not_found(exc: Exception) -> tuple[str, int]:
        return render_template("error.html", title="Not found", message=str(exc)), 404

    for cls in (ListNotFound, VersionNotFound, RecordNotFound, SourceError):
        app.register_error_handler(cls, not_found)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code is None or exc.code < 400:
            return exc
        page = render_template("error.html", title=exc.name, message=exc.description)
        kept = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return page, exc.code, kept  # a 405's Allow among them

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> tuple[str, int]:
        log.exception("page failed")
        page = render_template("error.html", title="Something went wrong",
                               message="The error was logged.")
        return page, 500
