"""Accounts for writing in the browser: users, scrypt password hashes, login throttling.

Passwords are hashed with scrypt (memory-hard: n=2**14, r=8 uses 16 MiB per
hash) and a random salt, stored as ``scrypt$n$r$p$salt$hash`` so the cost can
rise later without breaking old hashes. Failed logins are counted per user
name and per client address in the database, so every worker process sees
them: after ``limit`` failures within ``window`` seconds, logins for that name
or address are refused until the window passes.

Sessions live on the server: the cookie carries a random session id, the
database keeps only its sha256, the user and when it expires. Logging out,
``rli user logout NAME``, a new password and removing the account delete the
row, so a copied cookie stops working at once. Each request reads the account
afresh (:func:`session_user`), so a new role holds from a session's next request.

Imports nothing of the web framework, so ``rli user`` loads no Flask.

Exception tree::

    AccountError          a bad name, role or password, an unknown or duplicate user
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from harvester.shared.db import migrate, transaction
from harvester.shared.protocol import format_datestamp

ROLES = ("editor", "admin")
MIN_PASSWORD = 8
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

MIGRATIONS: list[str] = [
    """
    CREATE TABLE web_users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE web_login_failures (
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX web_login_failures_key ON web_login_failures (key, at);
    CREATE TABLE web_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE web_sessions (
        digest TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE INDEX web_sessions_user ON web_sessions (user)
    """,
]


class AccountError(ValueError):
    """An account operation was refused; the message is one clear line."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or upgrade the account tables."""
    migrate(db, "web", MIGRATIONS)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in the stored form."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "$".join(["scrypt", str(_SCRYPT["n"]), str(_SCRYPT["r"]), str(_SCRYPT["p"]),
                     _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                             n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@functools.cache
def _dummy() -> str:
    # Compared against when the user does not exist: a wrong name costs what a wrong password does.
    return hash_password(secrets.token_hex(8))


def add_user(
    db: sqlite_utils.Database, name: str, password: str, role: str, *, now: datetime
) -> User:
    """Create an account. Raises AccountError for a bad name/role/password or a duplicate
    (names that differ only in case are one name)."""
    ensure_schema(db)
    if not _NAME.fullmatch(name):
        raise AccountError(f"bad user name {name!r}: 1-64 letters, digits and . _ @ -")
    _check_role(role)
    _check_password(password)
    with transaction(db):
        # Names are ASCII (``_NAME``), so SQLite's lower() folds them all: "Eve" beside
        # "eve" would be two people whose edits read alike in every version's log.
        found = db.conn.execute(
            "SELECT name FROM web_users WHERE lower(name) = lower(?)", (name,)
        ).fetchone()
        if found is not None:
            raise AccountError(f"user {found[0]!r} exists already")
        stamp = format_datestamp(now)
        db.conn.execute(
            "INSERT INTO web_users (name, role, password, created_at) VALUES (?, ?, ?, ?)",
            (name, role, hash_password(password), stamp),
        )
    return User(name, role, stamp)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")


def require_user(db: sqlite_utils.Database, name: str) -> User:
    """The account ``name`` (exactly as spelt, as login takes it). AccountError if none."""
    ensure_schema(db)
    found = get_user(db, name)
    if found is None:
        raise AccountError(f"no user {name!r}")
    return found


def set_password(db: sqlite_utils.Database, name: str, password: str) -> int:
    """Store a new password for ``name`` and end every session of it (a copied cookie
    stops working at once); how many sessions there were. AccountError for no such
    user or a password too short."""
    _check_password(password)
    hashed = hash_password(password)  # outside the write transaction: 16 MiB, ~50 ms
    ensure_schema(db)
    with transaction(db):
        changed = db.conn.execute(
            "UPDATE web_users SET password = ? WHERE name = ?", (hashed, name)).rowcount
        if changed == 0:
            raise AccountError(f"no user {name!r}")
        return db.conn.execute("DELETE FROM web_sessions WHERE user = ?", (name,)).rowcount


def set_role(db: sqlite_utils.Database, name: str, role: str) -> str:
    """Give ``name`` the role ``role``; the role it had. Its sessions stay and see the new
    role on their next request. AccountError for no such user or an unknown role."""
    _check_role(role)
    ensure_schema(db)
    with transaction(db):
        was = get_user(db, name)
        if was is None:
            raise AccountError(f"no user {name!r}")
        db.conn.execute("UPDATE web_users SET role = ? WHERE name = ?", (role, name))
    return was.role


def remove_user(db: sqlite_utils.Database, name: str) -> None:
    """Delete an account. Raises AccountError if there is none."""
    ensure_schema(db)
    with transaction(db):
        if db.conn.execute("DELETE FROM web_users WHERE name = ?", (name,)).rowcount == 0:
            raise AccountError(f"no user {name!r}")
        db.conn.execute("DELETE FROM web_sessions WHERE user = ?", (name,))


def get_user(db: sqlite_utils.Database, name: str) -> User | None:
    row = db.conn.execute(
        "SELECT name, role, created_at FROM web_users WHERE name = ?", (name,)
    ).fetchone()
    return User(row[0], row[1], row[2]) if row else None


def all_users(db: sqlite_utils.Database) -> list[User]:
    ensure_schema(db)
    rows = db.conn.execute("SELECT name, role, created_at FROM web_users ORDER BY name")
    return [User(r[0], r[1], r[2]) for r in rows]


def authenticate(db: sqlite_utils.Database, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (same work whether or not the name exists)."""
    row = db.conn.execute("SELECT password FROM web_users WHERE name = ?", (name,)).fetchone()
    ok = verify_password(password, row[0] if row else _dummy())
    return get_user(db, name) if ok and row else None


def claim_attempt(
    db: sqlite_utils.Database, keys: tuple[str, ...], *, now: float, limit: int, window: int
) -> bool:
    """Count a login attempt against every key before its password is checked.

    False (nothing counted) if a key already has ``limit`` attempts in the last
    ``window`` seconds. Check and count are one write transaction, so parallel
    attempts cannot all pass the check before any is counted; a successful login
    takes its attempt back (:func:`forget_attempt`).
    """
    with transaction(db):
        db.conn.execute("DELETE FROM web_login_failures WHERE at <= ?", (now - window,))
        for key in keys:
            count = db.conn.execute(
                "SELECT count(*) FROM web_login_failures WHERE key = ? AND at > ?",
                (key, now - window),
            ).fetchone()[0]
            if count >= limit:
                return False
        for key in keys:
            db.conn.execute("INSERT INTO web_login_failures (key, at) VALUES (?, ?)", (key, now))
    return True


def retry_after(
    db: sqlite_utils.Database, keys: tuple[str, ...], *, now: float, limit: int, window: int
) -> int:
    """Whole seconds from ``now`` until every key has fewer than ``limit`` attempts in its
    window again, so :func:`claim_attempt` lets it in (0: it would now)."""
    wait = 0.0
    for key in keys:
        # The limit-th newest attempt: once it leaves the window, limit - 1 are left.
        newest = db.conn.execute(
            "SELECT at FROM web_login_failures WHERE key = ? AND at > ?"
            " ORDER BY at DESC LIMIT ?", (key, now - window, limit)).fetchall()
        if len(newest) == limit:
            wait = max(wait, newest[-1][0] + window - now)
    return math.ceil(wait)


def forget_attempt(db: sqlite_utils.Database, keys: tuple[str, ...], *, now: float) -> None:
    """Take back the attempt :func:`claim_attempt` counted at ``now`` (the login succeeded)."""
    with transaction(db):
        for key in keys:
            db.conn.execute(
                "DELETE FROM web_login_failures WHERE rowid IN (SELECT rowid FROM"
                " web_login_failures WHERE key = ? AND at = ? LIMIT 1)", (key, now))


def session_secret(db: sqlite_utils.Database) -> str:
    """The key that signs session cookies: made once, kept in the database for every worker."""
    ensure_schema(db)
    with transaction(db):
        db.conn.execute(
            "INSERT OR IGNORE INTO web_settings (key, value) VALUES ('session_secret', ?)",
            (secrets.token_hex(32),),
        )
        row = db.conn.execute(
            "SELECT value FROM web_settings WHERE key = 'session_secret'"
        ).fetchone()
    return str(row[0])


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(db: sqlite_utils.Database, name: str, *, now: float, seconds: float) -> str:
    """A new session id for ``name``, valid ``seconds`` from ``now`` (expired ones are swept)."""
    session_id = secrets.token_urlsafe(32)
    with transaction(db):
        db.conn.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (now,))
        db.conn.execute("INSERT INTO web_sessions (digest, user, expires_at) VALUES (?, ?, ?)",
                        (_digest(session_id), name, now + seconds))
    return session_id


def session_user(db: sqlite_utils.Database, session_id: str, *, now: float) -> User | None:
    """The user a live session belongs to, or None (unknown, ended or expired)."""
    row = db.conn.execute(
        "SELECT user FROM web_sessions WHERE digest = ? AND expires_at > ?",
        (_digest(session_id), now),
    ).fetchone()
    return get_user(db, row[0]) if row else None


def end_session(db: sqlite_utils.Database, session_id: str) -> None:
    """Log one session out (nothing happens for an unknown id)."""
    with transaction(db):
        db.conn.execute("DELETE FROM web_sessions WHERE digest = ?", (_digest(session_id),))


def end_sessions(db: sqlite_utils.Database, name: str) -> int:
    """Log every session of ``name`` out; how many there were. AccountError for no such user."""
    ensure_schema(db)
    with transaction(db):
        if get_user(db, name) is None:
            raise AccountError(f"no user {name!r}")
        return db.conn.execute("DELETE FROM web_sessions WHERE user = ?", (name,)).rowcount
