"""``rli user add`` as a real process on real SQLite files: the password from a closed or
undecodable standard input, and names that differ only in case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.shared.db import open_db
from harvester.shared.protocol import utc_now
from repository.web.accounts import AccountError, add_user, all_users, authenticate


def run_rli(db: Path, *args: str, stdin: bytes | None = b"", close_stdin: bool = False,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``rli --db DB ARGS`` as a child process; with ``close_stdin`` its fd 0 is closed."""
    script = Path(sys.executable).parent / "rli"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "repository"]
    result = subprocess.run(
        [*command, "--db", str(db), *args],
        input=None if close_stdin else stdin,
        stdin=subprocess.DEVNULL if close_stdin else None,
        capture_output=True, timeout=60,
        preexec_fn=(lambda: os.close(0)) if close_stdin else None,
        env={**os.environ, **(env or {})},
    )
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(), result.stderr.decode())


def test_add_with_standard_input_closed_is_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    result = run_rli(db, "user", "add", "eve", close_stdin=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: no password"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists() or all_users(open_db(db)) == []


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_a_password_that_is_not_utf8_is_one_error_line(tmp_path: Path, errors: str) -> None:
    db = tmp_path / "rli.db"
    result = run_rli(db, "user", "add", "eve", stdin=b"pass\xff\xfeword123\n",
                     env={"PYTHONIOENCODING": f"utf-8:{errors}"})
    assert result.returncode == 1, result.stderr
    assert result.stderr == "Error: the password is not UTF-8 text\n"
    assert all_users(open_db(db)) == []


def test_a_password_on_standard_input_still_works(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    result = run_rli(db, "user", "add", "eve", stdin="pässword 1\r\n".encode())
    assert (result.returncode, result.stdout) == (0, "user eve added (editor)\n"), result.stderr
    assert authenticate(open_db(db), "eve", "pässword 1") is not None


def test_names_that_differ_only_in_case_are_one_account(tmp_path: Path) -> None:
    # "Eve" beside "eve" would be two people whose edits read alike in every version's log.
    db = tmp_path / "rli.db"
    assert run_rli(db, "user", "add", "eve", stdin=b"long enough\n").returncode == 0
    result = run_rli(db, "user", "add", "Eve", "--role", "admin", stdin=b"other password\n")
    assert (result.returncode, result.stderr) == (1, "Error: user 'eve' exists already\n")
    store = open_db(db)
    assert [(u.name, u.role) for u in all_users(store)] == [("eve", "editor")]
    with pytest.raises(AccountError, match="user 'eve' exists already"):
        add_user(store, "EVE", "long enough", "editor", now=utc_now())


def test_password_with_standard_input_closed_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    assert run_rli(db, "user", "add", "eve", stdin=b"long enough\n").returncode == 0
    result = run_rli(db, "user", "password", "eve", close_stdin=True)
    assert (result.returncode, result.stderr.count("\n")) == (1, 1), result.stderr
    assert result.stderr.startswith("Error: no password"), result.stderr
    result = run_rli(db, "user", "password", "eve", stdin=b"pass\xff\xfeword123\n")
    assert (result.returncode, result.stderr) == (1, "Error: the password is not UTF-8 text\n")
    assert authenticate(open_db(db), "eve", "long enough") is not None


def test_an_unknown_user_is_refused_before_the_password_is_read(tmp_path: Path) -> None:
    # On a terminal it would be asked for twice, then thrown away.
    db = tmp_path / "rli.db"
    assert run_rli(db, "user", "add", "eve", stdin=b"long enough\n").returncode == 0
    result = run_rli(db, "user", "password", "Eve", close_stdin=True)
    assert (result.returncode, result.stderr) == (1, "Error: no user 'Eve'\n")


def test_password_and_role_as_a_real_process(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    assert run_rli(db, "user", "add", "eve", stdin=b"long enough\n").returncode == 0
    result = run_rli(db, "user", "password", "eve", stdin="nöue wörter\n".encode())
    assert (result.returncode, result.stdout) == (
        0, "user eve: password changed, 0 sessions ended\n"), result.stderr
    result = run_rli(db, "user", "role", "eve", "admin")
    assert (result.returncode, result.stdout) == (0, "user eve: role admin (was editor)\n")
    user = authenticate(open_db(db), "eve", "nöue wörter")
    assert user is not None and user.role == "admin"
