"""repository.cli.serve and repository.serve: settings refused with one line, no traceback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from repository.cli.serve import serve as serve_command
from repository.oai.provider import ProviderConfig, ProviderConfigError
from repository.serve import make_app, prepare_database, serve
from tests.oai_fixtures import Clock, fill, new_archive
from tests.rli_server import free_port, rli_serve


def test_missing_database_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no archive at" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--admin-email", "nobody", "admin email"),
    ("--repository-identifier", "bad_id", "repository identifier"),
    ("--base-url", "gopher://x/oai", "base URL"),
])
def test_bad_settings_are_one_line(tmp_path: Path, option: str, value: str, message: str) -> None:
    new_archive(tmp_path / "rli.db", Clock())
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "rli.db"), option, value])
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "rli.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(serve_command, ["--db", str(bogus)])
    assert result.exit_code == 1 and "not a usable SQLite database" in result.output


def test_serve_refuses_zero_workers(tmp_path: Path) -> None:
    with pytest.raises(ProviderConfigError):
        serve(tmp_path / "rli.db", host="127.0.0.1", port=0, workers=0, config=ProviderConfig())


def test_prepare_and_make_app(tmp_path: Path) -> None:
    clock = Clock()
    fill(new_archive(tmp_path / "rli.db", clock), clock, 2)
    prepare_database(tmp_path / "rli.db")
    app = make_app(tmp_path / "rli.db", ProviderConfig())
    statuses: list[str] = []
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/oai",
                         "QUERY_STRING": "verb=ListIdentifiers&metadataPrefix=oai_dc"},
                        lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"] and body.count(b"</header>") == 2


def test_unknown_prerender_format_is_refused_before_serving(tmp_path: Path) -> None:
    new_archive(tmp_path / "rli.db", Clock())
    # a free port (0, "any", is refused: no base URL has it)
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "rli.db"), "--port",
                                                str(free_port()), "--prerender", "oai_dc,marc21"])
    assert result.exit_code == 1 and "marc21" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("base_url", "secure"), [
    ("https://lists.example.edu/oai", True),
    ("HTTPS://lists.example.edu/oai", True),  # a scheme is case-insensitive (RFC 3986 §3.1)
    ("http://lists.example.edu/oai", False),
])
def test_the_session_cookie_is_secure_when_the_base_url_is_https(
    tmp_path: Path, base_url: str, secure: bool
) -> None:
    db = tmp_path / "rli.db"
    fill(new_archive(db, Clock()), Clock(), 1)
    with rli_serve(db, "--base-url", base_url) as running:
        page = httpx.get(f"http://127.0.0.1:{running.port}/login", timeout=10)
    assert page.status_code == 200
    assert ("; Secure" in page.headers["set-cookie"]) is secure
