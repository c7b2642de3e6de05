"""Searching what the archive holds: harvested resources and archived lists, best first.

One query (the language of :mod:`harvester.shared.fulltext`) runs over the
resource index (:mod:`harvester.search`) and the list index
(:mod:`repository.archive.search`); hits from both are merged by bm25 score
(both indexes use the same tokenizer and bm25, so the scores are of one kind,
though each index weighs its own columns). Raises QueryError for a query that
cannot be run, or one (or a source name) that is not UTF-8 text.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from harvester import search as resource_index
from harvester.shared.fulltext import Filters, Hit, QueryError, match_expression
from harvester.sources import ensure_schema
from repository.archive import search as list_index

KINDS = ("resources", "lists")
ANY = Filters()


@dataclass(frozen=True)
class Reindexed:
    """What ``rli reindex`` rebuilt."""

    resources: int
    lists: int


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    kinds: tuple[str, ...] = KINDS,
    filters: Filters = ANY,
    limit: int = 20,
) -> list[Hit]:
    """The ``limit`` best hits for ``query`` among ``kinds`` (resources, lists)."""
    if limit < 1:
        raise QueryError("the limit must be at least 1")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise QueryError(f"cannot search in {', '.join(sorted(unknown))}: resources or lists")
    _check_text(query, "the search query")
    if filters.source is not None:
        _check_text(filters.source, "the source name")
    expression = match_expression(query)
    ensure_schema(db)
    list_index.ensure_index(db)
    hits: list[Hit] = []
    if "resources" in kinds:
        hits += resource_index.search_resources(db, expression, filters, limit)
    if "lists" in kinds:
        hits += list_index.search_lists(db, expression, filters, limit)
    hits.sort(key=lambda h: (-h.score, h.kind, h.id))
    return hits[:limit]


def source_known(db: sqlite_utils.Database, name: str) -> bool:
    """Whether ``name`` is a source, or was one whose harvested records or lists are still
    searchable (``rli source remove`` keeps them): what a ``source`` filter can find."""
    _check_text(name, "the source name")
    ensure_schema(db)
    return any(db.conn.execute(sql, (value,)).fetchone() is not None for sql, value in (
        ("SELECT 1 FROM harvest_sources WHERE name = ?", name),
        ("SELECT 1 FROM harvest_search_docs WHERE source = ? LIMIT 1", name),
        ("SELECT 1 FROM sets WHERE spec = ?", f"source:{name}"),
    ))


def _check_text(value: str, what: str) -> None:
    # A terminal not in UTF-8 hands Python bytes it keeps as lone surrogates, which
    # SQLite cannot take: say so instead of failing on the way into the database.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"{what} is not UTF-8 text (is the terminal set to UTF-8?)") from None


def reindex(db: sqlite_utils.Database, *, reread: bool = False) -> Reindexed:
    """Rebuild both indexes (``reread``: harvested records read again through their crosswalks)."""
    ensure_schema(db)
    return Reindexed(
        resources=resource_index.rebuild(db, reread=reread),
        lists=list_index.rebuild(db),
    )
