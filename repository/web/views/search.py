"""``/search``: ranked hits with facets and paging; picking hits into a list (editors).

The query, the scope (``in=lists|resources``) and each facet chosen travel in
the URL, so every page of results is a link. A query that cannot be run shows
its one-line reason (400), never a 500. Picked resource hits are appended to a
list, or made into a new one, by :mod:`repository.web.writes` (the archive
code ``rli edit --add-resource`` and ``rli new`` run), each keeping its origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from harvester.errors import SourceError
from harvester.shared.fulltext import QueryError
from repository.archive import ArchiveError, ListNotFound
from repository.archive.browse import recent_lists
from repository.archive.editing import EditError
from repository.search_results import FACETS, Narrowing, kinds_for, result_page
from repository.web import writes
from repository.web.context import archive, form_text, number
from repository.web.security import editor_required
from repository.web.views.create import FormError, list_from_form

bp = Blueprint("search", __name__)
KEPT = ("q", "in", "to", *FACETS)
PICK_LISTS = 50  # lists offered in "add to list": the most recently changed
PAGE_SIZE = 20


def _narrowing() -> Narrowing:
    year = request.args.get("year", "")
    if year and number(year, low=0, high=9999) is None:
        raise QueryError(f"the year must be a number up to 9999, not {year!r}")
    return Narrowing(
        source=request.args.get("source") or None,
        type=request.args.get("type") or None,
        year=int(year) if year else None,
        course=request.args.get("course") or None,
        owner=request.args.get("owner") or None,
    )


def _link(**changes: str | None) -> str:
    """This search's URL with some parameters changed (None: dropped); paging restarts."""
    args: dict[str, Any] = {k: v for k in KEPT if (v := request.args.get(k))}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for("search.find", **args)


@bp.get("/search")
def find() -> Any:
    query = request.args.get("q", "").strip()
    scope = request.args.get("in", "")
    chosen = {k: v for k in FACETS if (v := request.args.get(k))}
    context: dict[str, Any] = dict(query=query, scope=scope, chosen=chosen, link=_link,
                                   page=None, error=None, targets=[])
    if not query:
        return render_template("search.html", **context)
    try:
        context["page"] = result_page(
            archive().db, query, kinds=kinds_for(scope), narrowing=_narrowing(),
            after=request.args.get("after", ""), size=PAGE_SIZE,
        )
    except QueryError as exc:
        context["error"] = str(exc)
        return render_template("search.html", **context), 400
    if g.user is not None:
        context["targets"] = _targets(request.args.get("to", ""))
    return render_template("search.html", **context)


@dataclass(frozen=True)
class Target:
    """A list offered in "add to list"."""

    id: str
    title: str


def _targets(to: str) -> list[Target]:
    """The lists changed most recently, and first the list ``to`` (the list page's "add
    from a search") however long ago it changed, if it is live."""
    found = [Target(s.id, s.title) for s in recent_lists(archive(), PICK_LISTS) if not s.deleted]
    if to and to not in {t.id for t in found}:
        try:
            if not archive().state(to).deleted:
                found.insert(0, Target(to, archive().get(to).title))
        except ListNotFound:
            pass
    return found


@bp.post("/search/pick")
@editor_required
def pick() -> Any:
    picks = request.form.getlist("pick")
    back = request.form.get("back", "")
    back = back if back.startswith("/search") else url_for("search.find")
    if not picks:
        abort(400, "Select at least one hit first.")
    try:
        if request.form.get("action") == "new":
            list_id = _new_list(picks)
            hits = len(set(picks))
            flash(f"Made {list_id} (version 1) from {hits} search hit{'' if hits == 1 else 's'}.")
        else:
            list_id = form_text("list")
            if not list_id:
                abort(400, "Choose the list to add to.")
            added = writes.add_picked(archive(), list_id, picks, editor=g.user.name)
            flash(f"Saved as version {added.info.version}: {added.info.note}.")
            if added.already:
                flash(f"Already on the list, not added again: {', '.join(added.already)}.")
    except writes.NothingChanged as exc:  # a form sent twice: the list has them, say so there
        flash(f"{exc}.")
    except (ArchiveError, EditError, SourceError) as exc:
        page = render_template("error.html", title="Not saved", message=writes.reason(exc),
                               back=back, back_label="Back to the search")
        return page, 400
    return redirect(url_for("lists.show", list_id=list_id))


def _new_list(picks: list[str]) -> str:
    try:
        lst = list_from_form()
    except FormError as exc:
        abort(400, str(exc))
    writes.new_from_picked(archive(), lst, picks, editor=g.user.name)
    return lst.identifier
