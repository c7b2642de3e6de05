"""RLI XML elements -> RLI model: the binding's reader.

Lenient where XSD validation already decides (missing optional elements read
as ``""`` / ``()``, text given without its ``metadata*`` wrapper is accepted),
strict where the model cannot hold a value: an unknown creator role, resource
type, relation or locationType, a non-integer version number, or a missing
``resourceMetadata`` / item content raise :class:`RLIFormatError` with the line.

What a valid document can hold that the model cannot (lost on reading):

- ``rlx:language`` of a LangString, and every LangString after the first;
- every ``indexId``, ``description`` and ``format`` of a resource after the first;
- the token of an identifier type other than ISBN, ISSN, DOI, LCCN, OCLC and
  URI (read as ``other``); a URI identifier whose value has one of the
  ``urn:ISBN:`` ... ``info:oclcnum/`` forms reads back as that type;
- where a foreign element stood: those directly in ``rli:resourceList`` join
  ``ResourceList.extensions`` and are written back in ``rli:resourceListMetadata``;
- comments and processing instructions outside foreign elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import TypeVar

from lxml import etree

from crosswalks.rli.model import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    Extension,
    IdentifierType,
    Item,
    Location,
    LocationType,
    Origin,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
    VersionInfo,
)
from crosswalks.rli.write import (
    LOCATION_TOKENS,
    RLIFormatError,
    foreign,
    rli,
    rlix,
    rlx,
)

E = TypeVar("E", bound=Enum)

# rli:locationType token (lower case) -> model type; the model's own names are accepted too.
_LOCATION_TYPES: dict[str, LocationType] = {
    **{token.lower(): kind for kind, token in LOCATION_TOKENS.items()},
    **{kind.value: kind for kind in LocationType},
}

# URN / info URI prefixes (lower case) of identifierString, colon and slash forms.
_IDENTIFIER_PREFIXES: tuple[tuple[str, IdentifierType], ...] = (
    ("urn:isbn:", IdentifierType.ISBN),
    ("urn:issn:", IdentifierType.ISSN),
    ("info:doi/", IdentifierType.DOI),
    ("info:doi:", IdentifierType.DOI),
    ("info:lccn/", IdentifierType.LCCN),
    ("info:lccn:", IdentifierType.LCCN),
    ("info:oclcnum/", IdentifierType.OCLC),
    ("info:oclcnum:", IdentifierType.OCLC),
)

# standardIdentifierType token (lower case) -> type of a bare value.
_IDENTIFIER_TOKENS: dict[str, IdentifierType] = {
    "uri": IdentifierType.URI,
    "isbn": IdentifierType.ISBN,
    "issn": IdentifierType.ISSN,
    "doi": IdentifierType.DOI,
    "lccn": IdentifierType.LCCN,
    "oclc": IdentifierType.OCLC,
    "oclcnum": IdentifierType.OCLC,
}


def identifier_from_parts(token: str, string: str) -> StandardIdentifier:
    """The model identifier for a standardIdentifierType token and an identifierString."""
    kind = _IDENTIFIER_TOKENS.get(token.strip().lower())
    if kind is None:
        return StandardIdentifier(IdentifierType.OTHER, string)
    lowered = string.lower()
    for prefix, prefixed_kind in _IDENTIFIER_PREFIXES:
        if lowered.startswith(prefix):
            return StandardIdentifier(prefixed_kind, string[len(prefix) :])
    return StandardIdentifier(kind, string)


def extension_of(el: etree._Element) -> Extension:
    """A foreign element as an :class:`Extension` (exclusive C14N, comments kept)."""
    data = etree.tostring(el, method="c14n", exclusive=True, with_comments=True, with_tail=False)
    return Extension(bytes(data).decode("utf-8"))


_LANG_WRAPPER, _LANG_STRING, _LANG_TEXT = rli("metadataLangString"), rlx("LangString"), rlx("text")
_STRING, _TOKEN, _DATE = rli("metadataString"), rli("metadataToken"), rli("metadataDate")
_ANNOTATION, _ITEM, _SECTION = rlix("annotation"), rlix("item"), rlix("section")
_RESOURCE, _RESOURCE_METADATA = rli("resource"), rli("resourceMetadata")
_C_TITLE, _C_CREATOR, _C_EDITION = rli("title"), rli("creator"), rli("edition")
_C_DATE, _C_PLACE, _C_PUBLISHER = rli("publicationDate"), rli("publicationPlace"), rli("publisher")
_C_VOLUME, _C_PART = rli("volumeDesignation"), rli("partDesignation")
_C_START, _C_END = rli("startingPageNumber"), rli("endingPageNumber")
_C_IDENTIFIER, _C_RELATED = rli("standardIdentifier"), rli("relatedTitle")
_R_TYPE, _R_CITATION, _R_INDEX_ID = rlix("resourceType"), rli("citation"), rli("indexId")
_R_DESCRIPTION, _R_LANGUAGE, _R_FORMAT = rli("description"), rli("language"), rli("format")
_R_RIGHTS, _R_SUBJECT, _R_LOCATION = rlix("rights"), rlix("subject"), rli("location")
_R_ORIGIN = rlix("origin")


def _first(groups: dict[object, list[etree._Element]], tag: str) -> etree._Element | None:
    """The first child with ``tag`` of an element read by :meth:`Reader.groups`."""
    group = groups.get(tag)
    return None if group is None else group[0]


@dataclass(frozen=True)
class Reader:
    """Reads binding elements into model values; ``source`` names the input in errors.

    A ``lenient`` reader (for RLI other systems wrote) does not raise for a value
    the model cannot hold: it reads the nearest value and adds a line to ``notes``.
    """

    source: str = "input"
    lenient: bool = False
    notes: list[str] = field(default_factory=list, compare=False)

    def fail(self, el: etree._Element, reason: str) -> RLIFormatError:
        return RLIFormatError(f"{self.source}: line {el.sourceline}: {reason}")

    def note(self, el: etree._Element, reason: str) -> None:
        self.notes.append(f"line {el.sourceline}: {reason}")

    # ----- generic access ---------------------------------------------------

    # Setting up lxml's tag filter (iterchildren(tag)) costs about 1.7 µs a call, three
    # times what looking at the first child costs; in the binding's documents that child
    # is nearly always the one asked for (a LangString's wrappers, a metadataString), so
    # child() looks at it first.
    @staticmethod
    def children(el: etree._Element, tag: str) -> list[etree._Element]:
        return list(el.iterchildren(tag))

    @staticmethod
    def child(el: etree._Element, tag: str) -> etree._Element | None:
        """The first child of ``el`` with ``tag``."""
        if not len(el):
            return None
        first = el[0]
        if first.tag == tag:
            return first
        for other in el:
            if other.tag == tag:
                return other
        return None

    @staticmethod
    def groups(el: etree._Element) -> dict[object, list[etree._Element]]:
        """The children of ``el`` by tag, in order (one pass, for elements read field by
        field: the first of a tag is ``[0]`` of its group)."""
        found: dict[object, list[etree._Element]] = {}
        for child in el:
            group = found.get(child.tag)
            if group is None:
                found[child.tag] = [child]
            else:
                group.append(child)
        return found

    def required(self, el: etree._Element, tag: str) -> etree._Element:
        found = self.child(el, tag)
        if found is None:
            raise self.fail(el, f"{etree.QName(el).localname} has no {etree.QName(tag).localname}")
        return found

    @staticmethod
    def text(el: etree._Element | None) -> str:
        return "" if el is None else (el.text or "")

    def lang_text(self, el: etree._Element | None) -> str:
        """Text of ``el/rli:metadataLangString/rlx:LangString/rlx:text`` (first LangString)."""
        if el is None:
            return ""
        wrapper = self.child(el, _LANG_WRAPPER)
        if wrapper is None:
            return (el.text or "").strip()
        lang = self.child(wrapper, _LANG_STRING)
        return "" if lang is None else self.text(self.child(lang, _LANG_TEXT))

    def wrapped(self, el: etree._Element | None, wrapper: str = _STRING) -> str:
        """Text of ``el/<wrapper>`` (rli:metadataString, metadataToken, metadataDate)."""
        if el is None:
            return ""
        inner = self.child(el, wrapper)
        return (el.text or "").strip() if inner is None else (inner.text or "")

    def enum(self, kind: type[E], value: str, el: etree._Element, what: str, fallback: E) -> E:
        try:
            return kind(value.strip())
        except ValueError:
            if not self.lenient:
                raise self.fail(el, f"unknown {what} {value!r}") from None
        self.note(el, f"unknown {what} {value!r} read as {fallback.value}")
        return fallback

    @staticmethod
    def extensions(el: etree._Element) -> tuple[Extension, ...]:
        return tuple(extension_of(child) for child in el if foreign(child))

    def annotations(self, el: etree._Element,
                    notes: list[etree._Element] | None = None) -> tuple[Annotation, ...]:
        """The annotations of ``el`` (``notes``: its rlix:annotation children, if known)."""
        return tuple(
            Annotation(
                text=self.text(note),
                kind=note.get("kind", "note"),
                author=note.get("author", ""),
                date=note.get("date", ""),
            )
            for note in (self.children(el, _ANNOTATION) if notes is None else notes)
        )

    # ----- citation ---------------------------------------------------------

    def creator(self, el: etree._Element) -> Creator:
        role = self.enum(
            CreatorRole, el.get(rlix("role"), "author"), el, "creator role", CreatorRole.CONTRIBUTOR
        )
        return Creator(self.lang_text(el), role)

    def identifier(self, el: etree._Element) -> StandardIdentifier:
        token = self.wrapped(self.child(el, rli("standardIdentifierType")), _TOKEN)
        string = self.wrapped(self.child(el, rli("identifierString")))
        return identifier_from_parts(token, string)

    def related(self, el: etree._Element) -> RelatedTitle:
        relation = el.get(rlix("relation"), "journal")
        return RelatedTitle(
            title=self.lang_text(self.child(el, rli("title"))),
            type=self.enum(RelatedTitleType, relation, el, "relation", RelatedTitleType.HOST),
            volume=self.wrapped(self.child(el, rli("volumeDesignation"))),
            part=self.wrapped(self.child(el, rli("partDesignation"))),
            creators=tuple(self.creator(c) for c in self.children(el, rlix("creator"))),
            identifiers=tuple(
                self.identifier(i) for i in self.children(el, rlix("standardIdentifier"))
            ),
        )

    def citation(self, el: etree._Element | None) -> Citation:
        if el is None:
            return Citation()

        groups = self.groups(el)
        first = partial(_first, groups)
        return Citation(
            title=self.lang_text(first(_C_TITLE)),
            creators=tuple(self.creator(c) for c in groups.get(_C_CREATOR, ())),
            edition=self.lang_text(first(_C_EDITION)),
            publication_date=self.wrapped(first(_C_DATE), _DATE),
            publication_place=self.lang_text(first(_C_PLACE)),
            publisher=self.lang_text(first(_C_PUBLISHER)),
            volume=self.wrapped(first(_C_VOLUME)),
            part=self.wrapped(first(_C_PART)),
            start_page=self.wrapped(first(_C_START)),
            end_page=self.wrapped(first(_C_END)),
            identifiers=tuple(self.identifier(i) for i in groups.get(_C_IDENTIFIER, ())),
            related_titles=tuple(self.related(r) for r in groups.get(_C_RELATED, ())),
        )

    # ----- resource ---------------------------------------------------------

    def location(self, el: etree._Element) -> Location:
        token = self.wrapped(self.child(el, rli("locationType")), _TOKEN)
        kind = _LOCATION_TYPES.get(token.strip().lower())
        locator = self.wrapped(self.child(el, rli("locator")))
        if kind is None:
            if not self.lenient:
                raise self.fail(el, f"unknown locationType {token!r}")
            kind = LocationType.URL if "://" in locator else LocationType.SHELFMARK
            self.note(el, f"unknown locationType {token!r} read as {kind.value}")
        return Location(kind, locator, el.get(rlix("label"), ""))

    def resource(self, el: etree._Element) -> Resource:
        if el.tag != _RESOURCE:
            raise self.fail(el, f"expected rli:resource, found {el.tag}")
        meta = self.required(el, _RESOURCE_METADATA)
        groups = self.groups(meta)
        first = partial(_first, groups)
        kind = first(_R_TYPE)
        return Resource(
            citation=self.citation(first(_R_CITATION)),
            type=ResourceType.OTHER
            if kind is None
            else self.enum(ResourceType, self.text(kind), kind, "resourceType", ResourceType.OTHER),
            identifier=self.text(self.child(el, _R_INDEX_ID)),
            description=self.lang_text(first(_R_DESCRIPTION)),
            language=self.wrapped(first(_R_LANGUAGE), _TOKEN),
            format=self.text(first(_R_FORMAT)),
            rights=self.text(first(_R_RIGHTS)),
            subjects=tuple(self.text(s) for s in groups.get(_R_SUBJECT, ())),
            locations=tuple(self.location(loc) for loc in groups.get(_R_LOCATION, ())),
            annotations=self.annotations(meta, groups.get(_ANNOTATION, [])),
            extensions=self.extensions(el),
            origin=self.origin(first(_R_ORIGIN)),
        )

    @staticmethod
    def origin(el: etree._Element | None) -> Origin | None:
        if el is None:
            return None
        return Origin(el.get("source", ""), el.get("identifier", ""), el.get("datestamp", ""),
                      el.get("sha256", ""))

    # ----- list -------------------------------------------------------------

    def items(self, el: etree._Element | None) -> tuple[Item, ...]:
        if el is None:
            return ()
        return tuple(self.item(child) for child in self.children(el, _ITEM))

    def item(self, el: etree._Element) -> Item:
        section = self.child(el, _SECTION)
        if section is not None:
            content: Resource | Section = Section(
                title=self.text(self.child(section, rlix("title"))),
                description=self.text(self.child(section, rlix("description"))),
                items=self.items(section),
            )
        else:
            content = self.resource(self.required(el, _RESOURCE))
        return Item(id=el.get("id", ""), content=content, annotations=self.annotations(el))

    def version(self, el: etree._Element) -> VersionInfo:
        try:
            number = int(el.get("number", ""))
        except ValueError:
            raise self.fail(el, f"version number {el.get('number')!r} is not an integer") from None
        return VersionInfo(
            version=number,
            archived_at=el.get("archivedAt", ""),
            sha256=el.get("sha256", ""),
            editor=el.get("editor", ""),
            note=self.text(el),
            url=el.get("url", ""),
            deleted_at=el.get("deletedAt", ""),
            deleted_by=el.get("deletedBy", ""),
            deletion_note=el.get("deletionNote", ""),
        )

    def resource_list(self, el: etree._Element) -> ResourceList:
        if el.tag != rli("resourceList"):
            raise self.fail(el, f"expected rli:resourceList, found {el.tag}")
        meta = self.required(el, rli("resourceListMetadata"))
        history = self.child(meta, rlix("history"))
        return ResourceList(
            identifier=self.text(self.child(meta, rlix("identifier"))),
            title=self.lang_text(self.child(meta, rli("title"))),
            owner=self.text(self.child(meta, rlix("owner"))),
            description=self.lang_text(self.child(meta, rli("description"))),
            courses=tuple(self.text(c) for c in self.children(meta, rlix("course"))),
            language=self.wrapped(self.child(meta, rli("language")), _TOKEN),
            rights=self.lang_text(self.child(meta, rli("rightsDescription"))),
            created=self.text(self.child(meta, rlix("created"))),
            modified=self.text(self.child(meta, rlix("modified"))),
            items=self.items(self.child(el, rlix("items"))),
            annotations=self.annotations(meta),
            extensions=self.extensions(meta) + self.extensions(el),
            history=()
            if history is None
            else tuple(self.version(v) for v in self.children(history, rlix("version"))),
        )
