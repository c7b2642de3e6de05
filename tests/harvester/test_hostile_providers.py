"""Hostile providers met in the wild, on a real socket: defects found by the review of
2026-12-03 (the second one), each shown by a test that failed before its fix.

A record once dated in the future by a provider's clock gone wrong froze: every later
version, with a true datestamp, was taken for an older one and never read. A one-shot
harvest into stdout or a FIFO that failed or was stopped midway closed its root
element, so what it left was a well-formed file that looked complete. A provider's
error message of kilobytes (a Java stack trace) became the run's error, and a cell of
``rli source list``, whole. ``rli harvest -q -l URL`` named the URL twice in its error.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from lxml import etree

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.envelope import read_page
from harvester.shared.protocol import OAIError, Verb, in_future
from tests.harvester.test_job import T0, Clock, harvest, recs, register
from tests.peers.oai import CatalogPeer, Rec, error_response, records_response
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve

StartResponse = Callable[..., Any]
RLI = [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT,"
       " signal.default_int_handler); from repository.cli import main; main()"]
FAR = T0.replace(year=2099)


def titles(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT identifier, title FROM harvest_resources").fetchall())


@pytest.mark.parametrize("fixed_at", [T0 + timedelta(hours=1), T0 - timedelta(days=5)])
def test_a_record_once_dated_in_the_future_takes_its_later_versions(
    db: sqlite_utils.Database, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    fixed_at: Any,
) -> None:
    """The provider's clock said 2099 once; fixed, it sends the record again with a true
    datestamp (after the first harvest, or the record's real one: then a full harvest)."""
    records = recs(3)
    records[1] = Rec(records[1].identifier, FAR, "Title 1", records[1].sets)
    clock = Clock()
    with serve(CatalogPeer(records, clock=clock)) as url:
        register(db, url)
        with caplog.at_level(logging.WARNING, logger="harvester.job"):
            assert harvest(db, "peer", clock, tmp_path).ok
        records[1] = Rec(records[1].identifier, fixed_at, "Title 1, fixed", records[1].sets)
        clock.now = T0 + timedelta(hours=2)
        again = harvest(db, "peer", clock, tmp_path, full=fixed_at < T0)
    assert again.ok and again.records >= 1
    assert titles(db)["oai:peer:001"] == "Title 1, fixed"
    assert "1 record dated after tomorrow (oai:peer:001, 2099-03-01T12:00:00Z)" in caplog.text


def test_a_record_sent_again_with_an_older_datestamp_still_does_not_win(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    """What the future datestamp rule must leave: a stale copy with an older datestamp
    than a current one that is not in the future is kept raw, not read."""
    records = recs(2)
    clock = Clock()
    with serve(CatalogPeer(records, clock=clock)) as url:
        register(db, url)
        assert harvest(db, "peer", clock, tmp_path).ok
        records[1] = Rec(records[1].identifier, T0 - timedelta(days=30), "Stale", records[1].sets)
        assert harvest(db, "peer", clock, tmp_path, full=True).ok
    assert titles(db)["oai:peer:001"] == "Title 1"


@pytest.mark.parametrize(("stamp", "ahead"), [
    ("2026-03-02T23:59:59Z", False),  # tomorrow, in some time zone: a clock a little fast
    ("2026-03-03", True),
    ("2099-01-01T00:00:00Z", True),
    ("2026-03-01", False),
    ("not a date", False),
    ("9999/99/99", False),
])
def test_in_future_is_after_tomorrow(stamp: str, ahead: bool) -> None:
    assert in_future(stamp, "2026-03-01T12:00:00Z") is ahead


class _StuckAfterOnePage:
    """A first page of records, then the same token for ever (RepeatedToken), or a page
    that never ends (``drip``: a byte every half second)."""

    def __init__(self, drip: bool = False) -> None:
        self.drip = drip
        self.started = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        first = "resumptionToken" not in environ.get("QUERY_STRING", "")
        if not first and self.drip:
            self.started.set()
            return self._drip()
        body = records_response(recs(3), token="same", size=9, cursor=0, now=T0)
        validate(parse_untrusted(body), "oai-pmh")
        return [body]

    def _drip(self) -> Iterator[bytes]:
        yield b"<?xml version='1.0'?>"
        for _ in range(120):
            time.sleep(0.5)
            yield b" "


def _not_well_formed(data: bytes) -> bool:
    try:
        etree.fromstring(data)
    except etree.XMLSyntaxError:
        return True
    return False


def test_a_one_shot_harvest_to_stdout_that_fails_leaves_no_well_formed_file(
    tmp_path: Path,
) -> None:
    """``rli harvest -l URL -o /dev/stdout > dump.xml``: the list's second page repeats
    the first one's token; the harvest fails, and dump.xml must not look complete."""
    with serve(_StuckAfterOnePage()) as url, (tmp_path / "dump.xml").open("wb") as out:
        proc = subprocess.run([*RLI, "--db", str(tmp_path / "rli.db"), "harvest", "-l", url,
                               "-o", "/dev/stdout"], stdout=out, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"Error: {url}: resumptionToken 'same' repeated"]
    data = (tmp_path / "dump.xml").read_bytes()
    assert data.count(b"<record ") == 6  # both pages were written, as they came
    assert not data.rstrip().endswith(b"</repository>")
    assert _not_well_formed(data)


def test_a_quiet_one_shot_failure_names_the_provider_once(tmp_path: Path) -> None:
    """-q prefixes the provider's URL to the error, which most errors begin with already."""
    with serve(_StuckAfterOnePage()) as url:
        proc = subprocess.run([*RLI, "--db", str(tmp_path / "rli.db"), "harvest", "-q", "-l",
                               url, "-o", str(tmp_path / "dump.xml")], capture_output=True,
                              text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [f"{url}: resumptionToken 'same' repeated"]
    assert not (tmp_path / "dump.xml").exists()


def test_a_one_shot_harvest_into_a_fifo_stopped_by_ctrl_c_leaves_no_well_formed_file(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "dump.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    provider = _StuckAfterOnePage(drip=True)
    with serve(provider) as url:
        proc = subprocess.Popen([*RLI, "--db", str(tmp_path / "rli.db"), "harvest", "-l", url,
                                 "-o", str(fifo)], stderr=subprocess.PIPE, text=True)
        try:
            assert provider.started.wait(30)
            time.sleep(0.3)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    reader.join(10)
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert got and got[0].count(b"<record ") == 3
    assert _not_well_formed(got[0])


def test_a_long_provider_error_message_is_cut_to_a_line(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    """An <error> holding a Java stack trace: the run's error (and `rli source list`'s
    cell) says the code and the start of the message, not kilobytes of it."""
    trace = "java.lang.NullPointerException\n" + "\tat org.dspace.Thing(Thing.java:42)\n" * 200
    body = error_response("badArgument", trace, T0)
    validate(parse_untrusted(body), "oai-pmh")
    with pytest.raises(OAIError) as raised:
        read_page(parse_untrusted(body), Verb.LIST_RECORDS)
    assert raised.value.message.startswith("java.lang.NullPointerException at org.dspace")
    assert len(raised.value.message) <= 300 and raised.value.message.endswith("…")
    peer = ScriptedPeer(CatalogPeer(recs(2), clock=Clock()))
    with serve(peer) as url:
        register(db, url)
        peer.steps.extend([Step(), Step(body=body)])  # Identify, then the ListRecords
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.status == "failed" and len(result.error) < 400, result.error
    assert result.error.startswith("provider error badArgument: java.lang.NullPointer")
