"""The full-text index of harvested resources (SQLite FTS5), kept by the harvester itself.

``harvest_search_docs`` holds one row per live harvested resource: the
searchable fields read from its RLI reading (title, creators, subjects, date,
identifiers, type, source) and the year for filtering. ``harvest_search`` is
an FTS5 table over it (external content, ``unicode61 remove_diacritics 2``).
:func:`index_resource` and :func:`drop_resource` run inside the caller's
transaction, so a harvested page and its index rows commit together.

The tables are a migration of their own component (``harvester-search``);
the migration marks the index stale and :func:`ensure_index` then builds it
from the harvest log (every live ``ok`` record read again through its
crosswalk), so an archive harvested before search existed is searchable once
opened. :func:`rebuild` re-creates the FTS index from the stored fields
(``rli reindex``); ``reread=True`` reads every record again first.
FTS5 is SQLite's own; on PostgreSQL the same rows would feed a tsvector.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from crosswalks.registry import record_format
from crosswalks.rli import IdentifierType, Resource
from crosswalks.xmlsafe import parse_untrusted
from harvester.shared.blobs import unpack
from harvester.shared.db import transaction
from harvester.shared.ftsindex import FtsTables, stale_marker
from harvester.shared.fulltext import (
    RANK_WINDOW,
    TOKENIZER,
    Filters,
    Hit,
    QueryError,
    facets,
    with_facets,
    year_of,
)

COMPONENT = "harvester-search"
_NOT_ALNUM = re.compile(r"[\W_]+")
FTS_STALE = "harvester-search-fts"  # the FTS table alone is to be rebuilt from the stored fields
COLUMNS = ("title", "creators", "subjects", "date", "identifiers", "type", "source", "facets")
# bm25 weights, in COLUMNS order: a word in the title counts most; facets never count.
WEIGHTS = (10.0, 5.0, 3.0, 1.0, 2.0, 1.0, 1.0, 0.0)

MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE harvest_search_docs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        identifier TEXT NOT NULL,
        datestamp TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        creators TEXT NOT NULL DEFAULT '',
        subjects TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        identifiers TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT '',
        year INTEGER,
        facets TEXT NOT NULL DEFAULT '',
        UNIQUE (source, identifier)
    );
    CREATE VIRTUAL TABLE harvest_search USING fts5 (
        {", ".join(COLUMNS)}, content = 'harvest_search_docs', content_rowid = 'id',
        tokenize = '{TOKENIZER}', prefix = '3'
    );
    {stale_marker(COMPONENT)}
    """,
    # No prefix index: FTS5 uses one only for prefixes of exactly its length
    # (``his*``, never ``hist*``), and it cost a fifth of every insert and of
    # the index's size. Automerge waits for 16 segments of a size instead of 4:
    # a harvest commits one small segment a page, and merging them less often
    # saves a sixth of each insert while queries cost the same (measured at
    # 100,000; ``rli reindex`` merges them all). The stored fields stay; the FTS
    # table is rebuilt.
    f"""
    DROP TABLE harvest_search;
    CREATE VIRTUAL TABLE harvest_search USING fts5 (
        {", ".join(COLUMNS)}, content = 'harvest_search_docs', content_rowid = 'id',
        tokenize = '{TOKENIZER}'
    );
    INSERT INTO harvest_search (harvest_search, rank) VALUES ('automerge', 16);
    {stale_marker(FTS_STALE)}
    """,
]
TABLES = FtsTables("harvest_search", "harvest_search_docs", COLUMNS)


@dataclass(frozen=True)
class ResourceFields:
    """What the index keeps of one resource; multi-valued fields are one value a line."""

    title: str
    creators: str
    subjects: str
    date: str
    identifiers: str
    type: str
    year: int | None


def fields_of(res: Resource) -> ResourceFields:
    """The searchable fields of a resource (ISBN/ISSN also without hyphens)."""
    idents: list[str] = []
    for ident in res.citation.identifiers:
        idents.append(f"{ident.type.value} {ident.value}")
        if ident.type in (IdentifierType.ISBN, IdentifierType.ISSN):
            bare = _NOT_ALNUM.sub("", ident.value)
            if bare != ident.value:
                idents.append(bare)
    related = [r.title for r in res.citation.related_titles if r.title]
    date = res.citation.publication_date
    return ResourceFields(
        title=res.title,
        creators="\n".join(c.name for c in res.citation.creators),
        subjects="\n".join((*res.subjects, *related)),
        date=date,
        identifiers="\n".join(idents),
        type=res.type.value,
        year=year_of(date),
    )


def ensure_index(db: sqlite_utils.Database) -> None:
    """Create the index tables if needed, and build the index if a migration left it stale."""
    TABLES.ensure(db, COMPONENT, MIGRATIONS,
                  ((COMPONENT, _reread_all), (FTS_STALE, _rebuild_fts)))


def index_resource(
    conn: sqlite3.Connection, source: str, identifier: str, datestamp: str, res: Resource,
    *, fresh: bool = False,
) -> None:
    """Put (or replace) one harvested resource in the index, in the caller's transaction.

    ``fresh``: the caller knows the record was never indexed (first harvest of
    it), so there is nothing to replace.
    """
    if not fresh:
        drop_resource(conn, source, identifier)
    f = fields_of(res)
    tags = facets(Filters(source, f.type, f.year))
    values = (f.title, f.creators, f.subjects, f.date, f.identifiers, f.type, source, tags)
    cur = conn.execute(
        "INSERT INTO harvest_search_docs (source, identifier, datestamp, title, creators,"
        " subjects, date, identifiers, type, year, facets)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source, identifier, datestamp, *values[:6], f.year, tags),
    )
    TABLES.add(conn, int(cur.lastrowid or 0), values)


def drop_resource(conn: sqlite3.Connection, source: str, identifier: str) -> None:
    """Take one harvested resource out of the index (nothing if it is not there)."""
    TABLES.remove(conn, "source = ? AND identifier = ?", (source, identifier))


def rebuild(db: sqlite_utils.Database, *, reread: bool = False) -> int:
    """Re-create the FTS index from the stored fields (``reread``: from the raw records first).

    Returns how many resources are indexed. One transaction.
    """
    ensure_index(db)
    with transaction(db):
        if not reread:
            return _rebuild(db.conn)
        _reread_all(db)
        return int(db.conn.execute("SELECT count(*) FROM harvest_search_docs").fetchone()[0])


def search_resources(
    db: sqlite_utils.Database, expression: str, filters: Filters, limit: int,
    *, window: int = RANK_WINDOW,
) -> list[Hit]:
    """The best ``limit`` resources for an FTS5 ``expression`` (from fulltext.match_expression).

    Ranked by bm25 among the ``window`` most recently indexed matches.
    """
    if filters.type == "list":
        return []
    where, args = "", ()  # type: tuple[str, tuple[str, ...]]
    if filters.source is not None:  # the facet is a hash of the name: make it exact
        where, args = "WHERE d.source = ?", (filters.source,)
    try:
        rows = TABLES.ranked(
            db.conn, with_facets(expression, filters), WEIGHTS, window=window, limit=limit,
            fields="d.source, d.identifier, d.title, d.creators, d.date, d.type",
            where=where, args=args)
    except sqlite3.OperationalError as exc:  # match_expression quotes every word; defensive
        raise QueryError(f"cannot search for that: {exc}") from exc
    return [
        Hit("resource", f"{r[0]}:{r[1]}", r[2], _lines(r[3]), r[4], r[5], relevance(r[6]), r[0])
        for r in rows
    ]


def relevance(rank: float) -> float:
    """The score of a hit from its bm25 ``rank`` (lower is better): positive, 6 significant digits.

    Significant digits, not decimal places: FTS5 weighs a word that most rows hold
    at 1e-6, and its hits still rank by how often and where they hold it.
    """
    return float(f"{-rank:.6g}")


def _lines(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split("\n") if x)


def _rebuild(conn: sqlite3.Connection) -> int:
    count = TABLES.rebuild(conn)
    conn.execute("INSERT INTO harvest_search (harvest_search) VALUES ('optimize')")
    return count


def _rebuild_fts(db: sqlite_utils.Database) -> None:
    _rebuild(db.conn)


def _reread_all(db: sqlite_utils.Database) -> None:
    """Fill the index from the harvest log: every live ``ok`` record through its crosswalk."""
    TABLES.clear(db.conn)
    has_log = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'harvest_resources'"
    ).fetchone()
    if has_log is None:
        return
    for source, identifier, datestamp, res in _live_readings(db):
        index_resource(db.conn, source, identifier, datestamp, res, fresh=True)


def _live_readings(db: sqlite_utils.Database) -> Iterator[tuple[str, str, str, Resource]]:
    # A removed source's records stay in the log and in the index (``rli source
    # remove``): they are read by the format of their metadata's namespace.
    cur = db.conn.execute(
        "SELECT s.source, s.identifier, s.datestamp, r.metadata, src.prefix,"
        " r.metadata_namespace"
        " FROM harvest_resources s JOIN harvest_records r ON r.id = s.record_id"
        " LEFT JOIN harvest_sources src ON src.name = s.source"
        " WHERE s.deleted = 0 AND s.status = 'ok' AND r.metadata IS NOT NULL"
    )
    for source, identifier, datestamp, metadata, prefix, namespace in cur:
        fmt = record_format(prefix, namespace)
        if fmt is None or fmt.prefix == "rli":  # rli records are lists, never resources
            continue
        try:
            res = fmt.read_resource(parse_untrusted(unpack(metadata))).value
        except Exception:  # noqa: BLE001 - a record no longer readable is left out, not fatal
            continue
        yield source, identifier, datestamp, res
