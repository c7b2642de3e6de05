"""MODS 3.x -> RLI for one record: a single pass over its children, dispatched by a table.

The contract and the table of losses are in :mod:`crosswalks.mods.format`, which
turns a :class:`Draft` into a Resource or a list. ``draft`` visits every
element once (no XPath), so a record with 10,000 names costs 10,000 small steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from crosswalks.dc.strings import resource_type_of
from crosswalks.mods.draft import Draft, local
from crosswalks.mods.identifiers import read_identifier
from crosswalks.mods.text import isbd as _isbd
from crosswalks.mods.text import prose as _prose
from crosswalks.mods.text import text as _text
from crosswalks.mods.vocab import (
    ITEM_ID_TYPE,
    ITEM_NOTE_PREFIX,
    MODS_NS,
    NOT_CREATORS,
    ROLE_CODES,
    ROLE_TEXTS,
    SERIAL_ISSUANCE,
)
from crosswalks.rli import (
    Annotation,
    Creator,
    CreatorRole,
    Extension,
    IdentifierType,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    ResourceType,
)
from crosswalks.rli.write import foreign

_M = f"{{{MODS_NS}}}"


# ------------------------------------------------------------------ handlers


def _title_info(d: Draft, el: etree._Element, *, series: bool = False) -> None:
    """A titleInfo as the title (or the alternative one); a series' ``partNumber`` is
    its volume in the series (Zotero writes it there), not a part of the series' title."""
    parts: dict[str, str] = {}
    non_sort = ""
    for child in el:
        name = local(child)
        if name == "nonSort":
            non_sort = (child.text or "").lstrip()
        elif name and name not in parts:
            parts[name] = _text(child)
    title = parts.get("title", "")
    if non_sort:
        glue = "" if non_sort.endswith((" ", "'", "\u2019")) else " "
        title = f"{non_sort}{glue}{title}"
    title = _isbd(title)
    if parts.get("subTitle"):
        title = f"{title}: {_isbd(parts['subTitle'])}"
    number = parts.pop("partNumber", "").strip().rstrip(".").strip() if series else ""
    if number and not d.volume:
        d.volume = number
    elif number:
        d.losses.append(f"series partNumber {number!r} dropped")
    extra = [parts[k] for k in ("partNumber", "partName") if parts.get(k)]
    if extra:
        title = ". ".join([title, *extra])
    if el.get("type") and d.alt_title:
        d.losses.append(f"titleInfo type={el.get('type')} {title!r} dropped")
    elif el.get("type"):
        d.alt_title = title
    elif not d.title:
        d.title = title
    else:
        d.losses.append("extra titleInfo dropped")


@dataclass(frozen=True)
class _Name:
    """A mods:name as read: role None when it has none; ``not_creator`` names a role
    (addressee, depositor, ...) of someone who did not make the work."""

    name: str
    role: CreatorRole | None
    owner: bool
    not_creator: str = ""


def _read_name(el: etree._Element, losses: list[str]) -> _Name:
    family = given = display = not_creator = ""
    plain: list[str] = []
    role: CreatorRole | None = None
    had_role = owner = False
    for child in el:
        name = local(child)
        if name == "namePart":
            kind = child.get("type")
            if kind == "family":
                family = f"{family} {_isbd(_text(child))}".strip()
            elif kind == "given":  # "John" "Quincy": each given name may be its own part
                given = f"{given} {_isbd(_text(child))}".strip()
            elif kind is None:
                plain.append(_text(child))
            else:
                losses.append(f"name part {kind} {_text(child)!r} dropped")
        elif name == "displayForm":
            display = _text(child)
        elif name == "role":
            for term in child:
                if local(term) != "roleTerm":
                    continue
                had_role = True
                value = _text(term).lower().rstrip(".")
                if value in ("own", "owner"):
                    owner = True
                if value in NOT_CREATORS:
                    not_creator = not_creator or NOT_CREATORS[value]
                    continue
                coded = term.get("type") == "code"
                found = ROLE_CODES.get(value) if coded else ROLE_TEXTS.get(value)
                if found is None and value not in ("own", "owner"):
                    losses.append(f"name role {value!r} read as contributor")
                role = role or found
        elif name and _text(child):  # affiliation, description, nameIdentifier ...
            losses.append(f"name/{name} {_text(child)!r} dropped")
    full = f"{family}, {given}" if family and given else ""
    full = full or family or given or " ".join(plain) or display
    if had_role and role is None and not not_creator:
        role = CreatorRole.CONTRIBUTOR
    return _Name(_isbd(full), role, owner, "" if role else not_creator)


def _name(d: Draft, el: etree._Element) -> None:
    got = _read_name(el, d.losses)
    if got.owner:
        d.owner = d.owner or got.name
    elif got.not_creator:
        d.losses.append(f"name {got.name!r} ({got.not_creator}) dropped: not a creator")
    elif got.name:
        d.creators.append(Creator(got.name, got.role or CreatorRole.AUTHOR))


def _date_rank(el: etree._Element) -> int:
    if el.get("point") == "end":
        return 9
    if el.get("keyDate") == "yes":
        return 0
    if el.get("encoding") and not el.get("point"):
        return 1
    return 2 if el.get("point") == "start" else 3


def _place(d: Draft, el: etree._Element) -> None:
    for term in el:
        if local(term) != "placeTerm" or term.get("type") == "code":
            continue  # a code (marccountry) says less than the text beside it
        place = _isbd(_text(term))
        if not d.place:
            d.place = place
        elif place and place != d.place:
            d.losses.append(f"originInfo/place {place!r} dropped (one place kept)")


def _origin_info(d: Draft, el: etree._Element) -> None:
    for child in el:
        name = local(child)
        if name == "place":
            _place(d, child)
        elif name in ("publisher", "agent"):
            text = _text(child) if name == "publisher" else " ".join(
                _text(p) for p in child if local(p) == "namePart")
            if not d.publisher:
                d.publisher = _isbd(text)
            elif text:
                d.losses.append(f"originInfo/{name} {text!r} dropped")
        elif name in ("dateIssued", "dateCreated", "dateOther", "copyrightDate"):
            rank = _date_rank(child) + (0 if name == "dateIssued" else 10)
            d.dates.append((rank, _text(child).rstrip(".")))
        elif name == "dateModified":
            d.modified = d.modified or _text(child)
        elif name == "edition" and d.edition and _isbd(_text(child)) != d.edition:
            d.losses.append(f"originInfo/edition {_text(child)!r} dropped (one edition kept)")
        elif name == "edition":
            d.edition = _isbd(_text(child))
        elif name == "issuance":
            d.issuance = _text(child).lower()
        elif name and _text(child):  # dateCaptured, dateValid, frequency ...
            d.losses.append(f"originInfo/{name} {_text(child)!r} dropped")
    if any(local(c) == "dateCreated" for c in el):
        d.created = d.created or next(_text(c) for c in el if local(c) == "dateCreated")


def _language(d: Draft, el: etree._Element) -> None:
    if d.language:
        d.losses.append(f"language {_text(el)!r} dropped")
        return
    code = text = ""
    for term in el:
        if local(term) == "languageTerm":
            if term.get("type") == "code" or (term.get("authority") and term.get("type") != "text"):
                code = code or _text(term)
            else:
                text = text or _text(term)
    d.language = code or text or _text(el)


def _physical(d: Draft, el: etree._Element) -> None:
    for child in el:
        name = local(child)
        if name == "internetMediaType" and not d.format:
            d.format = _text(child)
        elif name:
            d.losses.append(f"physicalDescription/{name} dropped")


def _note(d: Draft, el: etree._Element) -> None:
    kind = el.get("type") or "note"
    if kind.startswith(ITEM_NOTE_PREFIX):
        d.item_annotations.append(Annotation(_prose(el), kind[len(ITEM_NOTE_PREFIX) :] or "note"))
    else:
        d.annotations.append(Annotation(_prose(el), kind))


def _subject(d: Draft, el: etree._Element) -> None:
    for child in el:
        name = local(child)
        if name == "topic":
            _append(d.subjects, _text(child))
        elif name:
            d.losses.append(f"subject/{name} dropped")


def _identifier(d: Draft, el: etree._Element) -> None:
    if el.get("invalid") == "yes":
        d.losses.append(f"identifier {_text(el)!r} marked invalid dropped")
    if el.get("type") == ITEM_ID_TYPE:
        d.item_id = _text(el)
        return
    ident = read_identifier(el, d.losses)
    if ident is not None:
        d.identifiers.append(ident)


def _location(d: Draft, el: etree._Element) -> None:
    holder = ""
    shelf: list[str] = []
    for child in el:
        name = local(child)
        if name == "url" and child.get("access") == "preview":  # a thumbnail, not the thing
            d.losses.append(f"location/url access=preview {_text(child)!r} dropped")
        elif name == "url" and _text(child):
            catalogue = "catalog" in (child.get("note") or "").lower()
            kind = LocationType.CATALOGUE if catalogue else LocationType.URL
            d.locations.append(Location(kind, _text(child), child.get("displayLabel") or ""))
        elif name == "physicalLocation" and child.get("type") is None:
            holder = holder or _text(child)
        elif name == "shelfLocator":
            shelf.append(_text(child))
        elif name:
            d.losses.append(f"location/{name} dropped")
    for mark in shelf:
        d.locations.append(Location(LocationType.SHELFMARK, mark, holder))
    if holder and not shelf:
        d.locations.append(Location(LocationType.SHELFMARK, holder))
        d.losses.append("location/physicalLocation read as shelfmark")


def _pages(d: Draft, text: str) -> None:
    if not d.start:
        start, _, end = text.replace("\u2013", "-").partition("-")
        d.start, d.end = start.strip(), end.strip()


def _part(d: Draft, el: etree._Element) -> None:
    for child in el:
        name = local(child)
        if name == "detail":
            texts = {local(n): _text(n) for n in reversed(child)}  # first of each wins
            number = texts.get("number") or texts.get("caption", "")
            kind = (child.get("type") or "").lower()
            if kind in ("volume", "vol") and not d.volume:
                d.volume = number
            elif kind in ("issue", "number", "no", "part") and not d.issue:
                d.issue = number
            elif kind in ("page", "pages"):
                _pages(d, number)
        elif name == "date" and _text(child):
            # an issue's date: after originInfo dates, before the host's own dates
            d.dates.append((4, _text(child).rstrip(".")))
        elif name == "extent" and child.get("unit", "page").lower().startswith("page"):
            for bit in child:
                bit_name = local(bit)
                if bit_name == "start":
                    d.start = d.start or _text(bit)
                elif bit_name == "end":
                    d.end = d.end or _text(bit)
                elif bit_name == "list":
                    _pages(d, _text(bit))


def _related_item(d: Draft, el: etree._Element) -> None:
    kind = el.get("type") or ""
    if kind == "constituent":
        d.constituents.append(el)
    elif kind in ("host", "series"):
        d.related.append(_read_related(d, el, kind))
    else:
        d.losses.append(f"relatedItem {kind or el.get('otherType') or 'untyped'} dropped")


def _read_related(d: Draft, el: etree._Element, kind: str) -> RelatedTitle:
    inner = Draft()
    for child in el:
        name = local(child)
        if name == "part":
            _part(inner if kind == "series" else d, child)
        elif name == "titleInfo" and kind == "series":
            _title_info(inner, child, series=True)
        elif name in ("titleInfo", "name", "identifier", "originInfo"):
            _HANDLERS[name](inner, child)
        elif name == "genre":
            inner.genres.append(_text(child))
        elif name and _text(child):  # its abstract, location, note ... describe the host
            inner.losses.append(f"{name} dropped")
    if inner.edition:
        inner.losses.append(f"edition {inner.edition!r} dropped")
    title = inner.title or inner.alt_title
    d.dates.extend((rank + 20, text) for rank, text in inner.dates)  # host date: last resort
    d.losses.extend(f"relatedItem {kind}: {loss}" for loss in inner.losses)
    if kind == "series":
        title, _, volume = title.partition(" ; ")
        volume = volume.strip().rstrip(".") or inner.volume
        return RelatedTitle(
            _isbd(title),
            RelatedTitleType.SERIES,
            volume,
            inner.issue,
            tuple(inner.creators),
            tuple(inner.identifiers),
        )
    serial = (
        inner.issuance in SERIAL_ISSUANCE
        or any(resource_type_of(g) is ResourceType.JOURNAL for g in inner.genres)
        # an ISSN names a serial; the issue's series case is handled above
        or any(i.type is IdentifierType.ISSN for i in inner.identifiers)
    )
    if not serial:
        d.host_place, d.host_publisher = inner.place, inner.publisher
        d.host = d.host or inner
    rtype = RelatedTitleType.JOURNAL if serial else RelatedTitleType.HOST
    return RelatedTitle(
        title, rtype, creators=tuple(inner.creators), identifiers=tuple(inner.identifiers)
    )


def _extension(d: Draft, el: etree._Element) -> None:
    for child in el:
        if isinstance(child.tag, str) and child.tag.startswith(_M):
            d.losses.append("MODS elements inside extension dropped")
        elif isinstance(child.tag, str) and not foreign(child):  # RLI keeps namespaced ones
            d.losses.append(f"extension element in no namespace dropped: {child.tag}")
        elif isinstance(child.tag, str):
            xml = etree.tostring(child, method="c14n", exclusive=True).decode()
            d.extensions.append(Extension(xml))


def _record_info(d: Draft, el: etree._Element) -> None:
    """The record's identifier; the rest (who catalogued it, when) is dropped, and said."""
    for child in el:
        name = local(child)
        if name == "recordIdentifier" and not d.own_id:
            d.own_id = _text(child)
        elif name and _text(child):
            d.losses.append(f"recordInfo/{name} {_text(child)!r} dropped")


def _append(values: list[str], value: str) -> None:
    """Keep ``value`` unless empty: an empty accessCondition made the rights "Open; ; "."""
    if value:
        values.append(value)


_HANDLERS: dict[str, Callable[[Draft, etree._Element], None]] = {
    "titleInfo": _title_info,
    "name": _name,
    "typeOfResource": lambda d, el: setattr(d, "type_of_resource", d.type_of_resource or _text(el)),
    "genre": lambda d, el: d.genres.append(_text(el)),
    "originInfo": _origin_info,
    "language": _language,
    "physicalDescription": _physical,
    "abstract": lambda d, el: _append(d.description, _prose(el)),
    "note": _note,
    "subject": _subject,
    "accessCondition": lambda d, el: _append(d.rights, _text(el)),
    "identifier": _identifier,
    "location": _location,
    "relatedItem": _related_item,
    "part": _part,
    "extension": _extension,
    "recordInfo": _record_info,
}


def draft(el: etree._Element) -> Draft:
    d = Draft()
    for child in el:
        name = local(child)
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(d, child)
        elif name:
            d.losses.append(f"mods:{name} dropped")
    if d.title and d.alt_title:
        d.losses.append(f"titleInfo {d.alt_title!r} dropped (the main title is read)")
    others = dict.fromkeys(t for _, t in d.dates if t and t != d.date)  # one date in RLI
    d.losses.extend(f"date {t!r} dropped" for t in others)
    if not d.own_id and el.get("ID"):
        d.own_id = el.get("ID") or ""
    return d
