"""RLI -> IEEE LOM (valid against lomLoose): the writing half of :mod:`crosswalks.lom.format`.

Every string passes through ``clean_text``; language codes that are not
``xs:language`` and dates that are not LOM DateTime are written as free text
(``date/description``) or left out, so the result always validates.
"""

from __future__ import annotations

import re

from lxml import etree

from crosswalks.dc.strings import format_source
from crosswalks.errors import CrosswalkError
from crosswalks.lom.read import CATALOG_TYPES, ITEM_CATALOG, LOM_NS, OWN_CATALOG, RLI_VOCAB, ROLES
from crosswalks.rli import (
    Annotation,
    CreatorRole,
    Item,
    LocationType,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    StandardIdentifier,
    iter_resources,
)
from crosswalks.xmlsafe import clean_text

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
LOM_SCHEMA = "http://ltsc.ieee.org/xsd/lomv1.0/lomLoose.xsd"
_L = f"{{{LOM_NS}}}"
_LOM_VOCAB = "LOMv1.0"
_ROLE_VALUE: dict[CreatorRole, str] = {role: word for word, role in reversed(ROLES.items())}
_CATALOG_OF: dict[object, str] = {kind: name.upper() for name, kind in CATALOG_TYPES.items()}
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_DATETIME = re.compile(
    r"^(?!0000)\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])"
    r"(?:T(?:[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:\.\d+(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?)?)?)?)?)?$"
)
_VCARD_ESCAPE = re.compile(r"([\\,;])")


def _has(text: str) -> bool:
    return bool(clean_text(text).strip())


def _sub(parent: etree._Element, name: str, text: str = "") -> etree._Element:
    el = etree.SubElement(parent, _L + name)
    if text:
        el.text = clean_text(text)
    return el


def _lang_string(parent: etree._Element, name: str, text: str, language: str = "") -> None:
    if not _has(text):
        return
    string = _sub(_sub(parent, name), "string", text)
    if _LANGUAGE.match(language):
        string.set("language", language)


def _vocab(parent: etree._Element, name: str, source: str, value: str) -> None:
    el = _sub(parent, name)
    _sub(el, "source", source)
    _sub(el, "value", value)


def _date(parent: etree._Element, value: str) -> None:
    if not _has(value):
        return
    date = _sub(parent, "date")
    if _DATETIME.match(value.strip()):
        _sub(date, "dateTime", value.strip())
    else:
        _lang_string(date, "description", value)


def _escape(value: str) -> str:
    return _VCARD_ESCAPE.sub(r"\\\1", " ".join(clean_text(value).replace("\\n", " ").split()))


def vcard(name: str, *, organisation: bool = False, place: str = "") -> str:
    """A vCard 3.0 for ``name`` ("Family, Given" gives N too; ``place`` goes in ADR locality)."""
    family, _, given = name.partition(", ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}"]
    if organisation:
        lines.append(f"ORG:{_escape(name)}")
    elif given:
        lines.append(f"N:{_escape(family)};{_escape(given)};;;")
    if _has(place):
        lines.append(f"ADR:;;;{_escape(place)};;;")
    lines.append("END:VCARD")
    return "\n".join(lines)


def _contribute(
    parent: etree._Element, role: str, name: str, date: str, *, org: bool = False, place: str = ""
) -> None:
    el = _sub(parent, "contribute")
    _vocab(el, "role", _LOM_VOCAB, role)
    if _escape(name):  # a name of nothing but "\\n" escapes to none: no entity at all
        _sub(el, "entity", vcard(name, organisation=org, place=place))
    _date(el, date)


def _identifier(parent: etree._Element, catalog: str, entry: str) -> None:
    if _has(entry):
        ident = _sub(parent, "identifier")
        _sub(ident, "catalog", catalog)
        _sub(ident, "entry", entry)


def _catalog(ident: StandardIdentifier) -> str:
    return _CATALOG_OF.get(ident.type, "other")


def _root() -> etree._Element:
    root = etree.Element(_L + "lom", nsmap={None: LOM_NS, "xsi": XSI_NS})  # type: ignore[dict-item]
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{LOM_NS} {LOM_SCHEMA}")
    return root


def _general(root: etree._Element, res: Resource) -> None:
    general = _sub(root, "general")
    _identifier(general, OWN_CATALOG, res.identifier)
    for ident in res.citation.identifiers:
        _identifier(general, _catalog(ident), ident.value)
    _lang_string(general, "title", res.citation.title, res.language)
    if _LANGUAGE.match(res.language):
        _sub(general, "language", res.language)
    _lang_string(general, "description", res.description, res.language)
    for subject in res.subjects:
        _lang_string(general, "keyword", subject, res.language)


def _life_cycle(root: etree._Element, res: Resource) -> None:
    c = res.citation
    cycle = _sub(root, "lifeCycle")
    _lang_string(cycle, "version", c.edition, res.language)
    date_written = False
    if _has(c.publisher):
        _contribute(
            cycle, "publisher", c.publisher, c.publication_date, org=True, place=c.publication_place
        )
        date_written = True
    for creator in c.creators:
        if _has(creator.name):
            date = "" if date_written else c.publication_date
            _contribute(cycle, _ROLE_VALUE[creator.role], creator.name, date)
            date_written = True
    if not date_written and _has(c.publication_date):
        _contribute(cycle, "publisher", "", c.publication_date)
    if len(cycle) == 0:
        root.remove(cycle)


def _relations(root: etree._Element, res: Resource) -> None:
    c = res.citation
    container = next((r for r in c.related_titles if r.type is not RelatedTitleType.SERIES), None)
    for rel in c.related_titles:
        if rel.type is RelatedTitleType.SERIES:
            text = f"Series: {rel.title}" + (f" ; {rel.volume}" if rel.volume else "")
        else:
            host = rel.type is RelatedTitleType.HOST
            parts = (c.volume, c.part, c.start_page, c.end_page) if rel is container else ("",) * 4
            text = format_source(rel.title, *parts, host=host)
        _relation(root, "ispartof", text, rel.identifiers)
    if container is None and any(_has(v) for v in (c.volume, c.part, c.start_page)):
        text = format_source("", c.volume, c.part, c.start_page, c.end_page)
        _relation(root, "ispartof", text, ())


def _relation(
    root: etree._Element, kind: str, text: str, idents: tuple[StandardIdentifier, ...]
) -> None:
    relation = _sub(root, "relation")
    _vocab(relation, "kind", _LOM_VOCAB, kind)
    resource = _sub(relation, "resource")
    for ident in idents:
        _identifier(resource, _catalog(ident), ident.value)
    _lang_string(resource, "description", text)


def _annotation(root: etree._Element, note: Annotation) -> None:
    el = _sub(root, "annotation")
    if _has(note.author):
        _sub(el, "entity", vcard(note.author))
    _date(el, note.date)
    _lang_string(el, "description", note.text)


def write_resource(res: Resource) -> etree._Element:
    """A ``lom`` element for ``res``, valid against lomLoose (losses: see crosswalks.lom.format)."""
    root = _root()
    _general(root, res)
    _life_cycle(root, res)
    urls = [loc.locator for loc in res.locations if loc.type is not LocationType.SHELFMARK]
    if _has(res.format) or any(_has(u) for u in urls):
        technical = _sub(root, "technical")
        if _has(res.format):
            _sub(technical, "format", res.format)
        for url in urls:
            if _has(url):
                _sub(technical, "location", url)
    if res.type is not ResourceType.OTHER:
        _vocab(_sub(root, "educational"), "learningResourceType", RLI_VOCAB, res.type.value)
    if _has(res.rights):
        _lang_string(_sub(root, "rights"), "description", res.rights, res.language)
    _relations(root, res)
    for note in res.annotations:
        _annotation(root, note)
    return root


def _member(root: etree._Element, item: Item, res: Resource) -> None:
    relation = _sub(root, "relation")
    _vocab(relation, "kind", _LOM_VOCAB, "haspart")
    resource = _sub(relation, "resource")
    _identifier(resource, ITEM_CATALOG, item.id)
    for ident in res.citation.identifiers:
        _identifier(resource, _catalog(ident), ident.value)
    for loc in res.locations:
        if loc.type is LocationType.URL:
            _identifier(resource, "URI", loc.locator)
    _lang_string(resource, "description", res.citation.title)


def write_list(lst: ResourceList) -> etree._Element:
    """The list as a LOM aggregation (aggregationLevel 2), one haspart relation per resource.

    Raises CrosswalkError for a list without identifier. Sections are
    flattened; of each resource only title, identifiers and URLs are kept.
    """
    if not clean_text(lst.identifier).strip():
        raise CrosswalkError("a list needs an identifier to be written as LOM")
    root = _root()
    general = _sub(root, "general")
    _identifier(general, OWN_CATALOG, lst.identifier)
    _lang_string(general, "title", lst.title, lst.language)
    if _LANGUAGE.match(lst.language):
        _sub(general, "language", lst.language)
    _lang_string(general, "description", lst.description, lst.language)
    for course in lst.courses:
        _lang_string(general, "keyword", course, lst.language)
    _vocab(general, "aggregationLevel", _LOM_VOCAB, "2")
    if _has(lst.owner) or _has(lst.modified or lst.created):
        _contribute(_sub(root, "lifeCycle"), "author", lst.owner, lst.modified or lst.created)
    if _has(lst.rights):
        _lang_string(_sub(root, "rights"), "description", lst.rights, lst.language)
    for item, res in iter_resources(lst.items):
        _member(root, item, res)
    for note in lst.annotations:
        _annotation(root, note)
    return root
