"""BibTeX export of RLI resources.

See :mod:`crosswalks.citations.fields` for the type table, creator rules and losses.
Values are braced and TeX-escaped, but for url and doi, which biblatex reads
verbatim (there ``\\_`` would stay in the link); keys are unique within one output.
A literal brace is ``\\textbraceleft{}`` / ``\\textbraceright{}``, never ``\\{``: BibTeX
counts every brace, escaped or not, so one ``\\{`` in a title ran the field on into the
entries after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crosswalks.citations.fields import CitationFields, citation_keys, fields_of, pages, split_name
from crosswalks.rli import Resource, ResourceType

BIBTEX_TYPES: dict[ResourceType, str] = {
    ResourceType.BOOK: "book",
    ResourceType.BOOK_CHAPTER: "incollection",
    ResourceType.JOURNAL_ARTICLE: "article",
    ResourceType.JOURNAL: "misc",
    ResourceType.WEB_PAGE: "misc",
    ResourceType.AUDIO_VISUAL: "misc",
    ResourceType.LOCAL: "unpublished",
    ResourceType.OTHER: "misc",
}

_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
# Characters no URL holds unencoded that would unbalance or escape in BibTeX / TeX.
_VERBATIM_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", "^": "%5E", " ": "%20"})
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AND = re.compile(r"\sand\s", re.IGNORECASE)


def bibtex_escape(value: str) -> str:
    """``value`` with the ten characters special to (La)TeX escaped, every brace balanced."""
    return value.translate(_BIBTEX_ESCAPES)


def bibtex_verbatim(value: str) -> str:
    """``value`` for a verbatim field (url, doi): as it is but for ``{ } \\ ^`` and spaces,
    percent-encoded."""
    return value.translate(_VERBATIM_ESCAPES)


def _bibtex_name(name: str) -> str:
    # Unsplittable names (bodies, single names) and names containing " and " are braced whole
    # so BibTeX neither reorders them nor splits them into two people.
    if split_name(name) is None or _AND.search(name):
        return "{" + bibtex_escape(name) + "}"
    return bibtex_escape(name)


def _bibtex_entry(key: str, f: CitationFields) -> str:
    parts = f.date_parts
    month = _MONTHS[parts[1] - 1] if len(parts) > 1 and 1 <= parts[1] <= 12 else ""
    container_field = {"article": "journal", "incollection": "booktitle"}.get(
        BIBTEX_TYPES[f.type], "howpublished"
    )
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(_bibtex_name(n) for n in f.authors)),
        ("editor", " and ".join(_bibtex_name(n) for n in f.editors)),
        ("title", bibtex_escape(f.title)),
        (container_field, bibtex_escape(f.container)),
        ("series", bibtex_escape(f.series)),
        ("year", bibtex_escape(f.year or f.date)),
        ("month", month),
        ("edition", bibtex_escape(f.edition)),
        ("volume", bibtex_escape(f.volume)),
        # BibTeX's number is a journal's issue or a book's number in its series
        ("number", bibtex_escape(f.issue or f.series_number)),
        ("pages", bibtex_escape(pages(f, "--"))),
        ("publisher", bibtex_escape(f.publisher)),
        ("address", bibtex_escape(f.place)),
        ("isbn", bibtex_escape(", ".join(f.isbns))),
        ("issn", bibtex_escape(", ".join(f.issns))),
        ("doi", bibtex_verbatim(f.dois[0] if f.dois else "")),
        ("url", bibtex_verbatim(f.urls[0] if f.urls else "")),
        ("language", bibtex_escape(f.language)),
        ("abstract", bibtex_escape(f.abstract)),
        ("keywords", bibtex_escape(", ".join(f.subjects))),
        ("note", bibtex_escape("; ".join(f.notes))),
    ]
    # Month is a BibTeX macro (jan..dec), written bare so styles can localise it.
    body = [
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
        if value
    ]
    return f"@{BIBTEX_TYPES[f.type]}{{{key},\n" + ",\n".join(body) + "\n}\n"


def to_bibtex(resources: Sequence[Resource]) -> str:
    """BibTeX entries, one per resource, with keys unique within the output."""
    all_fields = [fields_of(r) for r in resources]
    keys = citation_keys(all_fields)
    return "\n".join(_bibtex_entry(k, f) for k, f in zip(keys, all_fields))
