"""``/search`` (repository/web/views/search.py) and its library (repository/search_results.py).

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

from harvester.shared.db import open_db
from harvester.shared.fulltext import QueryError
from repository.archive import Archive
from repository.cli import cli
from repository.search_results import Narrowing, result_page
from repository.web.views import search as search_view
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve
from tests.repository.web.conftest import csrf_of, latest, login, make_app

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
DEMO_LISTS = 8  # every demo list matches "the"


def rli(db: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture
def harvested(demo_db: Path) -> Iterator[Path]:
    records = [Rec(f"oai:peer:{i:03d}", T0 - timedelta(hours=5 - i), f"Reserve reading {i}",
                   ("reserves",), creator=f"Author {i % 2}") for i in range(5)]
    with serve(CatalogPeer(records, page_size=2)) as url:
        rli(demo_db, "source", "add", "peer", url, "--prefix", "oai_dc", "--every", "1d")
        rli(demo_db, "harvest", "peer")
    yield demo_db


@pytest.fixture
def client(harvested: Path) -> FlaskClient:
    return make_app(harvested).test_client()


def test_search_page_ranks_hits_and_keeps_the_query_in_the_box(client: FlaskClient) -> None:
    page = client.get("/search?q=jurisprudence&in=lists").get_data(as_text=True)
    assert 'value="jurisprudence"' in page
    assert 'href="/lists/law2210-2026"' in page
    assert "1 hit<" in page


def test_a_hit_whose_identifier_has_dot_segments_links_to_itself(demo_db: Path) -> None:
    odd = Rec("oai:x:dot/../x", T0, "Dotted reading")
    with serve(CatalogPeer([odd])) as url:
        rli(demo_db, "source", "add", "peer", url, "--prefix", "oai_dc", "--every", "1d")
        rli(demo_db, "harvest", "peer")
    client = make_app(demo_db).test_client()
    page = client.get("/search?q=dotted").get_data(as_text=True)
    link = re.search(r'href="(/resources/[^"]+)"', page)
    assert link and link.group(1) == "/resources/peer/oai:x:dot%2F..%2Fx"  # one segment
    assert "Dotted reading" in client.get(link.group(1)).get_data(as_text=True)


def test_a_bad_query_shows_its_one_line_error_not_a_500(client: FlaskClient) -> None:
    response = client.get('/search?q="unbalanced')
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Error: unbalanced quote in search query" in page
    assert 'value=""unbalanced"' in page  # still in the box
    for bad in ("/search?q=x&in=everything", "/search?q=x&year=soon", "/search?q=the&after=zz"):
        assert client.get(bad).status_code == 400, bad


def test_facets_link_to_a_narrower_search(client: FlaskClient) -> None:
    page = html.unescape(client.get("/search?q=reading OR the").get_data(as_text=True))
    for facet in ("Source", "Type", "Year", "Course", "Owner"):
        assert f"<h2>{facet}</h2>" in page, facet
    assert "/search?q=reading+OR+the&owner=prof.grace.okonkwo" in page
    narrowed = client.get("/search?q=reading OR the&owner=prof.grace.okonkwo")
    text = narrowed.get_data(as_text=True)
    assert "1 hit<" in text and "/lists/law2210-2026" in text
    by_source = client.get("/search?q=reading OR the&source=peer").get_data(as_text=True)
    assert "5 hits<" in by_source and "/lists/" not in by_source.split('id="hits-h"')[1]


def test_pages_follow_a_cursor_and_never_repeat_a_hit(harvested: Path) -> None:
    db = open_db(harvested)
    seen: list[str] = []
    after = ""
    while True:
        page = result_page(db, "the", after=after, size=3)
        seen += [f.hit.id for f in page.found]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == len(set(seen)) == DEMO_LISTS
    assert page.total == DEMO_LISTS
    with pytest.raises(QueryError):
        result_page(db, "the", after="not-a-cursor")
    only = result_page(db, "the", narrowing=Narrowing(course="LAW2210"), size=3)
    assert [f.hit.id for f in only.found] == ["law2210-2026"]


def test_the_view_pages_through_hits(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = html.unescape(client.get("/search?q=the&in=lists").get_data(as_text=True))
    assert "8 hits" in first and "Next page" not in first  # 20 a page
    assert first.count('class="hit hit-list"') == DEMO_LISTS
    monkeypatch.setattr(search_view, "PAGE_SIZE", 3)
    url: str | None = "/search?q=the&in=lists"
    seen: list[str] = []
    pages = 0
    while url is not None:
        page = html.unescape(client.get(url).get_data(as_text=True))
        seen += re.findall(r'<li class="hit hit-list">\s*<a href="/lists/([^"]+)"', page)
        assert 'value="the"' in page and (pages == 0 or "First page" in page)
        found = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = found.group(1) if found else None
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == DEMO_LISTS


def test_a_deleted_list_takes_no_hits(client: FlaskClient, harvested: Path) -> None:
    token = login(client)
    rli(harvested, "delete", "musi2310-2026", "--note", "gone")
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:001"], "action": "add", "list": "musi2310-2026"})
    assert response.status_code == 400 and "deleted" in response.get_data(as_text=True)


def test_readers_see_no_checkboxes_editors_pick_hits_into_a_list(
    client: FlaskClient, harvested: Path,
) -> None:
    anonymous = client.get("/search?q=reserve&in=resources").get_data(as_text=True)
    assert 'name="pick"' not in anonymous and "Log in</a> to put hits" in anonymous
    token = login(client)
    page = client.get("/search?q=reserve&in=resources").get_data(as_text=True)
    assert page.count('name="pick"') == 5
    before = latest(harvested, "musi2310-2026")
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:001", "peer:oai:peer:003"],
        "action": "add", "list": "musi2310-2026"})
    assert response.status_code == 302 and response.location.endswith("/lists/musi2310-2026")
    assert latest(harvested, "musi2310-2026") == before + 1
    lst = Archive(open_db(harvested)).get("musi2310-2026")
    origins = [i.content.origin for i in lst.items]  # type: ignore[union-attr]
    assert [(o.source, o.identifier) for o in origins if o] == [
        ("peer", "oai:peer:001"), ("peer", "oai:peer:003")]


def test_a_new_list_from_picked_hits(client: FlaskClient, harvested: Path) -> None:
    token = login(client)
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:002"], "action": "new",
        "title": "Reserve Shelf 2027", "course": "HIST2041, HIST3000"})
    assert response.status_code == 302 and response.location.endswith("/lists/reserve-shelf-2027")
    archive = Archive(open_db(harvested))
    lst = archive.get("reserve-shelf-2027")
    assert lst.courses == ("HIST2041", "HIST3000") and lst.owner == "eve"
    origin = lst.items[0].content.origin  # type: ignore[union-attr]
    assert origin is not None and origin.identifier == "oai:peer:002"
    again = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:002"], "action": "new",
        "title": "Reserve Shelf 2027"})
    assert again.status_code == 400 and "already" in again.get_data(as_text=True)


def test_picking_needs_a_login_a_csrf_token_and_a_live_record(
    client: FlaskClient, harvested: Path,
) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    data = {"pick": ["peer:oai:peer:001"], "action": "add", "list": "musi2310-2026"}
    anonymous = client.post("/search/pick", data={**data, "csrf": token})
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    token = login(client)
    assert client.post("/search/pick", data=data).status_code == 400  # no CSRF token
    gone = client.post("/search/pick", data={**data, "csrf": token,
                                              "pick": ["peer:oai:peer:999"]})
    assert gone.status_code == 400 and "no harvested record" in gone.get_data(as_text=True)
    assert latest(harvested, "musi2310-2026") == 1


def test_log_in_from_a_search_comes_back_to_that_search(client: FlaskClient) -> None:
    page = html.unescape(client.get("/search?q=reading&type=book").get_data(as_text=True))
    link = re.search(r'href="(/login\?next=[^"]+)"', page)
    assert link, "a Log in link"
    form = client.get(link.group(1)).get_data(as_text=True)
    assert 'name="next" value="/search?q=reading&amp;type=book"' in form
    plain = html.unescape(client.get("/sources").get_data(as_text=True))
    assert 'href="/login?next=/sources"' in plain  # no stray "?"
