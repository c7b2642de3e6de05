"""What a form sends, read as a person meant it (repository/web/context.py, views/edit.py,
views/search.py, writes.py, templates/search.html).

A field of characters XML cannot carry (a NUL, other control characters) is empty:
the archive drops those characters when it writes, so such a field used to pass
"is it empty?" and then save an untitled list or an empty note. Resources come
from a real harvest over HTTP from a small provider on 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from harvester.shared.db import open_db
from repository.archive import Archive, ListNotFound
from repository.cli import cli
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve
from tests.repository.web.conftest import latest, login, make_app

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
BLANK = ["\x00", "\x01\x02 \x1f", " \x00 \t"]  # nothing a list can keep


def archive(db_path: Path) -> Archive:
    return Archive(open_db(db_path))


@pytest.fixture
def harvested(demo_db: Path) -> Iterator[Path]:
    records = [Rec(f"oai:peer:{i:03d}", T0, f"Reserve reading {i}", ()) for i in range(3)]
    with serve(CatalogPeer(records)) as url:
        for args in (["source", "add", "peer", url, "--prefix", "oai_dc"],
                     ["harvest", "peer"]):
            result = CliRunner().invoke(cli, ["--db", str(demo_db), *args])
            assert result.exit_code == 0, result.output
    yield demo_db


@pytest.mark.parametrize("text", BLANK)
def test_a_note_of_control_characters_is_empty_and_saves_nothing(
    client: FlaskClient, editor: str, demo_db: Path, text: str
) -> None:
    response = client.post("/lists/law2210-2026/annotate", data={
        "csrf": editor, "version": "1", "kind": "note", "text": text})
    assert response.status_code == 400
    assert "the annotation text is empty" in response.get_data(as_text=True)
    assert latest(demo_db, "law2210-2026") == 1


@pytest.mark.parametrize("title", BLANK)
def test_a_copy_titled_with_control_characters_keeps_the_source_title(
    client: FlaskClient, editor: str, demo_db: Path, title: str
) -> None:
    response = client.post("/lists/law2210-2026/duplicate", data={
        "csrf": editor, "version": "1", "new_id": "law2210-2027", "title": title})
    assert response.status_code == 302
    assert archive(demo_db).get("law2210-2027").title == "Jurisprudence"


def test_a_copy_is_created_today_not_when_its_source_was(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    source = archive(demo_db).get("law2210-2026", 1)
    assert source.created.startswith("2025-") and source.modified
    response = client.post("/lists/law2210-2026/duplicate", data={
        "csrf": editor, "version": "1", "new_id": "law2210-2027"})
    assert response.status_code == 302
    copy = archive(demo_db).get("law2210-2027")
    today = archive(demo_db).clock().strftime("%Y-%m-%d")
    assert (copy.created, copy.modified) == (today, "")
    assert copy.items == source.items and copy.annotations == source.annotations


@pytest.mark.parametrize("title", BLANK)
def test_a_new_list_titled_with_control_characters_is_refused(
    harvested: Path, title: str
) -> None:
    client = make_app(harvested).test_client()
    token = login(client)
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:001"], "action": "new", "title": title,
        "new_id": "untitled"})
    assert response.status_code == 400
    assert "Give the new list a title" in response.get_data(as_text=True)
    with pytest.raises(ListNotFound):
        archive(harvested).state("untitled")


def test_a_new_list_whose_owner_is_control_characters_is_the_editors(harvested: Path) -> None:
    client = make_app(harvested).test_client()
    token = login(client)
    response = client.post("/search/pick", data={
        "csrf": token, "pick": ["peer:oai:peer:001"], "action": "new", "title": "Shelf",
        "owner": "\x00", "course": "\x00, HIST2041"})
    assert response.status_code == 302
    made = archive(harvested).get("shelf")
    assert (made.owner, made.courses) == ("eve", ("HIST2041",))


class _PickForm(HTMLParser):
    """The search page's pick form as a browser sees it: its fields and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}
        self.buttons: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = dict(attrs)
        if tag == "form":
            self.inside = at.get("id") == "pick-form"
        elif self.inside and (tag == "button" and at.get("type", "submit") == "submit"
                              or tag == "input" and at.get("type") == "submit"):
            self.buttons.append(at)
        elif self.inside and tag == "input" and at.get("type") == "hidden" and at.get("name"):
            self.fields[str(at["name"])] = at.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def test_enter_in_the_new_list_title_makes_that_list_not_an_edit_of_another(
    harvested: Path,
) -> None:
    """Enter in a text field submits the form with its default button, the first submit
    button in it (HTML's implicit submission): that was "Add to list", so a title typed
    for a new list, then Enter, appended the hits to the list chosen in "Add to"."""
    client = make_app(harvested).test_client()
    login(client)
    page = client.get("/search?q=reserve&in=resources").get_data(as_text=True)
    form = _PickForm()
    form.feed(page)
    default = form.buttons[0]
    assert default.get("disabled") is None
    target = re.search(r'<select id="list" name="list">\s*<option value="([^"]+)"', page)
    assert target, "an Add to list choice"
    before = latest(harvested, target.group(1))
    response = client.post("/search/pick", data={
        **form.fields, "pick": ["peer:oai:peer:001"], "list": target.group(1),
        "title": "Week one", "new_id": "", "course": "", "owner": "eve",
        str(default["name"]): str(default["value"])})
    assert response.status_code == 302 and response.location.endswith("/lists/week-one")
    assert latest(harvested, target.group(1)) == before
    assert [b.get("value") for b in form.buttons].count("add") == 1  # still there to click
