"""Two editors, a stale page, a form sent twice: no one's work is lost or made twice.

Every form carries the version its page showed. A form sent twice (a double
click, Back and Send again) finds its change already in the latest version and
says it is saved; a form made stale by someone else's change is the conflict
page, which shows what was saved since and offers the same change, its text
kept, on the latest version.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from crosswalks.rli import iter_resources
from harvester.shared.db import open_db
from repository.archive import Archive, editing
from repository.archive.writes import delete_list
from tests.repository.web.conftest import latest

LIST = "law2210-2026"


def archive(db_path: Path) -> Archive:
    return Archive(open_db(db_path))


def notes(db_path: Path, item: str | None = None) -> list[str]:
    lst = archive(db_path).get(LIST)
    if item is None:
        return [a.text for a in lst.annotations]
    return [a.text for i, _ in iter_resources(lst.items) if i.id == item for a in i.annotations]


def offered(page: str) -> tuple[str, dict[str, str]]:
    """The conflict page's form: where it posts and its fields (the textarea's text too)."""
    form = re.search(r'<section aria-labelledby="again-h">.*?<form method="post" action="([^"]+)"'
                     r'(.*?)</form>', page, re.S)
    assert form, "the change is offered again"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[2]))
    fields.update(re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>',
                             form[2], re.S))
    return form[1], {k: html.unescape(v) for k, v in fields.items()}


@pytest.mark.parametrize("path, form, note", [
    ("annotate", {"text": "Read the preface", "kind": "note"}, "annotated list"),
    ("annotate", {"text": "", "kind": "essential", "item": "i2"}, "annotated i2"),
    ("move", {"item": "i1", "position": "3"}, "moved i1 to 3"),
    ("remove", {"item": "i3"}, "removed i3"),
])
def test_a_form_sent_twice_saves_once_and_says_it_is_saved(
    client: FlaskClient, editor: str, demo_db: Path, path: str, form: dict[str, str], note: str,
) -> None:
    for _ in range(2):
        response = client.post(f"/lists/{LIST}/{path}", data={"csrf": editor, "version": "1",
                                                              **form})
        assert (response.status_code, response.location) == (302, f"/lists/{LIST}")
    assert [v.note for v in archive(demo_db).history(LIST)] == ["bundled list", note]
    page = client.get(f"/lists/{LIST}").get_data(as_text=True)
    assert page.count(f"Saved as version 2: {note}.") == 2  # both sends say where it is
    assert notes(demo_db).count("Read the preface") <= 1


def test_a_stale_note_comes_back_with_its_text_and_saves_on_the_latest(
    client: FlaskClient, editor: str, demo_db: Path,
) -> None:
    store = archive(demo_db)
    store.save(editing.annotate(store.get(LIST), "Seminar moved to room 4"), editor="bob",
               note="room change")
    mine = "Chapters 1-3 before week 2 <not the appendix>"
    refused = client.post(f"/lists/{LIST}/annotate", data={
        "csrf": editor, "version": "1", "item": "i2", "kind": "recommended", "text": mine})
    assert refused.status_code == 409 and latest(demo_db, LIST) == 2
    page = refused.get_data(as_text=True)
    assert "Nothing was saved" in page
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Saved since your page showed version 1 v2" in text
    assert "by bob : room change" in text
    assert f'href="/lists/{LIST}/diff/1/2"' in page
    assert "Your change: the tag recommended on item i2" in text
    action, fields = offered(page)
    assert action == f"/lists/{LIST}/annotate"
    assert fields == {"csrf": editor, "version": "2", "item": "i2", "kind": "recommended",
                      "text": mine}
    again = client.post(action, data=fields)
    assert again.status_code == 302 and latest(demo_db, LIST) == 3
    assert "Seminar moved to room 4" in notes(demo_db) and mine in notes(demo_db, "i2")


def test_a_stale_form_asking_for_what_another_saved_says_who_saved_it(
    client: FlaskClient, editor: str, demo_db: Path,
) -> None:
    store = archive(demo_db)
    store.save(editing.remove_item(store.get(LIST), "i3"), editor="bob", note="removed i3")
    response = client.post(f"/lists/{LIST}/remove", data={"csrf": editor, "version": "1",
                                                         "item": "i3"})
    assert response.status_code == 302 and latest(demo_db, LIST) == 2
    page = client.get(response.location).get_data(as_text=True)
    assert "Version 2 by bob has this change already: removed i3." in page


def test_a_stale_form_on_a_list_deleted_since_offers_no_change(
    client: FlaskClient, editor: str, demo_db: Path,
) -> None:
    store = archive(demo_db)
    store.save(editing.annotate(store.get(LIST), "last word"), editor="bob", note="last word")
    delete_list(store, LIST, editor="bob", note="course withdrawn")
    refused = client.post(f"/lists/{LIST}/annotate", data={
        "csrf": editor, "version": "1", "kind": "note", "text": "keep me"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "course withdrawn" in page and "keep me" not in page.split("again-h")[0]
    assert "restore it on its page first" in page
    assert f'action="/lists/{LIST}/annotate"' not in page


def test_a_write_to_a_deleted_list_names_the_restore_button_not_a_command(
    client: FlaskClient, editor: str, demo_db: Path,
) -> None:
    delete_list(archive(demo_db), LIST, editor="bob", note="course withdrawn")
    refused = client.post(f"/lists/{LIST}/annotate", data={
        "csrf": editor, "version": "1", "kind": "note", "text": "late"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "`rli restore" not in page
    assert "the list is deleted: restore it on its page first" in page


def test_a_refused_decision_links_back_to_the_changes_not_to_a_list(
    client: FlaskClient, editor: str,
) -> None:
    """A change another editor decided meanwhile (or never was): the way back is /changes."""
    refused = client.post(f"/changes/{LIST}/99/accept", data={"csrf": editor, "version": "1"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 404
    assert '<a href="/changes">Back to the pending changes</a>' in page
    assert "Back to the list" not in page
