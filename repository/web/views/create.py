"""``/new``: a new list made in the browser, empty (as ``rli new``), to fill from a search.

A refused list (a taken or unusable identifier, no title) is the form again with
what was typed and the reason (400), never a page that loses it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for

from crosswalks.rli import ResourceList
from repository.archive import ArchiveError, editing
from repository.web import writes
from repository.web.context import archive, form_text
from repository.web.security import editor_required

bp = Blueprint("create", __name__)
FIELDS = ("title", "new_id", "owner", "course", "description")


class FormError(ValueError):
    """A field of the new-list form is unusable; the message says which."""


def courses_of(text: str) -> tuple[str, ...]:
    """Course codes from a comma-separated field, blanks dropped, each once."""
    return tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))


def list_from_form() -> ResourceList:
    """The new list the form describes (``title``, ``new_id``, ``owner``, ``course``,
    ``description``), created today, owned by the editor unless it says otherwise.
    Raises FormError for a missing title."""
    title = form_text("title")
    if not title:
        raise FormError("Give the new list a title.")
    return ResourceList(
        identifier=form_text("new_id") or editing.slug(title), title=title,
        owner=form_text("owner") or g.user.name, courses=courses_of(form_text("course")),
        description=form_text("description"), created=archive().clock().strftime("%Y-%m-%d"),
    )


@bp.get("/new")
@editor_required
def form() -> str:
    return render_template("new.html", values={"owner": g.user.name}, error=None)


@bp.post("/new")
@editor_required
def create() -> Any:
    try:
        lst = list_from_form()
        writes.new_list(archive(), lst, editor=g.user.name)
    except (FormError, ArchiveError) as exc:
        values = {name: form_text(name) for name in FIELDS}
        return render_template("new.html", values=values, error=str(exc)), 400
    flash(f"Made {lst.identifier} (version 1), empty: add resources to it from a search.")
    return redirect(url_for("lists.show", list_id=lst.identifier))
