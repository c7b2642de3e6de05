"""``rli user add|list|remove`` (repository/cli/users.py)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.cli import cli
from repository.web.accounts import authenticate


def rli(db: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)
    return result.exit_code, result.output


def test_add_reads_the_password_from_stdin_and_hashes_it(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    assert rli(db, "user", "add", "eve", "--role", "admin", stdin="s3cret words\n") == (
        0, "user eve added (admin)\n")
    user = authenticate(open_db(db), "eve", "s3cret words")
    assert user is not None and user.role == "admin"
    code, out = rli(db, "user", "list")
    assert code == 0 and out.startswith("eve\tadmin\t")
    assert rli(db, "user", "remove", "eve") == (0, "user eve removed\n")
    assert rli(db, "user", "list") == (0, "")


def test_bad_input_is_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    rli(db, "user", "add", "eve", stdin="s3cret words\n")
    for args, stdin, message in [
        (("user", "add", "eve"), "another password\n", "Error: user 'eve' exists already"),
        (("user", "add", "bob"), "short\n", "Error: the password must have at least 8"),
        (("user", "add", "bob"), "", "Error: the password must have at least 8"),
        (("user", "add", "b b"), "long enough\n", "Error: bad user name 'b b'"),
        (("user", "remove", "zed"), "", "Error: no user 'zed'"),
    ]:
        code, out = rli(db, *args, stdin=stdin)
        assert code == 1 and out.startswith(message), (args, out)
        assert "Traceback" not in out
    code, out = rli(db, "user", "add", "bob", "--role", "owner", stdin="long enough\n")
    assert code == 2 and "'owner' is not one of 'editor', 'admin'" in out


def test_password_replaces_the_hash_and_role_changes_the_role(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    rli(db, "user", "add", "eve", stdin="s3cret words\n")
    assert rli(db, "user", "password", "eve", stdin="other words\n") == (
        0, "user eve: password changed, 0 sessions ended\n")
    store = open_db(db)
    assert authenticate(store, "eve", "s3cret words") is None
    assert authenticate(store, "eve", "other words") is not None
    assert rli(db, "user", "role", "eve", "admin") == (0, "user eve: role admin (was editor)\n")
    code, out = rli(db, "user", "list")
    assert code == 0 and out.startswith("eve\tadmin\t")
    assert rli(db, "user", "role", "eve", "editor") == (0, "user eve: role editor (was admin)\n")
    user = authenticate(open_db(db), "eve", "other words")
    assert user is not None and user.role == "editor"


def test_bad_password_and_role_changes_are_one_error_line_and_change_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "rli.db"
    rli(db, "user", "add", "eve", stdin="s3cret words\n")
    for args, stdin, message in [
        (("user", "password", "zed"), "long enough\n", "Error: no user 'zed'"),
        (("user", "password", "eve"), "short\n", "Error: the password must have at least 8"),
        (("user", "password", "eve"), "", "Error: the password must have at least 8"),
        (("user", "role", "zed", "admin"), "", "Error: no user 'zed'"),
    ]:
        code, out = rli(db, *args, stdin=stdin)
        assert code == 1 and out.startswith(message), (args, out)
        assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
    code, out = rli(db, "user", "role", "eve", "owner")
    assert code == 2 and "'owner' is not one of 'editor', 'admin'" in out
    user = authenticate(open_db(db), "eve", "s3cret words")
    assert user is not None and user.role == "editor"
    code, out = rli(tmp_path / "none.db", "user", "role", "eve", "admin")
    assert code == 1 and out.startswith("Error: no archive at")
    assert not (tmp_path / "none.db").exists()


def test_an_archive_made_before_any_account_knows_no_user(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    Archive(open_db(db))  # rli's tables, none of the accounts' yet
    for args in (("user", "password", "eve"), ("user", "role", "eve", "admin")):
        assert rli(db, *args, stdin="long enough\n") == (1, "Error: no user 'eve'\n")
