"""RLI -> MODS 3.8 (also valid MODS 3.7): the writing half of :mod:`crosswalks.mods.format`.

Every string passes through ``clean_text``; empty values are left out, so the
result always validates. The table of losses is in :mod:`crosswalks.mods.format`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.mods.vocab import (
    IDENTIFIER_TYPES,
    ISO639_2_T_ONLY,
    ITEM_ID_TYPE,
    ITEM_NOTE_PREFIX,
    LIST_GENRE,
    MODS_NS,
    OWNER_CODE,
    ROLE_CODES,
    SECTION_GENRE,
)
from crosswalks.rli import (
    Annotation,
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
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
)
from crosswalks.xmlsafe import clean_text, parse_untrusted

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MODS_SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
_M = f"{{{MODS_NS}}}"

_CODE_OF_ROLE: dict[CreatorRole, str] = {role: code for code, role in reversed(ROLE_CODES.items())}
_TYPE_OF_ID: dict[IdentifierType, str] = {kind: name for name, kind in IDENTIFIER_TYPES.items()}

# ResourceType -> (typeOfResource, genre, genre authority)
_TYPE_TERMS: dict[ResourceType, tuple[str, str, str]] = {
    ResourceType.BOOK: ("text", "book", "marcgt"),
    ResourceType.BOOK_CHAPTER: ("text", "book chapter", ""),
    ResourceType.JOURNAL_ARTICLE: ("text", "article", ""),
    ResourceType.JOURNAL: ("text", "periodical", "marcgt"),
    ResourceType.WEB_PAGE: ("text", "web site", "marcgt"),
    ResourceType.AUDIO_VISUAL: ("moving image", "videorecording", "marcgt"),
    ResourceType.LOCAL: ("mixed material", "local material", ""),
    # Not text and no genre: the reader then infers no article or chapter from a journal,
    # host or ISBN the generic resource cites (with no typeOfResource it would).
    ResourceType.OTHER: ("mixed material", "", ""),
}
_URI_SAFE = "!#$%&'()*+,/:;=?@~-._"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FIRST_SEGMENT = re.compile(r"^([^/?#]*)(.*)$", re.S)
_IP_LITERAL = re.compile(r"^\[[0-9A-Fa-f:.]+\](?::\d*)?$")
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_THREE_LETTERS = re.compile(r"^[A-Za-z]{3}$")


def as_uri(value: str) -> str:
    """``value`` percent-encoded where xs:anyURI needs it (spaces, non-ASCII, stray %, brackets)."""
    text = _BAD_PERCENT.sub("%25", clean_text(value).strip())
    head, hash_, fragment = text.partition("#")
    text = head + hash_ + fragment.replace("#", "%23")  # one fragment; a second '#' is data
    parts = _AUTHORITY.match(text)
    if parts is None:
        if not _SCHEME.match(text):  # a colon in a relative reference's first segment
            first, rest = _FIRST_SEGMENT.match(text).groups()  # type: ignore[union-attr]
            text = first.replace(":", "%3A") + rest
        return quote(text, safe=_URI_SAFE)
    scheme, authority, rest = parts.groups()
    if not _IP_LITERAL.match(authority.rpartition("@")[2]):
        authority = quote(authority, safe=_URI_SAFE)
    return scheme + authority + quote(rest, safe=_URI_SAFE)


def _sub(parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _M + name, {k: clean_text(v) for k, v in attrs.items() if v})
    if text:
        el.text = clean_text(text)
    return el


def _text_child(parent: etree._Element, name: str, text: str, **attrs: str) -> None:
    """Add ``<name>text</name>`` only when ``text`` has something XML can carry."""
    if clean_text(text).strip():
        _sub(parent, name, text, **attrs)


def _titled(parent: etree._Element, title: str) -> None:
    if clean_text(title).strip():
        _sub(_sub(parent, "titleInfo"), "title", title)


def _name(parent: etree._Element, creator: Creator) -> None:
    if not clean_text(creator.name).strip():
        return
    name = _sub(parent, "name")
    _sub(name, "namePart", creator.name)
    role = _sub(name, "role")
    _sub(role, "roleTerm", _CODE_OF_ROLE[creator.role], type="code", authority="marcrelator")
    _sub(role, "roleTerm", creator.role.value, type="text", authority="marcrelator")


def _identifier(parent: etree._Element, ident: StandardIdentifier) -> None:
    _text_child(parent, "identifier", ident.value, type=_TYPE_OF_ID.get(ident.type, ""))


def _location(parent: etree._Element, loc: Location) -> None:
    if not clean_text(loc.locator).strip():
        return
    el = _sub(parent, "location")
    if loc.type is LocationType.SHELFMARK:
        _text_child(el, "physicalLocation", loc.label)
        _sub(el, "shelfLocator", loc.locator)
    elif loc.type is LocationType.CATALOGUE:
        _sub(el, "url", as_uri(loc.locator), displayLabel=loc.label, note="catalogue record")
    else:
        _sub(el, "url", as_uri(loc.locator), displayLabel=loc.label)


def _note(parent: etree._Element, note: Annotation, prefix: str = "") -> None:
    kind = prefix + note.kind if prefix or note.kind != "note" else ""
    if clean_text(note.text).strip() or kind:
        _sub(parent, "note", note.text, type=kind)


def _part(parent: etree._Element, volume: str, issue: str, start: str, end: str) -> None:
    values = [clean_text(v).strip() for v in (volume, issue, start, end)]
    if not any(values):
        return
    part = _sub(parent, "part")
    for kind, value in (("volume", volume), ("issue", issue)):
        if clean_text(value).strip():
            _sub(_sub(part, "detail", type=kind), "number", value)
    if values[2] or values[3]:
        extent = _sub(part, "extent", unit="pages")
        _text_child(extent, "start", start)
        _text_child(extent, "end", end)


def _related(parent: etree._Element, res: Resource, rel: RelatedTitle, carries_part: bool) -> None:
    kind = "series" if rel.type is RelatedTitleType.SERIES else "host"
    el = _sub(parent, "relatedItem", type=kind)
    _titled(el, rel.title)
    for creator in rel.creators:
        _name(el, creator)
    if rel.type is RelatedTitleType.JOURNAL:
        _sub(el, "genre", "periodical", authority="marcgt")
    elif rel.type is RelatedTitleType.HOST and res.type is ResourceType.BOOK_CHAPTER:
        _sub(el, "genre", "book", authority="marcgt")
    for ident in rel.identifiers:
        _identifier(el, ident)
    c = res.citation
    if kind == "series":
        _part(el, rel.volume, rel.part, "", "")
    elif carries_part:
        _part(el, c.volume or rel.volume, c.part or rel.part, c.start_page, c.end_page)


def _extension(parent: etree._Element, ext: Extension) -> None:
    _sub(parent, "extension").append(parse_untrusted(ext.xml.encode("utf-8"), source="extension"))


def _fill(el: etree._Element, res: Resource) -> None:
    """Write the MODS elements describing ``res`` into ``el`` (a mods or relatedItem)."""
    c = res.citation
    _titled(el, c.title)
    for creator in c.creators:
        _name(el, creator)
    type_of, genre, authority = _TYPE_TERMS[res.type]
    _text_child(el, "typeOfResource", type_of)
    _text_child(el, "genre", genre, authority=authority)
    origin = _sub(el, "originInfo")
    if clean_text(c.publication_place).strip():
        _sub(_sub(origin, "place"), "placeTerm", c.publication_place, type="text")
    _text_child(origin, "publisher", c.publisher)
    _text_child(origin, "dateIssued", c.publication_date, keyDate="yes")
    _text_child(origin, "edition", c.edition)
    if len(origin) == 0:
        el.remove(origin)
    _language(el, res.language)
    if clean_text(res.format).strip():
        _sub(_sub(el, "physicalDescription"), "internetMediaType", res.format)
    _text_child(el, "abstract", res.description)
    for note in res.annotations:
        _note(el, note)
    for subject in res.subjects:
        if clean_text(subject).strip():
            _sub(_sub(el, "subject"), "topic", subject)
    _text_child(el, "accessCondition", res.rights)
    for ident in c.identifiers:
        _identifier(el, ident)
    for loc in res.locations:
        _location(el, loc)
    container = next((r for r in c.related_titles if r.type is not RelatedTitleType.SERIES), None)
    for rel in c.related_titles:
        _related(el, res, rel, rel is container)
    if container is None:
        _part(el, c.volume, c.part, c.start_page, c.end_page)
    for ext in res.extensions:
        _extension(el, ext)
    if clean_text(res.identifier).strip():
        _sub(_sub(el, "recordInfo"), "recordIdentifier", res.identifier)
    if len(el) == 0:  # MODS wants at least one element; an empty title says "nothing known"
        _sub(_sub(el, "titleInfo"), "title")


def _language(el: etree._Element, language: str) -> None:
    if not clean_text(language).strip():
        return
    if _LANGUAGE_CODE.match(language):
        authority = _language_authority(language)
        _sub(_sub(el, "language"), "languageTerm", language, type="code", authority=authority)
    else:
        _sub(_sub(el, "language"), "languageTerm", language, type="text")


def _language_authority(code: str) -> str:
    """The MODS authority of a language code: a bare three-letter code is ISO 639-2/B (the
    MARC codes catalogues write: eng, fre, ger), or ISO 639-3 for a 639-2/T-only one (fra);
    any other (en, en-GB, fr) is a BCP 47 tag."""
    if not _THREE_LETTERS.match(code):
        return "rfc5646"
    return "iso639-3" if code.lower() in ISO639_2_T_ONLY else "iso639-2b"


def _root() -> etree._Element:
    root = etree.Element(_M + "mods", nsmap={"mods": MODS_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{MODS_NS} {MODS_SCHEMA}")
    return root


def write_resource(res: Resource) -> etree._Element:
    """A ``mods:mods`` record for ``res``, valid against MODS 3.8 and 3.7."""
    root = _root()
    _fill(root, res)
    return root


def _item(parent: etree._Element, item: Item) -> None:
    el = _sub(parent, "relatedItem", type="constituent")
    if isinstance(item.content, Section):
        section = item.content
        _titled(el, section.title)
        _sub(el, "genre", SECTION_GENRE)
        _text_child(el, "abstract", section.description)
        for child in section.items:
            _item(el, child)
    else:
        _fill(el, item.content)
    for note in item.annotations:
        _note(el, note, ITEM_NOTE_PREFIX)
    _text_child(el, "identifier", item.id, type=ITEM_ID_TYPE)


def write_list(lst: ResourceList) -> etree._Element:
    """The list as one ``mods:mods``: its items as ``relatedItem type="constituent"``.

    Sections become constituents holding constituents. Raises CrosswalkError
    for a list without identifier.
    """
    if not clean_text(lst.identifier).strip():
        raise CrosswalkError("a list needs an identifier to be written as MODS")
    root = _root()
    _titled(root, lst.title)
    if clean_text(lst.owner).strip():
        owner = _sub(root, "name")
        _sub(owner, "namePart", lst.owner)
        _sub(_sub(owner, "role"), "roleTerm", OWNER_CODE, type="code", authority="marcrelator")
    _sub(root, "typeOfResource", "text")
    _sub(root, "genre", LIST_GENRE, authority="marcgt")
    origin = _sub(root, "originInfo")
    _text_child(origin, "dateCreated", lst.created)
    _text_child(origin, "dateModified", lst.modified)
    if len(origin) == 0:
        root.remove(origin)
    _language(root, lst.language)
    _text_child(root, "abstract", lst.description)
    for note in lst.annotations:
        _note(root, note)
    for course in lst.courses:
        if clean_text(course).strip():
            _sub(_sub(root, "subject"), "topic", course)
    _text_child(root, "accessCondition", lst.rights)
    for item in lst.items:
        _item(root, item)
    for ext in lst.extensions:
        _extension(root, ext)
    _sub(_sub(root, "recordInfo"), "recordIdentifier", lst.identifier)
    return root
