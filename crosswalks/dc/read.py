"""Unqualified Dublin Core (``oai_dc``) -> RLI: the reading half, and the shared namespaces.

``read_resource`` takes an ``oai_dc:dc`` element (already parsed by
``crosswalks.xmlsafe.parse_untrusted``) and returns the resource plus the
losses; ``write_resource`` and ``write_list`` build ``oai_dc:dc`` elements that
validate against ``oai_dc.xsd``. Identifier typing and citation-line
parsing live in :mod:`crosswalks.dc.strings` (shared with MODS and LOM).

What simple DC cannot carry (RLI -> DC), and what DC gives only roughly (DC -> RLI):

=============================  ===============================================
RLI / DC field                 Fate
=============================  ===============================================
creator roles                  approximated: author -> dc:creator, others ->
                               dc:contributor "Name (editor)"; read back from
                               the "(role)" suffix, else contributor; a
                               dc:contributor repeating a dc:creator (DSpace)
                               is kept once (recorded)
dc:type "Other"                generic, and written for a generic resource so
                               that its ISBN or journal is not read back as
                               a book or an article
dc:type "Text" (or none)       typed from the record's evidence: an ISSN or a
                               journal in dc:source -> article, an ISBN ->
                               book, an ISBN with a host -> chapter; else
                               generic (recorded)
publication_place              written as "Place: Publisher"; read back by
                               that heuristic (approximated)
volume / part / pages          packed into dc:source "Journal, vol. 1, no. 2,
                               pp. 3-4"; parsed back by a table of regexes
                               (approximated, recorded in losses)
related title type             journal vs host guessed ("In:" prefix = host)
related title creators         lost (host editors of a chapter)
related title identifiers      ISSN/ISBN written as dc:identifier; read back
                               onto the journal (ISSN) / host book (ISBN)
series                         dc:relation "Series: Title ; volume"; other
                               dc:relation as DSpace's "Series;Number"
                               (approximated)
dc:format "type URL"           media type; the URL (DSpace's file) kept as a
                               URL location
shelfmark locations            lost (no DC element)
catalogue locations            written as URL, read back as ``url``
edition                        lost
annotations, extensions        lost
dc:coverage                    dropped (recorded)
extra dc:title/date/format,    dropped (recorded); descriptions and rights are
dc:publisher/language          joined with blank lines / "; "
dc:type beyond the first       dropped (recorded)
unrecognised dc:identifier     first -> Resource.identifier, rest -> "other"
list items (write_list)        one dc:relation citation line each; sections,
                               item ids and annotations lost
dc:relation of a Collection    citations of the collection's parts: dropped
                               when read as a resource (recorded)
dcterms elements in oai_dc     not DC 1.1, but some repositories write them:
                               dcterms:abstract read as dc:description,
                               dcterms:bibliographicCitation as dc:source,
                               dcterms:issued / created as dc:date when the
                               record has none (else dropped, recorded);
                               any other dcterms element dropped (recorded)
=============================  ===============================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from crosswalks.dc.names import DC as _DC
from crosswalks.dc.names import ROOT as _ROOT
from crosswalks.dc.strings import (
    HOST_PREFIX,
    URL,
    CitationParts,
    classify_identifier,
    parse_citation,
    resource_type_of,
)
from crosswalks.errors import CrosswalkError
from crosswalks.rli import (
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
)

_DC_ANY = f"{_DC}*"
_DCTERMS = "{http://purl.org/dc/terms/}"
_DCTERMS_ANY = f"{_DCTERMS}*"
# dcterms elements read as the DC 1.1 element they refine; any other is dropped (recorded).
_DCTERMS_AS_DC: dict[str, str] = {
    "abstract": "description",
    "bibliographicCitation": "source",
    "issued": "date",
    "created": "date",
}

# ------------------------------------------------------------- roles and types

_ROLE_SUFFIX = re.compile(r"\s*\((?P<role>[^()]+)\)\s*$")
_ROLE_WORDS: dict[str, CreatorRole] = {
    "ed.": CreatorRole.EDITOR,
    "eds.": CreatorRole.EDITOR,
    "ed": CreatorRole.EDITOR,
    "editor": CreatorRole.EDITOR,
    "editors": CreatorRole.EDITOR,
    "trans.": CreatorRole.TRANSLATOR,
    "tr.": CreatorRole.TRANSLATOR,
    "translator": CreatorRole.TRANSLATOR,
    "ill.": CreatorRole.ILLUSTRATOR,
    "illustrator": CreatorRole.ILLUSTRATOR,
    "dir.": CreatorRole.DIRECTOR,
    "director": CreatorRole.DIRECTOR,
    "performer": CreatorRole.PERFORMER,
    "producer": CreatorRole.PRODUCER,
    "comp.": CreatorRole.COMPILER,
    "compiler": CreatorRole.COMPILER,
    "author": CreatorRole.AUTHOR,
}


_MIME = re.compile(r"^[a-z]+/[\w.+-]+", re.I)
_PLACE_PUBLISHER = re.compile(r"^(?P<place>[^:/]{2,60}?)\s*:\s*(?P<publisher>\S.*)$")
_SERIES = re.compile(r"^Series\s*:\s*", re.I)


def _strs(texts: Iterable[str | bytes]) -> Iterator[str]:
    return (t for t in texts if isinstance(t, str))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _creator(text: str, default: CreatorRole) -> Creator:
    match = _ROLE_SUFFIX.search(text)
    if match:
        role = _ROLE_WORDS.get(match.group("role").strip().lower())
        if role is not None:
            return Creator(text[: match.start()].strip(), role)
    return Creator(text, default)


# ---------------------------------------------------------------------- reader


@dataclass
class _Fields:
    """DC element values by local name, in document order."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def first(self, name: str) -> str:
        found = self.values.get(name)
        return found[0] if found else ""


def _collect(el: etree._Element, losses: list[str]) -> _Fields:
    """The DC values of ``el``; dcterms ones as the DC element they refine (after the DC
    ones, so a dc:date wins), the other dcterms elements as loss lines."""
    fields = _Fields()
    values = fields.values
    prefix_len = len(_DC)
    refined: list[tuple[str, str]] = []
    # elements only, the filter running in lxml's C; dcterms is rare but must not go unseen
    for child in el.iterchildren(_DC_ANY, _DCTERMS_ANY):
        text = child.text if len(child) == 0 else "".join(_strs(child.itertext()))
        if text is None:
            continue
        text = text.strip()
        if not text:
            continue
        if child.tag.startswith(_DCTERMS):
            refined.append((child.tag[len(_DCTERMS):], text))
            continue
        name = child.tag[prefix_len:]
        if name in values:
            values[name].append(text)
        else:
            values[name] = [text]
    for term, text in refined:
        target = _DCTERMS_AS_DC.get(term)
        if target is None:
            losses.append(f"dcterms:{term} dropped")
        elif target == "date" and "date" in values:
            losses.append(f"dcterms:{term} dropped (the record's date is already read)")
        else:
            values.setdefault(target, []).append(text)
    return fields


def _pick_type(values: list[str], losses: list[str]) -> ResourceType:
    chosen = ResourceType.OTHER
    for value in values:
        if value.strip().lower() == "other":  # says what the resource is: nothing is lost
            continue
        kind = resource_type_of(value)
        if chosen is ResourceType.OTHER and kind is not ResourceType.OTHER:
            chosen = kind
        else:
            losses.append(f"dc:type {value!r} dropped")
    return chosen


def read_resource(el: etree._Element) -> Converted[Resource]:
    """The resource an ``oai_dc:dc`` record describes.

    Raises CrosswalkError if ``el`` is not ``oai_dc:dc``. Never fails on odd
    content: missing fields are empty; see the module table for what is approximated.
    """
    if el.tag != _ROOT:
        raise CrosswalkError(f"expected oai_dc:dc, got {el.tag!r}")
    losses: list[str] = []
    f = _collect(el, losses)
    for extra in ("title", "date"):
        if len(f.all(extra)) > 1:
            losses.append(f"dc:{extra}: {len(f.all(extra)) - 1} more dropped")
    for one in ("publisher", "language"):  # RLI holds one of each
        losses.extend(f"dc:{one} {value!r} dropped" for value in f.all(one)[1:])
    if f.all("coverage"):
        losses.append("dc:coverage dropped")
    rtype = _pick_type(f.all("type"), losses)

    creators = _creators(f, losses)

    place, publisher = "", _squash(f.first("publisher"))
    split = _PLACE_PUBLISHER.match(publisher)
    if split and "http" not in publisher:
        place, publisher = split.group("place"), split.group("publisher")
        losses.append("dc:publisher split into place and publisher (heuristic)")

    idents: list[StandardIdentifier] = []
    locations: list[Location] = []
    own_id = ""
    parts: CitationParts | None = None
    for value in f.all("identifier"):
        typed = classify_identifier(value)
        if typed.identifier is not None:
            idents.append(typed.identifier)
        if typed.location is not None:
            locations.append(typed.location)
        if typed.identifier is None and typed.location is None:
            cited = parse_citation(value)
            if cited is not None and parts is None:
                parts = cited
                losses.append("citation parsed from dc:identifier (approximated)")
            elif not own_id:
                own_id = value
            else:
                idents.append(StandardIdentifier(IdentifierType.OTHER, value))

    related: list[RelatedTitle] = []
    for value in f.all("source"):
        if URL.match(value):
            losses.append("dc:source URL dropped")
            continue
        cited = parse_citation(value)
        if cited is not None and parts is None:
            parts = cited
            losses.append("citation parsed from dc:source (approximated)")
            if cited.container:
                related.append(_related(cited.container, cited.host, rtype))
        else:
            host = bool(HOST_PREFIX.match(value))
            related.append(_related(HOST_PREFIX.sub("", _squash(value)), host, rtype))
            losses.append("dc:source read as related title (approximated)")
    relations = f.all("relation")
    if any(t.strip().lower() == "collection" for t in f.all("type")):
        # A collection's relations cite its parts (rli writes a list this way),
        # not series it belongs to: they are not part of this resource's citation.
        series = [v for v in relations if v[:6].lower() == "series" and _SERIES.match(v)]
        if len(series) < len(relations):
            dropped = len(relations) - len(series)
            losses.append(f"dc:relation: {dropped} citations of collection parts dropped")
        relations = series
    for value in relations:
        if URL.match(value):
            losses.append("dc:relation URL dropped")
            continue
        if _SERIES.match(value):
            title, _, volume = _SERIES.sub("", _squash(value)).partition(" ; ")
        else:  # DSpace writes dc.relation.ispartofseries as "Series;Number"
            losses.append("dc:relation read as series (approximated)")
            title, _, volume = _squash(value).partition(";")
        related.append(RelatedTitle(title.strip(), RelatedTitleType.SERIES, volume=volume.strip()))

    if rtype is ResourceType.OTHER:
        rtype = _infer_type(f.all("type"), related, idents, parts, losses)
        if rtype is ResourceType.BOOK_CHAPTER:  # the cited container is the host book
            related = [replace(r, type=RelatedTitleType.HOST)
                       if r.type is RelatedTitleType.JOURNAL else r for r in related]
    related, idents = _attach_identifiers(related, idents, rtype)

    fmt = ""
    for value in f.all("format"):
        mime = _MIME.match(value)
        rest = value[mime.end():].lstrip(" ,;").strip() if mime else ""
        if URL.match(rest):  # DSpace: a file's media type and its URL in one value
            locations.append(Location(LocationType.URL, rest))
            rest = ""
        if mime and not fmt:
            fmt = mime.group(0)
            if rest:
                losses.append("dc:format: text after the media type dropped")
        else:
            shown = mime.group(0) if mime and not rest else value
            losses.append(f"dc:format {shown!r} dropped")

    citation = Citation(
        title=_squash(f.first("title")),
        creators=tuple(creators),
        publication_date=f.first("date"),
        publication_place=place,
        publisher=publisher,
        volume=parts.volume if parts else "",
        part=parts.issue if parts else "",
        start_page=parts.start_page if parts else "",
        end_page=parts.end_page if parts else "",
        identifiers=tuple(dict.fromkeys(idents)),
        related_titles=tuple(related),
    )
    resource = Resource(
        citation=citation,
        type=rtype,
        identifier=own_id,
        description="\n\n".join(f.all("description")),
        language=f.first("language"),
        format=fmt,
        rights="; ".join(f.all("rights")),
        subjects=tuple(_squash(v) for v in f.all("subject")),
        locations=tuple(dict.fromkeys(locations)),
    )
    return Converted(resource, tuple(dict.fromkeys(losses)))


_PUNCTUATION = re.compile(r"[^\w\s]")


def _name_key(name: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", name.casefold()).split())


def _creators(f: _Fields, losses: list[str]) -> list[Creator]:
    """dc:creator names as authors, then dc:contributor names that do not repeat one.

    DSpace often writes every author in both elements; the same name twice is one creator.
    """
    creators = [_creator(_squash(v), CreatorRole.AUTHOR) for v in f.all("creator")]
    seen = {_name_key(c.name) for c in creators}
    repeated = 0
    for value in f.all("contributor"):
        contributor = _creator(_squash(value), CreatorRole.CONTRIBUTOR)
        if _name_key(contributor.name) in seen:
            repeated += 1
            continue
        seen.add(_name_key(contributor.name))
        creators.append(contributor)
    if repeated:
        losses.append(f"dc:contributor: {repeated} name(s) repeating a dc:creator kept once")
    if len(creators) > len(f.all("creator")):
        losses.append("dc:contributor roles approximated")
    return creators


# A plain "Text" (or no dc:type) says nothing of the kind; these do.
_GENERIC_TYPES = frozenset({"", "text", "texte", "tekst"})


def _infer_type(
    types: list[str], related: list[RelatedTitle], idents: list[StandardIdentifier],
    parts: CitationParts | None, losses: list[str],
) -> ResourceType:
    """Book, article or chapter from what the record cites, when dc:type says only "Text".

    Any other dc:type ("Other", "Image") keeps the resource generic whatever it cites.
    """
    if any(t.strip().lower() not in _GENERIC_TYPES for t in types):
        return ResourceType.OTHER
    if parts is not None:
        return ResourceType.BOOK_CHAPTER if parts.host else ResourceType.JOURNAL_ARTICLE
    kinds = {i.type for i in idents}
    hosts = [r for r in related if r.type is not RelatedTitleType.SERIES]
    host_book = any(r.type is RelatedTitleType.HOST for r in hosts)
    journal = hosts and not host_book and IdentifierType.ISBN not in kinds
    if IdentifierType.ISSN in kinds or journal:
        return ResourceType.JOURNAL_ARTICLE
    if IdentifierType.ISBN in kinds:
        return ResourceType.BOOK_CHAPTER if hosts else ResourceType.BOOK
    if host_book:
        return ResourceType.BOOK_CHAPTER
    if types:
        shown = ", ".join(repr(t) for t in types)
        losses.append(f"type left generic: dc:type {shown} and no journal, ISSN or ISBN")
    return ResourceType.OTHER


def _related(title: str, host: bool, rtype: ResourceType) -> RelatedTitle:
    is_host = host or rtype in (ResourceType.BOOK_CHAPTER, ResourceType.BOOK)
    return RelatedTitle(title, RelatedTitleType.HOST if is_host else RelatedTitleType.JOURNAL)


def _attach_identifiers(
    related: list[RelatedTitle], idents: list[StandardIdentifier], rtype: ResourceType
) -> tuple[list[RelatedTitle], list[StandardIdentifier]]:
    """Move an article's ISSNs onto its journal and a chapter's ISBNs onto its book."""
    wanted = {
        ResourceType.JOURNAL_ARTICLE: (RelatedTitleType.JOURNAL, IdentifierType.ISSN),
        ResourceType.BOOK_CHAPTER: (RelatedTitleType.HOST, IdentifierType.ISBN),
    }.get(rtype)
    if wanted is None:
        return related, idents
    rel_type, id_type = wanted
    for n, rel in enumerate(related):
        if rel.type is rel_type:
            moved = tuple(i for i in idents if i.type is id_type)
            related[n] = RelatedTitle(
                rel.title, rel.type, rel.volume, rel.part, rel.creators, rel.identifiers + moved
            )
            return related, [i for i in idents if i.type is not id_type]
    return related, idents


# ---------------------------------------------------------------------- writer
