"""``/changes`` and the pending-change badge (repository/web/views/changes.py, archive/review.py).

The demo archive with the bundled revision made elsewhere offered as a pending
change (``propose_demo_revisions``, as ``rli demo`` does): an upstream version
of hist2041-2026 to merge three-way with the local version 3.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.changes import pending
from repository.archive.demo import propose_demo_revisions
from repository.cli import cli
from tests.repository.web.conftest import csrf_of, latest, login, make_app

LIST = "hist2041-2026"
ACCEPT = f"/changes/{LIST}/1/accept"


@pytest.fixture
def proposed(demo_db: Path) -> Path:
    db = open_db(demo_db)
    assert propose_demo_revisions(Archive(db)) == 1
    db.conn.close()
    return demo_db


@pytest.fixture
def client(proposed: Path) -> FlaskClient:
    return make_app(proposed).test_client()


def still_pending(db_path: Path) -> list[int]:
    db = open_db(db_path)
    try:
        return [c.id for c in pending(db.conn)]
    finally:
        db.conn.close()


def test_the_queue_shows_the_change_forms_only_to_editors(client: FlaskClient) -> None:
    page = html.unescape(client.get("/changes").get_data(as_text=True))
    assert "change 1: upstream-version" in page and "The Age of Revolution" in page
    assert ACCEPT not in page and "Log in</a> to accept or reject" in page
    login(client)
    page = client.get("/changes").get_data(as_text=True)
    assert f'action="{ACCEPT}"' in page and f'action="/changes/{LIST}/1/reject"' in page
    assert 'name="version" value="3"' in page  # the compare-and-set version
    assert '<option value="upstream">' in page and '<option value="local">' in page
    only = client.get("/changes?list=law2210-2026").get_data(as_text=True)
    assert "No pending changes." in only
    assert client.get("/changes?list=nope").status_code == 404


def test_badge_on_the_list_page_and_the_front_page(client: FlaskClient) -> None:
    page = client.get(f"/lists/{LIST}").get_data(as_text=True)
    assert f'href="/changes?list={LIST}">1 pending change</a>' in page
    assert "pending change" not in client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "1 pending change</a>" in client.get("/").get_data(as_text=True)


def test_accepting_makes_one_version_and_clears_the_badge(
    client: FlaskClient, proposed: Path,
) -> None:
    token = login(client)
    response = client.post(ACCEPT, data={"csrf": token, "version": "3"})
    assert response.status_code == 302 and response.location.endswith(f"/lists/{LIST}")
    assert latest(proposed, LIST) == 4
    assert still_pending(proposed) == []
    page = client.get(f"/lists/{LIST}").get_data(as_text=True)
    assert "Change 1 accepted: version 4" in html.unescape(page)
    assert "pending change" not in page and "The Age of Revolution" in page


def test_a_form_from_an_older_version_is_refused(client: FlaskClient, proposed: Path) -> None:
    token = login(client)
    result = CliRunner().invoke(cli, ["--db", str(proposed), "annotate", LIST, "meanwhile"])
    assert result.exit_code == 0, result.output
    response = client.post(ACCEPT, data={"csrf": token, "version": "3"})
    assert response.status_code == 409
    assert "The list has changed" in response.get_data(as_text=True)
    assert latest(proposed, LIST) == 4 and still_pending(proposed) == [1]


def test_conflicts_need_a_side_chosen(client: FlaskClient, proposed: Path) -> None:
    token = login(client)
    result = CliRunner().invoke(cli, ["--db", str(proposed), "edit", LIST, "--remove", "i7",
                                      "--note", "dropped here"])
    assert result.exit_code == 0, result.output
    refused = client.post(ACCEPT, data={"csrf": token, "version": "4"})
    assert refused.status_code == 409
    text = html.unescape(refused.get_data(as_text=True))
    assert "Choose a side" in text and "item i7: removed here, changed upstream" in text
    assert latest(proposed, LIST) == 4 and still_pending(proposed) == [1]
    taken = client.post(ACCEPT, data={"csrf": token, "version": "4", "prefer": "local"})
    assert taken.status_code == 302 and latest(proposed, LIST) == 5
    assert still_pending(proposed) == []


def test_rejecting_keeps_the_list_and_forgets_the_change(
    client: FlaskClient, proposed: Path,
) -> None:
    token = login(client)
    response = client.post(f"/changes/{LIST}/1/reject",
                           data={"csrf": token, "version": "3", "note": "not for us"})
    assert response.status_code == 302
    assert latest(proposed, LIST) == 3 and still_pending(proposed) == []


def test_decisions_need_an_editor_a_token_and_a_real_change(
    client: FlaskClient, proposed: Path,
) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    anonymous = client.post(ACCEPT, data={"csrf": token, "version": "3"})
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    token = login(client)
    assert client.post(ACCEPT, data={"version": "3"}).status_code == 400
    assert client.post(f"/changes/{LIST}/9/accept",
                       data={"csrf": token, "version": "3"}).status_code == 404
    assert client.post(ACCEPT, data={"csrf": token, "version": "3",
                                     "prefer": "mine"}).status_code == 400
    assert latest(proposed, LIST) == 3 and still_pending(proposed) == [1]


def test_accepting_an_upstream_deletion_says_the_list_is_deleted(
    client: FlaskClient, proposed: Path,
) -> None:
    from repository.archive.upstream import hold_deletion

    db = open_db(proposed)
    with db.conn:
        change = hold_deletion(Archive(db), "law2210-2026", source="up",
                               note="oai:up:law2210-2026 deleted upstream")
    db.conn.close()
    assert change is not None
    token = login(client)
    response = client.post(f"/changes/law2210-2026/{change}/accept",
                           data={"csrf": token, "version": str(latest(proposed, "law2210-2026"))})
    assert response.status_code == 302
    page = html.unescape(client.get("/lists/law2210-2026").get_data(as_text=True))
    assert f"Change {change} accepted: law2210-2026 is deleted" in page
    assert "had it already" not in page
