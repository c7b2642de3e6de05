"""``rli harvest`` as cron runs it (repository/cli/harvest.py): quiet output, one run per
source, time limits, the log file, ``rli source list`` status, 4xx OAI answers."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from repository.cli import cli
from repository.oai.provider import ProviderConfig
from repository.oai.wsgi import make_app as oai_app
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
    assert "a: busy: another run of this source is under way (pid " in second.stdout
    assert "a: a:" not in second.stdout  # (the name was said twice)
    assert (due.exit_code, due.stdout, due.stderr) == (0, "", "")


def _two_paths(slow: CatalogPeer, quick: CatalogPeer) -> Callable[..., Any]:
    """One host serving ``slow`` at /slow/oai and ``quick`` at /quick/oai."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        peer = slow if environ["PATH_INFO"].startswith("/slow") else quick
        return peer(environ, start_response)

    return app


def _list_records(peer: CatalogPeer) -> int:
    return sum(1 for _, args in peer.requests if args.get("verb") == "ListRecords")


def _wait_for_list_records(peer: CatalogPeer) -> None:
    deadline = time.monotonic() + 10
    while not _list_records(peer) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_two_due_calls_at_once_harvest_each_source_once(tmp_path: Path) -> None:
    """The second call takes ``b`` while the first is busy with ``a``; when the first
    reaches ``b`` it finds it harvested (it was due when the first call began)."""
    db = tmp_path / "rli.db"
    slow = CatalogPeer(recs(5, "slow"), page_size=1, delay=0.5)
    quick = CatalogPeer(recs(3, "quick"))
    with serve(_two_paths(slow, quick), path="") as url:
        rli(db, "source", "add", "a", f"{url}/slow/oai", "--prefix", "oai_dc", "--every", "1h")
        rli(db, "source", "add", "b", f"{url}/quick/oai", "--prefix", "oai_dc", "--every", "1h")
        first = subprocess.Popen([*RLI, "--db", str(db), "harvest", "--due"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for_list_records(slow)
            second = rli(db, "harvest", "--due")
        finally:
            out, err = first.communicate(timeout=60)
    assert second.exit_code == 0 and first.returncode == 0, (out, err)
    assert "a: ok, 5 records" in out and "a: skipped" in second.stdout
    both = out + second.stdout  # one call harvested b (the second, unless it was very slow)
    assert both.count("b: ok, 3 records") == 1 and both.count("b: ok") == 1, both
    assert _list_records(quick) == 1


def test_a_source_being_harvested_cannot_be_removed(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    peer = CatalogPeer(recs(4), page_size=1, delay=0.5)
    with serve(peer) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc")
        run = subprocess.Popen([*RLI, "--db", str(db), "harvest", "a"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for_list_records(peer)
            refused = rli(db, "source", "remove", "a")
        finally:
            out, err = run.communicate(timeout=60)
        assert run.returncode == 0 and "a: ok, 4 records" in out, (out, err)
        assert refused.exit_code == 1
        assert "another run of this source is under way" in refused.stderr
        assert rli(db, "source", "remove", "a").exit_code == 0  # once the run has ended
    assert rli(db, "source", "remove", "../a").stderr.startswith("Error: no source called")
    assert not (tmp_path / "a.lock").exists()


def test_a_schedule_past_the_calendar_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    with serve(CatalogPeer(recs(2))) as url:
        for every in ("99999999999d", "999999999999999999999d"):
            result = rli(db, "source", "add", "a", url, "--prefix", "oai_dc", "--every", every)
            assert (result.exit_code, result.stderr) == (
                1, f"Error: bad schedule '{every}': at most 36500d\n")
        assert rli(db, "source", "add", "a", url, "--prefix", "oai_dc", "--every",
                   "36500d").exit_code == 0
        assert rli(db, "harvest", "a").exit_code == 0
        listed = rli(db, "source", "list", "--json")
        due = rli(db, "harvest", "--due", "--quiet")
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["every"] == "36500d"
    assert (due.exit_code, due.stdout, due.stderr) == (0, "", "")


def _slow_then_quick(db: Path, *calls: tuple[str, ...]) -> tuple[list[Any], CatalogPeer]:
    """Sources a (slow: past a one-second --max-time) and b (quick) on one host, due every
    minute; the results of ``calls`` (each rli's arguments after --db), and b's peer."""
    slow = CatalogPeer(recs(6, "slow"), page_size=1, delay=0.6)
    quick = CatalogPeer(recs(3, "quick"))
    with serve(_two_paths(slow, quick), path="") as url:
        rli(db, "source", "add", "a", f"{url}/slow/oai", "--prefix", "oai_dc", "--every", "1m")
        rli(db, "source", "add", "b", f"{url}/quick/oai", "--prefix", "oai_dc", "--every", "1m")
        return [rli(db, *args) for args in calls], quick


def test_quiet_names_the_sources_the_time_limit_left_unstarted(tmp_path: Path) -> None:
    call = ("harvest", "--due", "--quiet", "--max-time", "1")
    (first, second), quick = _slow_then_quick(tmp_path / "rli.db", call, call)
    assert first.exit_code == 1 and first.stdout == ""
    assert first.stderr.splitlines()[0].startswith("a: ")
    assert first.stderr.splitlines()[1:] == [
        "b: not started: the call's time limit passed before its turn; it stays due"]
    assert second.exit_code == 1 and second.stderr.splitlines()[0].startswith("a: ")
    assert len(second.stderr.splitlines()) == 1  # b went first, and was harvested
    assert _list_records(quick) == 1


def test_a_source_left_unstarted_is_not_said_to_have_failed(tmp_path: Path) -> None:
    # found in review: without --quiet the call ended "harvest failed for a, b", b never
    # having started
    (done,), _ = _slow_then_quick(tmp_path / "rli.db", ("harvest", "--due", "--max-time", "1"))
    assert done.exit_code == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: harvest failed for a; not started (--max-time): b")


def test_quiet_keeps_the_archive_s_warnings_for_the_log_file(tmp_path: Path) -> None:
    """A list whose past versions cannot be fetched is archived at its latest version, with
    a warning: that goes to ``--log-file`` like the harvester's own lines, not to a quiet
    cron job's stderr (Python's last-resort handler wrote it there, and not to the file)."""
    up, down, log = tmp_path / "up.db", tmp_path / "down.db", tmp_path / "harvest.log"
    assert rli(up, "demo", "--no-serve").exit_code == 0
    served: dict[str, Callable[..., Any]] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ["PATH_INFO"] != "/oai":  # the version URLs
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"gone"]
        plain = {k: v for k, v in environ.items() if k != "HTTP_ACCEPT_ENCODING"}
        body = b"".join(served["app"](plain, start_response))  # unzipped, to be validated
        validate(parse_untrusted(body), "oai-pmh")
        return [body]

    with serve(app, path="") as url:
        served["app"] = oai_app(up, ProviderConfig(base_url=f"{url}/oai"))
        added = rli(down, "source", "add", "up", f"{url}/oai", "--prefix", "rli")
        assert added.exit_code == 0, added.stderr
        result = subprocess.run(  # a process of its own: pytest's log handlers left out
            [*RLI, "--db", str(down), "harvest", "up", "--quiet", "--log-file", str(log)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert "not copied, latest version only" in log.read_text()


def test_a_log_file_that_cannot_be_written_is_said_once_and_the_harvest_goes_on(
    tmp_path: Path,
) -> None:
    """A full disk under ``--log-file`` (/dev/full): one line on stderr, exit status 1, the
    records kept; not a "Logging error" traceback for every line logged, with exit 0."""
    db = tmp_path / "rli.db"
    with serve(CatalogPeer(recs(4), page_size=1)) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc", "--every", "1d")
        result = subprocess.run(
            [*RLI, "--db", str(db), "harvest", "--due", "--quiet", "--log-file", "/dev/full"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "Error: /dev/full: No space left on device; the rest of the harvest log is lost"]
    listed = json.loads(rli(db, "source", "list", "--json").stdout)[0]
    assert (listed["records"], listed["last_status"]) == (4, "ok")


def test_max_time_bounds_the_proposals_after_the_runs_too(tmp_path: Path) -> None:
    """A run stopped by --max-time begins no propagation past it (an hour's cron job
    with a long proposal after it ran into the next); the next harvest proposes it all."""
    db = tmp_path / "rli.db"
    peer = CatalogPeer(recs(12), page_size=2)
    with serve(peer) as url:
        rli(db, "source", "add", "a", url, "--prefix", "oai_dc")
        assert rli(db, "harvest", "a").exit_code == 0
        rli(db, "new", "--title", "Reserves", "--owner", "lib", "--from-source", "a")
        peer.records = [replace(r, title=f"{r.title} (2nd ed.)") for r in peer.records]
        # 6 pages at 0.6 s each against 2 s: the run stops part-way, and keeps a page or
        # more even when starting takes a second (at 0.4 s against 1 s a loaded machine
        # stopped it before its first page)
        peer.delay = 0.6
        stopped = rli(db, "harvest", "a", "--full", "--max-time", "2")
        assert stopped.exit_code == 1 and "time limit" in stopped.stdout
        assert "not all proposed (--max-time)" in stopped.stderr
        assert "pending change" not in stopped.stdout
        kept = json.loads(rli(db, "resources", "--json").stdout)
        changed = sum("(2nd ed.)" in r["title"] for r in kept)  # what the stopped run got
        assert 1 <= changed < 12
        # whatever harvest comes next proposes them, even one with nothing to harvest
        # (found in review: they waited for the next run of that source, a day later);
        # two at once (two cron jobs) propose each once
        both = [subprocess.Popen([*RLI, "--db", str(db), "harvest", "--due"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        said = [proc.communicate(timeout=120) for proc in both]
        assert [proc.returncode for proc in both] == [0, 0], said
        assert all("nothing to harvest" in err for _, err in said)
        plural = "s" if changed > 1 else ""
        assert f"a: {changed} new pending change{plural} (`rli changes`)" in "".join(
            out for out, _ in said)
        assert len(json.loads(rli(db, "changes", "--json").stdout)) == changed
        peer.delay = 0.0
        rest = rli(db, "harvest", "a", "--full")
    assert rest.exit_code == 0, rest.stderr
    assert f"a: {12 - changed} new pending change" in rest.stdout  # one a record
    listed = json.loads(rli(db, "changes", "--json").stdout)
    assert len(listed) == 12 and json.dumps(listed).count("(2nd ed.)") >= 12
