"""What a format's writer cannot carry of a resource or list, found by reading back what it
wrote with the same format's reader (``rli convert`` reports it beside the reader's losses).

A field that had a value and reads back otherwise is one line: ``edition '2nd' not
carried``, ``publisher 'Penguin' read back as 'Penguin Books'``, ``creators: 1 of 3 not
carried as written ('Smith, J' (editor))``. A list's items are compared by item id and
summed up, one line a field (``items' publisher not carried as written (17 of 21)``).
A list the format cannot read back as a list (``oai_dc``) is one line: its resources are
not carried as records. ``rli`` carries everything and is not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from enum import Enum

from crosswalks.registry import MetadataFormat
from crosswalks.rli import (
    Annotation,
    Creator,
    Extension,
    Item,
    Location,
    RelatedTitle,
    Resource,
    ResourceList,
    Section,
    StandardIdentifier,
    VersionInfo,
    iter_resources,
)

Getter = Callable[[Resource], object]

RESOURCE_FIELDS: tuple[tuple[str, Getter], ...] = (
    ("title", lambda r: r.citation.title),
    ("creators", lambda r: r.citation.creators),
    ("edition", lambda r: r.citation.edition),
    ("publication date", lambda r: r.citation.publication_date),
    ("publication place", lambda r: r.citation.publication_place),
    ("publisher", lambda r: r.citation.publisher),
    ("volume", lambda r: r.citation.volume),
    ("part", lambda r: r.citation.part),
    ("start page", lambda r: r.citation.start_page),
    ("end page", lambda r: r.citation.end_page),
    ("identifiers", lambda r: r.citation.identifiers),
    ("related titles", lambda r: r.citation.related_titles),
    ("type", lambda r: r.type),
    ("identifier", lambda r: r.identifier),
    ("description", lambda r: r.description),
    ("language", lambda r: r.language),
    ("format", lambda r: r.format),
    ("rights", lambda r: r.rights),
    ("subjects", lambda r: r.subjects),
    ("locations", lambda r: r.locations),
    ("annotations", lambda r: r.annotations),
    ("extensions", lambda r: r.extensions),
)

LIST_FIELDS: tuple[tuple[str, Callable[[ResourceList], object]], ...] = (
    ("list title", lambda lst: lst.title),
    ("list owner", lambda lst: lst.owner),
    ("list description", lambda lst: lst.description),
    ("list courses", lambda lst: lst.courses),
    ("list language", lambda lst: lst.language),
    ("list rights", lambda lst: lst.rights),
    ("list created", lambda lst: lst.created),
    ("list modified", lambda lst: lst.modified),
    ("list annotations", lambda lst: lst.annotations),
    ("list extensions", lambda lst: lst.extensions),
    ("list history", lambda lst: lst.history),
)


def resource_losses(fmt: MetadataFormat, res: Resource) -> tuple[str, ...]:
    """What ``fmt``'s writer does not carry of ``res``, one line a field."""
    if fmt.prefix == "rli":
        return ()
    back = fmt.read_resource(fmt.write_resource(res)).value
    return tuple(_line(label, get(res), get(back)) for label, get in _changed(res, back))


def list_losses(fmt: MetadataFormat, lst: ResourceList) -> tuple[str, ...]:
    """What ``fmt``'s writer does not carry of ``lst``: its own fields, one line each, then
    its items' fields summed up (see the module docstring)."""
    if fmt.prefix == "rli":
        return ()
    resources = iter_resources(lst.items)
    written = fmt.write_list(lst)
    if not fmt.can_read_list(written):
        return (f"items: {len(resources)} resource(s) not carried as records"
                f" ({fmt.prefix} holds a list's items as text)",) if resources else ()
    back = fmt.read_list(written).value
    lines = [_line(label, get(lst), get(back)) for label, get in LIST_FIELDS
             if _differs(get(lst), get(back))]
    lines.extend(_item_lines(lst, back, resources))
    return tuple(lines)


def _item_lines(lst: ResourceList, back: ResourceList,
                resources: list[tuple[Item, Resource]]) -> Iterator[str]:
    sections, back_sections = _sections(lst.items), _sections(back.items)
    if sections > back_sections:
        yield f"sections: {sections - back_sections} of {sections} not carried (items flattened)"
    found = {item.id: (item, res) for item, res in iter_resources(back.items)}
    missing = 0
    fields: Counter[str] = Counter()
    notes = 0
    for item, res in resources:
        if item.id not in found:
            missing += 1
            continue
        back_item, back_res = found[item.id]
        fields.update(label for label, _ in _changed(res, back_res))
        notes += bool(item.annotations) and item.annotations != back_item.annotations
    if missing:
        yield f"items: {missing} of {len(resources)} not carried (or not by their item id)"
    for label, _ in RESOURCE_FIELDS:
        if fields[label]:
            yield f"items' {label} not carried as written ({fields[label]} of {len(resources)})"
    if notes:
        yield f"item annotations not carried as written ({notes} of {len(resources)})"


def _sections(items: Sequence[Item]) -> int:
    return sum(1 + _sections(i.content.items) for i in items if isinstance(i.content, Section))


def _changed(res: Resource, back: Resource) -> Iterator[tuple[str, Getter]]:
    for label, get in RESOURCE_FIELDS:
        if _differs(get(res), get(back)):
            yield label, get


def _differs(was: object, now: object) -> bool:
    """A value that was there and reads back otherwise (a generic type, none, is no value)."""
    if isinstance(was, Enum):
        return was != now and was.value != "other"
    return bool(was) and was != now


def _line(label: str, was: object, now: object) -> str:
    if isinstance(was, tuple):
        lost = [v for v in was if v not in now] if isinstance(now, tuple) else list(was)
        if not lost:  # the same values in another order
            return f"{label}: order not carried"
        more = ", ..." if len(lost) > 1 else ""
        return (f"{label}: {len(lost)} of {len(was)} not carried as written"
                f" ({_shown(lost[0])}{more})")
    shown = _shown(was)
    if not now or (isinstance(now, Enum) and now.value == "other"):
        return f"{label} {shown} not carried"
    return f"{label} {shown} read back as {_shown(now)}"


def _shown(value: object) -> str:
    """A short text for one value in a loss line."""
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, Creator):
        return f"{value.name!r} ({value.role.value})"
    if isinstance(value, StandardIdentifier):
        return repr(f"{value.type.value} {value.value}")
    if isinstance(value, RelatedTitle):
        return f"{value.title!r} ({value.type.value})"
    if isinstance(value, Location):
        return repr(value.locator)
    if isinstance(value, Annotation):
        return repr(value.text[:40] + ("..." if len(value.text) > 40 else ""))
    if isinstance(value, Extension):
        return "an extension element"
    if isinstance(value, VersionInfo):
        return f"version {value.version}"
    text = str(value)
    return repr(text[:60] + ("..." if len(text) > 60 else ""))
