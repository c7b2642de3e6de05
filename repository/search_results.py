"""One page of search results for people: ranked hits, facets that narrow, keyset paging.

Runs :func:`repository.search.search` (the search ``rli search`` runs) for the
:data:`CAP` best hits, narrows them by course and owner (facets only lists
have), counts the facet values among them (source, type, year, course, owner)
and cuts one page. Pages follow a keyset cursor (the last hit's score, kind
and id), never an offset; the results stop at :data:`CAP` hits, and the page
says so (``capped``). Raises QueryError (one line) for a query or cursor that
cannot be used.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import sqlite_utils

from harvester.shared.fulltext import Filters, Hit, QueryError, year_of
from repository.archive.search import courses_of, sources_of
from repository.search import KINDS, search

CAP = 500
FACETS = ("source", "type", "year", "course", "owner")
SHOWN = 8  # facet values shown per facet, most frequent first


@dataclass(frozen=True)
class Narrowing:
    """What the facet links chose (None: any)."""

    source: str | None = None
    type: str | None = None
    year: int | None = None
    course: str | None = None
    owner: str | None = None

    def filters(self) -> Filters:
        return Filters(self.source, self.type, self.year)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Found:
    """One hit as shown: the hit, and for a list its courses and the sources it came from."""

    hit: Hit
    courses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def cursor(self) -> str:
        return f"{self.hit.score!r}|{self.hit.kind}|{self.hit.id}"


@dataclass(frozen=True)
class ResultPage:
    """A page of hits; ``total`` counts the hits among the CAP best (``capped``: maybe more)."""

    found: tuple[Found, ...]
    total: int
    capped: bool
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    next_cursor: str | None = None


def kinds_for(scope: str) -> tuple[str, ...]:
    """``in=`` of the search form: lists, resources, or both (empty)."""
    if not scope:
        return KINDS
    if scope not in KINDS:
        raise QueryError(f"cannot search in {scope!r}: lists or resources")
    return (scope,)


def result_page(
    db: sqlite_utils.Database, query: str, *, kinds: tuple[str, ...] = KINDS,
    narrowing: Narrowing = Narrowing(), after: str = "", size: int = 20,
) -> ResultPage:
    """The page of hits for ``query`` that follows the cursor ``after`` (empty: the first)."""
    hits = search(db, query, kinds=kinds, filters=narrowing.filters(), limit=CAP)
    capped = len(hits) == CAP
    lists = [h.id for h in hits if h.kind == "list"]
    courses, sources = courses_of(db, lists), sources_of(db, lists)
    found = [Found(h, courses.get(h.id, ()), sources.get(h.id, ())) for h in hits]
    if narrowing.owner is not None:
        found = [f for f in found if f.hit.kind == "list" and narrowing.owner in f.hit.creators]
    if narrowing.course is not None:
        found = [f for f in found if narrowing.course in f.courses]
    start = _start(found, after)
    shown = found[start:start + size]
    more = start + size < len(found)
    return ResultPage(
        found=tuple(shown), total=len(found), capped=capped, facets=_facets(found),
        next_cursor=shown[-1].cursor if more and shown else None,
    )


def _start(found: list[Found], after: str) -> int:
    if not after:
        return 0
    score, _, rest = after.partition("|")
    kind, _, ident = rest.partition("|")
    try:
        key = (-float(score), kind, ident)
    except ValueError:
        key = (math.nan, "", "")
    if math.isnan(key[0]):
        raise QueryError("that page of results no longer exists: start from the first")
    # Scores move with every write to the index (bm25 counts documents): the next page
    # starts right after the last hit shown, wherever that ranks now; if it is gone,
    # at the first hit that ranks below its score.
    for n, f in enumerate(found):
        if f.hit.kind == kind and f.hit.id == ident:
            return n + 1
    for n, f in enumerate(found):
        if (-f.hit.score, f.hit.kind, f.hit.id) > key:
            return n
    return len(found)


def _facets(found: list[Found]) -> dict[str, tuple[FacetValue, ...]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for f in found:
        hit = f.hit
        if hit.source:
            counts["source"][hit.source] += 1
        if hit.type:
            counts["type"][hit.type] += 1
        year = year_of(hit.date)
        if year is not None:
            counts["year"][str(year)] += 1
        if hit.kind == "list":
            counts["owner"].update(x for x in hit.creators if x)
            counts["course"].update(f.courses)
            counts["source"].update(f.sources)  # what the source filter finds of lists
    return {
        name: tuple(FacetValue(v, n) for v, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))
                    [:SHOWN])
        for name, c in counts.items() if c
    }
