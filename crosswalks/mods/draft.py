"""What one pass over a MODS record (or relatedItem) finds: :class:`Draft`, and the MODS
local name of an element (:func:`local`), shared by the reader and :mod:`crosswalks.mods.format`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crosswalks.mods.vocab import KNOWN_NAMES, MODS_NS
from crosswalks.rli import (
    Annotation,
    Creator,
    Extension,
    Location,
    RelatedTitle,
    StandardIdentifier,
)

_M = f"{{{MODS_NS}}}"


# Clark tag -> local name: one dict lookup per element instead of string slicing.
_LOCAL: dict[object, str] = {_M + name: name for name in KNOWN_NAMES}


def local(el: etree._Element) -> str:
    """The MODS local name of ``el``; "" for comments and foreign elements."""
    tag = el.tag
    name = _LOCAL.get(tag)
    if name is not None:
        return name
    return tag[len(_M) :] if isinstance(tag, str) and tag.startswith(_M) else ""


@dataclass
class Draft:
    """What one pass over a MODS record (or relatedItem) has found so far."""

    title: str = ""
    alt_title: str = ""
    creators: list[Creator] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    type_of_resource: str = ""
    issuance: str = ""
    place: str = ""
    publisher: str = ""
    dates: list[tuple[int, str]] = field(default_factory=list)
    edition: str = ""
    language: str = ""
    format: str = ""
    description: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    identifiers: list[StandardIdentifier] = field(default_factory=list)
    own_id: str = ""
    locations: list[Location] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    related: list[RelatedTitle] = field(default_factory=list)
    host_place: str = ""
    host_publisher: str = ""
    host: Draft | None = None  # what the (non-serial) host relatedItem said of itself
    volume: str = ""
    issue: str = ""
    start: str = ""
    end: str = ""
    extensions: list[Extension] = field(default_factory=list)
    item_id: str = ""
    item_annotations: list[Annotation] = field(default_factory=list)
    constituents: list[etree._Element] = field(default_factory=list)
    owner: str = ""
    created: str = ""
    modified: str = ""
    losses: list[str] = field(default_factory=list)

    @property
    def date(self) -> str:
        """The date kept (RLI holds one): the best ranked of those found."""
        return min(self.dates, key=lambda pair: pair[0])[1] if self.dates else ""
