"""Misbehaving providers on a real socket: defects found by the review of 2026-12-03.

A Retry-After of thousands of digits, or of a digit that is not ASCII, failed the
harvest with an internal ValueError; a provider that answers every token with the
same page and a new token kept a harvest (and its output file) going for ever; white
space before the XML declaration failed the page; and a provider that says it keeps
seconds but keeps days lost the records changed on the day of the last harvest, after
its hour, from every incremental harvest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.client import OAIClient
from harvester.errors import EndlessList, WaitTooLong
from harvester.oneshot import dump_records
from harvester.retry import RetryPolicy
from harvester.shared.db import open_db
from harvester.shared.protocol import DC_NS, Granularity, format_datestamp, parse_datestamp
from tests.harvester.test_client import NOW, RECORDS, Harness
from tests.harvester.test_client import peer as peer  # the scripted peer fixture
from tests.harvester.test_job import Clock, harvest, recs, register
from tests.peers.oai import CatalogPeer, Rec, identify_response, records_response
from tests.peers.scripted import Step
from tests.peers.serve import serve

StartResponse = Callable[..., Any]


@pytest.mark.parametrize(("value", "wait"), [
    ("\u00b2", RetryPolicy().default_retry_after),  # str.isdigit() says yes, int() says no
])
def test_an_outlandish_retry_after_is_a_wait_not_a_crash(
    peer: Harness, value: str, wait: float,
) -> None:
    peer.script(Step(503, b"busy", (("Retry-After", value),)))
    assert peer.client().identify().repository_name == "Test peer"
    assert peer.sleeps == [wait]


def test_a_retry_after_of_thousands_of_digits_fails_at_once_not_with_a_crash(
    peer: Harness,
) -> None:
    """Past int()'s 4300 digits: longer than the cap, so not waited (it was waited at the
    cap, before a wait past the cap failed at once); the header is not quoted whole."""
    peer.script(Step(503, b"busy", (("Retry-After", "9" * 5000),)))
    with pytest.raises(WaitTooLong, match="asks to wait more than a year; rli waits") as got:
        peer.client().identify()
    assert len(str(got.value)) < 200
    assert peer.sleeps == []


class _StuckList:
    """Every token answered with the same page of records and a token never sent before
    (a provider that ignores the token's position but stamps each token anew); it gives
    up after 50 requests, so that a harvester which does not stop fails the test."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        self.requests += 1
        token = f"page-2-{self.requests}" if self.requests < 50 else None
        body = records_response(RECORDS[:3], token=token, size=7,
                                cursor=3, now=NOW)
        validate(parse_untrusted(body), "oai-pmh")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body]


def test_the_same_page_again_and_again_with_new_tokens_stops_the_list(tmp_path: Path) -> None:
    app = _StuckList()
    with serve(app) as url, httpx.Client() as http:
        client = OAIClient(url, http, keep_dir=tmp_path)
        titles = []
        with pytest.raises(EndlessList, match="repeat"):
            for record in client.list_records("oai_dc"):
                assert record.metadata is not None
                titles.append(record.metadata.findtext(f"{{{DC_NS}}}title"))
    assert app.requests < 10
    assert titles[:3] == [r.title for r in RECORDS[:3]]


def test_a_one_shot_harvest_of_a_stuck_list_fails_and_writes_no_file(tmp_path: Path) -> None:
    app = _StuckList()
    out = tmp_path / "out" / "dump.xml"
    out.parent.mkdir()
    with serve(app) as url, httpx.Client() as http, pytest.raises(EndlessList):
        dump_records(OAIClient(url, http, keep_dir=tmp_path / "broken"), out, "oai_dc")
    assert list(out.parent.iterdir()) == []
    assert app.requests < 10


def test_one_page_sent_again_in_a_list_is_not_a_loop(peer: Harness) -> None:
    """A record moved by an insertion on an offset-paged provider comes twice; with
    one record a page, that is a whole page again. Only a run of repeats is a loop."""
    again = records_response(RECORDS[:1], token="00|||", size=7, cursor=1, now=NOW)
    validate(parse_untrusted(again), "oai-pmh")
    first = records_response(RECORDS[:1], token="0|||", size=7, cursor=0, now=NOW)
    validate(parse_untrusted(first), "oai-pmh")
    peer.script(Step(body=first), Step(body=again))  # then the catalogue from offset 0
    client = peer.client()
    found = [r.header.identifier for r in client.list_records("oai_dc")]
    assert found == [RECORDS[0].identifier] * 2 + [r.identifier for r in RECORDS]


def _latin1(body: bytes) -> bytes:
    """``body`` (UTF-8, declared) in ISO-8859-1, with no encoding declared."""
    changed = body.replace(b"Title 4", "Titl\u00e9 4".encode()).replace(b" encoding='UTF-8'", b"")
    return changed.decode("utf-8").encode("latin-1")


@pytest.mark.parametrize("before", [b"\n", b"\r\n  \t", b"\xef\xbb\xbf\n"])
def test_white_space_before_the_xml_declaration_is_dropped(peer: Harness, before: bytes) -> None:
    """A PHP provider whose included files end in a newline sends it before ``<?xml``
    (OJS has); the page, valid after that, failed: "XML declaration allowed only at
    the start of the document". A charset named only by the header is still read."""
    space = before.replace(b"\xef\xbb\xbf", b"")
    peer.script(Step(body=lambda body: before + body),
                Step(body=lambda body: space + _latin1(body),
                     headers=(("Content-Type", "text/xml; charset=ISO-8859-1"),)))
    client = peer.client()
    found = [r.metadata.findtext(f"{{{DC_NS}}}title") for r in client.list_records("oai_dc")
             if r.metadata is not None]
    assert found == [r.title.replace("Title 4", "Titl\u00e9 4") for r in RECORDS]
    assert client.stripped == 0


class _SaysSecondsKeepsDays(CatalogPeer):
    """Identify says seconds; datestamps are days, and a ``from`` with a time is compared
    with the day's midnight (CONTENTdm-like): a record of that day after midnight is out."""

    def _respond(self, args: dict[str, str]) -> bytes:
        if args.get("verb") == "Identify":
            return identify_response(Granularity.SECONDS, now=self.clock())
        asked = args.get("from", "")
        if len(asked) > 10:
            moment = parse_datestamp(asked)[0]
            day = moment.replace(hour=0, minute=0, second=0)
            first = day if moment == day else day + timedelta(days=1)
            args = {**args, "from": format_datestamp(first, Granularity.DAY)}
        return super()._respond(args)


def test_day_datestamps_under_a_seconds_identify_lose_nothing_incrementally(
    tmp_path: Path,
) -> None:
    clock = Clock()
    records = recs(3)
    peer = _SaysSecondsKeepsDays(records, page_size=2, granularity=Granularity.DAY, clock=clock)
    db = open_db(tmp_path / "rli.db")
    with serve(peer) as url:
        register(db, url)

        def run_at(now: datetime) -> list[str]:
            clock.now = now
            before = len(peer.list_requests())
            assert harvest(db, "peer", clock, tmp_path).ok
            return [a.get("from", "") for a in peer.list_requests()[before:]]

        base = clock.now  # 2026-03-01T12:00:00Z
        run_at(base)
        # changed after the harvest, on its day: the provider stamps it 2026-03-01
        records.append(Rec("oai:peer:late", base + timedelta(hours=3), "Late"))
        run_at(base + timedelta(hours=21))
        # a run that finds nothing, then a change later that day
        run_at(base + timedelta(hours=30))
        records.append(Rec("oai:peer:later", base + timedelta(hours=32), "Later"))
        asked = run_at(base + timedelta(days=2))
        kept = {r[0] for r in db.conn.execute("SELECT identifier FROM harvest_resources")}
    db.conn.close()
    assert {"oai:peer:late", "oai:peer:later"} <= kept
    assert asked[0] == "2026-03-01T23:58:00Z"  # the day of the last run, from its start
