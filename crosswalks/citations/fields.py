"""Citation fields: a resource flattened once for every citation export and OpenURL.

Every writer first flattens a :class:`Resource` into :class:`CitationFields`
(the one place that decides which related title is the container, which
creators are authors and which identifiers apply), then renders it with the
format's own conventions. :mod:`crosswalks.openurl` reads the same fields.

Types, one table row per RLI resource type:

==============  ======  ===============  ================
RLI type        RIS     BibTeX           CSL-JSON
==============  ======  ===============  ================
book            BOOK    @book            book
bookChapter     CHAP    @incollection    chapter
journalArticle  JOUR    @article         article-journal
journal         JFULL   @misc            periodical
webPage         ELEC    @misc            webpage
audioVisual     VIDEO   @misc            motion_picture
local           UNPB    @unpublished     manuscript
other           GEN     @misc            document
==============  ======  ===============  ================

Creators: author (and director, when a resource has no author) are the
primary creators; editors and compilers, of the work or of its host book, are
editors (RIS ``A2``, BibTeX ``editor``, CSL ``editor``); translators are RIS
``A4`` and CSL ``translator``. A name "Family, Given" (exactly one comma) is
split; any other name is kept whole (CSL ``literal``, BibTeX braced).

Dates: an ISO date gives year, month and day where they are real; a range
(``1985-1990``, ``1999/2000``) is CSL's two date-parts, and its first year in
RIS, BibTeX and OpenURL; any other date ("c1999") is CSL ``raw``.

Text: characters XML 1.0 forbids are dropped and runs of whitespace (newlines
included) become one space, so each value fits on one RIS line. BibTeX keeps
non-ASCII text as UTF-8 and escapes ``& % $ # _ { } ~ ^ \\``, except in url and
doi, which biblatex reads verbatim: there only ``{ } \\ ^`` and spaces are
percent-encoded.

What is lost: illustrators, performers, producers and contributors appear in
RIS (``A4``) only; container authors appear in CSL (``container-author``) only;
rights, format, extensions, and annotation kinds/authors/dates are not
exported (annotation texts become ``N1`` / ``note``), nor LCCN, OCLC, URI and
other identifiers, nor catalogue-record links (OpenURL sends the first three); a URI
identifier in a standard identifier's URN or info form (``urn:ISBN:…``, ``info:doi/…``)
counts as that identifier (an ISBN for RIS ``SN``, ``rft.isbn``). A
series number is CSL ``collection-number`` and BibTeX ``number`` (where no issue
takes it), not in RIS. Writers never raise on a well-typed resource; empty
fields are omitted.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from crosswalks.dc.strings import URL, classify_identifier
from crosswalks.rli import (
    CreatorRole,
    IdentifierType,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    StandardIdentifier,
)
from crosswalks.xmlsafe import clean_text

_EDITOR_ROLES = frozenset({CreatorRole.EDITOR, CreatorRole.COMPILER})
_MINOR_ROLES = frozenset(
    {
        CreatorRole.ILLUSTRATOR,
        CreatorRole.PERFORMER,
        CreatorRole.PRODUCER,
        CreatorRole.CONTRIBUTOR,
    }
)
# "(?!\d)": a range "1985-1990" is the year 1985, not 1985-19.
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_YEAR = re.compile(r"\d{4}")
# "1985-1990", "1985 – 1990", "1900-1922." (a catalogue's full stop): a range of years.
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-\u2013]\s*(\d{4})\.?$")


def clean(value: str) -> str:
    """``value`` with XML-illegal characters dropped and whitespace runs made one space."""
    return " ".join(clean_text(value).split())


def split_name(name: str) -> tuple[str, str] | None:
    """("Family", "Given") for a name written "Family, Given"; None for any other name."""
    parts = name.split(",")
    if len(parts) != 2:
        return None
    family, given = parts[0].strip(), parts[1].strip()
    return (family, given) if family and given else None


@dataclass(frozen=True)
class CitationFields:
    """A resource flattened for export: every value cleaned, empty strings for absent."""

    type: ResourceType
    title: str
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    translators: tuple[str, ...]
    minor_creators: tuple[str, ...]
    container: str
    container_authors: tuple[str, ...]
    series: str
    series_number: str
    volume: str
    issue: str
    start_page: str
    end_page: str
    date: str
    edition: str
    publisher: str
    place: str
    isbns: tuple[str, ...]
    issns: tuple[str, ...]
    dois: tuple[str, ...]
    other_ids: tuple[tuple[IdentifierType, str], ...]
    urls: tuple[str, ...]
    shelfmarks: tuple[str, ...]
    abstract: str
    notes: tuple[str, ...]
    subjects: tuple[str, ...]
    language: str
    identifier: str

    @property
    def date_parts(self) -> tuple[int, ...]:
        """(year[, month[, day]]) from an ISO date; () when the date is not ISO.

        A month or day that is not in the calendar (``2005-05-00``, ``2020-13-45``)
        is left out; a range ``1985-1990`` gives its first year.
        """
        return _parts(self.date)

    @property
    def end_date_parts(self) -> tuple[int, ...]:
        """The end of a range, as :attr:`date_parts`; () when the date is no range.

        A range is two years joined by a hyphen or en dash (``1985-1990``), or two
        ISO dates joined by ``/`` (``1999/2000``, ``2003-05/2003-07``), the end after the start.
        """
        years = _YEAR_RANGE.match(self.date)
        start: tuple[int, ...]
        end: tuple[int, ...]
        if years:
            start, end = (int(years.group(1)),), (int(years.group(2)),)
        else:
            head, slash, tail = self.date.partition("/")
            start, end = _parts(head), (_parts(tail.strip()) if slash else ())
        return end if start and end > start else ()

    @property
    def year(self) -> str:
        """The first four-digit run of the date, else ""."""
        match = _YEAR.search(self.date)
        return match.group(0) if match else ""


def _parts(date: str) -> tuple[int, ...]:
    match = _DATE.match(date)
    if not match:
        return ()
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if not 1 <= month <= 12:
        return (year,)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return (year, month)
    return (year, month, day)


def _container(res: Resource) -> tuple[RelatedTitle | None, RelatedTitle | None]:
    """(container, series): the journal or host book the work is part of, and its series."""
    wanted = {
        ResourceType.JOURNAL_ARTICLE: RelatedTitleType.JOURNAL,
        ResourceType.BOOK_CHAPTER: RelatedTitleType.HOST,
    }.get(res.type)
    related = res.citation.related_titles
    series = next((r for r in related if r.type == RelatedTitleType.SERIES), None)
    others = [r for r in related if r.type != RelatedTitleType.SERIES]
    exact = [r for r in others if r.type == wanted]
    chosen = exact or others
    return (chosen[0] if chosen else None), series


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(n for n in (clean(v) for v in values) if n)


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (clean(x) for x in values) if v))


def _typed(ident: StandardIdentifier) -> StandardIdentifier:
    """A URI identifier that is an ISBN, ISSN, DOI, LCCN or OCLC number in URN or info form
    (MODS ``type="uri"``, LOM catalog ``URI``) as that identifier; others as they are."""
    if ident.type is not IdentifierType.URI or URL.match(ident.value.strip()):
        return ident
    found = classify_identifier(ident.value).identifier
    return found if found is not None and found.type is not IdentifierType.URI else ident


def fields_of(res: Resource) -> CitationFields:
    """Flatten ``res`` for export (see the module docstring for the creator and title rules)."""
    cit = res.citation
    container, series = _container(res)
    host_creators = container.creators if container else ()
    creators = cit.creators
    authors = [c.name for c in creators if c.role == CreatorRole.AUTHOR]
    if not authors:
        authors = [c.name for c in creators if c.role == CreatorRole.DIRECTOR]
    directors_are_authors = not any(c.role == CreatorRole.AUTHOR for c in creators)
    minor = [
        c.name
        for c in creators
        if c.role in _MINOR_ROLES or (c.role == CreatorRole.DIRECTOR and not directors_are_authors)
    ]
    ids = [_typed(i) for i in (*cit.identifiers, *(container.identifiers if container else ()))]

    def ids_of(kind: IdentifierType) -> tuple[str, ...]:
        return _unique([i.value for i in ids if i.type == kind])

    named = {IdentifierType.ISBN, IdentifierType.ISSN, IdentifierType.DOI}
    return CitationFields(
        type=res.type,
        title=clean(cit.title),
        authors=_names(authors),
        editors=_names([c.name for c in (*creators, *host_creators) if c.role in _EDITOR_ROLES]),
        translators=_names([c.name for c in creators if c.role == CreatorRole.TRANSLATOR]),
        minor_creators=_names(minor),
        container=clean(container.title) if container else "",
        container_authors=_names([c.name for c in host_creators if c.role == CreatorRole.AUTHOR]),
        series=clean(series.title) if series else "",
        series_number=clean(series.volume) if series else "",
        volume=clean(cit.volume or (container.volume if container else "")),
        issue=clean(cit.part or (container.part if container else "")),
        start_page=clean(cit.start_page),
        end_page=clean(cit.end_page),
        date=clean(cit.publication_date),
        edition=clean(cit.edition),
        publisher=clean(cit.publisher),
        place=clean(cit.publication_place),
        isbns=ids_of(IdentifierType.ISBN),
        issns=ids_of(IdentifierType.ISSN),
        dois=ids_of(IdentifierType.DOI),
        other_ids=tuple((i.type, clean(i.value)) for i in ids if i.type not in named and i.value),
        urls=_unique([loc.locator for loc in res.locations if loc.type == LocationType.URL]),
        shelfmarks=_unique(
            [loc.locator for loc in res.locations if loc.type == LocationType.SHELFMARK]
        ),
        abstract=clean(res.description),
        notes=_unique([a.text for a in res.annotations]),
        subjects=_unique(res.subjects),
        language=clean(res.language),
        identifier=clean(res.identifier),
    )


def pages(f: CitationFields, dash: str) -> str:
    """The page range as "start<dash>end", or the one page given, or ""."""
    if f.start_page and f.end_page:
        return f"{f.start_page}{dash}{f.end_page}"
    return f.start_page or f.end_page


def _ascii_word(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_keys(all_fields: Sequence[CitationFields]) -> list[str]:
    """Stable unique keys: family name + year + first title word, "-2", "-3"... on repeats."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for f in all_fields:
        first = (f.authors or f.editors or ("",))[0]
        family = (split_name(first) or (first, ""))[0]
        word = next((w for w in (_ascii_word(t) for t in f.title.split()) if len(w) > 3), "")
        base = (_ascii_word(family)[:20] + f.year + word[:20]) or "ref"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys
