"""The ``rli`` metadata format seen through the registry's reader/writer contract.

Lossless: the RLI model and its XML binding carry every field, so ``losses`` is
always empty.
"""

from __future__ import annotations

from lxml import etree

from crosswalks import rli_xml
from crosswalks.rli import Converted, Resource, ResourceList


def holds_list(el: etree._Element) -> bool:
    """True if ``el`` is an ``rli:resourceList``."""
    return bool(el.tag == f"{{{rli_xml.RLI_NS}}}resourceList")


def read_resource(el: etree._Element) -> Converted[Resource]:
    return Converted(rli_xml.element_to_resource(el))


def read_list(el: etree._Element) -> Converted[ResourceList]:
    return Converted(rli_xml.element_to_list(el))


def write_resource(res: Resource) -> etree._Element:
    return rli_xml.resource_to_element(res)


def write_list(lst: ResourceList) -> etree._Element:
    return rli_xml.list_to_element(lst)
