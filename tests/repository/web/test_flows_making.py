"""Making a list in the browser and setting its title, description and courses.

Before ``/new`` an editor could make a list only from search hits, so on an
archive without harvested records (``rli demo``) no list could be made in the
pages at all; the title and description, which ``rli edit`` sets, had no form.
"""

from __future__ import annotations

import html
from pathlib import Path

from flask.testing import FlaskClient

from harvester.shared.db import open_db
from repository.archive import Archive, editing
from tests.repository.web.conftest import csrf_of, latest

LIST = "law2210-2026"


def archive(db_path: Path) -> Archive:
    return Archive(open_db(db_path))


def test_an_editor_makes_an_empty_list(client: FlaskClient, editor: str, demo_db: Path) -> None:
    assert 'href="/new">New list</a>' in client.get("/").get_data(as_text=True)
    form = client.get("/new").get_data(as_text=True)
    assert 'id="new-owner" name="owner" value="eve"' in form
    response = client.post("/new", data={
        "csrf": csrf_of(form), "title": "Reading for HIST3001", "course": "HIST3001, HIST3001 ,",
        "description": "Autumn term.", "owner": ""})
    assert (response.status_code, response.location) == (302, "/lists/reading-for-hist3001")
    page = client.get(response.location).get_data(as_text=True)
    assert "Made reading-for-hist3001 (version 1), empty" in page
    lst = archive(demo_db).get("reading-for-hist3001")
    assert (lst.title, lst.owner, lst.courses, lst.description, lst.items) == (
        "Reading for HIST3001", "eve", ("HIST3001",), "Autumn term.", ())
    assert [(v.editor, v.note) for v in archive(demo_db).history(lst.identifier)] == [
        ("eve", "created")]


def test_a_reader_is_sent_to_log_in(client: FlaskClient) -> None:
    assert "/login" in client.get("/new").location
    assert 'href="/new"' not in client.get("/").get_data(as_text=True)


def test_a_refused_list_keeps_what_was_typed(client: FlaskClient, editor: str) -> None:
    response = client.post("/new", data={
        "csrf": editor, "title": "Jurisprudence <again>", "new_id": LIST, "course": "LAW2210",
        "description": "A long description typed with care."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Not saved: list {LIST!r} already exists" in html.unescape(page)
    for typed in ("Jurisprudence &lt;again&gt;", LIST, "LAW2210",
                  "A long description typed with care."):
        assert typed in page
    untitled = client.post("/new", data={"csrf": editor, "title": " \x00 ", "course": "X1"})
    assert untitled.status_code == 400 and "Give the new list a title." in untitled.get_data(
        as_text=True)


def test_details_change_title_description_and_courses(
    client: FlaskClient, editor: str, demo_db: Path,
) -> None:
    page = client.get(f"/lists/{LIST}").get_data(as_text=True)
    assert 'id="details-title" name="title" required value="Jurisprudence"' in page
    form = {"csrf": editor, "version": "1", "title": "Jurisprudence (2027)",
            "description": archive(demo_db).get(LIST).description, "course": "LAW2210, LAW3210"}
    for _ in range(2):  # sent twice: saved once
        response = client.post(f"/lists/{LIST}/details", data=form)
        assert response.status_code == 302
    lst = archive(demo_db).get(LIST)
    assert (lst.title, lst.courses) == ("Jurisprudence (2027)", ("LAW2210", "LAW3210"))
    assert archive(demo_db).history(LIST)[-1].note == "changed title, courses"
    assert latest(demo_db, LIST) == 2
    assert "Saved as version 2: changed title, courses." in client.get(
        f"/lists/{LIST}").get_data(as_text=True)


def test_details_refused_empty_or_stale(client: FlaskClient, editor: str, demo_db: Path) -> None:
    empty = client.post(f"/lists/{LIST}/details", data={
        "csrf": editor, "version": "1", "title": "  ", "course": ""})
    assert empty.status_code == 400 and "the title is empty" in empty.get_data(as_text=True)
    store = archive(demo_db)
    store.save(editing.annotate(store.get(LIST), "meanwhile"), editor="bob", note="bob")
    stale = client.post(f"/lists/{LIST}/details", data={
        "csrf": editor, "version": "1", "title": "Jurisprudence, revised", "course": "LAW2210"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert 'name="title" rows="1">Jurisprudence, revised</textarea>' in page
    assert latest(demo_db, LIST) == 2 and archive(demo_db).get(LIST).title == "Jurisprudence"
