"""Where an item picked from the harvest came from: source, OAI identifier, datestamp, hash.

Stand-in until the RLI model has an item-origin field of its own: the origin
travels as one foreign element on the resource's extensions (kept verbatim by
the binding, so it is archived with the version and read back)::

    <o:origin xmlns:o="urn:x-rli:item-origin:1.0" source="library"
              identifier="oai:lib:42" datestamp="2026-01-05T09:00:00Z" sha256="..."/>

``sha256`` is the harvest log's hash of the raw record (header, metadata,
about). Only :func:`with_origin` and :func:`origin_of` know this shape, so
moving to a model field changes this module alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlite_utils
from lxml import etree

from crosswalks.rli import Extension, Resource
from crosswalks.xmlsafe import parse_untrusted
from harvester.query import harvested_resource

ORIGIN_NS = "urn:x-rli:item-origin:1.0"
_TAG = f"{{{ORIGIN_NS}}}origin"
_FIELDS = ("source", "identifier", "datestamp", "sha256")


@dataclass(frozen=True)
class ItemOrigin:
    """The harvested record a resource was taken from."""

    source: str
    identifier: str
    datestamp: str
    sha256: str


def with_origin(res: Resource, origin: ItemOrigin) -> Resource:
    """``res`` carrying ``origin`` (replacing any origin it carried)."""
    el = etree.Element(_TAG, nsmap={"o": ORIGIN_NS})
    for name in _FIELDS:
        el.set(name, getattr(origin, name))
    xml = etree.tostring(el, method="c14n", exclusive=True, with_comments=True)
    kept = tuple(e for e in res.extensions if _origin_element(e) is None)
    return replace(res, extensions=(*kept, Extension(bytes(xml).decode("utf-8"))))


def picked(db: sqlite_utils.Database, resource_id: str) -> Resource:
    """The harvested resource ``SOURCE:OAI_IDENTIFIER`` as a list item's content, with its origin.

    What ``rli edit --add-resource`` and the search page's "add to list" append.
    Raises SourceError if there is no such live, readable record.
    """
    found = harvested_resource(db, resource_id)
    origin = ItemOrigin(found.source, found.identifier, found.datestamp, found.sha256)
    return with_origin(found.resource, origin)


def origin_of(res: Resource) -> ItemOrigin | None:
    """The origin ``res`` carries, None if it was not taken from the harvest."""
    for ext in res.extensions:
        el = _origin_element(ext)
        if el is not None:
            return ItemOrigin(*(el.get(name, "") for name in _FIELDS))
    return None


def _origin_element(ext: Extension) -> etree._Element | None:
    if f'"{ORIGIN_NS}"' not in ext.xml:
        return None
    el = parse_untrusted(ext.xml.encode("utf-8"), source="extension")
    return el if el.tag == _TAG else None
