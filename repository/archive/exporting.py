"""Exporting an archived list in any format rli writes.

``rli`` is the archived document byte for byte; ``oai_dc``, ``mods`` and
``lom`` come from the format registry's list writers; ``ris``, ``bibtex`` and
``csl-json`` are citation exports of the list's resources; ``ims-cp`` is an IMS
Content Package holding the archived document.

With ``history``, a package holds every version of each list: version ``n``
byte for byte as the package resource ``<list id>/v<n>`` (a ``/`` never
occurs in a list identifier), and the list's own resource is its latest
version with ``rlix:history`` filled in (number, archived-at, sha256, editor
and note of every version, and the deletion that followed it, if one did; each
``url`` names that version's resource), so ``rli import`` restores the whole
history (:func:`repository.archive.importing`), deletions and restores included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from crosswalks.registry import get_format
from crosswalks.rli import ResourceList, binding
from repository.archive.events import with_deletions
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
        return writer(citations.cited(lst.items)).encode("utf-8")

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


def export_package(archive: Archive, list_ids: list[str], *, history: bool = False) -> bytes:
    """An IMS Content Package holding the latest archived document of each list.

    With ``history``, every version of each list (see module docstring).
    """
    from crosswalks import ims_cp

    if not history:
        return ims_cp.write_package([(i, archive.document(i)) for i in list_ids])
    documents: list[tuple[str, bytes]] = []
    for list_id in list_ids:
        versions = [replace(v, url=version_entry(list_id, v.version))
                    for v in with_deletions(archive, list_id)]
        latest = replace(archive.get(list_id), history=tuple(versions))
        documents.append((list_id, binding.write_list(latest)))
        documents += [(v.url, archive.document(list_id, v.version)) for v in versions]
    return ims_cp.write_package(documents)


def version_entry(list_id: str, version: int) -> str:
    """The package resource identifier of a list's version in a ``history`` package."""
    return f"{list_id}/v{version}"
