"""The metadata format registry, keyed by OAI metadataPrefix.

Each :class:`MetadataFormat` names its namespace, schema location, root
element and the module holding both directions of its crosswalk. Modules are
resolved when first used, so the registry is one table and importing it is
cheap. The provider offers every entry; the harvester reads every entry.

Reader and writer contracts (every module listed here provides them):
``read_resource(el) -> Converted[Resource]``, ``write_resource(res) -> element``,
``write_list(lst) -> element``, and where the format can hold a list,
``read_list(el) -> Converted[ResourceList]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from lxml import etree

from crosswalks.rli import Converted, Resource, ResourceList


class UnknownFormat(KeyError):
    """No format is registered under that metadataPrefix."""


@dataclass(frozen=True)
class MetadataFormat:
    """One metadata format: its OAI description and where its crosswalk lives."""

    prefix: str
    namespace: str
    schema: str
    root: str
    module: str
    schema_name: str
    also_reads: tuple[str, ...] = ()  # other namespaces its reader takes (IMS MD 1.2 for LOM)

    def reads_namespace(self, namespace: str | None) -> bool:
        """True if records whose root is in ``namespace`` are read by this format's reader."""
        return namespace == self.namespace or namespace in self.also_reads

    def _module(self) -> ModuleType:
        return importlib.import_module(self.module)

    def read_resource(self, el: etree._Element) -> Converted[Resource]:
        fn: Callable[[etree._Element], Converted[Resource]] = self._module().read_resource
        return fn(el)

    def read_list(self, el: etree._Element) -> Converted[ResourceList]:
        fn: Callable[[etree._Element], Converted[ResourceList]] = self._module().read_list
        return fn(el)

    def can_read_list(self, el: etree._Element) -> bool:
        """True if ``el`` holds a whole list in this format (collection, aggregation, RLI list)."""
        fn: Callable[[etree._Element], bool] | None = getattr(self._module(), "holds_list", None)
        return bool(fn(el)) if fn is not None else False

    def write_resource(self, res: Resource) -> etree._Element:
        fn: Callable[[Resource], etree._Element] = self._module().write_resource
        return fn(res)

    def write_module(self) -> str:
        """The module whose code writes this format's lists (``write_list``'s own)."""
        return str(self._module().write_list.__module__)

    def write_list(self, lst: ResourceList) -> etree._Element:
        fn: Callable[[ResourceList], etree._Element] = self._module().write_list
        return fn(lst)


FORMATS: dict[str, MetadataFormat] = {
    f.prefix: f
    for f in (
        MetadataFormat(
            prefix="oai_dc",
            namespace="http://www.openarchives.org/OAI/2.0/oai_dc/",
            schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            root="dc",
            module="crosswalks.dc",
            schema_name="oai_dc",
        ),
        MetadataFormat(
            prefix="rli",
            namespace="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0",
            schema="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0.xsd",
            root="resourceList",
            module="crosswalks.rli.format",
            schema_name="rli",
        ),
        MetadataFormat(
            prefix="mods",
            namespace="http://www.loc.gov/mods/v3",
            schema="http://www.loc.gov/standards/mods/v3/mods-3-8.xsd",
            root="mods",
            module="crosswalks.mods.format",
            schema_name="mods",
        ),
        MetadataFormat(
            prefix="lom",
            namespace="http://ltsc.ieee.org/xsd/LOM",
            schema="http://ltsc.ieee.org/xsd/lomv1.0/lomLoose.xsd",
            root="lom",
            module="crosswalks.lom.format",
            schema_name="lom",
            also_reads=(
                "http://www.imsglobal.org/xsd/imsmd_v1p2",
                "http://dpc.uba.uva.nl/schema/lom/triplel",
            ),
        ),
    )
}


def get_format(prefix: str) -> MetadataFormat:
    """The format registered as ``prefix``; raises UnknownFormat."""
    try:
        return FORMATS[prefix]
    except KeyError as exc:
        raise UnknownFormat(prefix) from exc


def format_for_namespace(namespace: str) -> MetadataFormat | None:
    """The registered format that reads records in ``namespace``, if any."""
    for fmt in FORMATS.values():
        if fmt.reads_namespace(namespace):
            return fmt
    return None


def record_format(prefix: str | None, namespace: str) -> MetadataFormat | None:
    """The format that reads a harvested record: its source's ``prefix``'s or, for a
    source removed since (``rli source remove`` keeps its records), its namespace's."""
    return get_format(prefix) if prefix is not None else format_for_namespace(namespace)
