"""The RLI model: resource lists and the resources they cite, as frozen values.

An IMS RLI v1.0 resource list is an ordered sequence of items; an item is either
a :class:`Resource` (a bibliographic citation with locators) or a
:class:`Section` (a nested list such as "Week 3"). Everything is immutable and
compares by value, so ``read(write(x)) == x`` is a meaningful test.

Text fields use ``""`` for "absent" and tuples for repeated fields, never
``None`` or lists. Dates are ISO 8601 strings as the source gave them
(``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; timestamps in UTC with ``Z``).

Extensions are foreign XML elements (another vendor's namespace) kept as their
canonical (C14N) serialisation, so they survive a round trip byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar, Union

T = TypeVar("T")


class CreatorRole(str, Enum):
    """The part a person or body played in a cited work (a subset of MARC relators)."""

    AUTHOR = "author"
    EDITOR = "editor"
    TRANSLATOR = "translator"
    ILLUSTRATOR = "illustrator"
    DIRECTOR = "director"
    PERFORMER = "performer"
    PRODUCER = "producer"
    COMPILER = "compiler"
    CONTRIBUTOR = "contributor"


class IdentifierType(str, Enum):
    """Kinds of standard identifier a citation may carry."""

    ISBN = "ISBN"
    ISSN = "ISSN"
    DOI = "DOI"
    LCCN = "LCCN"
    OCLC = "OCLC"
    URI = "URI"
    OTHER = "other"


class ResourceType(str, Enum):
    """What kind of thing a resource is; drives OpenURL genre and export types."""

    BOOK = "book"
    BOOK_CHAPTER = "bookChapter"
    JOURNAL_ARTICLE = "journalArticle"
    JOURNAL = "journal"
    WEB_PAGE = "webPage"
    AUDIO_VISUAL = "audioVisual"
    LOCAL = "local"
    OTHER = "other"


class RelatedTitleType(str, Enum):
    """How a related title relates: the journal of an article, the book of a chapter, a series."""

    JOURNAL = "journal"
    HOST = "host"
    SERIES = "series"


class LocationType(str, Enum):
    """Where a resource can be found."""

    URL = "url"
    CATALOGUE = "catalogue"
    SHELFMARK = "shelfmark"


@dataclass(frozen=True)
class Creator:
    """A named person or body with a role; ``name`` is free text, "Family, Given" preferred."""

    name: str
    role: CreatorRole = CreatorRole.AUTHOR


@dataclass(frozen=True)
class StandardIdentifier:
    """An identifier such as an ISBN or DOI; ``value`` is bare (no ``urn:ISBN:`` prefix)."""

    type: IdentifierType
    value: str


@dataclass(frozen=True)
class RelatedTitle:
    """A journal, host book or series the cited work belongs to."""

    title: str
    type: RelatedTitleType = RelatedTitleType.JOURNAL
    volume: str = ""
    part: str = ""
    creators: tuple[Creator, ...] = ()
    identifiers: tuple[StandardIdentifier, ...] = ()


@dataclass(frozen=True)
class Citation:
    """An ISO 690-2 style citation: the bibliographic core of a resource."""

    title: str = ""
    creators: tuple[Creator, ...] = ()
    edition: str = ""
    publication_date: str = ""
    publication_place: str = ""
    publisher: str = ""
    volume: str = ""
    part: str = ""
    start_page: str = ""
    end_page: str = ""
    identifiers: tuple[StandardIdentifier, ...] = ()
    related_titles: tuple[RelatedTitle, ...] = ()


@dataclass(frozen=True)
class Location:
    """A locator: a URL, a link to a catalogue record, or a shelfmark / call number."""

    type: LocationType
    locator: str
    label: str = ""


@dataclass(frozen=True)
class Annotation:
    """A note on a list, item or resource.

    ``kind`` is a short tag such as ``note``, ``essential``, ``recommended`` or
    ``optional``; ``text`` may be empty for a bare tag.
    """

    text: str = ""
    kind: str = "note"
    author: str = ""
    date: str = ""


@dataclass(frozen=True)
class Extension:
    """A foreign XML element kept verbatim as its canonical (C14N) serialisation."""

    xml: str


@dataclass(frozen=True)
class Origin:
    """Where a resource came from: the harvested record it was built from.

    ``source`` is the harvest source's name here, ``identifier`` and
    ``datestamp`` the record's OAI header, ``sha256`` a hash of its metadata
    as harvested (what a later harvest compares to see it changed).
    """

    source: str
    identifier: str
    datestamp: str
    sha256: str


@dataclass(frozen=True)
class Resource:
    """One cited resource: a book, chapter, article, web page, video or local material."""

    citation: Citation = field(default_factory=Citation)
    type: ResourceType = ResourceType.OTHER
    identifier: str = ""
    description: str = ""
    language: str = ""
    format: str = ""
    rights: str = ""
    subjects: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    extensions: tuple[Extension, ...] = ()
    origin: Origin | None = None

    @property
    def title(self) -> str:
        return self.citation.title


@dataclass(frozen=True)
class Section:
    """A nested list inside a list, such as "Week 3" or "Further reading"."""

    title: str
    description: str = ""
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Item:
    """A position in a list: a resource or a section, with item-level annotations.

    ``id`` is stable across versions of the list so edits can name it.
    """

    id: str
    content: Union[Resource, Section]  # noqa: UP007 - dataclass field evaluated at runtime
    annotations: tuple[Annotation, ...] = ()


@dataclass(frozen=True)
class VersionInfo:
    """One archived version of a list, as the archive reports it (not part of the content).

    ``deleted_at`` (with ``deleted_by`` and ``deletion_note``) is set when the list
    was deleted after this version (a history package carries it; the next version,
    if any, restored it).
    """

    version: int
    archived_at: str
    sha256: str
    editor: str = ""
    note: str = ""
    url: str = ""
    deleted_at: str = ""
    deleted_by: str = ""
    deletion_note: str = ""


@dataclass(frozen=True)
class ResourceList:
    """A course resource list. ``owner`` is required; an empty ``items`` is valid.

    ``history`` is filled only when the archive publishes a list (the ``rli``
    OAI payload); the archived content itself never carries it.
    """

    identifier: str
    title: str
    owner: str
    description: str = ""
    courses: tuple[str, ...] = ()
    language: str = ""
    rights: str = ""
    created: str = ""
    modified: str = ""
    items: tuple[Item, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    extensions: tuple[Extension, ...] = ()
    history: tuple[VersionInfo, ...] = ()


def iter_resources(items: tuple[Item, ...]) -> list[tuple[Item, Resource]]:
    """All resources in ``items``, depth first, sections flattened, in list order."""
    found: list[tuple[Item, Resource]] = []
    for item in items:
        if isinstance(item.content, Section):
            found.extend(iter_resources(item.content.items))
        else:
            found.append((item, item.content))
    return found


def authors_first(creators: tuple[Creator, ...] | list[Creator]) -> tuple[Creator, ...]:
    """``creators`` with the authors first, each group in its own order.

    A plain RLI reader takes the first ``rli:creator`` for the author, whatever
    role rli's extension attribute gives it.
    """
    return tuple(sorted(creators, key=lambda c: c.role is not CreatorRole.AUTHOR))


def count_resources(lst: ResourceList) -> int:
    """How many resources a list cites, sections included."""
    return len(iter_resources(lst.items))


@dataclass(frozen=True)
class Converted(Generic[T]):
    """The result of a crosswalk into RLI: the value plus what was dropped or approximated.

    ``losses`` holds short human lines such as ``"dc:coverage dropped"``; the
    harvester stores them beside the record. ``supplied`` says what the reader
    filled in because the input lacked it (such as item ids).
    """

    value: T
    losses: tuple[str, ...] = ()
    supplied: tuple[str, ...] = ()
