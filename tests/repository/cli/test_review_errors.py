"""Bad input found by a review of every command (2026-12-03): each got a traceback, the
last-resort ``rli: error: <class>`` line (exit 70), a second line, or was sent unchecked;
now each is one ``Error:`` line (exit 1) or click's usage error (exit 2), nothing written."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from tests.peers.oai import CatalogPeer, error_response
from tests.peers.scripted import ScriptedPeer, Step, drip
from tests.peers.serve import serve
from tests.repository.cli.test_harvest import RLI, ctrl_c, recs


def _rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, check=False, cwd=db.parent)


def on_a_taken_port(db: Path, command: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """``rli --db DB COMMAND --port P`` while P is taken: (P, what it did)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        return port, _rli(db, command, "--port", str(port))


def _one_error_line(done: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert done.returncode == status, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "rli: error:" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: "), done.stderr
    if status == 1:
        assert len(lines) == 1, done.stderr
    return lines[-1]


@pytest.mark.parametrize("option, value", [
    ("--timeout", "-1"), ("--timeout", "0"), ("--timeout", "nan"), ("--timeout", "inf"),
    ("--max-time", "nan"), ("--page-deadline", "inf"),
])
def test_a_harvest_refuses_seconds_that_are_not_a_number_of_seconds(
    tmp_path: Path, option: str, value: str,
) -> None:
    """--timeout -1 was a 52-line traceback (a source) or exit 70 (one-shot); nan and inf
    passed click's FloatRange."""
    for args in (["-l", "http://127.0.0.1:9/oai", "-o", str(tmp_path / "out.xml")], ["s"]):
        line = _one_error_line(_rli(tmp_path / "rli.db", "harvest", *args, option, value), 2)
        assert option in line
    assert not (tmp_path / "out.xml").exists()


@pytest.mark.parametrize("args, said", [
    (["-f", "notadate"], "--from: not an OAI-PMH UTC datestamp"),
    (["-u", "2026-13-45"], "--until: not a valid date"),
    (["-f", "2026-02-01", "-u", "2026-01-01"], "--from is later than --until"),
    (["-f", "2026-01-01", "-u", "2026-02-01T00:00:00Z"], "the same granularity"),
])
def test_a_one_shot_harvest_checks_its_window_before_asking(
    tmp_path: Path, args: list[str], said: str,
) -> None:
    peer = ScriptedPeer(CatalogPeer(recs(3)))
    with serve(peer) as url:
        done = _rli(tmp_path / "rli.db", "harvest", "-l", url, "-o", str(tmp_path / "o.xml"),
                    *args)
    assert said in _one_error_line(done)
    assert peer.requests == [] and not (tmp_path / "o.xml").exists()


def test_a_provider_error_over_two_lines_is_one_line(tmp_path: Path) -> None:
    refusal = error_response("badArgument", "bad thing\nsecond\tline")
    with serve(ScriptedPeer(CatalogPeer(recs(3)), [Step(body=refusal)])) as url:
        done = _rli(tmp_path / "rli.db", "harvest", "-l", url, "-o", str(tmp_path / "o.xml"))
    assert _one_error_line(done) == "Error: provider error badArgument: bad thing second line"


def test_convert_to_a_file_it_cannot_write_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "law.xml"
    assert _rli(tmp_path / "rli.db", "demo", "--no-serve").returncode == 0
    assert _rli(tmp_path / "rli.db", "export", "law2210-2026", "-o", str(source)).returncode == 0
    done = _rli(tmp_path / "rli.db", "convert", str(source), "--from", "rli", "--to", "ris",
                "-o", str(tmp_path / "missing" / "a.ris"))
    assert _one_error_line(done).endswith("a.ris: cannot write: No such file or directory")
    twice = _rli(tmp_path / "rli.db", "export", "law2210-2026", "law2210-2026",
                 "--format", "ims-cp", "-o", str(tmp_path / "x.zip"))
    assert _one_error_line(twice) == "Error: list 'law2210-2026' appears twice"
    assert not (tmp_path / "x.zip").exists()


def test_a_huge_search_query_is_refused_not_run_for_minutes(tmp_path: Path) -> None:
    assert _rli(tmp_path / "rli.db", "demo", "--no-serve").returncode == 0
    for where in ("resources", "lists"):
        done = _rli(tmp_path / "rli.db", "search", "--in", where, "a " * 16_000)
        assert "at most 1,000" in _one_error_line(done), where


def test_serve_on_a_port_in_use_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    """It was five seconds of gunicorn's retries, 14 log lines, and renderings already
    written to the archive."""
    db = tmp_path / "rli.db"
    assert _rli(db, "demo", "--no-serve").returncode == 0
    port, done = on_a_taken_port(db, "serve")
    assert _one_error_line(done) == f"Error: 127.0.0.1:{port}: address already in use"
    with sqlite3.connect(db) as conn:  # the renderings were being stored before it failed
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "provider_records" not in tables or conn.execute(
            "SELECT COUNT(*) FROM provider_records").fetchone() == (0,)


class _DripsAfterIdentify:
    """ListRecords a byte every 0.2 s for a minute; the other verbs answered at once."""

    def __init__(self) -> None:
        self.catalog = CatalogPeer(recs(3))
        self.listing = threading.Event()  # set when ListRecords is asked

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        if "ListRecords" not in environ.get("QUERY_STRING", ""):
            return self.catalog(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/xml")])
        self.listing.set()
        return drip(300, 0.2)


def test_ctrl_c_stops_a_source_harvest_at_once_and_records_it(tmp_path: Path) -> None:
    """Ctrl-C waited for the page deadline (60 s here, 300 by default), then recorded the
    run as failed for want of the page."""
    db = tmp_path / "rli.db"
    provider = _DripsAfterIdentify()
    with serve(provider) as url:
        assert _rli(db, "source", "add", "slow", url, "--prefix", "oai_dc").returncode == 0
        # Ctrl-C half a second into the first page's dripping
        code, _, err, took = ctrl_c(db, ["harvest", "slow", "--page-deadline", "60"],
                                    provider.listing, 0.5)
    assert took < 15, took  # the page deadline is 60 s
    assert code == 1 and "Traceback" not in err and "Aborted!" in err, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, error FROM harvest_runs").fetchall() == [
            ("interrupted", f"{url}: interrupted")]


@pytest.mark.parametrize("args, said", [
    (["edit", "law2210-2026", "--note", "n", "--title", ""], "--title must not be empty"),
    (["edit", "law2210-2026", "--note", "n", "--title", "\x01 \x02"],
     "--title must not be empty"),
    (["new", "--title", "\x01", "--owner", "me", "--course", "C1"], "must not be empty"),
    (["annotate", "law2210-2026", "\x01\x02"], "the annotation text is empty"),
    (["annotate", "law2210-2026", "a note", "--kind", ""], "--kind must not be empty"),
    (["search", "law", "--source", "nosuch"], "no source called 'nosuch'"),
    (["import", "empty"], "no file to import"),
    (["import", "--id", "", "rli.db"], "--id must not be empty"),
])
def test_empty_values_and_unknown_names_are_refused_and_write_nothing(
    tmp_path: Path, args: list[str], said: str,
) -> None:
    """Found in review: an empty title (edit) or an annotation of control characters was
    archived as a new version, an unknown --source searched nothing, an empty directory
    imported nothing, each with exit 0."""
    db = tmp_path / "rli.db"
    assert _rli(db, "demo", "--no-serve").returncode == 0
    (tmp_path / "empty").mkdir()
    before = _rli(db, "history", "law2210-2026").stdout
    assert said in _one_error_line(_rli(db, *args))
    assert _rli(db, "history", "law2210-2026").stdout == before


def test_search_by_a_removed_source_still_finds_what_it_brought(tmp_path: Path) -> None:
    """A review of the check above: `rli source remove` keeps the harvested records, and
    they stay searchable, so their source's name is not unknown."""
    db = tmp_path / "rli.db"
    with serve(CatalogPeer(recs(3))) as url:
        assert _rli(db, "source", "add", "gone", url, "--prefix", "oai_dc").returncode == 0
        assert _rli(db, "harvest", "gone").returncode == 0
    assert _rli(db, "source", "remove", "gone").returncode == 0
    found = _rli(db, "search", "--json", "--source", "gone", recs(3)[0].title)
    assert found.returncode == 0, found.stderr
    assert recs(3)[0].identifier in found.stdout


def test_user_commands_on_another_programs_database_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:  # a table of the same name, another program's shape
        conn.execute("CREATE TABLE web_users (id INTEGER PRIMARY KEY, email TEXT)")
    for args in (["list"], ["remove", "someone"], ["logout", "someone"]):
        line = _one_error_line(_rli(db, "user", *args))
        assert "another program" in line, line
