"""Deterministic, realistic course lists for the benchmark, and the archives that hold them.

:func:`make_lists` yields N lists of 10-50 resources each (books, journal
articles and book chapters in varied shapes: several creators, editors,
editions, ISBN/ISSN/DOI, URLs, shelfmarks, sections, annotations), the same
for the same ``seed``. :func:`build_archive` saves them into an rli archive
through the bulk path of ``rli import``; :func:`build_peer` stores, for
each list, the oai_dc fields that ``crosswalks.dc.write_list`` produces, in the
plain SQLite table the pyoai peer serves from. Nothing is lost that matters to
the benchmark: the peer serves the same oai_dc content rli serves.
:func:`build_foreign` makes the foreign provider's table: single resources (one
record each, drawn from the same lists) in oai_dc and MODS, as a library
catalogue would offer them.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from crosswalks import dc, mods
from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    Item,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
    iter_resources,
)
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.bulk import save_many

SURNAMES = (
    "Smith", "Okafor", "Nguyen", "García", "Müller", "Kowalski", "Haddad", "Tanaka",
    "O'Brien", "Rossi", "Andersson", "Dubois", "Singh", "Chen", "Ivanova", "Mensah",
    "Fitzgerald", "Nakamura", "Papadopoulos", "Lindqvist", "Barbosa", "Khan", "Walsh",
)
GIVEN = (
    "Amira", "John", "Mei", "Carlos", "Ingrid", "Kwame", "Sophie", "Rahul", "Elena",
    "Tomasz", "Yuki", "Fiona", "Ahmed", "Lucía", "Pieter", "Grace", "Dmitri", "Aoife",
)
WORDS = (
    "history", "culture", "society", "politics", "economics", "memory", "empire",
    "labour", "gender", "identity", "science", "medicine", "law", "justice", "migration",
    "religion", "urban", "rural", "power", "knowledge", "networks", "markets", "states",
    "communities", "technology", "environment", "health", "education", "language", "cinema",
)
FORMS = (
    "{A} and {B}: a critical introduction", "The {A} of {B}", "Rethinking {A}",
    "{A}, {B} and the modern world", "Towards a theory of {A}", "{A} in practice",
    "New perspectives on {A} and {B}", "A history of {A}", "Understanding {A}",
)
PUBLISHERS = (
    ("Oxford University Press", "Oxford"), ("Cambridge University Press", "Cambridge"),
    ("Routledge", "London"), ("Penguin", "Harmondsworth"), ("Verso", "London"),
    ("University of Chicago Press", "Chicago"), ("Polity", "Cambridge"),
    ("Palgrave Macmillan", "Basingstoke"), ("MIT Press", "Cambridge, Mass."),
)
JOURNALS = (
    ("Past & Present", "0031-2746"), ("Journal of Social History", "0022-4529"),
    ("American Historical Review", "0002-8762"), ("Nature", "0028-0836"),
    ("Economic History Review", "0013-0117"), ("Sociology", "0038-0385"),
    ("Law and History Review", "0738-2480"), ("Screen", "0036-9543"),
)
KINDS = ("essential", "recommended", "optional", "note")
SEED = 20041
BATCH = 1000


def _isbn13(rng: random.Random) -> str:
    digits = [9, 7, 8] + [rng.randrange(10) for _ in range(9)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}"


def _title(rng: random.Random) -> str:
    a, b = rng.sample(WORDS, 2)
    return rng.choice(FORMS).format(A=a.capitalize(), B=b)


def _creators(rng: random.Random, role: CreatorRole = CreatorRole.AUTHOR) -> tuple[Creator, ...]:
    return tuple(Creator(_name(rng), role) for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))))


def _book(rng: random.Random) -> Resource:
    publisher, place = rng.choice(PUBLISHERS)
    creators = _creators(rng)
    if rng.random() < 0.15:
        creators += (Creator(_name(rng), CreatorRole.TRANSLATOR),)
    isbn = _isbn13(rng)
    locations = [Location(LocationType.SHELFMARK, f"{rng.choice('DHJKPQ')}{rng.randrange(1, 9999)}"
                          f" .{rng.choice('ABCDEFGHKLMST')}{rng.randrange(1, 99)}")]
    if rng.random() < 0.4:
        locations.append(Location(LocationType.CATALOGUE,
                                  f"https://catalogue.example.ac.uk/record/{isbn}"))
    return Resource(
        type=ResourceType.BOOK,
        citation=Citation(
            title=_title(rng), creators=creators,
            edition=rng.choice(("", "", "2nd", "3rd", "Revised")),
            publication_date=str(rng.randrange(1950, 2026)),
            publication_place=place, publisher=publisher,
            identifiers=(StandardIdentifier(IdentifierType.ISBN, isbn),),
        ),
        locations=tuple(locations),
        language=rng.choice(("en", "en", "en", "fr", "de")),
    )


def _article(rng: random.Random) -> Resource:
    journal, issn = rng.choice(JOURNALS)
    start = rng.randrange(1, 900)
    doi = f"10.{rng.randrange(1000, 9999)}/{rng.choice(WORDS)}.{rng.randrange(10**5, 10**6)}"
    return Resource(
        type=ResourceType.JOURNAL_ARTICLE,
        citation=Citation(
            title=_title(rng), creators=_creators(rng),
            publication_date=f"{rng.randrange(1960, 2026)}-{rng.randrange(1, 13):02d}",
            volume=str(rng.randrange(1, 250)), part=str(rng.randrange(1, 12)),
            start_page=str(start), end_page=str(start + rng.randrange(5, 40)),
            identifiers=(StandardIdentifier(IdentifierType.DOI, doi),),
            related_titles=(RelatedTitle(
                journal, RelatedTitleType.JOURNAL,
                identifiers=(StandardIdentifier(IdentifierType.ISSN, issn),)),),
        ),
        locations=(Location(LocationType.URL, f"https://doi.org/{doi}"),),
    )


def _chapter(rng: random.Random) -> Resource:
    publisher, place = rng.choice(PUBLISHERS)
    start = rng.randrange(1, 400)
    return Resource(
        type=ResourceType.BOOK_CHAPTER,
        citation=Citation(
            title=_title(rng), creators=_creators(rng),
            publication_date=str(rng.randrange(1970, 2026)),
            publication_place=place, publisher=publisher,
            start_page=str(start), end_page=str(start + rng.randrange(10, 35)),
            related_titles=(RelatedTitle(
                _title(rng), RelatedTitleType.HOST,
                creators=_creators(rng, CreatorRole.EDITOR),
                identifiers=(StandardIdentifier(IdentifierType.ISBN, _isbn13(rng)),)),),
        ),
    )


MAKERS = ((_book, 0.45), (_article, 0.35), (_chapter, 0.20))


def _resource(rng: random.Random) -> Resource:
    makers = [m for m, _ in MAKERS]
    weights = [w for _, w in MAKERS]
    return rng.choices(makers, weights)[0](rng)


def _items(rng: random.Random, count: int) -> tuple[Item, ...]:
    flat = []
    for n in range(count):
        notes = (Annotation(kind=rng.choice(KINDS)),) if rng.random() < 0.3 else ()
        flat.append(Item(id=f"i{n + 1}", content=_resource(rng), annotations=notes))
    if count < 12 or rng.random() < 0.3:
        return tuple(flat)
    weeks, size = [], max(1, count // rng.randrange(3, 7))
    for w, start in enumerate(range(0, count, size), start=1):
        section = Section(f"Week {w}", items=tuple(flat[start:start + size]))
        weeks.append(Item(id=f"s{w}", content=section))
    return tuple(weeks)


def make_list(n: int, rng: random.Random) -> ResourceList:
    """List number ``n``, drawn from ``rng`` (10-50 resources)."""
    dept = rng.choice(("HIST", "BIOL", "COMP", "LAW", "FILM", "ECON", "NURS", "SOCI"))
    code = f"{dept}{rng.randrange(1000, 4000)}"
    owner = f"{rng.choice(GIVEN).lower()}.{rng.choice(SURNAMES).lower().replace(chr(39), '')}"
    return ResourceList(
        identifier=f"list{n:07d}",
        title=f"{code}: {_title(rng)}",
        owner=owner,
        description=f"Reading list for {code}, {rng.choice(('autumn', 'spring'))} term.",
        courses=(code,),
        language="en",
        created=f"20{rng.randrange(10, 26)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}",
        items=_items(rng, rng.randrange(10, 51)),
        annotations=(Annotation("Check the library for e-book access.", author=owner),),
    )


def make_lists(count: int, seed: int = SEED) -> Iterator[ResourceList]:
    """``count`` lists, the same every time for the same ``seed``."""
    rng = random.Random(seed)
    for n in range(count):
        yield make_list(n, rng)


def build_archive(lists: Iterable[ResourceList], db_path: Path) -> int:
    """Save ``lists`` (streamed) into a new rli archive at ``db_path`` through the bulk
    path ``rli import`` uses (:func:`repository.archive.bulk.save_many`), BATCH per
    transaction. Returns how many were saved.
    """
    db = open_db(db_path)
    try:
        # one transaction per BATCH lists: as fast as one for all, and the WAL
        # stays small (one transaction over 100,000 lists would grow it to ~20 GB)
        return sum(1 for _ in save_many(Archive(db), lists, editor="bench", note="generated",
                                        batch=BATCH))
    finally:
        db.conn.close()


PEER_SCHEMA = (
    "CREATE TABLE records (n INTEGER PRIMARY KEY, identifier TEXT UNIQUE NOT NULL,"
    " datestamp TEXT NOT NULL, fields TEXT NOT NULL)"
)


def dc_fields(lst: ResourceList) -> dict[str, list[str]]:
    """The oai_dc fields rli's writer produces for ``lst``, by element name, in order."""
    return _fields(dc.write_list(lst))


def _fields(root: etree._Element) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for el in root:
        name = str(el.tag).rpartition("}")[2]
        fields.setdefault(name, []).append(el.text or "")
    return fields


def build_peer(lists: Iterable[ResourceList], db_path: Path, datestamp: str) -> None:
    """The pyoai peer's SQLite: one row per list with its oai_dc fields as JSON."""
    conn = sqlite3.connect(str(db_path))
    try:
        conn.execute(PEER_SCHEMA)
        conn.executemany(
            "INSERT INTO records (identifier, datestamp, fields) VALUES (?, ?, ?)",
            ((f"oai:pyoai.bench:{lst.identifier}", datestamp, json.dumps(dc_fields(lst)))
             for lst in lists),
        )
        conn.commit()
    finally:
        conn.close()


def make_resources(count: int, seed: int = SEED) -> Iterator[Resource]:
    """``count`` single resources: those of the lists of ``seed``, in order."""
    made = 0
    for lst in make_lists(count, seed):  # every list holds at least 10 resources
        for _, res in iter_resources(lst.items):
            if made == count:
                return
            made += 1
            yield res


def build_foreign(resources: Iterable[Resource], db_path: Path, datestamp: str) -> None:
    """The foreign provider's SQLite: one row per resource, oai_dc fields and MODS XML."""
    conn = sqlite3.connect(str(db_path))
    try:
        conn.execute(PEER_SCHEMA.replace("fields TEXT NOT NULL", "fields TEXT NOT NULL,"
                                         " mods TEXT NOT NULL"))
        conn.executemany(
            "INSERT INTO records (identifier, datestamp, fields, mods) VALUES (?, ?, ?, ?)",
            ((f"oai:pyoai.foreign:r{n:07d}", datestamp, json.dumps(_fields(dc.write_resource(res))),
              etree.tostring(mods.write_resource(res), encoding="unicode"))
             for n, res in enumerate(resources)),
        )
        conn.commit()
    finally:
        conn.close()
