"""RLI -> unqualified Dublin Core (``oai_dc``): the writing half (losses: ``dc.read``).

Imports nothing of the reader (its saved payloads depend on this side only).
"""

from __future__ import annotations

from lxml import etree

from crosswalks.dc.names import DC as _DC
from crosswalks.dc.names import NSMAP as _NSMAP
from crosswalks.dc.names import OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS
from crosswalks.dc.names import ROOT as _ROOT
from crosswalks.dc.names import TYPE_LABELS as _TYPE_LABELS
from crosswalks.dc.strings import format_source, write_identifier
from crosswalks.errors import CrosswalkError
from crosswalks.rli import (
    CreatorRole,
    LocationType,
    RelatedTitleType,
    Resource,
    ResourceList,
    iter_resources,
)
from crosswalks.xmlsafe import clean_text


def _root() -> etree._Element:
    root = etree.Element(_ROOT, nsmap=_NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    return root


def _add(root: etree._Element, name: str, value: str) -> None:
    text = clean_text(value)
    if text.strip():
        etree.SubElement(root, _DC + name).text = text


def _source_line(res: Resource) -> str:
    c = res.citation
    container = next(
        (r for r in c.related_titles if r.type is not RelatedTitleType.SERIES), None
    )
    title = container.title if container else ""
    host = container is not None and container.type is RelatedTitleType.HOST
    return format_source(title, c.volume, c.part, c.start_page, c.end_page, host=host)


def write_resource(res: Resource) -> etree._Element:
    """An ``oai_dc:dc`` element for ``res``, valid against oai_dc.xsd (losses: see module table)."""
    root = _root()
    c = res.citation
    _add(root, "title", c.title)
    for creator in c.creators:
        if creator.role is CreatorRole.AUTHOR:
            _add(root, "creator", creator.name)
        elif creator.role is CreatorRole.CONTRIBUTOR:
            _add(root, "contributor", creator.name)
        else:
            _add(root, "contributor", f"{creator.name} ({creator.role.value})")
    for subject in res.subjects:
        _add(root, "subject", subject)
    _add(root, "description", res.description)
    if c.publisher:
        place = f"{c.publication_place}: " if c.publication_place else ""
        _add(root, "publisher", place + c.publisher)
    _add(root, "date", c.publication_date)
    _add(root, "type", _TYPE_LABELS.get(res.type, ""))
    _add(root, "format", res.format)
    _add(root, "identifier", res.identifier)
    for ident in c.identifiers:
        _add(root, "identifier", write_identifier(ident))
    for rel in c.related_titles:
        for ident in rel.identifiers:
            _add(root, "identifier", write_identifier(ident))
    for loc in res.locations:
        if loc.type is not LocationType.SHELFMARK:
            _add(root, "identifier", loc.locator)
    _add(root, "source", _source_line(res))
    _add(root, "language", res.language)
    for rel in c.related_titles:
        if rel.type is RelatedTitleType.SERIES:
            volume = f" ; {rel.volume}" if rel.volume else ""
            _add(root, "relation", f"Series: {rel.title}{volume}")
    _add(root, "rights", res.rights)
    return root


def citation_line(res: Resource) -> str:
    """A short human citation: ``Creators (date). Title. Source.``"""
    c = res.citation
    names = "; ".join(cr.name for cr in c.creators[:3])
    names += "; et al." if len(c.creators) > 3 else ""
    head = f"{names} ({c.publication_date})" if c.publication_date else names
    pieces = [p for p in (head, c.title, _source_line(res), c.publisher) if p]
    return ". ".join(pieces)


def write_list(lst: ResourceList) -> etree._Element:
    """The list as one ``oai_dc:dc`` record: its own metadata plus one dc:relation per resource.

    Raises CrosswalkError for a list without identifier. Sections, item ids and
    annotations are lost.
    """
    if not clean_text(lst.identifier).strip():
        raise CrosswalkError("a list needs an identifier to be written as oai_dc")
    root = _root()
    _add(root, "title", lst.title)
    _add(root, "creator", lst.owner)
    for course in lst.courses:
        _add(root, "subject", course)
    _add(root, "description", lst.description)
    _add(root, "date", lst.modified or lst.created)
    _add(root, "type", "Collection")
    _add(root, "identifier", lst.identifier)
    _add(root, "language", lst.language)
    for _item, res in iter_resources(lst.items):
        _add(root, "relation", citation_line(res))
    _add(root, "rights", lst.rights)
    return root
