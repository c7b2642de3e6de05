"""Requests no browser of ours sends, answered as HTTP says, never as a 500
(repository/web/context.py numbers, security.py, app.py's error pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.repository.web.conftest import latest, make_app

HUGE = "99999999999999999999"  # past SQLite's INTEGER: OverflowError where it reached a query


@pytest.mark.parametrize("path", [
    f"/lists/law2210-2026/versions/{HUGE}",
    f"/lists/law2210-2026/diff/1/{HUGE}",
    f"/lists/law2210-2026/export/rli?version={HUGE}",
    "/lists/law2210-2026/export/ris?version=abc",  # was the latest version, as if asked
    "/lists/law2210-2026/export/ris?version=1.5",
    "/lists/law2210-2026/export/ris?version=",
    "/lists/law2210-2026/export/ris?version=%C2%B2",
])
def test_a_version_no_list_can_have_is_a_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, response.headers
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize(("path", "form"), [
    ("/lists/law2210-2026/annotate", {"version": "\u00b2", "text": "x", "kind": "note"}),
    ("/lists/law2210-2026/annotate", {"version": HUGE, "text": "x", "kind": "note"}),
    ("/lists/law2210-2026/move", {"version": "1", "item": "i1", "position": "\u00b2"}),
    ("/lists/law2210-2026/move", {"version": "1", "item": "i1", "position": HUGE}),
    ("/lists/law2210-2026/duplicate", {"version": HUGE, "new_id": "zz"}),
    ("/changes/hist2041-2026/1/reject", {"version": "\u00b2"}),
])
def test_a_form_number_no_list_can_have_is_a_400_and_writes_nothing(
    client: FlaskClient, editor: str, demo_db: Path, path: str, form: dict[str, str]
) -> None:
    response = client.post(path, data={**form, "csrf": editor})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert latest(demo_db, "law2210-2026") == 1
    assert latest(demo_db, "hist2041-2026") == 3


def test_a_change_number_no_change_can_have_is_a_404(client: FlaskClient, editor: str) -> None:
    response = client.post(f"/changes/law2210-2026/{HUGE}/accept",
                           data={"version": "1", "csrf": editor})
    assert response.status_code == 404


@pytest.mark.parametrize("year", ["\u00b2", HUGE, "10000"])
def test_a_search_year_that_is_no_year_is_a_message(client: FlaskClient, year: str) -> None:
    response = client.get("/search", query_string={"q": "law", "year": year})
    assert response.status_code == 400
    assert "the year must be a number" in response.get_data(as_text=True)


def hits(client: FlaskClient, **query: str) -> str:
    response = client.get("/search", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    found = re.search(r"(\d+) hits?", response.get_data(as_text=True))
    assert found, "the page says how many hits"
    return found.group(1)


def test_a_facet_value_with_a_quote_is_a_value_not_query_syntax(client: FlaskClient) -> None:
    assert hits(client, q="law", type="list") == "2"
    assert hits(client, q="law", type='list" OR "tlist') == "0"  # no type by that name
    assert hits(client, q="law", type='"') == "0"  # was a 400: unterminated string


def test_head_of_the_login_page_is_a_get_and_never_counts_as_a_login(demo_db: Path) -> None:
    client = make_app(demo_db).test_client()
    for _ in range(6):  # more than the throttle's limit of failed logins
        assert client.head("/login").status_code == 200
    body = {"name": "eve", "password": "correct horse battery"}
    assert client.head("/login", data=body).status_code == 200  # no token, no session
    form = client.get("/login").get_data(as_text=True)
    assert "Too many" not in form
    assert 'action="/logout"' not in client.get("/").get_data(as_text=True)  # no session


def test_a_method_a_page_does_not_take_is_a_405_with_allow(client: FlaskClient) -> None:
    response = client.put("/lists/law2210-2026")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


@pytest.mark.parametrize(("path", "status"), [("/", 405), ("/nosuchpage", 404)])
def test_a_post_no_page_takes_is_its_routing_error_not_an_expired_form(
    client: FlaskClient, path: str, status: int
) -> None:
    assert client.post(path, data={}).status_code == status


def test_pages_for_a_logged_in_user_are_kept_in_no_cache(
    client: FlaskClient, editor: str
) -> None:
    for path in ("/", "/lists/law2210-2026", "/lists/law2210-2026/export/rli"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path


def test_a_private_archive_is_kept_in_no_cache(demo_db: Path) -> None:
    response = make_app(demo_db, private=True).test_client().get("/login")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_public_pages_for_anyone_may_be_cached(client: FlaskClient) -> None:
    assert "Cache-Control" not in client.get("/lists/law2210-2026").headers
