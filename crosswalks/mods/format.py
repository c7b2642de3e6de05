"""MODS 3.x <-> RLI, both directions (reader in ``read``, writer in ``write``).

``read_resource(el)`` takes a ``mods:mods``; ``read_list(el)`` a ``mods:mods``
whose items are ``relatedItem type="constituent"`` (sections are constituents
holding constituents) or a ``mods:modsCollection``. Both raise CrosswalkError
for any other root and never fail on odd content. Writers produce MODS 3.8
that also validates as 3.7 (no ``version`` attribute; a record with nothing
known gets an empty ``titleInfo/title``, which MODS requires).

What MODS cannot carry, or carries only roughly:

================================  ==========================================
Field                             Fate
================================  ==========================================
name parts                        family/given joined "Family, Given"; dates,
                                  termsOfAddress, affiliation dropped
roles outside the RLI set         read as contributor (recorded); authors
                                  first among the creators
addressee, depositor, funder,     not creators of the work: dropped
distributor, host institution     (recorded)
titleInfo type=abbreviated etc.   used only when no main title; else dropped
originInfo dates                  one date: keyDate, else encoded, else range
                                  start; ranges and dateOther lost
place codes (marccountry)         dropped; text placeTerm kept
subject other than topic          geographic/temporal/name dropped (recorded)
classification, tableOfContents,  dropped (recorded)
physicalDescription/extent, form
identifier types beyond           citekey/local ... read as "other" (type lost)
isbn/issn/doi/uri/lccn/oclc
location/physicalLocation         holding institution: label of a shelfmark,
                                  or the shelfmark itself when alone
relatedItem host                  journal (serial issuance, periodical
                                  genre or an ISSN) or host book; its part
                                  -> volume, issue, pages and date of the
                                  citation (part/date after originInfo
                                  dates); host publisher/place fill a
                                  chapter's; host originInfo date is the
                                  last resort for the date; a host with no
                                  pages, ISBN, publisher, editor or book
                                  genre (an archival collection) is no
                                  book: the part is generic (recorded)
genre with no RLI type            letter, correspondence, manuscript ...:
                                  generic (recorded)
relatedItem series                its titleInfo/partNumber, or "Title ;
                                  449", is the volume in the series; the
                                  writer puts it in part/detail volume
relatedItem other than            dropped (recorded)
host/series/constituent
note                              annotation (kind = note type); annotation
                                  author/date lost on writing
abstract / note text              paragraphs (split at blank lines) kept,
                                  joined by one blank line; inside one,
                                  line breaks and whitespace runs made one
                                  space (in titles, names and the rest:
                                  every whitespace run)
recordInfo                        only recordIdentifier (-> identifier) kept;
                                  the rest dropped (recorded)
originInfo beyond one place,      dropped (recorded), as are dateCaptured,
publisher, edition                frequency and the like, and a host's edition
list owner                        name with role code "own"; a bibliography
                                  with an owner is a list even with no items
list courses                      subject/topic of the list record
item ids                          identifier type="rliItem"
item annotations                  note type="rliItem:<kind>"
list created / modified           originInfo dateCreated / dateModified
location URLs                     percent-encoded where xs:anyURI needs it
                                  (spaces, non-ASCII, stray "%")
extension                         foreign elements kept (exclusive C14N);
                                  MODS elements and elements in no
                                  namespace inside it dropped (recorded)
item ids a collection repeats     the second gets a suffix (recorded)
language                          a code (type="code") labelled by its
                                  shape: three letters iso639-2b (eng,
                                  fre), or iso639-3 for a 639-2/T-only one
                                  (fra, deu); else rfc5646 (en, en-GB);
                                  anything else (English, en_US) as text.
                                  The authority read is not kept: a
                                  639-3-only code (cmn) is written iso639-2b
generic resource (type other)     written typeOfResource "mixed material",
                                  no genre: read back generic, not as the
                                  article or chapter its host would suggest
================================  ==========================================
"""

from __future__ import annotations

from lxml import etree

from crosswalks.dc.strings import resource_type_of
from crosswalks.errors import CrosswalkError
from crosswalks.mods.draft import Draft, local
from crosswalks.mods.read import draft
from crosswalks.mods.vocab import LIST_GENRE, MODS_NS, SECTION_GENRE, SERIAL_ISSUANCE
from crosswalks.mods.write import write_list, write_resource
from crosswalks.rli import (
    Citation,
    Converted,
    CreatorRole,
    IdentifierType,
    Item,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    authors_first,
)

__all__ = ["MODS_NS", "holds_list", "read_list", "read_resource", "write_list", "write_resource"]


def _resource_type(d: Draft) -> ResourceType:
    """The type the record's genre, typeOfResource and host show; generic ones are reported."""
    kind = _type_shown(d)
    if kind is ResourceType.OTHER:
        # RLI has no letter or manuscript type: such genres leave the resource generic.
        d.losses.extend(f"genre {g!r}: no RLI type, read as generic" for g in d.genres if g)
    return kind


def _names_a_book(host: Draft) -> bool:
    """Evidence that a host relatedItem is a book; an archival collection or a site has none."""
    return (
        host.issuance == "monographic"
        or bool(host.publisher)
        or any(c.role is CreatorRole.EDITOR for c in host.creators)
        or any(i.type is IdentifierType.ISBN for i in host.identifiers)
        or any(resource_type_of(g) is ResourceType.BOOK for g in host.genres)
    )


def _type_shown(d: Draft) -> ResourceType:
    for genre in d.genres:
        kind = resource_type_of(genre)
        if kind is not ResourceType.OTHER:
            return kind
    hosts = [r for r in d.related if r.type is not RelatedTitleType.SERIES]
    textual = d.type_of_resource.lower() in ("", "text")
    if hosts and textual and hosts[0].type is RelatedTitleType.JOURNAL:
        return ResourceType.JOURNAL_ARTICLE
    if hosts and textual and (d.start or (d.host is not None and _names_a_book(d.host))):
        return ResourceType.BOOK_CHAPTER
    if hosts and d.type_of_resource.lower() == "text":
        d.losses.append(f"relatedItem host {hosts[0].title!r} shows no book (no pages, ISBN,"
                        " publisher or editor): type left generic")
        return ResourceType.OTHER
    kind = resource_type_of(d.type_of_resource)
    if kind is not ResourceType.OTHER or d.type_of_resource.lower() not in ("", "text"):
        return kind
    if d.issuance in SERIAL_ISSUANCE:
        return ResourceType.JOURNAL
    isbn = any(i.type is IdentifierType.ISBN for i in d.identifiers)
    if isbn or (d.issuance == "monographic" and d.type_of_resource):  # no type: a map, a film...
        return ResourceType.BOOK
    return ResourceType.OTHER


def to_resource(d: Draft) -> Resource:
    date = d.date
    citation = Citation(
        title=d.title or d.alt_title,
        creators=authors_first(d.creators),
        edition=d.edition,
        publication_date=date,
        publication_place=d.place or d.host_place,
        publisher=d.publisher or d.host_publisher,
        volume=d.volume,
        part=d.issue,
        start_page=d.start,
        end_page=d.end,
        identifiers=tuple(dict.fromkeys(d.identifiers)),
        related_titles=tuple(d.related),
    )
    return Resource(
        citation=citation,
        type=_resource_type(d),
        identifier=d.own_id,
        description="\n\n".join(d.description),
        language=d.language,
        format=d.format,
        rights="; ".join(d.rights),
        subjects=tuple(d.subjects),
        locations=tuple(dict.fromkeys(d.locations)),
        annotations=tuple(d.annotations),
        extensions=tuple(d.extensions),
    )


def check_root(el: etree._Element, allowed: tuple[str, ...]) -> str:
    name = local(el)
    if name not in allowed:
        raise CrosswalkError(f"expected mods:{' or mods:'.join(allowed)}, got {el.tag!r}")
    return name


def read_resource(el: etree._Element) -> Converted[Resource]:
    """The resource a ``mods:mods`` record describes. Raises CrosswalkError for another root."""
    check_root(el, ("mods",))
    d = draft(el)
    if d.constituents:
        d.losses.append(f"{len(d.constituents)} constituent relatedItems dropped (use read_list)")
    return Converted(to_resource(d), tuple(dict.fromkeys(d.losses)))


def holds_list(el: etree._Element) -> bool:
    """True for a modsCollection, a mods record with constituent relatedItems, or a
    bibliography with an owner (role ``own``): a list as :func:`write_list` writes it, so
    an empty one (no constituents) is a list too."""
    name = local(el)
    if name == "modsCollection":
        return True
    if name != "mods":
        return False
    if any(local(c) == "relatedItem" and c.get("type") == "constituent" for c in el):
        return True
    d = draft(el)
    return bool(d.owner) and any(g.lower() == LIST_GENRE for g in d.genres)


def _is_section(d: Draft) -> bool:
    return bool(d.constituents) or any(g.lower() == SECTION_GENRE for g in d.genres)


def _items(
    elements: list[etree._Element], losses: list[str], prefix: str,
    taken: set[str] | None = None,
) -> tuple[Item, ...]:
    """The items of ``elements``; ids unique across the whole list (``taken``: those given
    already): a record identifier two records share, or one a made-up id already took,
    gets a suffix, and a loss line says so."""
    taken = set() if taken is None else taken
    items: list[Item] = []
    for n, el in enumerate(elements, start=1):
        d = draft(el)
        losses.extend(d.losses)
        item_id = wanted = d.item_id or d.own_id or f"{prefix}{n}"
        suffix = 1
        while item_id in taken:
            suffix += 1
            item_id = f"{wanted}-{suffix}"
        if item_id != wanted:
            losses.append(f"item id {wanted!r} used twice: read as {item_id!r}")
        taken.add(item_id)
        if _is_section(d):
            content: Resource | Section = Section(
                d.title or d.alt_title,
                "\n\n".join(d.description),
                _items(d.constituents, losses, f"{item_id}.", taken),
            )
        else:
            content = to_resource(d)
        items.append(Item(item_id, content, tuple(d.item_annotations)))
    return tuple(items)


def read_list(el: etree._Element) -> Converted[ResourceList]:
    """A resource list from a ``mods:mods`` with constituent relatedItems, or a ``modsCollection``.

    Raises CrosswalkError for another root. A collection has no list title,
    owner or identifier: they are empty and the losses say so.
    """
    losses: list[str] = []
    if check_root(el, ("mods", "modsCollection")) == "modsCollection":
        records = [c for c in el if local(c) == "mods"]
        losses.append("modsCollection has no list title, owner or identifier")
        return Converted(
            ResourceList("", "", "", items=_items(records, losses, "item")),
            tuple(dict.fromkeys(losses)),
        )
    d = draft(el)
    losses.extend(d.losses)
    lst = ResourceList(
        identifier=d.own_id,
        title=d.title or d.alt_title,
        owner=d.owner or (d.creators[0].name if d.creators else ""),
        description="\n\n".join(d.description),
        courses=tuple(d.subjects),
        language=d.language,
        rights="; ".join(d.rights),
        created=d.created,
        modified=d.modified,
        items=_items(d.constituents, losses, "item"),
        annotations=tuple(d.annotations),
        extensions=tuple(d.extensions),
    )
    return Converted(lst, tuple(dict.fromkeys(losses)))
