"""The front page, the sources page and harvested records (repository/web/views/home.py).

A real harvest over HTTP from a small provider on 127.0.0.1 fills the harvest
log through the ``rli`` commands, as an operator would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from repository.cli import cli
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve
from tests.repository.web.conftest import make_app

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def rli(db: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture
def harvested(demo_db: Path) -> Iterator[Path]:
    records = [Rec(f"oai:peer:{i:03d}", T0 - timedelta(hours=5 - i), f"Peer title {i}",
                   ("reserves",)) for i in range(5)]
    records.append(Rec("oai:peer:gone", T0, "Gone", deleted=True))
    with serve(CatalogPeer(records, page_size=2)) as url:
        rli(demo_db, "source", "add", "peer", url, "--prefix", "oai_dc", "--every", "1d")
        rli(demo_db, "harvest", "peer")
    rli(demo_db, "new", "--title", "Reserves", "--owner", "librarian", "--id", "reserves",
        "--from-source", "peer")
    yield demo_db


def test_front_page_has_counts_and_recent_lists_newest_first(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "8 lists · 0 deleted · 10 versions archived" in page
    assert "0 harvested records" in page
    # hist2041-2026 has the latest change (its bundled revisions are archived last)
    first = page.index("/lists/hist2041-2026")
    assert all(first < page.index(f"/lists/{i}") for i in ("law2210-2026", "biol2003-2026"))


def test_sources_page_without_sources(client: FlaskClient) -> None:
    page = client.get("/sources").get_data(as_text=True)
    assert "No sources yet" in page


def test_sources_page_shows_last_run_records_and_next_due(harvested: Path) -> None:
    page = make_app(harvested).test_client().get("/sources").get_data(as_text=True)
    assert 'id="source-peer"' in page
    assert "5 live, 1 deleted, 0 failed" in page
    assert "ok " in page and "(every 1d)" in page
    assert "not scheduled" not in page


def test_sources_page_says_a_killed_run_was_interrupted(harvested: Path) -> None:
    """What ``kill -9`` of a run leaves: its row 'running', its lock file naming a pid gone."""
    with sqlite3.connect(harvested) as conn:
        conn.execute("INSERT INTO harvest_runs (source, started_at, status, full_harvest)"
                     " VALUES ('peer', '2026-03-02T00:00:00Z', 'running', 0)")
    locks = harvested.parent / f"{harvested.stem}-harvest-locks"
    assert locks.is_dir()  # the fixture's real harvest made it
    gone = subprocess.Popen(["true"])
    gone.wait()
    for pid, shown in ((gone.pid, "interrupted"), (os.getpid(), "running")):
        (locks / "peer.lock").write_text(f"{pid}\n")
        page = make_app(harvested).test_client().get("/sources").get_data(as_text=True)
        assert f"{shown} 2026-03-02T00:00:00Z" in page


def test_a_removed_sources_records_still_have_their_pages(harvested: Path) -> None:
    rli(harvested, "source", "remove", "peer")  # its records stay, and search finds them
    page = make_app(harvested).test_client().get("/resources/peer/oai:peer:003")
    assert page.status_code == 200 and "Peer title 3" in page.get_data(as_text=True)


def test_resource_page_shows_citation_provenance_raw_metadata_and_citing_lists(
    harvested: Path,
) -> None:
    client = make_app(harvested).test_client()
    response = client.get("/resources/peer/oai:peer:003")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<cite>Peer title 3</cite>" in page and "Doe, Jane" in page
    assert "http://www.openarchives.org/OAI/2.0/oai_dc/" in page  # metadata namespace
    assert "&lt;dc:title&gt;Peer title 3&lt;/dc:title&gt;" in page  # raw metadata, escaped
    assert "oai:peer:003" in page and "reserves" in page
    assert 'href="/lists/reserves"' in page  # the list made from the source cites it
    home = client.get("/").get_data(as_text=True)
    assert "5 harvested records from" in home


def test_a_deleted_record_page_says_so(harvested: Path) -> None:
    response = make_app(harvested).test_client().get("/resources/peer/oai:peer:gone")
    assert response.status_code == 200
    assert "deleted" in response.get_data(as_text=True)


def test_unknown_record_of_a_known_source_is_404(harvested: Path) -> None:
    response = make_app(harvested).test_client().get("/resources/peer/oai:peer:999")
    assert response.status_code == 404
