"""Pages that are not what a harvest asked for, said so in one line a repository manager
can act on (review of 2026-12-03, the second one).

An HTML page sent with HTTP 200 instead of OAI-PMH (a login, a maintenance or a
bot-check page) failed the run with what libxml2 said of its tags ("Opening and
ending tag mismatch: br line 1 and body"); a record header without a datestamp
failed it with "record header without identifier or datestamp", naming no record.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harvester.body import html_title
from harvester.errors import BrokenPage, UnexpectedResponse
from tests.harvester.test_client import RECORDS, Harness
from tests.harvester.test_client import peer as peer  # the scripted peer fixture
from tests.peers.oai import CatalogPeer
from tests.peers.scripted import Step
from tests.peers.serve import serve

StartResponse = Callable[..., Any]
RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
MAINTENANCE = (b"<!DOCTYPE html>\n<html><head><title>Down for\n maintenance</title></head>"
               b"<body><h1>Back soon<br></body></html>")


def test_an_html_page_with_http_200_is_named_by_its_title(peer: Harness) -> None:
    peer.script(Step(body=MAINTENANCE, headers=(("Content-Type", "text/html"),)))
    with pytest.raises(BrokenPage) as raised:
        list(peer.client().list_records("oai_dc"))
    assert str(raised.value).startswith(
        f"{peer.url}: ListRecords response is an HTML page ('Down for maintenance')")
    assert raised.value.saved is not None and raised.value.saved.read_bytes() == MAINTENANCE


@pytest.mark.parametrize(("data", "title"), [
    (MAINTENANCE, "Down for maintenance"),
    (b"<HTML><BODY>Login</BODY></HTML>", ""),
    (b"<html><title>" + b"x" * 200 + b"</title>", "x" * 79 + "\u2026"),
    (b"<?xml version='1.0'?><OAI-PMH><!-- <html> --></OAI", None),  # broken OAI-PMH
    (b"Service Unavailable", None),
])
def test_html_title(data: bytes, title: str | None) -> None:
    assert html_title(data) == title


class _LoginWall(CatalogPeer):
    """Identify answered; ListRecords behind a login page sent with HTTP 200."""

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if "ListRecords" not in environ.get("QUERY_STRING", ""):
            return super().__call__(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [b"<html><head><title>Sign in | Repository</title></head><body><form>"
                b"<input name=user><br></form></body></html>"]


def test_rli_harvest_says_the_provider_sent_an_html_page(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    with serve(_LoginWall(RECORDS)) as url:
        added = subprocess.run([*RLI, "--db", str(db), "source", "add", "p", url, "-m",
                                "oai_dc"], capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        run = subprocess.run([*RLI, "--db", str(db), "harvest", "p"], capture_output=True,
                             text=True, timeout=60)
    said = f"{url}: ListRecords response is an HTML page ('Sign in | Repository')"
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1] == "Error: harvest failed for p"
    assert said in run.stdout
    listed = subprocess.run([*RLI, "--db", str(db), "source", "list", "--json"],
                            capture_output=True, text=True, timeout=60)
    (row,) = json.loads(listed.stdout)
    assert row["last_status"] == "failed" and row["last_error"].startswith(said)
    assert row["records"] == 0 and row["last_success"] is None


def test_a_header_without_a_datestamp_names_its_record(peer: Harness) -> None:
    def no_datestamp(body: bytes) -> bytes:
        start = body.index(b"<datestamp>", body.index(RECORDS[1].identifier.encode()))
        return body[:start] + body[body.index(b"</datestamp>", start) + 12:]

    peer.script(Step(body=no_datestamp))
    with pytest.raises(UnexpectedResponse,
                       match="^the record header of 'oai:peer:1' has no datestamp$"):
        list(peer.client().list_records("oai_dc"))
