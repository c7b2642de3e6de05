"""A provider that says it keeps seconds but refuses a ``from`` with a time of day
(badArgument), on a real socket (harvester/client.py, harvester/job.py): a follow-up of
the review of 2026-12-03.

Identify says ``YYYY-MM-DDThh:mm:ssZ``, its datestamps have seconds, but a ``from`` in
seconds gets ``badArgument`` (many DSpace and EPrints installs behave so; the OAI-PMH
spec makes every provider take days). Every incremental run failed. The client now
asks again by day: the window starts at the day's midnight, so it overlaps the last
run, and what comes again is kept once; nothing changed since the last run is lost.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from harvester.arguments import by_day
from harvester.client import OAIClient
from harvester.shared.protocol import BadArgument
from tests.harvester.test_job import T0, Clock, harvest, raw_count, recs, register
from tests.peers.oai import CatalogPeer, Rec, error_response
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


class _RefusesSeconds(CatalogPeer):
    """Seconds everywhere but in ``from``/``until``, which must be days: a day's ``from``
    starts at its midnight, a day's ``until`` ends at its last second."""

    def _respond(self, args: dict[str, str]) -> bytes:
        if args.get("verb") == "ListRecords" and "resumptionToken" not in args:
            for name, time in (("from", "T00:00:00Z"), ("until", "T23:59:59Z")):
                value = args.get(name)
                if value and len(value) != 10:
                    return error_response("badArgument", f"Bad {name}: {value}", self.clock())
                if value:
                    args = {**args, name: value + time}
        return super()._respond(args)


def test_incremental_runs_ask_by_day_and_lose_nothing(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    clock = Clock()
    records = recs(5)
    peer = _RefusesSeconds(records, page_size=2, clock=clock)
    with serve(peer) as url:
        register(db, url)

        def run_at(hours: float) -> tuple[object, list[dict[str, str]]]:
            clock.now = T0 + timedelta(hours=hours)
            before = len(peer.list_requests())
            result = harvest(db, "peer", clock, tmp_path)
            return result, peer.list_requests()[before:]

        first, _ = run_at(0)  # full: no from
        # changed after the first run's responseDate, the same day, and the next day
        records.append(Rec("oai:peer:late", T0 + timedelta(hours=3), "Late"))
        records.append(Rec("oai:peer:next", T0 + timedelta(hours=20), "Next day"))
        second, asked = run_at(21)
        third, again = run_at(22)
    assert first.ok and first.records == 5  # type: ignore[attr-defined]
    assert second.ok, second.error  # type: ignore[attr-defined]
    assert [a.get("from") for a in asked[:2]] == ["2026-03-01T11:58:00Z", "2026-03-01"]
    assert second.from_date == "2026-03-01"  # type: ignore[attr-defined]
    assert second.records == 2  # type: ignore[attr-defined]
    assert third.ok and [a.get("from") for a in again[:2]] == [  # type: ignore[attr-defined]
        "2026-03-02T08:58:00Z", "2026-03-02"]
    assert third.records == 1  # the next day's record again, kept once
    assert raw_count(db) == 7 and raw_count(db, "oai:peer:next") == 1


def test_a_time_of_day_refused_is_asked_by_day_for_every_list_after(tmp_path: Path) -> None:
    """One refusal per client: the second list (a set, a later ListIdentifiers) is asked
    by day at once; ``until`` is cut to its day too (the window grows, never shrinks)."""
    peer = _RefusesSeconds(recs(4), page_size=3, clock=Clock())
    with serve(peer) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path)
        one = list(client.list_records("oai_dc", from_="2026-02-25T10:00:00Z",
                                       until="2026-02-27T10:00:00Z"))
        two = list(client.list_records("oai_dc", from_="2026-02-25T10:00:00Z"))
    assert [r.header.identifier for r in one] == ["oai:peer:000", "oai:peer:001", "oai:peer:002"]
    assert [r.header.identifier for r in two] == [r.identifier for r in recs(4)][:4]
    asked = [(a.get("from"), a.get("until")) for a in peer.list_requests()
             if "resumptionToken" not in a]
    assert asked == [("2026-02-25T10:00:00Z", "2026-02-27T10:00:00Z"),
                     ("2026-02-25", "2026-02-27"), ("2026-02-25", None)]


def test_a_bad_argument_that_is_not_the_time_of_day_is_raised_at_once(tmp_path: Path) -> None:
    """A badArgument to a request with no time of day (a bad set, a day refused) is the
    provider's answer: raised, after one request."""
    scripted = ScriptedPeer(CatalogPeer(recs(2), clock=Clock()))
    scripted.steps.extend([Step(body=error_response("badArgument", "no such set", T0))] * 2)
    with serve(scripted) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path)
        with pytest.raises(BadArgument, match="no such set"):
            list(client.list_records("oai_dc", from_="2026-02-25", set_spec="x"))
        assert not client.asks_by_day
    assert len(scripted.args()) == 1


def test_rli_harvest_of_such_a_provider_says_from_which_day(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    records = [Rec(f"oai:peer:{i}", T0 - timedelta(hours=i), f"Title {i}") for i in range(3)]
    peer = _RefusesSeconds(records, clock=lambda: T0 + timedelta(hours=1))

    def rli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True,
                              text=True, timeout=120)

    with serve(peer) as url:
        assert rli("source", "add", "p", url, "-m", "oai_dc").returncode == 0
        assert rli("harvest", "p").returncode == 0
        records.append(Rec("oai:peer:new", T0 + timedelta(hours=1, minutes=30), "New"))
        peer.clock = lambda: T0 + timedelta(hours=2)
        second = rli("harvest", "p")
        listed = rli("source", "list", "--json")
    assert second.returncode == 0, second.stderr
    # the day's records come again (the overlap), and the new one; each is kept once
    assert second.stdout.splitlines() == [
        "p: ok, 4 records (0 deleted, 0 failed), 1 pages, from 2026-03-01"]
    assert '"records": 4' in listed.stdout
    assert "a from/until with a time of day refused (badArgument): asking by day" \
        " (from 2026-03-01)" in second.stderr


@pytest.mark.parametrize(("args", "expected"), [
    ({"from": "2026-03-01T11:58:00Z"}, {"from": "2026-03-01"}),
    ({"from": "2026-03-01T00:00:00Z", "until": "2026-03-02T23:59:59Z", "set": "a"},
     {"from": "2026-03-01", "until": "2026-03-02", "set": "a"}),
    ({"from": "2026-03-01"}, {"from": "2026-03-01"}),
    ({"from": "yesterday"}, {"from": "yesterday"}),
    ({"metadataPrefix": "oai_dc"}, {"metadataPrefix": "oai_dc"}),
])
def test_by_day_cuts_a_time_of_day_only(args: dict[str, str], expected: dict[str, str]) -> None:
    assert by_day(args) == expected
