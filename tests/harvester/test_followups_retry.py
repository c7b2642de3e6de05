"""Retry-After at its extremes, on a real socket (harvester/retry.py, harvester/client.py):
a follow-up of the review of 2026-12-03.

A ``Retry-After: 0`` (or a date past) made up to ten retries back to back: now each
waits a second. A Retry-After past the cap (two minutes) was waited for two minutes,
again and again, until the wait budget ran out ten minutes later: the provider asked
for a day, and got a request every two minutes. Now the harvest fails at once, saying
how long the provider asks to wait; its checkpoint is kept, so the next run resumes.
Sickle and pyoai sleep whatever Retry-After says, a day included, inside the run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from harvester.errors import WaitTooLong
from tests.harvester.test_client import NOW, RECORDS, Harness, titles
from tests.harvester.test_client import peer as peer  # the scripted peer fixture
from tests.peers.oai import CatalogPeer
from tests.peers.scripted import Step
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
StartResponse = Callable[..., Any]


@pytest.mark.parametrize("value", ["0", format_datetime(NOW - timedelta(hours=1), usegmt=True)])
def test_a_retry_after_of_nothing_waits_a_second(peer: Harness, value: str) -> None:
    peer.script(*[Step(503, b"busy", (("Retry-After", value),))] * 3)
    assert titles(peer.client()) == [r.title for r in RECORDS]
    assert peer.sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(("status", "value", "said"), [
    (503, format_datetime(NOW + timedelta(days=2), usegmt=True),
     "2 days (Retry-After: Tue, 03 Mar 2026 12:00:00 GMT)"),
    (429, "3600", "1 hour (Retry-After: 3600)"),
    (503, "121", "2 minutes 1 second (Retry-After: 121)"),
])
def test_a_retry_after_past_the_cap_is_not_waited(
    peer: Harness, status: int, value: str, said: str,
) -> None:
    peer.script(Step(200), Step(status, b"", (("Retry-After", value),)))
    client = peer.client()
    with pytest.raises(WaitTooLong, match=re.escape(
            f"HTTP {status}: the provider asks to wait {said}; rli waits 2 minutes at most")):
        titles(client)
    assert peer.sleeps == [] and client.waited == 0
    assert len(peer.peer.args()) == 2


def test_a_retry_after_at_the_cap_is_waited(peer: Harness) -> None:
    peer.script(Step(503, b"", (("Retry-After", "120"),)))
    assert titles(peer.client()) == [r.title for r in RECORDS]
    assert peer.sleeps == [120.0]


class _BusyForADay:
    """A correct provider whose second page, once, is a 503 asking to wait a day."""

    def __init__(self) -> None:
        self.catalogue = CatalogPeer(RECORDS, page_size=3)
        self.refused = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if "resumptionToken" in environ.get("QUERY_STRING", "") and not self.refused:
            self.refused += 1
            start_response("503 Service Unavailable",
                           [("Retry-After", "86400"), ("Content-Type", "text/plain")])
            return [b"down for maintenance until tomorrow"]
        return self.catalogue(environ, start_response)


def test_rli_harvest_asked_to_wait_a_day_fails_at_once_and_resumes_later(
    tmp_path: Path,
) -> None:
    db = tmp_path / "rli.db"

    def rli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True,
                              text=True, timeout=60)

    provider = _BusyForADay()
    with serve(provider) as url:
        assert rli("source", "add", "p", url, "-m", "oai_dc").returncode == 0
        started = time.monotonic()
        first = rli("harvest", "-q", "p")
        took = time.monotonic() - started
        second = rli("harvest", "p")
    assert first.returncode == 1 and first.stdout == ""
    assert first.stderr.splitlines() == [
        f"p: {url}: HTTP 503: the provider asks to wait 1 day (Retry-After: 86400);"
        " rli waits 2 minutes at most: try again later"]
    assert took < 30
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("p: ok, 4 records (0 deleted, 0 failed), 2 pages, full;"
                                    " resumed")
