"""``/changes``: pending changes from upstream, accepted or rejected by editors.

Each decision form carries the version of the list the page showed; the
decision is the archive's compare-and-set on it (``rli accept --if-version``),
so a list changed since refuses it (409) and nothing is written. A merge with
conflicts is refused (409) until the editor picks a side (``--prefer``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from repository.archive import ArchiveError, ListNotFound
from repository.archive.changes import ChangeNotFound
from repository.archive.decide import PREFER, MergeConflict, accept, reject
from repository.archive.review import review_queue
from repository.archive.writes import VersionConflict
from repository.web import writes
from repository.web.context import archive, form_text, form_version
from repository.web.security import editor_required

bp = Blueprint("changes", __name__)


@bp.get("/changes")
def queue() -> str:
    list_id = request.args.get("list") or None
    return render_template("changes.html", queue=review_queue(archive(), list_id),
                           list_id=list_id, prefer=PREFER)


def _decide(list_id: str, act: Any) -> Any:
    def refused(title: str, message: str, status: int) -> tuple[str, int]:
        return render_template("error.html", title=title, message=message,
                               back=url_for("changes.queue"),
                               back_label="Back to the pending changes"), status

    try:
        message = act()
    except ListNotFound:
        raise
    except ChangeNotFound as exc:
        return refused("No such change", str(exc), 404)
    except VersionConflict as exc:
        return refused("The list has changed", f"{exc}. Reload the page and decide again.", 409)
    except MergeConflict as exc:
        return refused("Choose a side", f"{exc}. Pick upstream or local in the form and accept"
                       " again.", 409)
    except ArchiveError as exc:
        return refused("Not saved", writes.reason(exc), 400)
    flash(message)
    return redirect(url_for("lists.show", list_id=list_id))


@bp.post("/changes/<list_id>/<n:change_id>/accept")
@editor_required
def accept_change(list_id: str, change_id: int) -> Any:
    expected = form_version()
    prefer = request.form.get("prefer") or None
    if prefer is not None and prefer not in PREFER:
        abort(400, f"Unknown choice {prefer!r}: upstream or local.")

    def act() -> str:
        info = accept(archive(), list_id, change_id, editor=g.user.name,
                      note=form_text("note"), prefer=prefer,
                      if_version=expected)
        if archive().state(list_id).deleted:  # upstream's deletion, accepted
            return f"Change {change_id} accepted: {list_id} is deleted, as upstream deleted it."
        if info.version == expected:
            return f"Change {change_id} accepted; version {info.version} had it already."
        return f"Change {change_id} accepted: version {info.version} ({info.note})."

    return _decide(list_id, act)


@bp.post("/changes/<list_id>/<n:change_id>/reject")
@editor_required
def reject_change(list_id: str, change_id: int) -> Any:
    expected = form_version()

    def act() -> str:
        reject(archive(), list_id, change_id, editor=g.user.name,
               note=form_text("note"), if_version=expected)
        return f"Change {change_id} rejected; it will not be proposed again."

    return _decide(list_id, act)
