"""OAI provenance for harvested records: one ``originDescription`` per hop.

Built with lxml in the namespace http://www.openarchives.org/OAI/2.0/provenance;
if the harvested record carried its own ``<about><provenance>``, its
``originDescription`` is nested inside ours (one more hop), as the OAI
provenance guidelines describe. Nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy

from lxml import etree

from crosswalks.oai_file import provenance_date
from crosswalks.xmlsafe import clean_text, parse_untrusted
from harvester.shared.protocol import PROVENANCE_NS

_P = f"{{{PROVENANCE_NS}}}"

# Child elements of originDescription, in schema order.
FIELDS: tuple[str, ...] = ("baseURL", "identifier", "datestamp", "metadataNamespace")


def origin_description(
    *,
    base_url: str,
    identifier: str,
    datestamp: str,
    metadata_namespace: str,
    harvest_date: str,
    altered: bool,
    about: Sequence[etree._Element] = (),
) -> etree._Element:
    """The ``prov:originDescription`` for one harvested record (earlier hops nested).

    A datestamp the provenance schema would refuse (``20210311``: providers send such)
    is written as its date where it names one, else as the harvest date."""
    el = etree.Element(f"{_P}originDescription", nsmap={"prov": PROVENANCE_NS})
    el.set("harvestDate", clean_text(harvest_date))
    el.set("altered", "true" if altered else "false")
    datestamp = provenance_date(datestamp) or clean_text(harvest_date)
    values = (base_url, identifier, datestamp, metadata_namespace)
    for name, value in zip(FIELDS, values):
        etree.SubElement(el, f"{_P}{name}").text = clean_text(value)
    earlier = earlier_hop(about)
    if earlier is not None:
        el.append(deepcopy(earlier))
    return el


def earlier_hop(about: Sequence[etree._Element]) -> etree._Element | None:
    """The originDescription inside a record's own ``<about><provenance>``, if any."""
    for container in about:
        if container.tag == f"{_P}provenance":
            found = container.find(f"{_P}originDescription")
            if found is not None:
                return found
    return None


def altered(origin: bytes | None) -> bytes | None:
    """A stored ``prov:originDescription`` marked ``altered="true"`` (changed since)."""
    if origin is None:
        return None
    el = parse_untrusted(bytes(origin), source="provenance")
    if el.get("altered") == "true":
        return bytes(origin)
    el.set("altered", "true")
    return origin_bytes(el)


def origin_bytes(el: etree._Element) -> bytes:
    return bytes(etree.tostring(el, encoding="UTF-8"))
