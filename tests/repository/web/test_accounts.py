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
