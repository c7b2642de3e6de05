"""The ``rli`` metadata format seen through the registry's reader/writer contract.

Lossless: the RLI model and its XML binding carry every field, so ``losses`` is
always empty.
"""

from __future__ import annotations

from lxml import etree

from crosswalks.rli import binding as rli_binding
from crosswalks.rli.model import Converted, Resource, ResourceList


def holds_list(el: etree._Element) -> bool:
    """True if ``el`` is an ``rli:resourceList``."""
    return bool(el.tag == f"{{{rli_binding.RLI_NS}}}resourceList")


def read_resource(el: etree._Element) -> Converted[Resource]:
    return Converted(rli_binding.element_to_resource(el))


def read_list(el: etree._Element) -> Converted[ResourceList]:
    return Converted(rli_binding.element_to_list(el))


def write_resource(res: Resource) -> etree._Element:
    return rli_binding.resource_to_element(res)


def write_list(lst: ResourceList) -> etree._Element:
    return rli_binding.list_to_element(lst)
