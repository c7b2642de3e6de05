"""A list, a version of it, its history, the difference between two versions, exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from crosswalks.rli import ResourceList, VersionInfo
from repository.archive import editing
from repository.archive.diff import diff_lists
from repository.archive.events import history_events
from repository.archive.exporting import EXPORTERS, export_list
from repository.archive.field_diff import changed_items
from repository.archive.review import waiting
from repository.archive.store import ListState
from repository.web.context import archive, number

bp = Blueprint("lists", __name__)

# format -> (media type, file extension); every format rli exports, in menu order.
EXPORT_TYPES: dict[str, tuple[str, str]] = {
    "rli": ("application/xml", "xml"),
    "oai_dc": ("application/xml", "dc.xml"),
    "mods": ("application/xml", "mods.xml"),
    "lom": ("application/xml", "lom.xml"),
    "ris": ("application/x-research-info-systems", "ris"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    "ims-cp": ("application/zip", "zip"),
}
assert set(EXPORT_TYPES) == set(EXPORTERS), "every export format has a media type"

KINDS = ("note", *editing.IMPORTANCE)


@dataclass(frozen=True)
class ListPage:
    """What a list page shows: one version of a list and where it stands."""

    lst: ResourceList
    version: int
    state: ListState
    history: list[VersionInfo]
    tombstone: dict[str, Any] | None
    pending: int = 0

    @property
    def latest(self) -> bool:
        return self.version == self.state.version


def list_page(list_id: str, version: int | None = None) -> ListPage:
    """Gather a list page; the archive's ListNotFound / VersionNotFound become 404."""
    store = archive()
    state = store.state(list_id)
    number = state.version if version is None else version
    return ListPage(
        lst=store.get(list_id, number),
        version=number,
        state=state,
        history=store.history(list_id),
        tombstone=store.tombstone(list_id),
        pending=waiting(store, list_id),
    )


@bp.get("/lists/<list_id>")
def show(list_id: str) -> str:
    return render_template("list.html", page=list_page(list_id), kinds=KINDS,
                           formats=list(EXPORT_TYPES))


@bp.get("/lists/<list_id>/versions/<n:version>")
def version(list_id: str, version: int) -> str:
    return render_template("list.html", page=list_page(list_id, version), kinds=KINDS,
                           formats=list(EXPORT_TYPES))


@bp.get("/lists/<list_id>/versions")
def versions(list_id: str) -> str:
    page = list_page(list_id)
    return render_template("versions.html", page=page,
                           events=history_events(archive(), list_id))


@bp.get("/lists/<list_id>/diff")
def diff_form(list_id: str) -> Any:
    a, b = number(request.args.get("a")), number(request.args.get("b"))
    if a is None or b is None:
        abort(400, "Choose two versions to compare.")
    return redirect(url_for("lists.diff", list_id=list_id, a=a, b=b))


@bp.get("/lists/<list_id>/diff/<n:a>/<n:b>")
def diff(list_id: str, a: int, b: int) -> str:
    store = archive()
    old, new = store.get(list_id, a), store.get(list_id, b)
    return render_template(
        "diff.html", list_id=list_id, title=new.title, a=a, b=b,
        diff=diff_lists(old, new), items=changed_items(old, new),
        history=store.history(list_id),
    )


@bp.get("/lists/<list_id>/export/<fmt>")
def export(list_id: str, fmt: str) -> Response:
    if fmt not in EXPORT_TYPES:
        abort(404, f"No export format {fmt!r}.")
    asked = request.args.get("version")
    store = archive()
    wanted = store.state(list_id).version if asked is None else number(asked)
    if wanted is None:  # never the latest in place of a version asked for and unreadable
        abort(404, f"No version {asked!r} of {list_id!r}.")
    data = export_list(store, list_id, fmt, wanted)
    media, ext = EXPORT_TYPES[fmt]
    disposition = "inline" if media.startswith("application/xml") else "attachment"
    return Response(data, content_type=media, headers={
        "Content-Disposition": f'{disposition}; filename="{list_id}-v{wanted}.{ext}"',
    })
