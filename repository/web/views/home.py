"""The front page, the harvest sources, and one harvested record."""

from __future__ import annotations

from flask import Blueprint, render_template

from harvester.lookup import harvested_record, last_runs, record_count
from harvester.sources import ensure_schema, format_every, statuses
from repository.archive.browse import counts, lists_citing_record, recent_lists
from repository.archive.review import waiting_total
from repository.web.context import archive, config

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    store = archive()
    ensure_schema(store.db)
    return render_template(
        "index.html",
        recent=recent_lists(store, config().recent),
        counts=counts(store),
        records=record_count(store.db),
        sources=len(statuses(store.db)),
        pending=waiting_total(store),
    )


@bp.get("/sources")
def sources() -> str:
    db = archive().db
    ensure_schema(db)
    return render_template("sources.html", sources=statuses(db), runs=last_runs(db),
                           every=format_every)


@bp.get("/resources/<source>/<slashed:identifier>")
def resource(source: str, identifier: str) -> str:
    store = archive()
    record = harvested_record(store.db, source, identifier)
    citing = lists_citing_record(store, source, identifier)
    return render_template(
        "resource.html",
        record=record,
        citing=citing,
        metadata=_text(record.metadata),
        header=_text(record.header),
        about=_text(record.about),
    )


def _text(data: bytes | None) -> str:
    return data.decode("utf-8", "replace") if data is not None else ""
