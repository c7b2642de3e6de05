"""Sessions, CSRF tokens, login and logout, and who may write.

The session is Flask's signed cookie (HttpOnly, SameSite=Lax); it carries a
server-side session id (:func:`repository.web.accounts.start_session`: logout
ends it for every copy of the cookie) and a random CSRF token. Every POST must
send that token back in the form's ``csrf`` field or is refused with 400
before any view runs. Logging
in replaces the session (no fixation) and is throttled per name and per
client address (:mod:`repository.web.accounts`); a refused login is a 429 with
``Retry-After``. With ``private``, every page
but the login form needs a login. Every response forbids framing and scripts
(:data:`HEADERS`).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from repository.web import accounts
from repository.web.context import archive, config

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
_OPEN = {"auth.login", "static"}


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def install(app: Flask) -> None:
    """Register the checks that run before every view, and the login pages."""
    app.before_request(_before)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"user": g.get("user"), "private": config().private})
    app.register_blueprint(bp)


def _now() -> float:
    return config().clock().timestamp()


def _before() -> Response | None:
    sid = session.get("sid")
    g.user = accounts.session_user(archive().db, sid, now=_now()) if isinstance(sid, str) else None
    # Every method that may write (a HEAD or GET never does); a request no view takes is
    # left to its 404 or 405 (with Allow), not called an expired form.
    if request.method not in SAFE_METHODS and request.routing_exception is None:
        sent = request.form.get("csrf", "")
        token = session.get("csrf")
        if not isinstance(token, str) or not hmac.compare_digest(sent.encode(), token.encode()):
            abort(400, "This form has expired or did not come from this site: nothing was"
                       " saved. Reload the page and try again.")
    if config().private and g.user is None and request.endpoint not in _OPEN:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No script, no frames, forms only to this site: a page cannot be framed to trick a click.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if g.get("user") is not None or config().private:
        # A page for one user, or an archive not for everyone: kept in no cache, so it
        # is not there for the next user of the browser after logout.
        response.headers["Cache-Control"] = "private, no-store"
    return response


def editor_required(view: F) -> F:
    """Views that write: a logged-in editor or admin, else the login page (or 403)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            flash("Log in to make changes.")
            return redirect(url_for("auth.login", next=_referrer_path()))
        if g.user.role not in accounts.ROLES:
            abort(403, "Your account may not make changes.")
        return view(*args, **kwargs)

    return cast(F, wrapped)


def _referrer_path() -> str:
    parts = urlsplit(request.referrer or "")
    return parts.path if parts.netloc == request.host else "/"


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another host. A control
    # character or backslash anywhere refuses it: browsers and Werkzeug drop tabs and
    # newlines, so "/<TAB>/evil.example" would otherwise become "//evil.example".
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method != "POST":  # a HEAD (Flask adds it) is a GET: it never logs in
        return render_template("login.html", next=request.args.get("next", ""))
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    web = config()
    db = archive().db
    keys = (f"user:{name}", f"addr:{request.remote_addr or '-'}")
    now = time.time()
    if not accounts.claim_attempt(db, keys, now=now, limit=web.login_limit,
                                  window=web.login_window):
        # RFC 6585 section 4: when the window lets every one of the keys in again.
        wait = max(accounts.retry_after(db, keys, now=now, limit=web.login_limit,
                                        window=web.login_window), 1)
        minutes = f"{-(-wait // 60)} minute{'s' if wait > 60 else ''}"
        page = render_template("login.html", next=request.form.get("next", ""), error=(
            f"Too many failed logins: try again in {minutes}."))
        return page, 429, {"Retry-After": str(wait)}
    user = accounts.authenticate(db, name, password)
    if user is None:
        page = render_template("login.html", next=request.form.get("next", ""),
                               error="Wrong name or password.", name=name)
        return page, 401
    accounts.forget_attempt(db, keys, now=now)
    earlier = session.get("sid")
    if isinstance(earlier, str):  # logging in again ends the session this browser had
        accounts.end_session(db, earlier)
    session.clear()
    session.permanent = True
    session["sid"] = accounts.start_session(db, user.name, now=_now(),
                                            seconds=web.session_hours * 3600)
    csrf_token()
    flash(f"Logged in as {user.name}.")
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    sid = session.get("sid")
    if isinstance(sid, str):
        accounts.end_session(archive().db, sid)
    session.clear()
    flash("Logged out.")
    return redirect(url_for("home.index"))
