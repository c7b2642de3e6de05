"""RIS export (RefMan / EndNote tagged format) of RLI resources.

See :mod:`crosswalks.citations.fields` for the type table, creator rules and losses.
Each record is ``TY`` first and ``ER`` last, one ``TAG  - value`` per line.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosswalks.citations.fields import CitationFields, fields_of
from crosswalks.rli import Resource, ResourceType

RIS_TYPES: dict[ResourceType, str] = {
    ResourceType.BOOK: "BOOK",
    ResourceType.BOOK_CHAPTER: "CHAP",
    ResourceType.JOURNAL_ARTICLE: "JOUR",
    ResourceType.JOURNAL: "JFULL",
    ResourceType.WEB_PAGE: "ELEC",
    ResourceType.AUDIO_VISUAL: "VIDEO",
    ResourceType.LOCAL: "UNPB",
    ResourceType.OTHER: "GEN",
}


def _ris_date(f: CitationFields) -> str:
    parts = f.date_parts
    if len(parts) < 2:
        return ""
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (3 - len(parts))) + "/"


def _ris_record(f: CitationFields) -> list[str]:
    tags: list[tuple[str, str]] = [("TY", RIS_TYPES[f.type])]
    tags += [("AU", n) for n in f.authors]
    tags += [("A2", n) for n in f.editors]
    tags += [("A4", n) for n in (*f.translators, *f.minor_creators)]
    tags += [("TI", f.title), ("T2", f.container), ("T3", f.series)]
    tags += [("PY", f.year), ("DA", _ris_date(f)), ("ET", f.edition)]
    tags += [("VL", f.volume), ("IS", f.issue), ("SP", f.start_page), ("EP", f.end_page)]
    tags += [("PB", f.publisher), ("CY", f.place)]
    tags += [("SN", v) for v in (*f.isbns, *f.issns)]
    tags += [("DO", v) for v in f.dois]
    tags += [("UR", v) for v in f.urls]
    tags += [("CN", v) for v in f.shelfmarks]
    tags += [("LA", f.language), ("AB", f.abstract)]
    tags += [("KW", v) for v in f.subjects]
    tags += [("N1", v) for v in f.notes]
    tags += [("ID", f.identifier)]
    lines = [f"{tag}  - {value}" for tag, value in tags if value]
    lines.append("ER  - ")
    return lines


def to_ris(resources: Sequence[Resource]) -> str:
    """RIS records, one per resource, CRLF line ends, a blank line between records."""
    records = ["\r\n".join(_ris_record(fields_of(r))) + "\r\n" for r in resources]
    return "\r\n".join(records)
