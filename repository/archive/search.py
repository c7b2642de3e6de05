"""The full-text index of archived lists (SQLite FTS5), kept in step with every archive write.

The index covers each live list's latest version: title, description,
courses, owner, the citations (title, creators, related titles, publisher,
date, identifiers, subjects, section titles) and the annotations (of the
list, its items and resources), with a date (``created``, else the archive
date) and its year as filters. ``list_search`` is a contentless FTS5 table
(``unicode61 remove_diacritics 2``): the citations are most of a list's
text and the archive already keeps them in the version document, so the
index keeps only its postings. ``list_search_docs`` keeps what a hit shows
(list id, title, owner, courses, date) and what taking the row out needs:
the version it was made from, its facets and a digest of the indexed values.
A deleted list leaves the index; a restored one comes back.

Taking a list out (:func:`drop_list`, also before indexing its next version)
hands FTS5 the values it was indexed with, read again from that version's
document (SQLite 3.40 cannot delete a contentless row otherwise); the digest
proves they are the same. Should they not be (a version document gone, or
the indexed fields changed without a migration), the whole list index is
rebuilt from the latest versions instead, in the same transaction: slow but
never wrong. :func:`index_list` and :func:`drop_list` run inside the
archive's write transaction.

The tables are a migration of their own component (``archive-search``); a
migration (re)creates them empty and marks the index stale, and
:func:`ensure_index` fills it from the latest version of every live list, so an
existing archive is searchable once opened. It fills FILL_BATCH lists a
transaction, their documents read and parsed before the write lock is taken:
another process waits a batch at most (one transaction over 20,000 lists held
the lock for two minutes, and whatever else started meanwhile failed as
"database is locked"). Every process that opens the archive while the marker
stays helps fill it and returns once it is full, so none searches a part of
it; a killed one leaves what it committed. :func:`rebuild` builds it anew in
one transaction on demand (``rli reindex``): readers see the old index until
it commits.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from crosswalks.rli import Annotation, ResourceList, Section, binding, iter_resources
from crosswalks.rli.model import Item
from crosswalks.xmlsafe import parse_untrusted
from harvester.search import relevance
from harvester.shared.blobs import unpack
from harvester.shared.db import migrate, snapshot, transaction
from harvester.shared.ftsindex import FtsTables, stale_marker, values_digest
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

COMPONENT = "archive-search"
COLUMNS = ("title", "description", "courses", "owner", "citations", "annotations", "facets")
WEIGHTS = (10.0, 3.0, 5.0, 2.0, 1.0, 1.0, 0.0)

MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE list_search_docs (
        id INTEGER PRIMARY KEY,
        list_id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        courses TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        citations TEXT NOT NULL DEFAULT '',
        annotations TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        year INTEGER,
        facets TEXT NOT NULL DEFAULT ''
    );
    CREATE VIRTUAL TABLE list_search USING fts5 (
        {", ".join(COLUMNS)}, content = 'list_search_docs', content_rowid = 'id',
        tokenize = '{TOKENIZER}', prefix = '3'
    );
    {stale_marker(COMPONENT)}
    """,
    # Contentless, without a prefix index (FTS5 used it only for 3-letter
    # prefixes): 2 KB a list instead of 6.7 KB. Rebuilt from the versions.
    f"""
    DROP TABLE list_search;
    DROP TABLE list_search_docs;
    CREATE TABLE list_search_docs (
        id INTEGER PRIMARY KEY,
        list_id TEXT NOT NULL UNIQUE,
        version INTEGER,
        title TEXT NOT NULL DEFAULT '',
        courses TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        facets TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        year INTEGER,
        digest INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE list_search USING fts5 (
        {", ".join(COLUMNS)}, content = '', tokenize = '{TOKENIZER}'
    );
    {stale_marker(COMPONENT)}
    """,
]
TABLES = FtsTables("list_search", "list_search_docs", COLUMNS)
# Lists indexed a transaction while a migration's marker stays: about a second of work, most
# of it (reading and parsing the documents) done before the write lock is taken
FILL_BATCH = 200

log = logging.getLogger(__name__)

_STALE = "SELECT 1 FROM search_stale WHERE component = ?"
# live lists not in the index, in identifier order after a given one, or (DESC) before it
_UNINDEXED = (
    "SELECT l.id, l.version, v.document, v.archived_at FROM lists l"
    " JOIN list_versions v ON v.list_id = l.id AND v.version = l.version"
    " WHERE l.id {} ? AND l.deleted = 0"
    " AND NOT EXISTS (SELECT 1 FROM list_search_docs d WHERE d.list_id = l.id)"
    " ORDER BY l.id {} LIMIT ?"
)
_AFTER, _BEFORE = _UNINDEXED.format(">", "ASC"), _UNINDEXED.format("<", "DESC")
_TOP = "\U0010ffff"  # after every identifier (the greatest UTF-8 character)
_STILL_UNINDEXED = (
    "SELECT 1 FROM lists l WHERE l.id = ? AND l.version = ? AND l.deleted = 0"
    " AND NOT EXISTS (SELECT 1 FROM list_search_docs d WHERE d.list_id = l.id)"
)


def ensure_index(db: sqlite_utils.Database) -> None:
    """Create the index tables if needed, and fill the index if a migration left it stale."""
    migrate(db, COMPONENT, MIGRATIONS)
    _fill(db)


def _fill(db: sqlite_utils.Database) -> None:
    """Index each live list not in the index, FILL_BATCH a transaction, while the marker
    stays; drop the marker once none is left. Writers meanwhile index or drop the lists
    they write themselves, so a batch adds a list only if it is still live, unindexed
    and at the version that was read; a second pass from the start finds any the first
    went past. The first process fills from the first identifier up; one that finds lists
    indexed already (another process filling, or one killed before it finished) fills
    from the last down, so two do not parse the same documents."""
    conn = db.conn
    with snapshot(db):
        begun = conn.execute("SELECT 1 FROM list_search_docs LIMIT 1").fetchone() is not None
    query, start = (_BEFORE, _TOP) if begun else (_AFTER, "")
    mark = start
    told = False
    while conn.execute(_STALE, (COMPONENT,)).fetchone() is not None:
        with snapshot(db):
            rows = conn.execute(query, (mark, FILL_BATCH)).fetchall()
        if len(rows) == FILL_BATCH and not told:  # more than a moment's work: say why
            told = True
            left = conn.execute("SELECT (SELECT count(*) FROM lists WHERE deleted = 0) -"
                                " (SELECT count(*) FROM list_search_docs)").fetchone()[0]
            log.warning("rli: building the archive's list search index after an upgrade:"
                        " %s lists to go; other rli commands started meanwhile wait for it",
                        f"{left:,}")
        texts = [(r[0], r[1], list_text(_read(r[0], r[2])), str(r[3])) for r in rows]
        with transaction(db):
            for list_id, version, text, stamp in texts:
                if conn.execute(_STILL_UNINDEXED, (list_id, version)).fetchone():
                    _insert(conn, text, stamp)
            if rows:
                mark = str(rows[-1][0])
            elif mark != start:
                mark = start  # the second pass
            elif conn.execute(_AFTER, ("", 1)).fetchone() is None:
                conn.execute("DELETE FROM search_stale WHERE component = ?", (COMPONENT,))


@dataclass(frozen=True)
class ListText:
    """What the index takes from a list (:func:`list_text`): plain strings, so that it
    can be made where the list was read (a worker process of ``rli import``)."""

    list_id: str
    title: str
    description: str
    courses: str  # one a line
    owner: str
    created: str
    citations: str  # indexed, never stored
    annotations: str  # indexed, never stored


def list_text(lst: ResourceList) -> ListText:
    """The indexed text of ``lst``."""
    return ListText(lst.identifier, lst.title, lst.description, "\n".join(lst.courses), lst.owner,
                    lst.created, "\n".join(x for x in _citation_lines(lst) if x),
                    "\n".join(_annotation_lines(lst)))


def index_list(
    conn: sqlite3.Connection, lst: ResourceList | ListText, archived_at: str
) -> None:
    """Put (or replace) a list's latest version in the index, in the caller's transaction.

    ``lst`` is the version the archive's ``lists`` row now points at (its
    document is what :func:`drop_list` reads again later), or its :func:`list_text`.
    """
    text = lst if isinstance(lst, ListText) else list_text(lst)
    drop_list(conn, text.list_id)
    _insert(conn, text, archived_at)


def drop_list(conn: sqlite3.Connection, list_id: str) -> None:
    """Take a list out of the index (nothing if it is not there)."""
    row = _indexed(conn, list_id)
    if row is None:
        return
    values = _values_again(conn, row)
    if values is None:  # cannot give FTS5 the indexed values: rebuild it whole
        _build(conn)
        row = _indexed(conn, list_id)
        if row is None:
            return
        values = _values_again(conn, row)
        if values is None:
            raise sqlite3.IntegrityError(f"the search index cannot re-read list {list_id!r}")
    TABLES.remove_values(conn, int(row[0]), values)


def rebuild(db: sqlite_utils.Database) -> int:
    """Rebuild the list index from the latest version of every live list; how many indexed."""
    ensure_index(db)
    with transaction(db):
        _build(db.conn)
        return int(db.conn.execute("SELECT count(*) FROM list_search_docs").fetchone()[0])


def search_lists(
    db: sqlite_utils.Database, expression: str, filters: Filters, limit: int,
    *, window: int = RANK_WINDOW,
) -> list[Hit]:
    """The best ``limit`` live lists for an FTS5 ``expression`` (fulltext.match_expression).

    Ranked by bm25 among the ``window`` most recently indexed matches.
    ``filters.source`` keeps lists harvested from that source; a ``filters.type``
    other than ``list`` finds no lists.
    """
    if filters.type not in (None, "list"):
        return []
    narrowed = with_facets(expression, Filters(source=filters.source, year=filters.year))
    try:
        rows = TABLES.ranked(db.conn, narrowed, WEIGHTS, window=window, limit=limit,
                             fields="d.list_id, d.title, d.owner, d.date")
    except sqlite3.OperationalError as exc:  # match_expression quotes every word; defensive
        raise QueryError(f"cannot search for that: {exc}") from exc
    return [Hit("list", r[0], r[1], (r[2],), r[3], "list", relevance(r[4])) for r in rows]


def _insert(conn: sqlite3.Connection, text: ListText, archived_at: str) -> None:
    date = text.created or archived_at[:10]
    sources = _sources_of(conn, [text.list_id]).get(text.list_id, ())
    tags = " ".join(
        [facets(Filters(year=year_of(date)))] + [facets(Filters(source=s)) for s in sources]
    )
    values = (text.title, text.description, text.courses, text.owner, text.citations,
              text.annotations, tags)
    version = conn.execute("SELECT version FROM lists WHERE id = ?", (text.list_id,)).fetchone()
    cur = conn.execute(
        "INSERT INTO list_search_docs (list_id, version, title, courses, owner, facets, date,"
        " year, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (text.list_id, version[0] if version else None, text.title, text.courses, text.owner,
         tags, date, year_of(date), values_digest(values)),
    )
    TABLES.add(conn, int(cur.lastrowid or 0), values)


def _indexed(conn: sqlite3.Connection, list_id: str) -> tuple | None:
    return conn.execute(  # type: ignore[no-any-return]
        "SELECT id, version, title, courses, owner, facets, digest FROM list_search_docs"
        " WHERE list_id = ?", (list_id,)).fetchone()


def _values_again(conn: sqlite3.Connection, row: tuple) -> tuple[str, ...] | None:
    """The values the row was indexed with, from its version's document; None if they differ."""
    _id, version, title, courses, owner, tags, digest = row
    found = conn.execute(
        "SELECT v.list_id, v.document FROM list_search_docs d JOIN list_versions v"
        " ON v.list_id = d.list_id AND v.version = ? WHERE d.id = ?", (version, _id)).fetchone()
    if found is None:
        return None
    text = list_text(_read(found[0], found[1]))
    values = (title, text.description, courses, owner, text.citations, text.annotations, tags)
    return values if values_digest(values) == digest else None


def _read(list_id: str, document: bytes) -> ResourceList:
    # The archive's own canonical documents: no second schema check (as Archive.get).
    root = parse_untrusted(unpack(document), source=list_id)
    return binding.element_to_list(root, source=list_id)


def _build(conn: sqlite3.Connection) -> None:
    TABLES.clear(conn)
    for lst, stamp in _latest_live(conn):
        _insert(conn, list_text(lst), stamp)


def _latest_live(conn: sqlite3.Connection) -> Iterator[tuple[ResourceList, str]]:
    cur = conn.execute(
        "SELECT v.list_id, v.document, v.archived_at FROM lists l"
        " JOIN list_versions v ON v.list_id = l.id AND v.version = l.version"
        " WHERE l.deleted = 0 ORDER BY l.id"
    )
    for list_id, document, archived_at in cur:
        yield _read(list_id, document), str(archived_at)


def _citation_lines(lst: ResourceList) -> Iterator[str]:
    for _, res in iter_resources(lst.items):
        cit = res.citation
        yield from (cit.title, cit.publisher, cit.publication_date, *res.subjects)
        yield from (c.name for c in cit.creators)
        yield from (r.title for r in cit.related_titles)
        yield from (i.value for i in cit.identifiers)
    yield from _section_titles(lst.items)


def _section_titles(items: tuple[Item, ...]) -> Iterator[str]:
    for item in items:
        if isinstance(item.content, Section):
            yield item.content.title
            yield from _section_titles(item.content.items)


def _annotation_lines(lst: ResourceList) -> Iterator[str]:
    notes: list[Annotation] = list(lst.annotations)
    for item in _all_items(lst.items):
        notes.extend(item.annotations)
        if not isinstance(item.content, Section):
            notes.extend(item.content.annotations)
    for note in notes:
        yield " ".join(x for x in (note.kind, note.text) if x)


def _all_items(items: tuple[Item, ...]) -> Iterator[Item]:
    for item in items:
        yield item
        if isinstance(item.content, Section):
            yield from _all_items(item.content.items)


def courses_of(db: sqlite_utils.Database, list_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The courses of each indexed (live) list among ``list_ids``, one query."""
    if not list_ids:
        return {}
    marks = ", ".join("?" for _ in list_ids)
    rows = db.conn.execute(
        f"SELECT list_id, courses FROM list_search_docs WHERE list_id IN ({marks})", list_ids
    )
    return {r[0]: tuple(c for c in r[1].split("\n") if c) for r in rows}


def sources_of(db: sqlite_utils.Database, list_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The harvest sources each list among ``list_ids`` came from (its ``source:`` sets)."""
    return _sources_of(db.conn, list_ids)


def _sources_of(conn: sqlite3.Connection, list_ids: list[str]) -> dict[str, tuple[str, ...]]:
    if not list_ids:
        return {}
    marks = ", ".join("?" for _ in list_ids)
    found: dict[str, tuple[str, ...]] = {}
    for list_id, source in conn.execute(
        "SELECT list_id, substr(spec, 8) FROM set_members WHERE spec LIKE 'source:%'"
        f" AND list_id IN ({marks}) ORDER BY list_id, spec", list_ids,
    ):
        found[list_id] = (*found.get(list_id, ()), source)
    return found
