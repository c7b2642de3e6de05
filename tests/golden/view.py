"""Golden expectations for real sample records: load them and compare field by field.

Each ``tests/golden/<format>.json`` holds hand-written entries::

    {"file": "mods/x.xml", "record": 0, "expect": {"title": "...", ...}}

``record`` counts the format's record elements in document order (``-1`` = the
root itself). Only the keys an entry names are compared, so an expectation
says exactly what a librarian reads off the record and nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from crosswalks.rli import LocationType, Resource
from crosswalks.xmlsafe import parse_untrusted

GOLDEN = Path(__file__).resolve().parent
SAMPLES = GOLDEN.parent / "samples"


def _squash(text: str) -> str:
    return " ".join(text.split())


# Golden key -> how to read it off a Resource.
FIELDS: dict[str, Callable[[Resource], Any]] = {
    "title": lambda r: r.citation.title,
    "creators": lambda r: [[c.name, c.role.value] for c in r.citation.creators],
    "edition": lambda r: r.citation.edition,
    "publication_date": lambda r: r.citation.publication_date,
    "publication_place": lambda r: r.citation.publication_place,
    "publisher": lambda r: r.citation.publisher,
    "volume": lambda r: r.citation.volume,
    "part": lambda r: r.citation.part,
    "pages": lambda r: [r.citation.start_page, r.citation.end_page],
    "identifiers": lambda r: [[i.type.value, i.value] for i in r.citation.identifiers],
    "related": lambda r: [
        [t.type.value, t.title, t.volume, [[i.type.value, i.value] for i in t.identifiers]]
        for t in r.citation.related_titles
    ],
    "related_creators": lambda r: [
        [c.name, c.role.value] for t in r.citation.related_titles for c in t.creators
    ],
    "type": lambda r: r.type.value,
    "identifier": lambda r: r.identifier,
    "description": lambda r: _squash(r.description),
    "language": lambda r: r.language,
    "format": lambda r: r.format,
    "rights": lambda r: _squash(r.rights),
    "subjects": lambda r: list(r.subjects),
    "subject_count": lambda r: len(r.subjects),
    "urls": lambda r: [loc.locator for loc in r.locations if loc.type is LocationType.URL],
    "shelfmarks": lambda r: [
        [loc.locator, loc.label] for loc in r.locations if loc.type is LocationType.SHELFMARK
    ],
    "annotations": lambda r: [[a.kind, _squash(a.text), a.author] for a in r.annotations],
}


def load(fmt: str) -> list[dict[str, Any]]:
    """The golden entries for ``fmt`` (``oai_dc``, ``mods`` or ``lom``)."""
    entries: list[dict[str, Any]] = json.loads((GOLDEN / f"{fmt}.json").read_text("utf-8"))
    return entries


def record(entry: dict[str, Any], is_record: Callable[[etree._Element], bool]) -> etree._Element:
    """The element an entry names, parsed from its sample with parse_untrusted."""
    root = parse_untrusted((SAMPLES / entry["file"]).read_bytes(), source=entry["file"])
    if entry["record"] == -1:
        return root
    found = [el for el in root.iter() if isinstance(el.tag, str) and is_record(el)]
    return found[entry["record"]]


def mismatches(resource: Resource, expect: dict[str, Any]) -> list[str]:
    """One line per expected field whose value differs (empty when all agree)."""
    wrong = []
    for key, want in expect.items():
        got = FIELDS[key](resource)
        if got != want:
            wrong.append(f"{key}: expected {want!r}, got {got!r}")
    return wrong
