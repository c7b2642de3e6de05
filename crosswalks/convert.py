"""Converting one record or list file between formats (``rli convert``).

Input formats are the registry's (``oai_dc``, ``mods``, ``lom``, ``rli``);
outputs are those plus ``openurl`` (one KEV link per resource), ``ris``,
``bibtex`` and ``csl-json``. A file that holds a whole list (an RLI
resourceList, a MODS collection or a LOM aggregation) converts as a list where
the target can hold one; otherwise each resource converts on its own. An
OAI-PMH ListRecords/GetRecord response or an ``rli harvest -o`` dump converts
as one list of its records (see :mod:`crosswalks.oai_file`), whatever ``from_``.
The losses are the reader's, then what the target's writer could not carry
(``written as mods: ...``, :mod:`crosswalks.written`; XML targets only).

Exception tree::

    ConversionError    the input cannot be read as the named format, or the target is unknown
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from crosswalks.errors import CrosswalkError
from crosswalks.oai_file import HarvestFile, holds_records, read_records
from crosswalks.registry import UnknownFormat, get_format
from crosswalks.rli import Item, Resource, ResourceList, Section
from crosswalks.written import list_losses, resource_losses
from crosswalks.xmlsafe import XMLInputError, parse_untrusted


class ConversionError(ValueError):
    pass


@dataclass(frozen=True)
class Conversion:
    """The converted bytes, what the reading crosswalk dropped or approximated (then what
    the writer could not carry) and what was filled in."""

    data: bytes
    losses: tuple[str, ...] = ()
    supplied: tuple[str, ...] = ()


def _xml(el: etree._Element) -> bytes:
    return bytes(etree.tostring(el, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _text_exports() -> dict[str, Callable[[Sequence[Resource]], str]]:
    from crosswalks import citations

    return {"ris": citations.to_ris, "bibtex": citations.to_bibtex,
            "csl-json": citations.to_csl_json}


TEXT_TARGETS = ("openurl", "ris", "bibtex", "csl-json")
XML_TARGETS = ("rli", "oai_dc", "mods", "lom")


def convert(
    data: bytes, from_: str, to: str, *, resolver: str = "", name: str = "input",
    source: str = "",
) -> Conversion:
    """Convert ``data`` (a ``from_`` document) to format ``to``.

    ``resolver`` is the OpenURL link-resolver base; without it ``openurl``
    gives bare KEV query strings. A list read without identifier, title or
    owner (a bare MODS collection) gets ``name`` / ``name`` / ``unknown``.
    Raises ConversionError, whose message starts with ``source`` when it is about the input.
    """
    if to not in TEXT_TARGETS + XML_TARGETS:
        raise ConversionError(f"unknown target format {to!r}")
    try:
        fmt = get_format(from_)
        root = parse_untrusted(data, source=source or name)
        if holds_records(root):
            return _convert_records(read_records(root), to, resolver, name)
        if not fmt.reads_namespace(etree.QName(root).namespace):
            raise ConversionError(
                f"{source or name}: line {root.sourceline}: root element {root.tag} is not {from_}"
            )
        if fmt.can_read_list(root):
            got_list = fmt.read_list(root)
            lst, supplied = supply(got_list.value, name=name, owner="unknown")
            return Conversion(_write_list(lst, to, resolver),
                              got_list.losses + _list_written(lst, to),
                              got_list.supplied + supplied)
        got = fmt.read_resource(root)
        return Conversion(_write_resources([got.value], to, resolver),
                          got.losses + _resource_written(got.value, to))
    except (UnknownFormat, XMLInputError, CrosswalkError, ValueError) as exc:
        if isinstance(exc, ConversionError):
            raise
        # a KeyError's str() is the repr of its argument: its message is the argument
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        raise ConversionError(message) from exc


def records_list(found: HarvestFile, name: str) -> tuple[ResourceList, tuple[str, ...]]:
    """One list of the records in a harvest file: resources as items, RLI lists as sections.

    Raises CrosswalkError when no record could be read (all deleted, or in no known format).
    """
    items = list(found.items)
    losses = list(found.losses)
    for harvested in found.lists:
        lst = harvested.value
        items.append(Item(f"i{len(items) + 1}", Section(lst.title, lst.description, lst.items)))
        losses.append(f"list {lst.title!r}: read as a section (its owner, courses and"
                      " annotations not kept)")
    if not items:
        why = "; ".join(losses[:3]) or "the file holds no records"
        raise CrosswalkError(f"none of the {found.records} records could be read ({why})")
    return ResourceList("", "", "", items=tuple(items)), tuple(losses)


def _convert_records(found: HarvestFile, to: str, resolver: str, name: str) -> Conversion:
    lst, losses = records_list(found, name)
    lst, supplied = supply(lst, name=name, owner="unknown")
    return Conversion(_write_list(lst, to, resolver), losses + _list_written(lst, to), supplied)


def _list_written(lst: ResourceList, to: str) -> tuple[str, ...]:
    return _written(to, lambda: list_losses(get_format(to), lst))


def _resource_written(res: Resource, to: str) -> tuple[str, ...]:
    return _written(to, lambda: resource_losses(get_format(to), res))


def _written(to: str, losses: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    """The writer's losses as report lines; a report that cannot be made fails no conversion."""
    if to not in XML_TARGETS:
        return ()
    try:
        lines = losses()
    except (CrosswalkError, ValueError) as exc:
        lines = (f"not checked (what was written does not read back: {exc})",)
    return tuple(f"written as {to}: {line}" for line in lines)


def supply(lst: ResourceList, *, name: str, owner: str,
           list_id: str = "") -> tuple[ResourceList, tuple[str, ...]]:
    """``lst`` with an empty identifier, title or owner filled in, and lines saying so.

    The identifier is ``list_id`` if given, else ``name`` (a file name); the title
    ``name``; the owner ``owner``.
    """
    supplied: list[str] = []
    if list_id and list_id != lst.identifier:
        lst = replace(lst, identifier=list_id)
        supplied.append(f"list identifier {list_id!r} (given)")
    if not lst.identifier:
        lst = replace(lst, identifier=name)
        supplied.append(f"list identifier {name!r} (from the file name)")
    if not lst.title:
        lst = replace(lst, title=name)
        supplied.append(f"list title {name!r} (from the file name)")
    if not lst.owner:
        lst = replace(lst, owner=owner)
        supplied.append(f"owner {owner!r}")
    return lst, tuple(supplied)


def _write_list(lst: ResourceList, to: str, resolver: str) -> bytes:
    if to in XML_TARGETS:
        return _xml(get_format(to).write_list(lst))
    from crosswalks.citations import cited  # the items' notes too, for the citations

    return _write_resources(cited(lst.items), to, resolver)


def _write_resources(resources: list[Resource], to: str, resolver: str) -> bytes:
    if to == "openurl":
        from crosswalks.openurl import openurl_kev, openurl_link

        lines = [openurl_link(r, resolver) if resolver else openurl_kev(r) for r in resources]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if to in TEXT_TARGETS:
        return _text_exports()[to](resources).encode("utf-8")
    if to == "rli":
        from crosswalks.rli import binding

        return binding.write_resource(resources[0])
    return _xml(get_format(to).write_resource(resources[0]))
