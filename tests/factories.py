"""Builders for model values used across tests (real citations, varied shapes)."""

from __future__ import annotations

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
)


def book(n: int = 1) -> Resource:
    return Resource(
        type=ResourceType.BOOK,
        citation=Citation(
            title=f"The Making of the English Working Class (part {n})",
            creators=(Creator("Thompson, E. P."),),
            edition="2nd",
            publication_date="1968",
            publication_place="Harmondsworth",
            publisher="Penguin",
            identifiers=(StandardIdentifier(IdentifierType.ISBN, "9780140210002"),),
        ),
        locations=(Location(LocationType.SHELFMARK, "HD8389 .T5"),),
    )


def article() -> Resource:
    return Resource(
        type=ResourceType.JOURNAL_ARTICLE,
        citation=Citation(
            title="Molecular structure of nucleic acids",
            creators=(Creator("Watson, J. D."), Creator("Crick, F. H. C.")),
            publication_date="1953-04-25",
            volume="171",
            part="4356",
            start_page="737",
            end_page="738",
            identifiers=(StandardIdentifier(IdentifierType.DOI, "10.1038/171737a0"),),
            related_titles=(
                RelatedTitle(
                    "Nature",
                    RelatedTitleType.JOURNAL,
                    identifiers=(StandardIdentifier(IdentifierType.ISSN, "0028-0836"),),
                ),
            ),
        ),
        locations=(Location(LocationType.URL, "https://doi.org/10.1038/171737a0"),),
    )


def chapter() -> Resource:
    return Resource(
        type=ResourceType.BOOK_CHAPTER,
        citation=Citation(
            title="Thick Description: Toward an Interpretive Theory of Culture",
            creators=(Creator("Geertz, Clifford"),),
            publication_date="1973",
            publisher="Basic Books",
            publication_place="New York",
            start_page="3",
            end_page="30",
            related_titles=(
                RelatedTitle(
                    "The Interpretation of Cultures",
                    RelatedTitleType.HOST,
                    creators=(Creator("Geertz, Clifford", CreatorRole.EDITOR),),
                ),
            ),
        ),
    )


def make_list(
    identifier: str = "hist2041",
    *,
    items: int = 3,
    owner: str = "dr.amira.haddad",
    courses: tuple[str, ...] = ("HIST2041",),
    title: str = "Social History of Britain",
) -> ResourceList:
    """A list with ``items`` resources, the first two in a "Week 1" section when items >= 3."""
    pool = [book, article, chapter]
    resources = [pool[n % 3]() if pool[n % 3] is not book else book(n) for n in range(items)]
    flat = [Item(id=f"i{n + 1}", content=res) for n, res in enumerate(resources)]
    if items >= 3:
        section = Item(
            id="s1",
            content=Section(title="Week 1", items=tuple(flat[:2])),
            annotations=(Annotation("Read before the first seminar", kind="essential"),),
        )
        flat = [section, *flat[2:]]
    return ResourceList(
        identifier=identifier,
        title=title,
        owner=owner,
        courses=courses,
        items=tuple(flat),
        annotations=(Annotation("Updated for 2026", kind="note", author="amira"),),
    )
