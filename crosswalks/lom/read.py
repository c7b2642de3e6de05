"""IEEE LOM (and IMS MD 1.2 style) -> RLI: the reading half of :mod:`crosswalks.lom.format`.

One pass over a record's sections fills a :class:`Record`; ``to_resource``
freezes it. Datatypes (LangString, vCard, ...) are read by
:mod:`crosswalks.lom.values`, whatever the binding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crosswalks.dc.strings import HOST_PREFIX, CitationParts, parse_citation, resource_type_of
from crosswalks.errors import CrosswalkError
from crosswalks.lom.values import (
    best,
    entities,
    identifiers,
    iso_date,
    kept,
    kids,
    lname,
    plain,
    squash,
    strings,
    vcard_name,
    vcard_place,
    vocab,
)
from crosswalks.rli import (
    Annotation,
    Citation,
    Converted,
    Creator,
    CreatorRole,
    IdentifierType,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    StandardIdentifier,
    authors_first,
)

LOM_NS = "http://ltsc.ieee.org/xsd/LOM"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
KNOWN_NAMESPACES = frozenset({LOM_NS, IMSMD_NS, "http://dpc.uba.uva.nl/schema/lom/triplel"})
RLI_VOCAB = "RLIv1.0"
ITEM_CATALOG = "rliItem"
OWN_CATALOG = "RLI"
ROLES: dict[str, CreatorRole] = {
    "author": CreatorRole.AUTHOR,
    "auteur": CreatorRole.AUTHOR,
    "editor": CreatorRole.EDITOR,
    "redacteur": CreatorRole.EDITOR,
    "translator": CreatorRole.TRANSLATOR,
    "graphical designer": CreatorRole.ILLUSTRATOR,
    "illustrator": CreatorRole.ILLUSTRATOR,
    "director": CreatorRole.DIRECTOR,
    "performer": CreatorRole.PERFORMER,
    "producer": CreatorRole.PRODUCER,
    "compiler": CreatorRole.COMPILER,
    "contributor": CreatorRole.CONTRIBUTOR,
}
# Roles read as something close but not the same (recorded as a loss).
APPROXIMATE_ROLES: dict[str, CreatorRole] = {
    "speaker": CreatorRole.AUTHOR,
    "spreker": CreatorRole.AUTHOR,
    "script writer": CreatorRole.AUTHOR,
    "subject matter expert": CreatorRole.AUTHOR,
}
# Roles of those who handled the object but did not make it: dropped (recorded).
NOT_CREATORS = frozenset({
    "content provider", "validator", "technical validator", "educational validator",
    "terminator",
})
CATALOG_TYPES: dict[str, IdentifierType] = {
    "isbn": IdentifierType.ISBN,
    "issn": IdentifierType.ISSN,
    "doi": IdentifierType.DOI,
    "lccn": IdentifierType.LCCN,
    "oclc": IdentifierType.OCLC,
    "uri": IdentifierType.URI,
}
_SERIES = re.compile(r"^Series\s*:\s*", re.I)


@dataclass
class Record:
    """What a pass over one LOM record found, before it becomes a Resource or a list."""

    language: str = ""
    title: str = ""
    own_id: str = ""
    idents: list[StandardIdentifier] = field(default_factory=list)
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    aggregation: str = ""
    edition: str = ""
    creators: list[Creator] = field(default_factory=list)
    seen_creators: set[Creator] = field(default_factory=set)
    publisher: str = ""
    place: str = ""
    date: str = ""
    publisher_date: str = ""
    formats: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)
    rights: str = ""
    related: list[RelatedTitle] = field(default_factory=list)
    parts: CitationParts | None = None
    members: list[etree._Element] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)


def _ident(rec: Record, catalog: str, entry: str) -> None:
    kind = CATALOG_TYPES.get(catalog.lower())
    if kind is not None:
        rec.idents.append(StandardIdentifier(kind, entry))
    elif not rec.own_id:
        rec.own_id = entry
        if catalog and catalog != OWN_CATALOG:
            rec.losses.append(f"identifier catalog {catalog!r} dropped")
    else:
        rec.idents.append(StandardIdentifier(IdentifierType.OTHER, entry))


def _general(rec: Record, el: etree._Element) -> None:
    langs = [squash(c.text) for c in kids(el, "language", "grouplanguage")]
    rec.language = rec.language or next((lang for lang in langs if lang), "")
    rec.losses.extend(f"general/language {x!r} dropped" for x in langs if x and x != rec.language)
    for catalog, entry in identifiers(el):
        _ident(rec, catalog, entry)
    title = next(kids(el, "title"), None)
    if title is not None:
        rec.title = kept(strings(title), rec.language, rec.losses, "general/title")
    texts = [pair for d in kids(el, "description") for pair in strings(d)]
    want = rec.language.lower().split("-")[0]
    chosen = [t for lang, t in texts if want and lang.lower().split("-")[0] == want]
    if not chosen and texts:
        chosen = [t for lang, t in texts if lang == texts[0][0]]
    rec.description = "\n\n".join(chosen)
    rec.losses.extend(f"general/description ({lang or 'no language'}) dropped"
                      for lang, t in texts if t not in chosen)
    rec.keywords += [kept(strings(k), rec.language, rec.losses, "general/keyword")
                     for k in kids(el, "keyword")]
    for agg in kids(el, "aggregationlevel"):
        rec.aggregation = vocab(agg)[1]
    _dropped(rec, el, ("language", "grouplanguage", "identifier", "catalogentry", "title",
                       "description", "keyword", "aggregationlevel"))


def _contribute(rec: Record, el: etree._Element) -> None:
    role_el = next(kids(el, "role"), None)
    role = vocab(role_el)[1].lower() if role_el is not None else ""
    date_el = next(kids(el, "date"), None)
    date = iso_date(date_el) if date_el is not None else ""
    if role == "publisher":
        cards = entities(el)
        names = [n for n in (vcard_name(card, organisation_first=True) for card in cards) if n]
        rec.publisher = rec.publisher or next(iter(names), "")
        for name in names:
            if name != rec.publisher:
                rec.losses.append(f"publisher {name!r} dropped (one publisher kept)")
        rec.place = rec.place or next((p for p in map(vcard_place, cards) if p), "")
        rec.publisher_date = rec.publisher_date or date
        return
    names = [n for n in map(vcard_name, entities(el)) if n]
    if role in NOT_CREATORS:
        rec.losses.extend(f"contributor {n!r} ({role}) dropped: not a creator" for n in names)
        return
    rec.date = rec.date or date
    kind = ROLES.get(role)
    if kind is None:
        kind = APPROXIMATE_ROLES.get(role, CreatorRole.CONTRIBUTOR)
        rec.losses.append(f"contribute role {role!r} read as {kind.value}")
    if len(names) < len(entities(el)):
        rec.losses.append(f"contribute ({role or 'no role'}): an entity without a name dropped")
    for name in names:
        creator = Creator(name, kind)
        if creator not in rec.seen_creators:
            rec.seen_creators.add(creator)
            rec.creators.append(creator)
            continue
        # LOM gives one contribute per date: the same author again for a later version.
        dropped = f" (its date {date} dropped)" if date and date != rec.date else ""
        rec.losses.append(f"contribute: {role} {name!r} repeated, kept once{dropped}")


def _life_cycle(rec: Record, el: etree._Element) -> None:
    for version in kids(el, "version"):
        rec.edition = best(strings(version), rec.language)
    for contribute in kids(el, "contribute"):
        _contribute(rec, contribute)
    _dropped(rec, el, ("version", "contribute"))


def _dropped(rec: Record, el: etree._Element, kept: tuple[str, ...]) -> None:
    """Record each child of ``el`` with content that the reader does not keep."""
    section = etree.QName(el).localname
    for child in el:
        name = lname(child)
        if not name or name in kept:
            continue
        if "".join(t for t in child.itertext() if isinstance(t, str)).strip():
            rec.losses.append(f"{section}/{etree.QName(child).localname} dropped")


def _technical(rec: Record, el: etree._Element) -> None:
    rec.formats += [squash(f.text) for f in kids(el, "format") if squash(f.text)]
    for loc in kids(el, "location"):
        if plain(loc):
            rec.locations.append(Location(LocationType.URL, plain(loc)))
    _dropped(rec, el, ("format", "location"))


def _relation(rec: Record, el: etree._Element) -> None:
    kind_el = next(kids(el, "kind"), None)
    kind = vocab(kind_el)[1].lower() if kind_el is not None else ""
    resource = next(kids(el, "resource"), None)
    if resource is None:
        return
    if kind == "haspart":
        rec.members.append(resource)
        return
    if kind != "ispartof":
        rec.losses.append(f"relation {kind or 'untyped'} dropped")
        return
    desc = next(kids(resource, "description"), None)
    text = best(strings(desc), rec.language) if desc is not None else ""
    ids = tuple(
        StandardIdentifier(CATALOG_TYPES.get(c.lower(), IdentifierType.OTHER), e)
        for c, e in identifiers(resource)
    )
    if _SERIES.match(text):
        title, _, volume = _SERIES.sub("", text).partition(" ; ")
        series = RelatedTitle(title.strip(), RelatedTitleType.SERIES, volume.strip(), "", (), ids)
        rec.related.append(series)
        return
    parts = parse_citation(text)
    host = bool(HOST_PREFIX.match(text))
    if parts is not None and rec.parts is None:
        rec.parts = parts
        text = parts.container
    text = HOST_PREFIX.sub("", text)
    if text:
        rtype = RelatedTitleType.HOST if host else RelatedTitleType.JOURNAL
        rec.related.append(RelatedTitle(text, rtype, identifiers=ids))


def _annotation(rec: Record, el: etree._Element) -> None:
    desc = next(kids(el, "description"), None)
    date_el = next(kids(el, "date"), None)
    author = next((vcard_name(card) for card in entities(el)), "")
    text = best(strings(desc), rec.language) if desc is not None else ""
    date = iso_date(date_el) if date_el is not None else ""
    rec.annotations.append(Annotation(text, "note", author, date))


# 9.1 purposes whose taxa and keywords are subjects (the crosswalk table; "vakgebied" is
# NL-LOM's discipline); an absent one is taken as subject too.
_SUBJECT_PURPOSES = frozenset({"", "discipline", "idea", "vakgebied"})


def _classification(rec: Record, el: etree._Element) -> None:
    values = [best(strings(entry), rec.language) for path in kids(el, "taxonpath")
              for taxon in kids(path, "taxon") for entry in kids(taxon, "entry")]
    values += [kept(strings(k), rec.language, rec.losses, "classification/keyword")
               for k in kids(el, "keyword")]
    purpose = next(kids(el, "purpose"), None)
    kind = "" if purpose is None else vocab(purpose)[1].strip().lower()
    if kind in _SUBJECT_PURPOSES:
        rec.keywords += values
    elif any(values):
        rec.losses.append(f"classification ({kind}) {'; '.join(v for v in values if v)!r}"
                          " dropped: only discipline and idea are subjects")
    _dropped(rec, el, ("taxonpath", "keyword", "purpose"))


def _educational(rec: Record, el: etree._Element) -> None:
    rec.types += [vocab(t) for t in kids(el, "learningresourcetype")]
    _dropped(rec, el, ("learningresourcetype",))


def _rights(rec: Record, el: etree._Element) -> None:
    desc = next(kids(el, "description"), None)
    if desc is not None:
        rec.rights = kept(strings(desc), rec.language, rec.losses, "rights/description")
    for restriction in kids(el, "copyrightandotherrestrictions"):
        source, value = vocab(restriction)
        if not rec.rights and value and source.upper() != "LOMV1.0":
            rec.rights = f"{source} {value}".strip()
        elif value:  # beside a description, or LOM's own yes/no
            rec.losses.append(f"rights/copyrightAndOtherRestrictions {value!r} dropped")
    _dropped(rec, el, ("description", "copyrightandotherrestrictions"))


_SECTIONS = {
    "lifecycle": _life_cycle,
    "technical": _technical,
    "educational": _educational,
    "rights": _rights,
    "relation": _relation,
    "annotation": _annotation,
    "classification": _classification,
}


def check_root(el: etree._Element) -> None:
    """Raise CrosswalkError unless ``el`` is a ``lom`` element in a known LOM namespace."""
    namespace = etree.QName(el).namespace if isinstance(el.tag, str) else None
    if lname(el) != "lom" or namespace not in KNOWN_NAMESPACES:
        raise CrosswalkError(f"expected a LOM lom element, got {el.tag!r}")


def read_record(el: etree._Element) -> Record:
    """One pass over a ``lom`` element (general first, so its language guides the rest)."""
    check_root(el)
    rec = Record()
    for general in kids(el, "general"):
        _general(rec, general)
    for child in el:
        name = lname(child)
        handler = _SECTIONS.get(name)
        if handler is not None:
            handler(rec, child)
        elif name and name != "general":
            rec.losses.append(f"{etree.QName(child).localname} dropped")
    return rec


def _resource_type(rec: Record) -> ResourceType:
    for source, value in rec.types:
        if source == RLI_VOCAB:
            try:
                return ResourceType(value)
            except ValueError:
                continue
        kind = resource_type_of(value)
        if kind is not ResourceType.OTHER:
            return kind
    if any(f.startswith(("video/", "audio/")) or f in AV_APPLICATION for f in rec.formats):
        return ResourceType.AUDIO_VISUAL
    return ResourceType.OTHER


# Streaming audio and video that IANA files under application/ (a RealMedia lecture,
# HLS and DASH playlists, an Ogg or MXF container).
AV_APPLICATION = frozenset({
    "application/vnd.rn-realmedia", "application/vnd.rn-realmedia-vbr",
    "application/vnd.apple.mpegurl", "application/x-mpegurl", "application/dash+xml",
    "application/ogg", "application/mxf",
})


def to_resource(rec: Record) -> Resource:
    """The Resource a read LOM record describes."""
    rtype = _resource_type(rec)
    if rec.formats[1:]:
        rec.losses.append(f"technical/format: {len(rec.formats) - 1} more dropped")
    bookish = rtype in (ResourceType.BOOK_CHAPTER, ResourceType.BOOK)
    related = [
        RelatedTitle(r.title, RelatedTitleType.HOST, r.volume, r.part, r.creators, r.identifiers)
        if r.type is RelatedTitleType.JOURNAL and bookish
        else r
        for r in rec.related
    ]
    p = rec.parts or CitationParts()
    citation = Citation(
        title=rec.title,
        creators=authors_first(rec.creators),
        edition=rec.edition,
        publication_date=rec.publisher_date or rec.date,
        publication_place=rec.place,
        publisher=rec.publisher,
        volume=p.volume,
        part=p.issue,
        start_page=p.start_page,
        end_page=p.end_page,
        identifiers=tuple(dict.fromkeys(rec.idents)),
        related_titles=tuple(related),
    )
    return Resource(
        citation=citation,
        type=rtype,
        identifier=rec.own_id,
        description=rec.description,
        language=rec.language,
        format=rec.formats[0] if rec.formats else "",
        rights=rec.rights,
        subjects=tuple(k for k in rec.keywords if k),
        locations=tuple(dict.fromkeys(rec.locations)),
        annotations=tuple(rec.annotations),
    )


def read_resource(el: etree._Element) -> Converted[Resource]:
    """The resource a LOM record describes. Raises CrosswalkError for a non-LOM root."""
    rec = read_record(el)
    if rec.members:
        rec.losses.append(f"{len(rec.members)} haspart relations dropped (use read_list)")
    resource = to_resource(rec)
    return Converted(resource, tuple(dict.fromkeys(rec.losses)))
