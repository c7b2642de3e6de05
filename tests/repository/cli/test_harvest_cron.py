"""``rli harvest`` as cron runs it (repository/cli/harvest.py): quiet output, one run per
source, time limits, the log file, ``rli source list`` status, 4xx OAI answers."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from click.testing import CliRunner, Result

from repository.cli import cli
from tests.peers.oai import CatalogPeer, error_response
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve
from tests.repository.cli.test_harvest import RLI, recs


def rli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_quiet_due_prints_nothing_when_all_is_well(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    with serve(CatalogPeer(recs(4), page_size=3)) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc", "--every", "1d")
        first = rli(db, "harvest", "--due", "--quiet")
        again = rli(db, "harvest", "--due", "--quiet")  # nothing due now
    for result in (first, again):
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_quiet_reports_one_line_per_failed_source(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    broken = ScriptedPeer(CatalogPeer(recs(4), page_size=3),
                          [Step(), Step(), Step(), Step(body=lambda b: b[:80])])
    with serve(CatalogPeer(recs(4), page_size=3)) as good, serve(broken) as bad:
        rli(db, "source", "add", "good", good, "--prefix", "oai_dc", "--every", "1d")
        rli(db, "source", "add", "bad", bad, "--prefix", "oai_dc", "--every", "1d")
        result = rli(db, "harvest", "--due", "--quiet")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bad: ") and "page kept at" in lines[0], lines


def test_source_list_has_a_header_and_the_last_run_status_and_error(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    peer = ScriptedPeer(CatalogPeer(recs(4), page_size=3),
                        [Step(), Step(), Step(), Step(404, b"gone")])
    with serve(peer) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc")
        assert rli(db, "harvest", "a").exit_code == 1
    table = rli(db, "source", "list").stdout.splitlines()
    assert table[0].split("\t")[:3] == ["name", "prefix", "records"]
    row = dict(zip(table[0].split("\t"), table[1].split("\t")))
    assert row["last_run"] == "failed" and "HTTP 404" in row["last_error"]
    listed = json.loads(rli(db, "source", "list", "--json").stdout)[0]
    assert listed["last_status"] == "failed" and "HTTP 404" in listed["last_error"]


def test_log_file_gets_the_harvest_log(tmp_path: Path) -> None:
    db, log = tmp_path / "rli.db", tmp_path / "harvest.log"
    with serve(CatalogPeer(recs(4), page_size=3)) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc")
        result = rli(db, "harvest", "a", "--quiet", "--log-file", str(log))
    assert result.exit_code == 0 and result.stderr == ""
    text = log.read_text()
    assert "a: page 1, 3 records so far" in text and "a: page 2, 4 records so far" in text


def test_one_shot_with_an_empty_window_answered_422_writes_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "dump.xml"
    peer = ScriptedPeer(CatalogPeer(recs(4)), [Step(422, error_response("noRecordsMatch"))])
    with serve(peer) as url:
        result = rli(tmp_path / "rli.db", "harvest", "-l", url, "-o", str(out), "-f", "2030-01-01")
    assert result.exit_code == 0, result.stderr
    assert "wrote 0 records" in result.stdout and out.exists()


def test_max_time_stops_the_run_and_the_next_run_resumes(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    peer = CatalogPeer(recs(12), page_size=2, delay=0.4)
    with serve(peer) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc")
        started = time.monotonic()
        stopped = rli(db, "harvest", "a", "--max-time", "1")
        assert time.monotonic() - started < 4
        assert stopped.exit_code == 1 and "time limit" in stopped.stdout
        resumed = rli(db, "harvest", "a")
    assert resumed.exit_code == 0 and "resumed" in resumed.stdout


def test_one_run_per_source_a_second_refuses_and_due_skips(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    peer = CatalogPeer(recs(6), page_size=2, delay=1.0)
    with serve(peer) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc", "--every", "1m")
        first = subprocess.Popen([*RLI, "--db", str(db), "harvest", "a"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 10
            while len(peer.requests) < 4 and time.monotonic() < deadline:  # add: 2, run: 2
                time.sleep(0.05)
            second = rli(db, "harvest", "a")
            due = rli(db, "harvest", "--due", "--quiet")
        finally:
            out, err = first.communicate(timeout=30)
    assert first.returncode == 0 and "a: ok, 6 records" in out, (out, err)
    assert second.exit_code == 1
    assert "another run of this source is under way" in second.stdout
    assert (due.exit_code, due.stdout, due.stderr) == (0, "", "")
