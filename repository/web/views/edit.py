"""The forms' POSTs: annotate, details, remove, move, duplicate, delete, restore.

Each form carries the version it was made from (``version``); the write is a
compare-and-set on it (:mod:`repository.web.writes`: the archive's
``--if-version``), so a form made from version N never saves over N+1: the
page says so (409) and nothing changes.
Refused edits (an unknown item, a bad position, a taken identifier) are a 400
page with the archive's message; every success redirects to the list page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from crosswalks.rli import VersionInfo
from repository.archive import ArchiveError, ListNotFound, VersionNotFound
from repository.archive.editing import EditError
from repository.archive.events import history_events
from repository.web import writes
from repository.web.context import archive, form_text, form_version, number
from repository.web.security import editor_required
from repository.web.views.create import courses_of
from repository.web.views.lists import KINDS

bp = Blueprint("edit", __name__)


def _field(name: str) -> str:
    value = form_text(name)
    if not value:
        abort(400, f"The form is missing {name!r}.")
    return value


def _run(list_id: str, action: Callable[[], str], what: str) -> Any:
    """Run a write; its message flashed on success, a page on refusal.

    A form made from an older version is the conflict page: what was saved since, and
    ``what`` the form asked for, offered again on the latest version with its text kept.
    """
    try:
        message = action()
    except writes.VersionConflict as exc:
        return _conflict(list_id, str(exc), what), 409
    except (ListNotFound, VersionNotFound):
        raise  # the 404 page (an unknown item is an EditError, below)
    except (EditError, ArchiveError) as exc:
        page = render_template("error.html", title="Not saved", message=writes.reason(exc),
                               back=url_for("lists.show", list_id=list_id))
        return page, 400
    flash(message)
    return redirect(url_for("lists.show", list_id=list_id))


def _saved(info: VersionInfo) -> str:
    if info.editor != g.user.name:  # a stale form asking for what another editor saved
        return f"Version {info.version} by {info.editor} has this change already: {info.note}."
    return f"Saved as version {info.version}: {info.note}."


# Fields the conflict page lets the editor change before sending the form again.
_WRITTEN = {"text": "Your text", "title": "Title", "description": "Description",
            "course": "Courses (comma-separated)", "note": "Why"}


def _conflict(list_id: str, message: str, what: str) -> str:
    store = archive()
    events = history_events(store, list_id)
    made_from = form_version()
    mark = next((i for i, e in enumerate(events) if e.version == made_from), -1)
    state = store.state(list_id)
    kept = [(k, v) for k, v in request.form.items(multi=True)
            if k not in ("csrf", "version", *_WRITTEN)]
    written = [(k, _WRITTEN[k], request.form.get(k, "")) for k in _WRITTEN if k in request.form]
    return render_template(
        "conflict.html", list_id=list_id, message=message, what=what, made_from=made_from,
        since=events[mark + 1:], state=state, kept=kept, written=written,
        offer=state.deleted == (request.endpoint == "edit.restore"),  # else nothing to redo
    )


@bp.post("/lists/<list_id>/annotate")
@editor_required
def annotate(list_id: str) -> Any:
    kind = request.form.get("kind", "note")
    if kind not in KINDS:
        abort(400, f"Unknown tag {kind!r}.")
    text = form_text("text")
    item = form_text("item") or None
    expected = form_version()

    def act() -> str:
        info = writes.annotate(archive(), list_id, expected, text, item_id=item, kind=kind,
                               editor=g.user.name)
        return _saved(info)

    what = "a note" if kind == "note" else f"the tag {kind}"
    return _run(list_id, act, f"{what} on {f'item {item}' if item else 'the list'}")


@bp.post("/lists/<list_id>/details")
@editor_required
def details(list_id: str) -> Any:
    expected = form_version()

    def act() -> str:
        info = writes.set_details(
            archive(), list_id, expected, title=form_text("title"),
            description=form_text("description"), courses=courses_of(form_text("course")),
            editor=g.user.name)
        return _saved(info)

    return _run(list_id, act, "change the title, description and courses")


@bp.post("/lists/<list_id>/remove")
@editor_required
def remove(list_id: str) -> Any:
    item, expected = _field("item"), form_version()

    def act() -> str:
        info = writes.remove_item(archive(), list_id, expected, item, editor=g.user.name,
                                  note=form_text("note"))
        return _saved(info)

    return _run(list_id, act, f"remove item {item}")


@bp.post("/lists/<list_id>/move")
@editor_required
def move(list_id: str) -> Any:
    item, expected = _field("item"), form_version()
    position = number(request.form.get("position"))
    if position is None:
        abort(400, "The position must be a whole number from 1.")

    def act() -> str:
        info = writes.move_item(archive(), list_id, expected, item, position,
                                editor=g.user.name, note=form_text("note"))
        return _saved(info)

    return _run(list_id, act, f"move item {item} to position {position}")


@bp.post("/lists/<list_id>/duplicate")
@editor_required
def duplicate(list_id: str) -> Any:
    new_id, version = _field("new_id"), form_version()
    try:
        writes.duplicate(archive(), list_id, version, new_id,
                         title=form_text("title"), editor=g.user.name)
    except (ListNotFound, VersionNotFound):
        raise
    except ArchiveError as exc:
        page = render_template("error.html", title="Not saved", message=str(exc),
                               back=url_for("lists.show", list_id=list_id))
        return page, 400
    flash(f"Made {new_id} (version 1) from {list_id} version {version}.")
    return redirect(url_for("lists.show", list_id=new_id))


@bp.post("/lists/<list_id>/delete")
@editor_required
def delete(list_id: str) -> Any:
    expected = form_version()

    def act() -> str:
        writes.delete(archive(), list_id, expected, editor=g.user.name,
                      note=form_text("note"))
        return f"Deleted {list_id}; its versions are kept and it can be restored."

    return _run(list_id, act, "delete the list")


@bp.post("/lists/<list_id>/restore")
@editor_required
def restore(list_id: str) -> Any:
    expected = form_version()

    def act() -> str:
        info = writes.restore(archive(), list_id, expected, editor=g.user.name,
                              note=form_text("note"))
        return f"Restored as version {info.version}."

    return _run(list_id, act, "restore the list")
