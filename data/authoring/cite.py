"""Short constructors for the model values the bundled lists are written in.

Each function returns a :mod:`crosswalks.rli.model` value with the fields a librarian
would fill for that kind of resource; nothing here touches XML. Page ranges are
given as ``"737-738"`` and split into starting and ending page. An article with
a DOI gets a ``https://doi.org/`` URL location automatically, so every article
that has a DOI can be opened from the list.

Raises ValueError for a page range that is not ``N`` or ``N-M``.
"""

from __future__ import annotations

from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    Extension,
    IdentifierType,
    Item,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    Section,
    StandardIdentifier,
)

# The fictional university whose library the lists point into.
CATALOGUE = "https://library.example.ac.uk/catalogue/record/"
VLE = "https://vle.example.ac.uk/course/"

Names = tuple[str, ...]


def people(names: Names, role: CreatorRole = CreatorRole.AUTHOR) -> tuple[Creator, ...]:
    """Creators with one role, in the order given ("Family, Given")."""
    return tuple(Creator(name, role) for name in names)


def pages(span: str) -> tuple[str, str]:
    """``"737-738"`` -> ``("737", "738")``; a single page gives an empty end."""
    start, _, end = span.partition("-")
    if not start or (_ and not end):
        raise ValueError(f"bad page range {span!r}")
    return start, end


def isbn(value: str) -> StandardIdentifier:
    return StandardIdentifier(IdentifierType.ISBN, value)


def issn(value: str) -> StandardIdentifier:
    return StandardIdentifier(IdentifierType.ISSN, value)


def doi(value: str) -> StandardIdentifier:
    return StandardIdentifier(IdentifierType.DOI, value)


def url(locator: str, label: str = "") -> Location:
    return Location(LocationType.URL, locator, label)


def catalogue(record: str, label: str = "Library catalogue") -> Location:
    """A link to the record ``record`` (e.g. ``b1234567``) in the library catalogue."""
    return Location(LocationType.CATALOGUE, CATALOGUE + record, label)


def shelf(mark: str, label: str = "") -> Location:
    return Location(LocationType.SHELFMARK, mark, label)


def note(text: str, kind: str = "note", author: str = "", date: str = "") -> Annotation:
    return Annotation(text=text, kind=kind, author=author, date=date)


ESSENTIAL = Annotation(kind="essential")
RECOMMENDED = Annotation(kind="recommended")
OPTIONAL = Annotation(kind="optional")


def book(
    title: str,
    authors: Names,
    date: str,
    publisher: str,
    place: str,
    *,
    edition: str = "",
    isbn13: str = "",
    editors: Names = (),
    translators: Names = (),
    series: str = "",
    locations: tuple[Location, ...] = (),
    notes: tuple[Annotation, ...] = (),
    extensions: tuple[Extension, ...] = (),
) -> Resource:
    """A printed book (authored or edited)."""
    creators = people(authors) + people(editors, CreatorRole.EDITOR)
    creators += people(translators, CreatorRole.TRANSLATOR)
    return Resource(
        type=ResourceType.BOOK,
        citation=Citation(
            title=title,
            creators=creators,
            edition=edition,
            publication_date=date,
            publication_place=place,
            publisher=publisher,
            identifiers=(isbn(isbn13),) if isbn13 else (),
            related_titles=(RelatedTitle(series, RelatedTitleType.SERIES),) if series else (),
        ),
        locations=locations,
        annotations=notes,
        extensions=extensions,
    )


def chapter(
    title: str,
    authors: Names,
    host: str,
    editors: Names,
    date: str,
    publisher: str,
    place: str,
    span: str,
    *,
    isbn13: str = "",
    translators: Names = (),
    host_authors: Names = (),
    locations: tuple[Location, ...] = (),
    notes: tuple[Annotation, ...] = (),
) -> Resource:
    """A chapter or essay in an edited book; the book is the host related title."""
    start, end = pages(span)
    host_creators = people(host_authors) + people(editors, CreatorRole.EDITOR)
    host_creators += people(translators, CreatorRole.TRANSLATOR)
    return Resource(
        type=ResourceType.BOOK_CHAPTER,
        citation=Citation(
            title=title,
            creators=people(authors),
            publication_date=date,
            publication_place=place,
            publisher=publisher,
            start_page=start,
            end_page=end,
            related_titles=(
                RelatedTitle(
                    host,
                    RelatedTitleType.HOST,
                    creators=host_creators,
                    identifiers=(isbn(isbn13),) if isbn13 else (),
                ),
            ),
        ),
        locations=locations,
        annotations=notes,
    )


def article(
    title: str,
    authors: Names,
    journal: str,
    issn_: str,
    date: str,
    volume: str,
    issue: str,
    span: str,
    *,
    doi_: str = "",
    publisher: str = "",
    locations: tuple[Location, ...] = (),
    notes: tuple[Annotation, ...] = (),
    extensions: tuple[Extension, ...] = (),
) -> Resource:
    """A journal article; the journal (with its ISSN) is the related title.

    Volume and issue sit on the citation itself (RLI volumeDesignation and
    partDesignation), as OpenURL and the exports expect.
    """
    start, end = pages(span)
    links = (url(f"https://doi.org/{doi_}", "DOI"),) if doi_ else ()
    return Resource(
        type=ResourceType.JOURNAL_ARTICLE,
        citation=Citation(
            title=title,
            creators=people(authors),
            publication_date=date,
            publisher=publisher,
            volume=volume,
            part=issue,
            start_page=start,
            end_page=end,
            identifiers=(doi(doi_),) if doi_ else (),
            related_titles=(
                RelatedTitle(
                    journal,
                    RelatedTitleType.JOURNAL,
                    identifiers=(issn(issn_),) if issn_ else (),
                ),
            ),
        ),
        locations=links + locations,
        annotations=notes,
        extensions=extensions,
    )


def web(
    title: str,
    link: str,
    *,
    authors: Names = (),
    publisher: str = "",
    date: str = "",
    description: str = "",
    notes: tuple[Annotation, ...] = (),
) -> Resource:
    """A web page or online resource."""
    return Resource(
        type=ResourceType.WEB_PAGE,
        citation=Citation(
            title=title,
            creators=people(authors),
            publication_date=date,
            publisher=publisher,
        ),
        description=description,
        format="text/html",
        locations=(url(link),),
        annotations=notes,
    )


def film(
    title: str,
    directors: Names,
    date: str,
    studio: str,
    place: str = "",
    *,
    language: str = "",
    description: str = "",
    locations: tuple[Location, ...] = (),
    notes: tuple[Annotation, ...] = (),
) -> Resource:
    """A film or broadcast recording."""
    return Resource(
        type=ResourceType.AUDIO_VISUAL,
        citation=Citation(
            title=title,
            creators=people(directors, CreatorRole.DIRECTOR),
            publication_date=date,
            publication_place=place,
            publisher=studio,
        ),
        description=description,
        language=language,
        format="video",
        locations=locations,
        annotations=notes,
    )


def local(
    title: str,
    authors: Names,
    date: str,
    *,
    kind: ResourceType = ResourceType.LOCAL,
    description: str = "",
    fmt: str = "",
    locations: tuple[Location, ...] = (),
    notes: tuple[Annotation, ...] = (),
) -> Resource:
    """Unpublished local material: a handout, slides, a lecture recording."""
    return Resource(
        type=kind,
        citation=Citation(title=title, creators=people(authors), publication_date=date),
        description=description,
        format=fmt,
        rights="For students registered on the course only.",
        locations=locations,
        annotations=notes,
    )


def item(item_id: str, content: Resource | Section, *notes: Annotation) -> Item:
    """A list position holding ``content``, with item-level annotations."""
    return Item(id=item_id, content=content, annotations=notes)


def section(
    item_id: str,
    title: str,
    *items: Item,
    description: str = "",
    notes: tuple[Annotation, ...] = (),
) -> Item:
    """A section (e.g. "Week 1") holding ``items``, as a list position."""
    return Item(
        id=item_id,
        content=Section(title=title, description=description, items=items),
        annotations=notes,
    )
