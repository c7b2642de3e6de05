"""The forms' writes (repository/web/views/edit.py): each makes one version, as the CLI does.

Every form carries the version it was made from: a form made from version N
never saves over version N+1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from crosswalks.rli import Section, iter_resources
from harvester.shared.db import open_db
from repository.archive import Archive
from tests.repository.web.conftest import latest


def archive(db_path: Path) -> Archive:
    return Archive(open_db(db_path))


def post(client: FlaskClient, path: str, **form: str) -> tuple[int, str, str]:
    response = client.post(path, data=form)
    return response.status_code, response.headers.get("Location", ""), response.get_data(
        as_text=True)


def test_annotating_an_item_makes_one_version_with_the_note(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    status, where, _ = post(client, "/lists/law2210-2026/annotate", csrf=editor, version="1",
                            item="i2", kind="recommended", text="Read the preface")
    assert (status, where) == (302, "/lists/law2210-2026")
    store = archive(demo_db)
    history = store.history("law2210-2026")
    assert [v.version for v in history] == [1, 2]
    assert (history[-1].editor, history[-1].note) == ("eve", "annotated i2")
    item = {i.id: i for i, _ in iter_resources(store.get("law2210-2026").items)}["i2"]
    note = item.annotations[-1]
    assert (note.kind, note.text, note.author) == ("recommended", "Read the preface", "eve")
    page = client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Saved as version 2: annotated i2." in page and "Read the preface" in page


def test_the_same_edit_from_the_cli_makes_the_same_document(
    client: FlaskClient, editor: str, demo_db: Path, tmp_path: Path
) -> None:
    """Browser and ``rli annotate`` go through the same archive code: same bytes."""
    import shutil

    from click.testing import CliRunner

    from repository.cli import cli

    twin = tmp_path / "twin.db"
    shutil.copy(demo_db, twin)
    post(client, "/lists/law2210-2026/annotate", csrf=editor, version="1", item="i2",
         kind="note", text="Same words")
    result = CliRunner(env={"RLI_EDITOR": "eve"}).invoke(
        cli, ["--db", str(twin), "annotate", "law2210-2026", "--item", "i2", "Same words"])
    assert result.exit_code == 0, result.output
    web, cli_made = archive(demo_db), archive(twin)
    assert web.document("law2210-2026", 2) == cli_made.document("law2210-2026", 2)
    assert web.history("law2210-2026")[-1].note == cli_made.history("law2210-2026")[-1].note


def test_a_form_made_from_an_older_version_is_refused(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    # Someone else saves version 2 while our page (version 1) is open.
    store = archive(demo_db)
    from repository.archive import editing

    store.save(editing.annotate(store.get("law2210-2026"), "meanwhile"), editor="other",
               note="elsewhere")
    before = store.document("law2210-2026")
    status, _, page = post(client, "/lists/law2210-2026/remove", csrf=editor, version="1",
                           item="i1")
    assert status == 409
    assert "this form was made from version 1, the latest is version 2" in page
    assert "Nothing was saved" in page
    assert latest(demo_db, "law2210-2026") == 2
    assert archive(demo_db).document("law2210-2026") == before


@pytest.mark.parametrize("path, form", [
    ("/lists/law2210-2026/annotate", {"text": "x", "kind": "note"}),
    ("/lists/law2210-2026/remove", {"item": "i1"}),
    ("/lists/law2210-2026/move", {"item": "i1", "position": "2"}),
    ("/lists/law2210-2026/delete", {}),
])
def test_every_write_is_refused_on_a_stale_version(
    client: FlaskClient, editor: str, demo_db: Path, path: str, form: dict[str, str]
) -> None:
    store = archive(demo_db)
    from repository.archive import editing

    store.save(editing.annotate(store.get("law2210-2026"), "meanwhile"), editor="o", note="o")
    status, _, _ = post(client, path, csrf=editor, version="1", **form)
    assert status == 409
    assert latest(demo_db, "law2210-2026") == 2
    assert not archive(demo_db).state("law2210-2026").deleted


def test_removing_and_moving_items(client: FlaskClient, editor: str, demo_db: Path) -> None:
    status, _, _ = post(client, "/lists/law2210-2026/remove", csrf=editor, version="1",
                        item="i2", note="not held any more")
    assert status == 302
    store = archive(demo_db)
    assert "i2" not in [i.id for i, _ in iter_resources(store.get("law2210-2026").items)]
    assert store.history("law2210-2026")[-1].note == "not held any more"
    section = store.get("law2210-2026").items[0]
    assert isinstance(section.content, Section)
    first = section.content.items[0].id
    status, _, _ = post(client, "/lists/law2210-2026/move", csrf=editor, version="2",
                        item=first, position="2")
    assert status == 302
    moved = archive(demo_db).get("law2210-2026").items[0].content
    assert isinstance(moved, Section) and moved.items[1].id == first
    assert archive(demo_db).history("law2210-2026")[-1].note == f"moved {first} to 2"


@pytest.mark.parametrize("path, form, message", [
    ("/lists/law2210-2026/remove", {"item": "zz"}, "has no item &#39;zz&#39;"),
    ("/lists/law2210-2026/move", {"item": "i1", "position": "99"}, "is outside 1.."),
    ("/lists/law2210-2026/move", {"item": "i1", "position": "x"}, "whole number"),
    ("/lists/law2210-2026/annotate", {"text": "  ", "kind": "note"}, "text is empty"),
    ("/lists/law2210-2026/annotate", {"text": "x", "kind": "urgent"}, "Unknown tag"),
    ("/lists/law2210-2026/remove", {}, "missing"),
    ("/lists/law2210-2026/duplicate", {"new_id": "bad id!"}, "not usable"),
    ("/lists/law2210-2026/duplicate", {"new_id": "hist2041-2026"}, "already exists"),
    ("/lists/law2210-2026/restore", {}, "is not deleted"),
])
def test_refused_edits_are_a_400_page_and_change_nothing(
    client: FlaskClient, editor: str, demo_db: Path, path: str, form: dict[str, str],
    message: str,
) -> None:
    status, _, page = post(client, path, csrf=editor, version="1", **form)
    assert status == 400 and message in page
    assert latest(demo_db, "law2210-2026") == 1


def test_a_form_without_its_version_is_refused(client: FlaskClient, editor: str) -> None:
    status, _, page = post(client, "/lists/law2210-2026/remove", csrf=editor, item="i1")
    assert status == 400 and "which version" in page


def test_a_write_to_an_unknown_list_is_404(client: FlaskClient, editor: str) -> None:
    status, _, _ = post(client, "/lists/nope/remove", csrf=editor, version="1", item="i1")
    assert status == 404


def test_duplicate_makes_a_new_list_from_the_version_shown(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    status, where, _ = post(client, "/lists/hist2041-2026/duplicate", csrf=editor,
                            version="2", new_id="hist2041-2027", title="Industry 2027")
    assert (status, where) == (302, "/lists/hist2041-2027")
    store = archive(demo_db)
    copy, source = store.get("hist2041-2027"), store.get("hist2041-2026", 2)
    assert copy.items == source.items and copy.title == "Industry 2027"
    assert store.history("hist2041-2027")[0].note == "duplicated from hist2041-2026 version 2"
    assert store.state("hist2041-2026").version == 3  # the original is untouched


def test_delete_then_restore(client: FlaskClient, editor: str, demo_db: Path) -> None:
    status, _, _ = post(client, "/lists/law2210-2026/delete", csrf=editor, version="1",
                        note="course ended")
    assert status == 302
    store = archive(demo_db)
    assert store.state("law2210-2026").deleted
    assert store.tombstone("law2210-2026")["note"] == "course ended"  # type: ignore[index]
    page = client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Restore this list" in page and "Change item" not in page
    status, _, _ = post(client, "/lists/law2210-2026/annotate", csrf=editor, version="1",
                        text="x", kind="note")
    assert status == 400  # a deleted list takes no edits
    status, _, _ = post(client, "/lists/law2210-2026/restore", csrf=editor, version="1")
    assert status == 302
    store = archive(demo_db)
    assert not store.state("law2210-2026").deleted
    assert store.state("law2210-2026").version == 2
    assert store.history("law2210-2026")[-1].editor == "eve"


def test_an_old_version_page_has_no_edit_forms(client: FlaskClient, editor: str) -> None:
    page = client.get("/lists/hist2041-2026/versions/1").get_data(as_text=True)
    assert "Change item" not in page
    assert "Change item" in client.get("/lists/hist2041-2026").get_data(as_text=True)


def test_only_the_latest_version_of_a_deleted_list_offers_restore(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    archive(demo_db).delete("hist2041-2026", editor="t", note="gone")
    assert "Restore this list" in client.get("/lists/hist2041-2026").get_data(as_text=True)
    old = client.get("/lists/hist2041-2026/versions/1").get_data(as_text=True)
    assert "tag-deleted" in old and "Restore this list" not in old
