"""Bibliographic strings: identifiers typed by their shape, and one-line citations.

Shared by the DC, MODS and LOM crosswalks. ``classify_identifier`` turns
``ISBN 90-407-2370-2``, ``urn:ISSN:…``, ``info:doi/…``, ``https://doi.org/…`` or a
URL into a typed identifier and/or a URL location; ``parse_citation`` recovers
volume, issue and pages from lines such as ``Journal of X, vol. 12, no. 3,
pp. 45-67`` or ``J X 12(3):45-67`` with a small table of regexes, and
``format_source`` writes the form it reads back. ``resource_type_of`` maps a
free-text type or genre word to a ResourceType. All are pure and never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crosswalks.rli import (
    IdentifierType,
    Location,
    LocationType,
    ResourceType,
    StandardIdentifier,
)

# What catalogues add after an ISBN or ISSN: "(pbk.)", "(hbk)", "(Print)", "(online)".
_QUALIFIER = r"(?:\s*\([^()]{1,30}\))?"
_IDENTIFIER_SHAPES: tuple[tuple[IdentifierType, re.Pattern[str]], ...] = (
    (IdentifierType.DOI, re.compile(r"^(?:doi:\s*|info:doi/)(10\.\d{4,9}/\S+)$", re.I)),
    (IdentifierType.DOI, re.compile(r"^(10\.\d{4,9}/\S+)$")),
    (
        IdentifierType.ISBN,
        re.compile(
            rf"^(?:ISBN(?:-1[03])?:?\s*|urn:isbn:)([\dX][\dX -]{{8,16}}){_QUALIFIER}$", re.I
        ),
    ),
    (
        IdentifierType.ISSN,
        re.compile(rf"^(?:e?ISSN:?\s*|urn:issn:)(\d{{4}}-?\d{{3}}[\dX]){_QUALIFIER}$", re.I),
    ),
    (IdentifierType.LCCN, re.compile(r"^(?:info:lccn/|LCCN:?\s*)(\S+)$", re.I)),
    (IdentifierType.OCLC, re.compile(r"^(?:info:oclcnum/|\(OCoLC\)\s*|OCLC:?\s*)(\S+)$", re.I)),
)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.I)
URL = re.compile(r"^(?:https?|ftp)://\S+$", re.I)
_URI = re.compile(r"^(?:urn|info|hdl|ark):\S+$", re.I)
_BARE_ISBN = re.compile(r"^(?:97[89][\d-]{10,14}|[\d-]{9,12}[\dX])$")

_WRITE_PREFIX: dict[IdentifierType, str] = {
    IdentifierType.ISBN: "urn:ISBN:",
    IdentifierType.ISSN: "urn:ISSN:",
    IdentifierType.DOI: "info:doi/",
    IdentifierType.LCCN: "info:lccn/",
    IdentifierType.OCLC: "info:oclcnum/",
    IdentifierType.URI: "",
    IdentifierType.OTHER: "",
}


@dataclass(frozen=True)
class Classified:
    """What an identifier string turned out to be: an identifier, a URL, both, or neither."""

    identifier: StandardIdentifier | None = None
    location: Location | None = None


def _isbn_checksum_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0 and digits[:9].isdigit()
    if len(digits) == 13 and digits.isdigit():
        return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def classify_identifier(text: str) -> Classified:
    """Type an identifier string by its shape (ISBN, ISSN, DOI in any of its forms, URL, URI).

    A ``https://doi.org/`` link gives both a DOI and a URL location.
    """
    value = text.strip()
    for kind, pattern in _IDENTIFIER_SHAPES:
        match = pattern.match(value)
        if match:
            return Classified(StandardIdentifier(kind, match.group(1).strip()))
    doi = _DOI_URL.match(value)
    if doi:
        return Classified(
            StandardIdentifier(IdentifierType.DOI, doi.group(1)), Location(LocationType.URL, value)
        )
    if URL.match(value):
        return Classified(location=Location(LocationType.URL, value))
    if _URI.match(value):
        return Classified(StandardIdentifier(IdentifierType.URI, value))
    if _BARE_ISBN.match(value) and _isbn_checksum_ok(value.replace("-", "")):
        return Classified(StandardIdentifier(IdentifierType.ISBN, value))
    return Classified()


def write_identifier(ident: StandardIdentifier) -> str:
    """The self-describing string form of ``ident`` (``urn:ISBN:…``, ``info:doi/…``)."""
    return _WRITE_PREFIX[ident.type] + ident.value


_COMPACT = re.compile(
    r"(?P<volume>\d+)\s*\((?P<issue>\d[\w/-]{0,19})\)\s*:\s*(?P<start>\d+)(?:\s*[-–—]\s*(?P<end>\d+))?"
)
_I = re.IGNORECASE
_SEP = r"(?:\.\s*|\s+)"  # "vol. 3", "vol 3", "vol.3"
_CITATION_PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("volume", re.compile(rf"\b(?:vol(?:ume)?|jg|bd){_SEP}(?P<v>\d[\w./-]*|[IVXLC]+\b)", _I)),
    ("issue", re.compile(rf"\b(?:no|nr|issue|iss|num(?:ber)?|heft){_SEP}(?P<v>\d[\w/-]*)", _I)),
    ("pages", re.compile(rf"\b(?:pp?|pages?|(?-i:S)){_SEP}(?P<v>\d+(?:\s*[-–—]\s*\d+)?)", _I)),
)
HOST_PREFIX = re.compile(r"^\s*In\s*:\s*", re.I)
_TRAILING_YEAR = re.compile(r"\s*\(\d{4}\)\s*$")
_PAGE_RANGE = re.compile(r"\s*[-–—]\s*")


@dataclass(frozen=True)
class CitationParts:
    """Bibliographic parts recovered from a one-line citation such as ``J X 12(3):45-67``."""

    container: str = ""
    volume: str = ""
    issue: str = ""
    start_page: str = ""
    end_page: str = ""
    host: bool = False


def parse_citation(text: str) -> CitationParts | None:
    """Volume, issue, pages and container title from a citation line; None if it has none."""
    host = bool(HOST_PREFIX.match(text))
    body = HOST_PREFIX.sub("", text, count=1)
    found: dict[str, str] = {}
    first = len(body)
    compact = _COMPACT.search(body)
    if compact:
        found = {k: v for k, v in compact.groupdict().items() if v}
        first = compact.start()
    for name, pattern in _CITATION_PARTS:
        if name in found or (name == "pages" and "start" in found):
            continue
        match = pattern.search(body)
        if match:
            found[name] = match.group("v").rstrip(".")
            first = min(first, match.start())
    if not found:
        return None
    start, end = found.get("start", ""), found.get("end", "")
    if "pages" in found:
        start, _, end = _PAGE_RANGE.sub("-", found["pages"]).partition("-")
    container = _TRAILING_YEAR.sub("", body[:first]).strip(" ,;:")  # keep "Neerl."
    return CitationParts(
        container, found.get("volume", ""), found.get("issue", ""), start, end, host
    )


def format_source(
    container: str, volume: str, issue: str, start: str, end: str, *, host: bool = False
) -> str:
    """The one-line citation ``parse_citation`` reads back: ``Title, vol. V, no. N, pp. S-E``."""
    parts = [("In: " if host else "") + container] if container else []
    if volume:
        parts.append(f"vol. {volume}")
    if issue:
        parts.append(f"no. {issue}")
    if start:
        parts.append(f"pp. {start}-{end}" if end else f"p. {start}")
    return ", ".join(parts)


# Ordered: the first pattern found in a dc:type value decides (chapter before book).
TYPE_WORDS: tuple[tuple[re.Pattern[str], ResourceType], ...] = (
    (
        re.compile(r"chapter|book ?part|part of (?:a )?book|bookitem|incollection"),
        ResourceType.BOOK_CHAPTER,
    ),
    (
        re.compile(r"article|contribution to (?:a )?(?:periodical|journal)"),
        ResourceType.JOURNAL_ARTICLE,
    ),
    (re.compile(r"journal|periodical|serial|magazine"), ResourceType.JOURNAL),
    (re.compile(r"book|monograph|dissertation|thesis|proceedings"), ResourceType.BOOK),
    (re.compile(r"web ?(?:page|site)|website|homepage"), ResourceType.WEB_PAGE),
    (re.compile(r"moving ?image|video|film|sound|audio|recording"), ResourceType.AUDIO_VISUAL),
    (re.compile(r"local"), ResourceType.LOCAL),
)

@lru_cache(maxsize=512)  # a harvest meets a handful of type words, over and over
def resource_type_of(value: str) -> ResourceType:
    """The RLI type a free-text type or genre word names; OTHER if none of TYPE_WORDS matches."""
    lowered = value.lower()
    for pattern, kind in TYPE_WORDS:
        if pattern.search(lowered):
            return kind
    return ResourceType.OTHER


