"""Exporting an archived list in any format rli writes.

``rli`` is the archived document byte for byte; ``oai_dc``, ``mods`` and
``lom`` come from the format registry's list writers; ``ris``, ``bibtex`` and
``csl-json`` are citation exports of the list's resources; ``ims-cp`` is an IMS
Content Package holding the archived document.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from crosswalks.registry import get_format
from crosswalks.rli import ResourceList, iter_resources
from repository.archive.store import Archive


class ExportError(ValueError):
    pass


def _xml(el: etree._Element) -> bytes:
    return bytes(etree.tostring(el, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _registry(prefix: str) -> Callable[[Archive, str, int | None], bytes]:
    def export(archive: Archive, list_id: str, version: int | None) -> bytes:
        return _xml(get_format(prefix).write_list(archive.get(list_id, version)))

    return export


def _citations(name: str) -> Callable[[Archive, str, int | None], bytes]:
    def export(archive: Archive, list_id: str, version: int | None) -> bytes:
        from crosswalks import citations

        writer: Callable[[list], str] = getattr(citations, name)  # type: ignore[type-arg]
        lst: ResourceList = archive.get(list_id, version)
        return writer([res for _, res in iter_resources(lst.items)]).encode("utf-8")

    return export


def _ims_cp(archive: Archive, list_id: str, version: int | None) -> bytes:
    from crosswalks import ims_cp

    return ims_cp.write_package([(list_id, archive.document(list_id, version))])


EXPORTERS: dict[str, Callable[[Archive, str, int | None], bytes]] = {
    "rli": lambda archive, list_id, version: archive.document(list_id, version),
    "oai_dc": _registry("oai_dc"),
    "mods": _registry("mods"),
    "lom": _registry("lom"),
    "ris": _citations("to_ris"),
    "bibtex": _citations("to_bibtex"),
    "csl-json": _citations("to_csl_json"),
    "ims-cp": _ims_cp,
}


def export_list(archive: Archive, list_id: str, fmt: str, version: int | None = None) -> bytes:
    """The list (a version of it, latest if None) in format ``fmt``.

    Raises ExportError for an unknown format, and the archive's errors for an
    unknown list or version.
    """
    try:
        exporter = EXPORTERS[fmt]
    except KeyError as exc:
        raise ExportError(f"unknown export format {fmt!r}") from exc
    return exporter(archive, list_id, version)


def export_package(archive: Archive, list_ids: list[str]) -> bytes:
    """An IMS Content Package holding the latest archived document of each list."""
    from crosswalks import ims_cp

    return ims_cp.write_package([(i, archive.document(i)) for i in list_ids])
