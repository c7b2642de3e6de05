"""Addresses and files users type (a base URL, a resolver, a port, a --db): each one
that no request could go to, or a database of another program, is one Error line
before anything is done.

Found in review: each of these exited 70 with a Python exception's name, (serve
--base-url) was taken and every /oai request then failed with a 500, or (a --db) had
rli's tables added to it.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from repository.cli.demo import _shown_address
from tests.repository.cli.test_review_errors import _one_error_line, _rli, on_a_taken_port
from tests.rli_server import free_port

BAD = ["http://example.org:80a/oai", "http://oai..example.org/oai", "http://example.org/oai\t",
       "http://[fe80::1/oai"]


@pytest.mark.parametrize("url", BAD)
def test_a_source_or_one_shot_harvest_at_a_bad_url_is_one_line(tmp_path: Path, url: str) -> None:
    db = tmp_path / "rli.db"
    for args in (["source", "add", "s", url, "--prefix", "oai_dc"],
                 ["harvest", "-l", url, "-o", str(tmp_path / "out.xml")]):
        assert "Error: bad base URL" in _one_error_line(_rli(db, *args))
    assert not (tmp_path / "out.xml").exists()
    assert not db.exists()  # found in review: source add had made it first


def test_a_set_that_is_no_set_spec_is_refused(tmp_path: Path) -> None:
    # it was split at its spaces into three sets, each harvested
    line = _one_error_line(_rli(tmp_path / "rli.db", "source", "add", "s",
                                "http://127.0.0.1:9/oai", "--prefix", "oai_dc", "--set",
                                "no such set"))
    assert line.startswith("Error: bad set 'no such set'")


def test_a_bad_resolver_or_base_url_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    assert _rli(db, "demo", "--no-serve").returncode == 0
    bad = "http://[::1/x"
    line = _one_error_line(_rli(db, "show", "hist2041-2026", "--resolver", bad))
    assert line.startswith("Error: resolver base must be an absolute http(s) URL")
    for option in ("--resolver", "--base-url"):
        port = free_port()
        assert bad in _one_error_line(_rli(db, "serve", "--port", str(port), option, bad))


def test_demo_on_a_port_in_use_is_one_line_and_builds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    port, done = on_a_taken_port(db, "demo")
    assert _one_error_line(done) == f"Error: 127.0.0.1:{port}: address already in use"
    assert not db.exists()


@pytest.mark.parametrize("command", ["demo", "serve"])
@pytest.mark.parametrize("port", ["0", "99999", "-5"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, command: str, port: str) -> None:
    db = tmp_path / "rli.db"
    db.touch()
    assert "--port" in _one_error_line(_rli(db, command, "--port", port), 2)



@pytest.mark.parametrize("args", [["lists"], ["show", "x"], ["search", "x"], ["source", "list"],
                                  ["history", "x"]])
def test_a_read_command_on_another_programs_database_changes_nothing(
    tmp_path: Path, args: list[str],
) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE foo (x)")
    before = db.read_bytes()
    assert "another program's tables" in _one_error_line(_rli(db, *args))
    assert db.read_bytes() == before


@pytest.mark.parametrize("args, said", [
    (["--prerender", "nosuch"], "cannot prerender unknown format 'nosuch'"),
    (["--db", "NOTSQLITE"], "not a usable SQLite database"),
])
def test_serve_refusing_a_setting_says_only_that(
    tmp_path: Path, args: list[str], said: str
) -> None:
    # it printed "serving ... at ..." and "pages at ..." first: three lines, two untrue
    db = tmp_path / "rli.db"
    assert _rli(db, "demo", "--no-serve").returncode == 0
    (tmp_path / "NOTSQLITE").write_text("not a database, but long enough to be read" * 40)
    args = [str(tmp_path / a) if a == "NOTSQLITE" else a for a in args]
    assert said in _one_error_line(_rli(db, "serve", "--port", str(free_port()), *args))


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serving_every_interface_needs_the_address_to_give_out(tmp_path: Path, host: str) -> None:
    # found in review: every answer named http://0.0.0.0:PORT/oai as the base URL, which
    # harvesters elsewhere then kept in each record's provenance
    db = tmp_path / "rli.db"
    assert _rli(db, "demo", "--no-serve").returncode == 0
    line = _one_error_line(_rli(db, "serve", "--host", host, "--port", str(free_port())))
    assert line.startswith(f"Error: --host {host} listens on every interface")
    assert "--base-url" in line


def test_the_demo_on_every_interface_gives_this_machines_name() -> None:
    shown = _shown_address("0.0.0.0", 8123)
    host = urlsplit(shown).hostname
    assert host is not None and shown == f"http://{host}:8123/"
    assert host == socket.gethostname() or host == "0.0.0.0" and "_" in socket.gethostname()
    assert _shown_address("127.0.0.1", 8123) == "http://127.0.0.1:8123/"
