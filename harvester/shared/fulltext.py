"""Full-text search vocabulary both indexes share: the tokenizer, the query language, hits.

Both full-text indexes (harvested resources in :mod:`harvester.search`, archived
lists in ``repository.archive.search``) are SQLite FTS5 tables with the
``unicode61 remove_diacritics 2`` tokenizer, so ``Bronte`` finds ``Brontë``
and case never matters.

The query language, turned by :func:`match_expression` into an FTS5 MATCH
expression in which every user word is a quoted string (so no user input is
ever read as FTS5 syntax):

============================  ============================================
query                         finds
============================  ============================================
``industrial revolution``     both words, anywhere (AND)
``"industrial revolution"``   the phrase
``hist*``                     a word starting with ``hist``
``"social hist"*``            a phrase whose last word starts with ``hist``
``marx OR engels``            either
``-engels``                   not containing ``engels`` (needs a term to find)
``marx AND engels``           both (``AND`` in capitals is what a space says)
``marx NOT engels``           as ``marx -engels`` (``NOT`` in capitals)
============================  ============================================

Lower-case ``and``, ``or`` and ``not`` are words to find.

Ranking is bm25 over at most :data:`RANK_WINDOW` matches per index (see
there). Raises :class:`QueryError` (one clear line) for an empty query, an
unbalanced quote, a lone ``*``, ``OR`` or ``NOT``, a query with only exclusions, and one
longer than :data:`MAX_QUERY_CHARS` or of more than :data:`MAX_TERMS` terms (each
term is a pass over its index: 16,000 words took SQLite 38 s).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

TOKENIZER = "unicode61 remove_diacritics 2"
# bm25 ranks at most this many matches per index, the most recently indexed
# (highest rowid) first: a query matching more (a single very common word) is
# ranked within that window, so its cost stays bounded; a query matching fewer
# is ranked over all its matches.
RANK_WINDOW = 10_000
MAX_QUERY_CHARS = 1_000
MAX_TERMS = 32

# Quoted phrase (optionally with a trailing *), or a bare word.
_TOKEN = re.compile(r'\s*(?:(-?)"([^"]*)"(\*?)|(\S+))')
_WORDY = re.compile(r"\w", re.UNICODE)
_YEAR = re.compile(r"\s*(\d{4})")


class QueryError(ValueError):
    """A search query that cannot be run; the message is one clear line."""


@dataclass(frozen=True)
class Filters:
    """Narrowing a search: only this source, resource type or year (None: any)."""

    source: str | None = None
    type: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Hit:
    """One search result. ``score`` is bm25 relevance made positive: higher is better."""

    kind: str
    id: str
    title: str
    creators: tuple[str, ...]
    date: str
    type: str
    score: float
    source: str = ""


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool
    negated: bool

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for ``query`` (see the module table). Raises QueryError."""
    if not query.strip():
        raise QueryError("the search query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the search query is {len(query):,} characters long;"
                         f" at most {MAX_QUERY_CHARS:,} are searched")
    if query.count('"') % 2:
        raise QueryError(f"unbalanced quote in search query {query!r}")
    groups: list[list[_Term]] = [[]]
    negated: list[_Term] = []
    pending_or = pending_not = False
    for match in _TOKEN.finditer(query):
        minus, phrase, star, word = match.groups()
        if word == "AND":  # a library catalogue's habit; two terms mean both anyway
            continue
        if word == "NOT" or (word == "OR" and pending_not):
            if pending_not:
                raise QueryError(f"NOT needs a term after it in {query!r}")
            pending_not = True
            continue
        if word == "OR":
            if not groups[-1] or pending_or:
                raise QueryError(f"OR needs a term on both sides in {query!r}")
            pending_or = True
            continue
        term = _term(minus, phrase, star, word, query)
        if term is None:
            continue
        if pending_not:
            term, pending_not = _Term(term.text, term.prefix, True), False
        if term.negated:
            negated.append(term)
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            if groups[-1]:
                groups.append([])
            groups[-1].append(term)
    if pending_or:
        raise QueryError(f"OR needs a term on both sides in {query!r}")
    if pending_not:
        raise QueryError(f"NOT needs a term after it in {query!r}")
    groups = [g for g in groups if g]
    terms = sum(map(len, groups)) + len(negated)
    if terms > MAX_TERMS:
        raise QueryError(f"the search query has {terms} terms; at most {MAX_TERMS} are searched")
    if not groups:
        raise QueryError(f"nothing to search for in {query!r} (give a word to find)")
    expr = " AND ".join(
        "(" + " OR ".join(t.fts() for t in g) + ")" if len(g) > 1 else g[0].fts() for g in groups
    )
    for term in negated:
        expr = f"({expr}) NOT {term.fts()}"
    return expr


def _term(minus: str | None, phrase: str | None, star: str | None, word: str | None,
          query: str) -> _Term | None:
    if phrase is not None:
        text, prefix, negated = phrase, bool(star), bool(minus)
    else:
        assert word is not None
        negated = word.startswith("-")
        text = word[1:] if negated else word
        prefix = text.endswith("*")
        text = text.rstrip("*")
        if "*" in text:
            raise QueryError(f"'*' goes only at the end of a word, in {query!r}")
    if not _WORDY.search(text):
        if prefix:
            raise QueryError(f"'*' needs the start of a word before it, in {query!r}")
        return None  # punctuation only: the tokenizer would find nothing in it
    return _Term(" ".join(text.split()), prefix, negated)


def facets(filters: Filters) -> str:
    """The filter values of one indexed row as tokens for its ``facets`` column.

    Filters then narrow a search inside the index (an AND with the query)
    instead of row by row after it. A source name becomes a hash token, as
    names may hold characters the tokenizer splits on.
    """
    tags = []
    if filters.source is not None:
        tags.append(_source_tag(filters.source))
    if filters.type is not None:
        tags.append("t" + filters.type)
    if filters.year is not None:
        tags.append(f"y{filters.year}")
    return " ".join(tags)


@functools.lru_cache(maxsize=256)
def _source_tag(source: str) -> str:
    # Cached: a harvest tags every record of a page with the same source.
    return "s" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def with_facets(expression: str, filters: Filters) -> str:
    """``expression`` narrowed to rows whose ``facets`` column holds every filter's token."""
    tags = facets(filters).split()
    if not tags:
        return expression
    quoted = ('"' + t.replace('"', '""') + '"' for t in tags)  # a value, never syntax
    return f"({expression}) AND facets : (" + " AND ".join(quoted) + ")"


def year_of(date: str) -> int | None:
    """The year a date string starts with (``1999-05`` -> 1999), None if it has none."""
    found = _YEAR.match(date)
    return int(found.group(1)) if found else None
