"""The ``rli`` metadata format seen through the registry's reader/writer contract.

Lossless for rli's own documents: the RLI model and its XML binding carry every
field, so ``losses`` is empty. RLI that other systems wrote (the public shape,
see :mod:`crosswalks.rli.public`) is read leniently; ``losses`` then says what
could not be kept and ``supplied`` what was filled in.
"""

from __future__ import annotations

from lxml import etree

from crosswalks.rli import binding as rli_binding
from crosswalks.rli.model import Converted, Resource, ResourceList
from crosswalks.rli.public import read_public_element, read_public_resource


def holds_list(el: etree._Element) -> bool:
    """True if ``el`` is an ``rli:resourceList``."""
    return bool(el.tag == f"{{{rli_binding.RLI_NS}}}resourceList")


def read_resource(el: etree._Element) -> Converted[Resource]:
    return read_public_resource(el)


def read_list(el: etree._Element) -> Converted[ResourceList]:
    got = read_public_element(el)
    return Converted(got.value, got.unread, got.supplied)


def write_resource(res: Resource) -> etree._Element:
    return rli_binding.resource_to_element(res)


def write_list(lst: ResourceList) -> etree._Element:
    return rli_binding.list_to_element(lst)
