"""``rli source``, ``rli harvest`` and ``rli resources`` (repository/cli_harvest.py).

In process with click's CliRunner, and as real ``rli`` subprocesses: errors
are one line with no traceback, ``kill -9`` mid-harvest then a rerun gives
exactly a clean run's records, ``--due`` runs two providers concurrently.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.envelope import Identity
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS, Granularity
from harvester.sources import Source, add_source
from repository.cli import cli
from tests.harvester.test_sockets import silent_provider
from tests.peers.oai import CatalogPeer, Rec, error_response
from tests.peers.pyoai_peer import pyoai_app
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve
from tests.terminals import read_all

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
# Ctrl-C as in a terminal: a test run started in the background (``&`` in a script, as CI
# may be) hands its children SIGINT ignored, and Python then never raises KeyboardInterrupt.
IN_TERMINAL = [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT,"
               " signal.default_int_handler); from repository.cli import main; main()"]


def ctrl_c(
    db: Path, args: list[str], started: threading.Event, settle: float
) -> tuple[int, str, str, float]:
    """``rli --db DB ARGS`` run as in a terminal, sent Ctrl-C ``settle`` seconds after
    ``started`` is set: (exit code, stdout, stderr, seconds it took to stop)."""
    proc = subprocess.Popen([*IN_TERMINAL, "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=db.parent)
    try:
        assert started.wait(60), f"rli {args} never got going"
        time.sleep(settle)
        begun = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        return proc.returncode, out, err, time.monotonic() - begun
    finally:
        proc.kill()


def recs(n: int, tag: str = "peer") -> list[Rec]:
    return [
        Rec(f"oai:{tag}:{i:03d}", T0 - timedelta(hours=n - i), f"{tag} title {i}", ("course:A",))
        for i in range(n)
    ]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty database file (only `rli source add` makes one)."""
    path = tmp_path / "rli.db"
    open_db(path).conn.close()
    return path


def rli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def rli_process(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RLI, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout,
        cwd=db.parent,
    )


@pytest.fixture
def peer_url() -> Iterator[str]:
    with serve(CatalogPeer(recs(7), page_size=3)) as url:
        yield url


def identifiers(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT identifier, sha256 FROM harvest_records").fetchall())


# -- in process ---------------------------------------------------------------


def test_source_add_list_harvest_resources_remove(db: Path, peer_url: str) -> None:
    added = rli(db, "source", "add", "peer", peer_url, "--prefix", "oai_dc", "--every", "6h")
    assert added.exit_code == 0, added.output
    assert "granularity YYYY-MM-DDThh:mm:ssZ" in added.output
    listed = json.loads(rli(db, "source", "list", "--json").output)
    assert [(s["name"], s["records"], s["every"], s["last_success"]) for s in listed] == [
        ("peer", 0, "6h", None)]
    harvested = rli(db, "harvest", "peer")
    assert harvested.exit_code == 0, harvested.output
    assert "peer: ok, 7 records (0 deleted, 0 failed), 3 pages, full" in harvested.output
    listed = json.loads(rli(db, "source", "list", "--json").output)[0]
    assert listed["records"] == 7 and listed["last_success"] is not None
    assert listed["next_due"] > listed["last_success"]
    rows = json.loads(rli(db, "resources", "--source", "peer", "--json").output)
    assert [r["identifier"] for r in rows] == [r.identifier for r in recs(7)]
    assert {"id", "source", "identifier", "title", "deleted"} <= set(rows[0])
    assert rli(db, "source", "remove", "peer").exit_code == 0
    assert json.loads(rli(db, "source", "list", "--json").output) == []
    # its records stay, and are listed by its name (found in review: "no source called")
    kept = rli(db, "resources", "--source", "peer", "--json")
    assert kept.exit_code == 0, kept.output
    assert [r["identifier"] for r in json.loads(kept.output)] == [r.identifier for r in recs(7)]
    assert "no source called 'nosuch'" in rli(db, "resources", "--source", "nosuch").output
    # and each can be shown and cited (found in review: "is not a resource: ok")
    first = f"peer:{recs(7)[0].identifier}"
    shown = rli(db, "resources", "show", first)
    assert shown.exit_code == 0 and "peer title 0" in shown.output, shown.output
    rli(db, "new", "--title", "Kept", "--owner", "o", "--id", "kept")
    cited = rli(db, "edit", "kept", "--add-resource", first, "--note", "cite it")
    assert cited.exit_code == 0, cited.output
    assert "peer title 0" in rli(db, "show", "kept").output


def test_second_harvest_is_incremental(db: Path, peer_url: str) -> None:
    rli(db, "source", "add", "peer", peer_url, "--prefix", "oai_dc")
    rli(db, "harvest", "peer")
    again = rli(db, "harvest", "peer")
    assert again.exit_code == 0
    assert "peer: ok, 0 records" in again.output and ", from 20" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["harvest", "nosuch"], "Error: no source called 'nosuch'"),
        (["source", "remove", "nosuch"], "Error: no source called 'nosuch'"),
        (["resources", "--source", "nosuch"], "Error: no source called 'nosuch'"),
        (["source", "add", "x", "http://127.0.0.1:9/oai", "--prefix", "oai_dc", "--every", "often"],
         "Error: bad schedule 'often'"),
        (["source", "add", "x y", "http://127.0.0.1:9/oai", "--prefix", "oai_dc"],
         "Error: bad source name"),
        (["source", "add", "x", "http://127.0.0.1:9/oai", "--prefix", "oai_dc", "--from", "May"],
         "Error: bad --from date"),
        (["source", "add", "x", "ftp://host/oai", "--prefix", "oai_dc"], "Error: bad base URL"),
        (["harvest", "-l", "host/oai", "-o", "out.xml"], "Error: bad base URL"),
    ],
)
def test_bad_input_is_one_error_line(db: Path, args: list[str], message: str) -> None:
    result = rli(db, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [("harvest", "--due"), ("harvest", "--all"), ("source", "list"),
                                  ("source", "remove", "a"), ("resources",)])
def test_a_missing_database_is_refused_not_made(tmp_path: Path, args: tuple[str, ...]) -> None:
    # found in review: cron without RLI_DB ran `rli harvest --due` on ./rli.db, which it
    # made empty, and harvested nothing, silently, for ever
    missing = tmp_path / "none" / "rli.db"
    missing.parent.mkdir()
    result = rli(missing, *args)
    assert result.exit_code == 1
    assert f"Error: no archive at {missing}" in result.output
    assert list(missing.parent.iterdir()) == []


def test_duplicate_and_unreachable_sources_are_refused(db: Path, peer_url: str) -> None:
    rli(db, "source", "add", "peer", peer_url, "--prefix", "oai_dc")
    again = rli(db, "source", "add", "peer", peer_url, "--prefix", "oai_dc")
    assert again.exit_code == 1 and "already exists" in again.output
    # its lock file would be the other's where names are case-insensitive (macOS, Windows)
    cased = rli(db, "source", "add", "PEER", peer_url, "--prefix", "oai_dc")
    assert cased.exit_code == 1 and "'peer' already exists" in cased.output
    with serve(CatalogPeer([])) as closed:
        pass
    gone = rli(db, "source", "add", "gone", closed, "--prefix", "oai_dc", "--timeout", "1")
    assert gone.exit_code == 1 and "ConnectError" in gone.output


def test_source_add_checks_the_prefix_is_offered(db: Path, peer_url: str) -> None:
    refused = rli(db, "source", "add", "peer", peer_url, "--prefix", "mods")
    assert refused.exit_code == 1
    assert "does not offer metadataPrefix 'mods' (it offers oai_dc)" in refused.output
    assert json.loads(rli(db, "source", "list", "--json").output) == []


def test_harvest_needs_exactly_one_kind_of_target(db: Path) -> None:
    assert rli(db, "harvest").exit_code == 2
    assert rli(db, "harvest", "a", "--all").exit_code == 2
    assert rli(db, "harvest", "-l", "http://x/oai").exit_code == 2


def test_failed_run_exits_non_zero_with_a_summary(db: Path, tmp_path: Path) -> None:
    peer = ScriptedPeer(CatalogPeer(recs(7), page_size=3),
                        [*[Step()] * 5, Step(body=lambda b: b[:100])])
    # source add: Identify, ListMetadataFormats; harvest: Identify, page 1, page 2, broken page 3
    with serve(peer) as url:
        rli(db, "source", "add", "peer", url, "--prefix", "oai_dc")
        result = rli(db, "harvest", "peer")
        assert result.exit_code == 1
        assert "peer: failed, 6 records" in result.output  # pages 1-2 of 3
        assert "Error: harvest failed for peer" in result.output
        kept = list((tmp_path / "rli-broken-pages" / "peer").iterdir())
        assert len(kept) == 1
        resumed = rli(db, "harvest", "peer")
    assert resumed.exit_code == 0 and "resumed" in resumed.output
    assert [i for i, _ in identifiers(db)] == [r.identifier for r in recs(7)]


def test_a_token_refused_midway_is_counted_once_in_the_summary(db: Path) -> None:
    """The provider refuses the token of page 6 of 10; the list restarts: the summary said
    150 records for a source of 100."""
    peer = ScriptedPeer(CatalogPeer(recs(100), page_size=10))
    refused = Step(body=error_response("badResumptionToken", "expired", T0))
    with serve(peer) as url:
        assert rli(db, "source", "add", "peer", url, "--prefix", "oai_dc").exit_code == 0
        peer.steps.extend([*[Step()] * 6, refused])  # Identify, pages 1-5, page 6 refused
        done = rli(db, "harvest", "peer")
    assert done.exit_code == 0, done.output
    assert ("peer: ok, 100 records (0 deleted, 0 failed), 15 pages, full; token restarts 1"
            in done.output), done.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, records, restarts FROM harvest_runs").fetchall() == [
            ("ok", 100, 1)]


def test_due_harvests_two_providers_concurrently(db: Path) -> None:
    peer_a = CatalogPeer(recs(9, "a"), page_size=3, delay=0.3)
    peer_b = CatalogPeer(recs(9, "b"), page_size=3, delay=0.3)
    with serve(peer_a) as url_a, serve(peer_b) as url_b:
        rli(db, "source", "add", "a", url_a, "--prefix", "oai_dc", "--every", "1d")
        rli(db, "source", "add", "b", url_b, "--prefix", "oai_dc", "--every", "1d")
        rli(db, "source", "add", "manual", url_b, "--prefix", "oai_dc")  # no schedule: not due
        result = rli(db, "harvest", "--due")
        assert result.exit_code == 0, result.output
        assert "a: ok, 9 records" in result.output and "b: ok, 9 records" in result.output
        assert "manual:" not in result.output
        nothing = rli(db, "harvest", "--due")
    assert "nothing to harvest" in nothing.output
    span_a = [t for t, _ in peer_a.requests]
    span_b = [t for t, _ in peer_b.requests]
    assert max(span_a[0], span_b[0]) < min(span_a[-1], span_b[-1])  # the runs overlapped


def test_all_harvests_every_source(db: Path) -> None:
    with serve(CatalogPeer(recs(2, "a"))) as url_a, serve(CatalogPeer(recs(3, "b"))) as url_b:
        rli(db, "source", "add", "a", url_a, "--prefix", "oai_dc")
        rli(db, "source", "add", "b", url_b, "--prefix", "oai_dc")
        result = rli(db, "harvest", "--all")
    assert result.exit_code == 0, result.output
    assert "a: ok, 2 records" in result.output and "b: ok, 3 records" in result.output
    rows = json.loads(rli(db, "resources", "--json").output)
    assert sorted({r["source"] for r in rows}) == ["a", "b"] and len(rows) == 5


def test_one_shot_harvest_writes_one_file(db: Path, tmp_path: Path) -> None:
    records = recs(9)
    records[4] = Rec(records[4].identifier, T0, sets=("course:A",), deleted=True)
    out = tmp_path / "dump.xml"
    with serve(pyoai_app(records, batch_size=4)) as url:
        result = rli(db, "harvest", "-l", url, "-o", str(out), "-m", "oai_dc", "-s", "course:A")
    assert result.exit_code == 0, result.output
    assert "wrote 9 records (1 deleted) from 3 pages" in result.output
    root = parse_untrusted(out.read_bytes())
    assert root.tag == "repository" and root.get("set") == "course:A"
    got = [h.findtext(f"{{{OAI_NS}}}identifier") for h in root.iter(f"{{{OAI_NS}}}header")]
    assert got == [r.identifier for r in records]
    assert not list(tmp_path.glob(".*.part"))


def test_one_shot_failure_leaves_no_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.xml"
    peer = ScriptedPeer(CatalogPeer(recs(7), page_size=3), [Step(), Step(body=lambda b: b[:50])])
    with serve(peer) as url:
        result = rli(db, "harvest", "-l", url, "-o", str(out))
    assert result.exit_code == 1 and "page kept at" in result.output
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_pyoai_pages_validate(db: Path) -> None:
    import httpx

    with serve(pyoai_app(recs(5), batch_size=2)) as url:
        for params in ({"verb": "Identify"}, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}):
            validate(parse_untrusted(httpx.get(url, params=params).content), "oai-pmh")


# -- real processes -----------------------------------------------------------


def test_process_errors_have_no_traceback(db: Path) -> None:
    done = rli_process(db, "harvest", "nosuch")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: no source called 'nosuch' (see `rli source list`)"
    assert "Traceback" not in done.stderr + done.stdout


def test_progress_line_on_a_terminal(db: Path, peer_url: str) -> None:
    assert rli_process(db, "source", "add", "peer", peer_url, "--prefix", "oai_dc").returncode == 0
    master, slave = os.openpty()
    proc = subprocess.Popen([*RLI, "--db", str(db), "harvest", "peer"], stdout=subprocess.PIPE,
                            stderr=slave, cwd=db.parent)
    os.close(slave)
    out, _ = proc.communicate(timeout=30)
    seen = read_all(master)
    os.close(master)
    assert proc.returncode == 0
    assert b"\rpeer: 3/7 records, 1 pages" in seen and b"\rpeer: 7/7 records, 3 pages" in seen
    assert b"INFO" not in seen  # log lines are for logs, not for a terminal
    assert out.decode().startswith("peer: ok, 7 records")


def _pages_committed(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute("SELECT COALESCE(SUM(pages), 0) FROM harvest_checkpoints")
            return int(row.fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _last_status(db: Path) -> str:
    listed = rli_process(db, "source", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    return str(row["last_status"])


def test_kill_9_then_rerun_gives_exactly_the_clean_run(db: Path, tmp_path: Path) -> None:
    records = recs(40)
    # 0.5 s a page: the 8 pages after the second leave the loop below 4 s to see it under
    # load (at 0.2 s a page a loaded machine saw the harvest end first, status 'ok')
    slow = CatalogPeer(records, page_size=4, delay=0.5)
    with serve(slow) as url:
        assert rli_process(db, "source", "add", "peer", url, "--prefix", "oai_dc").returncode == 0
        proc = subprocess.Popen(
            [*RLI, "--db", str(db), "harvest", "peer"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=tmp_path,
        )
        deadline = time.monotonic() + 30
        while _pages_committed(db) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _last_status(db) == "running"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        assert _last_status(db) == "interrupted"  # not 'running' until the next run
        interrupted = identifiers(db)
        assert 8 <= len(interrupted) < 40  # some pages in, not all
        rerun = rli_process(db, "harvest", "peer")
        assert rerun.returncode == 0, rerun.stderr
        assert "resumed" in rerun.stdout

        clean_db = tmp_path / "clean" / "rli.db"
        clean_db.parent.mkdir()
        rli_process(clean_db, "source", "add", "peer", url, "--prefix", "oai_dc")
        assert rli_process(clean_db, "harvest", "peer").returncode == 0
    got = identifiers(db)
    assert got == identifiers(clean_db)
    assert len(got) == len({i for i, _ in got}) == 40
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM harvest_runs ORDER BY id")]
    assert statuses == ["interrupted", "ok"]


def test_one_shot_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "dump.xml"
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "rli.db"), "harvest",
                                      "-l", "http://127.0.0.1:9/oai", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{out}: cannot write" in result.output and "Traceback" not in result.output
    assert not out.parent.exists()


class _SilentPages:
    """Identify answered; ListRecords taken and not answered (until ``done``)."""

    def __init__(self) -> None:
        self.catalog = CatalogPeer(recs(3))
        self.asked, self.done = threading.Event(), threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        if "ListRecords" in environ.get("QUERY_STRING", ""):
            self.asked.set()
            self.done.wait(60)
        return self.catalog(environ, start_response)


@pytest.mark.parametrize("silent", ["Identify", "ListRecords"])
def test_ctrl_c_stops_a_harvest_waiting_on_a_silent_provider_at_once(
    db: Path, tmp_path: Path, silent: str,
) -> None:
    """Ctrl-C waited for --timeout (30 s here) while the provider, connected, sent nothing:
    the page is read in the fetch-ahead thread, which looked at the stop flag only between
    reads, and the run waited for it."""
    with ExitStack() as stack:
        if silent == "Identify":
            url, asked = stack.enter_context(silent_provider())
        else:
            provider = _SilentPages()
            stack.callback(provider.done.set)
            url, asked = stack.enter_context(serve(provider)), provider.asked
        registry = open_db(db)
        identity = Identity("Quiet", url, "2.0", "2020-01-01", "persistent",
                            Granularity.SECONDS, "")
        add_source(registry, Source("quiet", url, "oai_dc"), identity, T0)
        registry.conn.close()
        code, out, err, took = ctrl_c(db, ["harvest", "quiet", "--timeout", "30"], asked, 0.3)
    assert took < 3, took
    assert code == 1 and "Traceback" not in err and out == "", (out, err)
    assert err.splitlines()[-1] == "Aborted!", err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, error FROM harvest_runs").fetchall() == [
            ("interrupted", f"{url}: interrupted")]
