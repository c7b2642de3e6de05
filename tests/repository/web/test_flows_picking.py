"""Picking search hits into a list as an editor does it: twice, by mistake, or again later.

Resources come from a real harvest over HTTP from a small provider on
127.0.0.1, through the ``rli`` commands; lists are the demo archive's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from crosswalks.rli import iter_resources
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.writes import delete_list
from repository.cli import cli
from repository.web.views import search as search_view
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve
from tests.repository.web.conftest import latest, login, make_app

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def harvested(demo_db: Path) -> Iterator[Path]:
    records = [Rec(f"oai:peer:{i:03d}", T0 - timedelta(hours=5 - i), f"Reserve reading {i}",
                   ("reserves",)) for i in range(3)]
    with serve(CatalogPeer(records)) as url:
        for args in (("source", "add", "peer", url, "--prefix", "oai_dc"), ("harvest", "peer")):
            done = CliRunner().invoke(cli, ["--db", str(demo_db), *args], catch_exceptions=False)
            assert done.exit_code == 0, done.output
    yield demo_db


@pytest.fixture
def client(harvested: Path) -> FlaskClient:
    return make_app(harvested).test_client()


def cited(db_path: Path, list_id: str) -> list[str]:
    lst = Archive(open_db(db_path)).get(list_id)
    return [res.origin.identifier for _, res in iter_resources(lst.items) if res.origin]


def test_add_to_list_sent_twice_adds_each_record_once(client: FlaskClient, harvested: Path) -> None:
    """A double click, or the back button and Add again: the second adds nothing, and the
    list page says why (it added the same records again, a new version each time)."""
    token = login(client)
    form = {"csrf": token, "pick": ["peer:oai:peer:001"], "action": "add",
            "list": "musi2310-2026"}
    first = client.post("/search/pick", data=form)
    assert first.status_code == 302
    client.get(first.location)  # the flash of the first is shown
    again = client.post("/search/pick", data=form)
    assert again.status_code == 302 and again.location.endswith("/lists/musi2310-2026")
    page = client.get(again.location).get_data(as_text=True)
    assert "musi2310-2026 cites peer:oai:peer:001 already; nothing added." in page
    assert cited(harvested, "musi2310-2026") == ["oai:peer:001"]
    assert latest(harvested, "musi2310-2026") == 2


def test_picks_already_cited_are_left_out_and_named(client: FlaskClient, harvested: Path) -> None:
    token = login(client)
    client.post("/search/pick", data={"csrf": token, "pick": ["peer:oai:peer:001"],
                                      "action": "add", "list": "musi2310-2026"})
    client.get("/lists/musi2310-2026")
    response = client.post("/search/pick", data={
        "csrf": token, "action": "add", "list": "musi2310-2026",
        "pick": ["peer:oai:peer:000", "peer:oai:peer:001", "peer:oai:peer:000"]})
    page = client.get(response.location).get_data(as_text=True)
    assert "Saved as version 3: added 1 from search: peer:oai:peer:000." in page
    assert "Already on the list, not added again: peer:oai:peer:001." in page
    assert cited(harvested, "musi2310-2026") == ["oai:peer:001", "oai:peer:000"]


def test_a_new_list_takes_a_pick_named_twice_once(client: FlaskClient, harvested: Path) -> None:
    token = login(client)
    response = client.post("/search/pick", data={
        "csrf": token, "action": "new", "title": "Twice picked",
        "pick": ["peer:oai:peer:002", "peer:oai:peer:002"]})
    assert response.status_code == 302
    assert "(version 1) from 1 search hit." in client.get(response.location).get_data(as_text=True)
    assert cited(harvested, "twice-picked") == ["oai:peer:002"]


def test_adding_to_a_list_deleted_meanwhile_says_so_in_the_pages_words(
    client: FlaskClient, harvested: Path,
) -> None:
    token = login(client)
    search = client.get("/search?q=reserve&in=resources").get_data(as_text=True)
    assert '<option value="musi2310-2026">' in search  # the page offers it ...
    delete_list(Archive(open_db(harvested)), "musi2310-2026", editor="bob", note="merged")
    refused = client.post("/search/pick", data={  # ... and someone deletes it meanwhile
        "csrf": token, "pick": ["peer:oai:peer:001"], "action": "add", "list": "musi2310-2026",
        "back": "/search?q=reserve&in=resources"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "`rli restore" not in page
    assert "the list is deleted: restore it on its page first" in page
    assert '<a href="/search?q=reserve&amp;in=resources">Back to the search</a>' in page


def test_add_from_a_search_offers_the_list_it_came_from_however_old(
    client: FlaskClient, harvested: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """"Add to" offers the lists changed last (here only one): the list page's link
    brings its own list along, chosen, through the query and the facets."""
    monkeypatch.setattr(search_view, "PICK_LISTS", 1)
    token = login(client)
    page = html.unescape(client.get("/lists/law2210-2026").get_data(as_text=True))
    link = re.search(r'href="(/search\?[^"]*to=law2210-2026[^"]*)">Add resources from a search',
                     page)
    assert link, "the list page links to a search for it"
    form = client.get(link[1]).get_data(as_text=True)
    assert '<input type="hidden" name="to" value="law2210-2026">' in form
    hits = client.get(link[1] + "&q=reserve").get_data(as_text=True)
    assert '<option value="law2210-2026" selected>' in hits
    assert re.search(r'href="/search\?[^"]*to=law2210-2026[^"]*source=peer', hits)
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:002"], "action": "add", "list": "law2210-2026"})
    assert response.location.endswith("/lists/law2210-2026")
    assert cited(harvested, "law2210-2026")[-1] == "oai:peer:002"
