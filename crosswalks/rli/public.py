"""RLI as other systems write it: the public shape, read leniently, with a report.

rli's own documents (items in ``rlix:items``) are read exactly as
:mod:`crosswalks.rli.binding` reads them (which also validates them). Anything
else in the RLI namespace is read leniently, as the only public producer we
know (the JISC ELF Discovery+ stylesheets, 2004) writes it:

- ``rli:resource`` elements directly under ``rli:resourceList``, in order; an
  ``rli:resourceList`` nested in a list is a section (its title and description);
- no list identifier, owner or item ids: item ids ``i1``, ``i2`` ... are supplied
  here in document order, the identifier and owner by the caller (it knows the
  file name and the user's options); the root ``rli:resource`` alone is a
  one-item list titled after the resource;
- text directly inside ``locationType``, ``language`` or
  ``standardIdentifierType``, empty ``rlx:language`` elements, ``indexId``;
- an unknown role, type, relation or locationType is read as the nearest value.

A document is refused (RLIFormatError) only when it cannot be read at all: not
XML, a root outside the RLI namespace, or no title. Everything read leniently
is reported: ``supplied`` says what rli filled in, ``unread`` what it could not
keep (with lines).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import count

from lxml import etree

from crosswalks.rli.model import Converted, Item, Resource, ResourceList, Section
from crosswalks.rli.read import Reader
from crosswalks.rli.write import RLI_NS, RLIX_NS, RLX_NS, RLIFormatError, rli, rlix, rlx
from crosswalks.xmlsafe import XMLInputError, parse_untrusted

# Elements of the RLI, common-types and extension namespaces the reader knows.
_KNOWN: frozenset[str] = frozenset(
    {rli(n) for n in (
        "resourceList", "resourceListMetadata", "resource", "resourceMetadata", "indexId",
        "title", "description", "language", "rightsDescription", "format", "citation",
        "creator", "edition", "publicationDate", "publicationPlace", "publisher",
        "volumeDesignation", "partDesignation", "startingPageNumber", "endingPageNumber",
        "standardIdentifier", "standardIdentifierType", "identifierString", "relatedTitle",
        "location", "locationType", "locator", "metadataLangString", "metadataString",
        "metadataToken", "metadataDate",
    )}
    | {rlx(n) for n in ("LangString", "language", "text")}
    | {rlix(n) for n in (
        "items", "item", "section", "title", "description", "identifier", "owner", "course",
        "created", "modified", "annotation", "history", "version", "resourceType", "subject",
        "rights", "creator", "standardIdentifier",
    )}
)
_OWN = frozenset({RLI_NS, RLX_NS, RLIX_NS})
# Read only in one place: an item's provenance, directly in its resourceMetadata.
_PLACED = {rlix("origin"): rli("resourceMetadata")}
# What the model keeps one of: tag -> (the parent it counts under, its name in the report).
_ONE_KEPT = {
    rli("indexId"): (rli("resource"), "indexId"),
    rlx("LangString"): (rli("metadataLangString"), "text"),
    rli("description"): (rli("resourceMetadata"), "description"),
    rli("format"): (rli("resourceMetadata"), "format"),
}
_ONE_KEPT_NAMES = ("indexId", "text", "description", "format")
_TEXT_LANGUAGE = rlx("language")
# Where foreign elements are kept verbatim (as extensions).
_KEEPS_FOREIGN = frozenset({rli("resourceList"), rli("resourceListMetadata"), rli("resource")})


@dataclass(frozen=True)
class PublicRead:
    """A list read from any RLI document, with what was supplied and what was not kept.

    ``value.identifier`` / ``value.owner`` are empty when the document has none
    (the caller supplies them); ``single`` is true when the root was ``rli:resource``.
    """

    value: ResourceList
    supplied: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    single: bool = False


def read_public(data: bytes, *, source: str = "input") -> PublicRead:
    """Read an ``rli:resourceList`` or ``rli:resource`` document as rli or others write it.

    Raises RLIFormatError ("<source>: line N: reason") for input that is not XML,
    not in the RLI namespace, or has no title.
    """
    try:
        root = parse_untrusted(data, source=source)
    except XMLInputError as exc:
        raise RLIFormatError(str(exc)) from exc
    return read_public_element(root, source=source)


def read_public_element(root: etree._Element, *, source: str = "input") -> PublicRead:
    """:func:`read_public` for an element already parsed safely."""
    if root.tag not in (rli("resourceList"), rli("resource")):
        raise RLIFormatError(
            f"{source}: line {root.sourceline}: root element {root.tag} is not an RLI"
            " resourceList or resource"
        )
    single = root.tag == rli("resource")
    own = _read_own(root, source, single)
    if own is not None:
        return own
    reader = Reader(source, lenient=True)
    if single:
        lst, supplied = _single(reader, root, source)
    else:
        lst, supplied = _list(reader, root, source)
    unknown, lost = _not_read(root)
    unread = [*unknown, *reader.notes, *lost]
    return PublicRead(lst, tuple(supplied), tuple(dict.fromkeys(unread)), single)


def _read_own(root: etree._Element, source: str, single: bool) -> PublicRead | None:
    """rli's own form (items in ``rlix:items``), read strictly; None when it is not that."""
    if single or root.find(rlix("items")) is None or root.find(rli("resource")) is not None:
        return None
    try:
        lst = Reader(source).resource_list(root)
    except RLIFormatError:
        return None
    unknown, lost = _not_read(root)
    return PublicRead(lst, unread=tuple(dict.fromkeys([*unknown, *lost])))


def _single(reader: Reader, root: etree._Element, source: str) -> tuple[ResourceList, list[str]]:
    res = _resource(reader, root)
    if res is None or not res.title.strip():
        raise RLIFormatError(f"{source}: line {root.sourceline}: the resource has no title")
    lst = ResourceList("", res.title, "", items=(Item("i1", res),))
    return lst, [f"list title {res.title!r} (from the resource)", "item id i1"]


def _list(reader: Reader, root: etree._Element, source: str) -> tuple[ResourceList, list[str]]:
    meta = reader.child(root, rli("resourceListMetadata"))
    title = reader.lang_text(reader.child(meta, rli("title"))) if meta is not None else ""
    if not title.strip():
        raise RLIFormatError(f"{source}: line {root.sourceline}: the list has no title")
    lst = reader.resource_list(root)  # metadata and extensions; rli's own items too
    items = _public_items(reader, root)
    numbered, count = _number(items, set(_ids(items)))
    supplied = [f"{count} item ids (i1 ... in document order)"] if count else []
    return replace(lst, items=numbered), supplied


def _resource(reader: Reader, el: etree._Element) -> Resource | None:
    if reader.child(el, rli("resourceMetadata")) is None:
        reader.note(el, "rli:resource without resourceMetadata skipped")
        return None
    res = reader.resource(el)
    unique = tuple(dict.fromkeys(res.locations))
    if len(unique) < len(res.locations):
        reader.note(el, f"resource {res.title[:60]!r}: a repeated location kept once")
        res = replace(res, locations=unique)
    return res


def _public_items(reader: Reader, el: etree._Element) -> tuple[Item, ...]:
    """Items of a list or nested list, in document order, ids left empty where none."""
    items: list[Item] = []
    for child in el:
        if child.tag == rli("resource"):
            res = _resource(reader, child)
            if res is not None:
                items.append(Item("", res))
        elif child.tag == rli("resourceList"):
            meta = reader.child(child, rli("resourceListMetadata"))
            title = desc = ""
            if meta is not None:
                title = reader.lang_text(reader.child(meta, rli("title")))
                desc = reader.lang_text(reader.child(meta, rli("description")))
            items.append(Item("", Section(title, desc, _public_items(reader, child))))
        elif child.tag == rlix("items"):
            items.extend(reader.items(child))
    return tuple(items)


def _ids(items: tuple[Item, ...]) -> Iterator[str]:
    for item in items:
        if item.id:
            yield item.id
        if isinstance(item.content, Section):
            yield from _ids(item.content.items)


def _number(items: tuple[Item, ...], used: set[str]) -> tuple[tuple[Item, ...], int]:
    """``items`` with every empty id replaced by the next free ``iN``; and how many were."""
    fresh = (f"i{n}" for n in count(1) if f"i{n}" not in used)
    supplied = 0

    def walk(level: tuple[Item, ...]) -> tuple[Item, ...]:
        nonlocal supplied
        out: list[Item] = []
        for item in level:
            new_id = item.id
            if not new_id:
                new_id, supplied = next(fresh), supplied + 1
            content = item.content
            if isinstance(content, Section):
                content = replace(content, items=walk(content.items))
            out.append(replace(item, id=new_id, content=content))
        return tuple(out)

    return walk(items), supplied


def read_public_resource(el: etree._Element, *, source: str = "input") -> Converted[Resource]:
    """One ``rli:resource`` read leniently; ``losses`` says what was not kept.

    Raises RLIFormatError for another element or a resource without resourceMetadata.
    """
    where = f"{source}: line {el.sourceline}"
    if el.tag != rli("resource"):
        raise RLIFormatError(f"{where}: expected rli:resource, found {el.tag}")
    reader = Reader(source, lenient=True)
    res = _resource(reader, el)
    if res is None:
        raise RLIFormatError(f"{where}: rli:resource has no resourceMetadata")
    unknown, lost = _not_read(el)
    return Converted(res, tuple(dict.fromkeys([*unknown, *reader.notes, *lost])))


def _not_read(root: etree._Element) -> tuple[list[str], list[str]]:
    """What the reader does not read, in one pass over the document (rli's own lists are
    read through here on every import): lines for elements it does not know (unknown
    RLI names, misplaced foreign ones), then what the model does not hold (see
    :mod:`crosswalks.rli.read`), once per kind."""
    unknown: list[str] = []
    languages: set[str] = set()
    extra = dict.fromkeys(_ONE_KEPT_NAMES, 0)
    last_parent: dict[object, etree._Element] = {}  # held, so getparent() gives the same proxy
    for el in root.iter():
        tag = el.tag
        if tag in _KNOWN:  # nearly every element: no QName made for them
            kept = _ONE_KEPT.get(tag)
            if kept is not None:
                parent = el.getparent()
                if parent is not None and parent.tag == kept[0]:
                    if last_parent.get(tag) is parent:
                        extra[kept[1]] += 1
                    else:
                        last_parent[tag] = parent
            elif tag == _TEXT_LANGUAGE:
                languages.add((el.text or "").strip())
            continue
        if not isinstance(tag, str) or el is root:
            continue
        line = _unknown_line(el)
        if line:
            unknown.append(line)
    return unknown, list(_lost_lines(languages, extra))


def _unknown_line(el: etree._Element) -> str:
    """The line for an element the reader does not know, or "" where that is in order."""
    parent = el.getparent()
    if parent is not None and parent.tag == _PLACED.get(el.tag):
        return ""
    namespace = etree.QName(el).namespace
    if namespace in _OWN:
        if _inside_own(el):
            return f"line {el.sourceline}: {_prefixed(el)} not read"
    elif parent is not None and parent.tag not in _KEEPS_FOREIGN and _inside_own(el):
        return f"line {el.sourceline}: {el.tag} not read (foreign elements are kept only" \
               " directly in a list, its metadata or a resource)"
    return ""


def _inside_own(el: etree._Element) -> bool:
    """True if every ancestor of ``el`` is in an RLI namespace (not inside a kept extension)."""
    parent = el.getparent()
    while parent is not None:
        if etree.QName(parent).namespace not in _OWN:
            return False
        parent = parent.getparent()
    return True


def _prefixed(el: etree._Element) -> str:
    prefix = {RLI_NS: "rli", RLX_NS: "rlx", RLIX_NS: "rlix"}.get(etree.QName(el).namespace or "")
    return f"{prefix}:{etree.QName(el).localname}"


def _lost_lines(languages: set[str], extra: dict[str, int]) -> Iterator[str]:
    languages.discard("")
    if languages:
        yield f"rlx:language of text values ({', '.join(sorted(languages))})"
    if extra["indexId"]:
        yield f"{extra['indexId']} indexId(s) after a resource's first not kept"
    if extra["text"]:
        yield f"{extra['text']} text value(s) after a value's first (its other languages) not kept"
    for name in ("description", "format"):
        if extra[name]:
            yield f"{extra[name]} {name}(s) after a resource's first not kept"
