"""IEEE LOM <-> RLI, both directions (reader in ``read``, writer in ``write``).

``read_resource(el)`` and ``read_list(el)`` take a ``lom`` element in the IEEE
LOM namespace; IMS MD 1.2 (``imsmd_v1p2``) and the UvA Triple-L look-alike
are read too. Any other root raises CrosswalkError; odd content never does.
``read_list`` reads a LOM aggregation (items as ``relation kind=haspart``);
an aggregationLevel above 1 without haspart relations is one resource, unless
it is a list rli wrote with no items (level 2, identifier in catalog ``RLI``).
Writers produce LOM valid against lomLoose.

What LOM cannot carry, or carries only roughly:

===============================  ==========================================
Field                            Fate
===============================  ==========================================
general/identifier catalog       first non-standard catalog's entry ->
                                 Resource.identifier (catalog dropped);
                                 ISBN/ISSN/DOI/LCCN/OCLC/URI catalogs ->
                                 standard identifiers
title / description languages    one language kept: the record language,
                                 else the first string
contribute roles                 author/editor/translator/...; speaker,
                                 script writer read as author, others as
                                 contributor (recorded), authors first;
                                 content provider, validators, terminator
                                 dropped (recorded); publisher -> the
                                 publisher (vCard ORG first; further
                                 publishers dropped, recorded); the same
                                 name in the same role again (one
                                 contribute per version date) kept once,
                                 its date dropped (recorded)
vCard                            N as "Family, Given", else FN, else ORG;
                                 an entity that is not a vCard is a plain
                                 name; line breaks in names lost on writing
dates                            one date: the publisher's, else the first
                                 contribute's, cut to the day
publication_place                publisher's vCard ADR locality (only
                                 with a publisher; else lost)
technical/format beyond first    dropped (recorded); size, requirements lost
shelfmark locations              lost on writing; catalogue -> location
learningResourceType             RLI type under source "RLIv1.0"; other
                                 vocabularies by keyword, video/audio
                                 formats -> audioVisual
classification                   taxon entries and keywords -> subjects
                                 (subjects are written as keywords)
relation ispartof                related title; its description carries
                                 "Journal, vol. 1, no. 2, pp. 3-4" (parsed
                                 back); series as "Series: T ; vol"
other relations                  dropped (recorded)
annotations                      kind lost (read back as "note")
coverage, educational context,   dropped (recorded), as is every other
metaMetadata                     element with content the reader skips
extensions                       lost
lists (write_list)               sections flattened; each item keeps only
                                 its title, identifiers and URLs; owner =
                                 author contribute; one date (modified,
                                 else created), read back as created
===============================  ==========================================
"""

from __future__ import annotations

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.lom.read import (
    CATALOG_TYPES,
    IMSMD_NS,
    ITEM_CATALOG,
    LOM_NS,
    OWN_CATALOG,
    best,
    identifiers,
    kids,
    read_record,
    read_resource,
    strings,
)
from crosswalks.lom.write import write_list, write_resource
from crosswalks.rli import (
    Citation,
    Converted,
    CreatorRole,
    IdentifierType,
    Item,
    Location,
    LocationType,
    Resource,
    ResourceList,
    StandardIdentifier,
)

__all__ = [
    "IMSMD_NS",
    "LOM_NS",
    "holds_list",
    "read_list",
    "read_resource",
    "write_list",
    "write_resource",
]

_URL_PREFIXES = ("http://", "https://", "ftp://")


def holds_list(el: etree._Element) -> bool:
    """True for a LOM record that lists its parts (``relation kind=haspart``), or a list as
    :func:`write_list` writes it with no parts (aggregationLevel 2, identifier in catalog
    ``RLI``).

    An aggregationLevel above 1 alone does not make a list: a course or unit
    described without its parts is one resource.
    """
    try:
        rec = read_record(el)
    except CrosswalkError:
        return False
    if rec.members:
        return True
    own = any(catalog == OWN_CATALOG for general in kids(el, "general")
              for catalog, _ in identifiers(general))
    return own and rec.aggregation == "2"


def _member(resource: etree._Element, n: int, language: str) -> Item:
    item_id = f"item{n}"
    idents: list[StandardIdentifier] = []
    locations: list[Location] = []
    for catalog, entry in identifiers(resource):
        kind = CATALOG_TYPES.get(catalog.lower())
        if catalog == ITEM_CATALOG:
            item_id = entry
        elif kind is IdentifierType.URI and entry.lower().startswith(_URL_PREFIXES):
            locations.append(Location(LocationType.URL, entry))
        else:
            idents.append(StandardIdentifier(kind or IdentifierType.OTHER, entry))
    desc = next(kids(resource, "description"), None)
    title = best(strings(desc), language) if desc is not None else ""
    res = Resource(
        citation=Citation(title=title, identifiers=tuple(idents)), locations=tuple(locations)
    )
    return Item(item_id, res)


def read_list(el: etree._Element) -> Converted[ResourceList]:
    """A resource list from a LOM aggregation: its haspart relations are the items.

    Raises CrosswalkError for a non-LOM root. Items carry only a title,
    identifiers and URLs (all LOM keeps of a related resource).
    """
    rec = read_record(el)
    if rec.members:
        rec.losses.append("haspart items carry only title, identifiers and URLs")
    owner = next((c.name for c in rec.creators if c.role is CreatorRole.AUTHOR), "")
    lst = ResourceList(
        identifier=rec.own_id,
        title=rec.title,
        owner=owner or (rec.creators[0].name if rec.creators else ""),
        description=rec.description,
        courses=tuple(k for k in rec.keywords if k),
        language=rec.language,
        rights=rec.rights,
        created=rec.date,
        items=tuple(_member(m, n, rec.language) for n, m in enumerate(rec.members, start=1)),
        annotations=tuple(rec.annotations),
    )
    return Converted(lst, tuple(dict.fromkeys(rec.losses)))
