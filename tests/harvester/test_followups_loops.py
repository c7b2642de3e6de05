"""A list that loops, through the real `rli` on a real socket (harvester/job.py,
harvester/listwatch.py): follow-ups of the review of 2026-12-03.

A harvest that failed on a resumptionToken loop (a token repeated, or A -> B -> A)
kept the looping token as its checkpoint: every later run resumed from it and failed
at once, for ever (until ``--full``), even once the provider would have answered a
fresh list well. The run's summary counted the records of the page sent again twice
("9 records" of a list of 7).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import sqlite_utils

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests.harvester.test_job import T0, Clock, harvest, register
from tests.peers.oai import Rec, formats_response, identify_response, records_response
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
RECORDS = [Rec(f"oai:peer:{i}", T0 - timedelta(days=10 - i), f"Title {i}") for i in range(7)]
StartResponse = Callable[..., Any]


class _SessionPeer:
    """A provider with stateful tokens: each list asked for from its start is a session
    ``n`` (tokens ``n-a``, ``n-b``: pages of 3, 3 and 1 records). The tokens of the
    sessions in ``looping`` lead back into their list: ``n-b`` answers the first page
    again with ``n-a`` (A -> B -> A), or, with ``same``, every token is ``n-a``."""

    def __init__(self, looping: set[int], same: bool = False) -> None:
        self.looping = looping
        self.same = same
        self.sessions = 0
        self.asked: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        args = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        with self.lock:
            self.asked.append(args)
            body = self._respond(args)
        validate(parse_untrusted(body), "oai-pmh")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body]

    def _respond(self, args: dict[str, str]) -> bytes:
        if args.get("verb") == "Identify":
            return identify_response(now=T0)
        if args.get("verb") == "ListMetadataFormats":
            return formats_response(now=T0)
        token = args.get("resumptionToken")
        if token is None:
            self.sessions += 1
            return self._page(0, f"{self.sessions}-a")
        session, step = int(token.split("-")[0]), token.split("-")[1]
        if session in self.looping:
            if self.same:
                return self._page(3, f"{session}-a")
            return self._page(3, f"{session}-b") if step == "a" else self._page(0, f"{session}-a")
        return self._page(3, f"{session}-b") if step == "a" else self._page(6, None)

    @staticmethod
    def _page(start: int, token: str | None) -> bytes:
        return records_response(RECORDS[start:start + 3], token=token, size=len(RECORDS),
                                cursor=start, now=T0)

    def firsts(self) -> list[str]:
        """Per ListRecords request: 'start', or the token asked with."""
        return [a.get("resumptionToken", "start") for a in self.asked
                if a.get("verb") == "ListRecords"]


def _rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120)


def _checkpoint(db: Path) -> list[tuple[str | None, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT token, done FROM harvest_checkpoints").fetchall()


def test_after_a_token_loop_the_next_run_starts_the_list_again(tmp_path: Path) -> None:
    """Session 1's tokens loop for ever (a provider's broken cache, say); a list asked
    for afresh is fine. The next run must ask afresh, not resume from the loop."""
    db = tmp_path / "rli.db"
    peer = _SessionPeer(looping={1})
    with serve(peer) as url:
        assert _rli(db, "source", "add", "p", url, "-m", "oai_dc").returncode == 0
        first = _rli(db, "harvest", "p")
        assert _checkpoint(db) == [(None, 0)]
        second = _rli(db, "harvest", "p")
        listed = _rli(db, "source", "list", "--json")
    assert first.returncode == 1 and "Traceback" not in first.stderr
    summary = first.stdout.strip()
    assert re.fullmatch(
        r"p: failed, 6 records \(0 deleted, 0 failed\), 3 pages, full: \S+: resumptionToken"
        r" '1-a' repeated: the provider's list loops; the next run asks for it again from"
        r" its start", summary), summary
    assert "page 3, 6 records so far of 7" in first.stderr
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("p: ok, 7 records (0 deleted, 0 failed), 3 pages, full")
    assert peer.firsts() == ["start", "1-a", "1-b", "start", "2-a", "2-b"]
    assert _checkpoint(db) == []
    assert '"records": 7' in listed.stdout


def test_a_list_that_always_loops_says_so_every_run(tmp_path: Path) -> None:
    """Every token is the one sent before: each run fails, saying why and what the
    next does, and asks for the list from its start (no run fails on a stale token)."""
    db = tmp_path / "rli.db"
    peer = _SessionPeer(looping={1, 2, 3}, same=True)
    with serve(peer) as url:
        assert _rli(db, "source", "add", "p", url, "-m", "oai_dc").returncode == 0
        runs = [_rli(db, "harvest", "-q", "p") for _ in range(2)]
        listed = _rli(db, "source", "list", "--json")
    for n, run in enumerate(runs, 1):
        assert run.returncode == 1 and run.stdout == ""
        assert run.stderr.splitlines() == [
            f"p: {url}: resumptionToken '{n}-a' repeated: the provider's list loops;"
            " the next run asks for it again from its start"]
    assert peer.firsts() == ["start", "1-a", "start", "2-a"]
    assert "the provider's list loops" in listed.stdout


class _SamePageNewTokens:
    """Every token answered with the first page again and a token never sent before."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        self.requests += 1
        if "Identify" in environ.get("QUERY_STRING", ""):
            body = identify_response(now=T0)
        else:
            body = records_response(RECORDS[:3], token=f"t{self.requests}",
                                    size=len(RECORDS), cursor=0, now=T0)
        validate(parse_untrusted(body), "oai-pmh")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body]


@pytest.mark.parametrize("peer", [_SessionPeer(looping={1}), _SamePageNewTokens()],
                         ids=["A-B-A", "same page, new tokens"])
def test_records_sent_again_in_a_loop_are_counted_once(
    db: sqlite_utils.Database, tmp_path: Path, peer: Any,
) -> None:
    with serve(peer) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    kept = db.conn.execute("SELECT COUNT(*) FROM harvest_resources").fetchone()[0]
    raw = db.conn.execute("SELECT COUNT(*) FROM harvest_records").fetchone()[0]
    assert result.records == kept == raw
    assert result.status == "failed" and "loops" in result.error
    row = db.conn.execute("SELECT records, pages FROM harvest_runs").fetchone()
    assert row == (kept, result.pages) and result.pages > 2
