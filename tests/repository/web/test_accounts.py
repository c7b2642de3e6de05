"""Accounts, scrypt hashes, login throttling, the session key (repository/web/accounts.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from harvester.shared.db import open_db
from repository.web import accounts
from tests.conftest import Clock


@pytest.fixture
def db() -> sqlite_utils.Database:
    found = open_db(":memory:")
    accounts.ensure_schema(found)
    return found


def test_hashes_are_salted_scrypt_and_verify(clock: Clock) -> None:
    one, two = accounts.hash_password("pa55word!"), accounts.hash_password("pa55word!")
    assert one != two and one.startswith("scrypt$16384$8$1$")
    assert accounts.verify_password("pa55word!", one)
    assert not accounts.verify_password("pa55word?", one)
    assert not accounts.verify_password("pa55word!", "md5$abc")
    assert not accounts.verify_password("pa55word!", "garbage")


def test_add_authenticate_remove(db: sqlite_utils.Database, clock: Clock) -> None:
    made = accounts.add_user(db, "ann", "long enough", "admin", now=clock())
    assert (made.name, made.role, made.created_at) == ("ann", "admin", "2026-01-05T09:00:00Z")
    stored = db.conn.execute("SELECT password FROM web_users").fetchone()[0]
    assert "long enough" not in stored
    assert accounts.authenticate(db, "ann", "long enough") == made
    assert accounts.authenticate(db, "ann", "wrong one!") is None
    assert accounts.authenticate(db, "bob", "long enough") is None
    assert accounts.all_users(db) == [made]
    accounts.remove_user(db, "ann")
    assert accounts.get_user(db, "ann") is None


@pytest.mark.parametrize("name, password, role, message", [
    ("a b", "long enough", "editor", "bad user name"),
    ("", "long enough", "editor", "bad user name"),
    ("ann", "short", "editor", "at least 8"),
    ("ann", "long enough", "owner", "unknown role"),
])
def test_bad_accounts_are_refused(db: sqlite_utils.Database, clock: Clock, name: str,
                                  password: str, role: str, message: str) -> None:
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(db, name, password, role, now=clock())


def test_duplicates_and_unknown_removals_are_refused(db: sqlite_utils.Database,
                                                     clock: Clock) -> None:
    accounts.add_user(db, "ann", "long enough", "editor", now=clock())
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.add_user(db, "ann", "other password", "editor", now=clock())
    with pytest.raises(accounts.AccountError, match="no user"):
        accounts.remove_user(db, "bob")


def test_throttling_counts_attempts_per_key_within_the_window(
    db: sqlite_utils.Database,
) -> None:
    keys = ("user:ann", "addr:1.2.3.4")
    for n in range(3):
        assert accounts.claim_attempt(db, keys, now=1000.0 + n, limit=3, window=60)
    assert not accounts.claim_attempt(db, keys, now=1003.0, limit=3, window=60)
    # the same address is refused for another name too, another address for the same name
    assert not accounts.claim_attempt(db, ("user:bob", "addr:1.2.3.4"), now=1003.0, limit=3,
                                      window=60)
    assert not accounts.claim_attempt(db, ("user:ann", "addr:5.6.7.8"), now=1003.0, limit=3,
                                      window=60)
    assert accounts.claim_attempt(db, ("user:bob", "addr:5.6.7.8"), now=1003.0, limit=3,
                                  window=60)
    assert accounts.claim_attempt(db, keys, now=1061.0, limit=3, window=60)


def test_a_successful_login_takes_its_attempt_back(db: sqlite_utils.Database) -> None:
    keys = ("user:ann", "addr:1.2.3.4")
    for n in range(5):
        assert accounts.claim_attempt(db, keys, now=1000.0 + n, limit=2, window=60)
        accounts.forget_attempt(db, keys, now=1000.0 + n)


CLAIM = """
import sys, time
from harvester.shared.db import open_db
from repository.web import accounts
db = open_db(sys.argv[1])
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
print(accounts.claim_attempt(db, ("user:eve", "addr:-"), now=1000.0, limit=3, window=60))
"""


def test_parallel_attempts_cannot_all_pass_the_limit(tmp_path: Path) -> None:
    # found in review: check, then 50 ms of scrypt, then count let 40 parallel guesses in
    db_path = tmp_path / "web.db"
    accounts.ensure_schema(open_db(db_path))
    start = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", CLAIM, str(db_path), str(start)],
                              stdout=subprocess.PIPE, text=True) for _ in range(12)]
    answers = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert sorted(answers) == ["False"] * 9 + ["True"] * 3


def test_the_session_key_is_made_once_and_kept(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    first = accounts.session_secret(open_db(tmp_path / "a.db"))
    again = accounts.session_secret(open_db(tmp_path / "a.db"))
    assert first == again and len(first) == 64


def test_set_password_replaces_the_hash_and_ends_every_session(
    db: sqlite_utils.Database, clock: Clock
) -> None:
    accounts.add_user(db, "ann", "long enough", "editor", now=clock())
    accounts.add_user(db, "bob", "long enough", "editor", now=clock())
    ann = [accounts.start_session(db, "ann", now=1000.0, seconds=60) for _ in range(2)]
    bob = accounts.start_session(db, "bob", now=1000.0, seconds=60)
    assert accounts.set_password(db, "ann", "another one") == 2
    assert accounts.authenticate(db, "ann", "long enough") is None
    assert accounts.authenticate(db, "ann", "another one") is not None
    assert [accounts.session_user(db, sid, now=1001.0) for sid in ann] == [None, None]
    assert accounts.session_user(db, bob, now=1001.0) == accounts.get_user(db, "bob")
    with pytest.raises(accounts.AccountError, match="at least 8"):
        accounts.set_password(db, "ann", "short")
    with pytest.raises(accounts.AccountError, match="no user 'Ann'"):
        accounts.set_password(db, "Ann", "long enough")
    assert accounts.authenticate(db, "ann", "another one") is not None


def test_set_role_changes_the_role_and_keeps_the_sessions(
    db: sqlite_utils.Database, clock: Clock
) -> None:
    accounts.add_user(db, "ann", "long enough", "editor", now=clock())
    sid = accounts.start_session(db, "ann", now=1000.0, seconds=60)
    assert accounts.set_role(db, "ann", "admin") == "editor"
    found = accounts.session_user(db, sid, now=1001.0)
    assert found is not None and found.role == "admin"
    with pytest.raises(accounts.AccountError, match="unknown role 'owner'"):
        accounts.set_role(db, "ann", "owner")
    with pytest.raises(accounts.AccountError, match="no user 'bob'"):
        accounts.set_role(db, "bob", "admin")
    assert accounts.all_users(db)[0].role == "admin"


def test_retry_after_is_when_every_key_is_under_the_limit_again(
    db: sqlite_utils.Database,
) -> None:
    keys = ("user:ann", "addr:1.2.3.4")
    for at in (1000.0, 1001.0, 1002.0):
        assert accounts.claim_attempt(db, keys, now=at, limit=3, window=60)
    assert accounts.claim_attempt(db, ("user:bob", "addr:1.2.3.4"), now=1010.0, limit=4,
                                  window=60)
    assert accounts.retry_after(db, ("user:ann",), now=1003.3, limit=3, window=60) == 57
    # the address has a fourth attempt: its third newest (1001) must leave the window
    assert accounts.retry_after(db, keys, now=1003.3, limit=3, window=60) == 58
    assert accounts.retry_after(db, ("user:bob",), now=1003.3, limit=3, window=60) == 0
    assert not accounts.claim_attempt(db, keys, now=1060.9, limit=3, window=60)
    assert accounts.claim_attempt(db, keys, now=1061.0, limit=3, window=60)
