"""Identifier shapes and one-line citations: tables of input -> what a cataloguer would say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswalks.dc.strings import (
    CitationParts,
    classify_identifier,
    format_source,
    parse_citation,
    resource_type_of,
    write_identifier,
)
from crosswalks.rli import IdentifierType, LocationType, ResourceType, StandardIdentifier

I = IdentifierType  # noqa: E741 - short table alias


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("ISBN 90-407-2370-2", I.ISBN, "90-407-2370-2"),
        ("ISBN-13: 978-0-12-375106-5", I.ISBN, "978-0-12-375106-5"),
        ("urn:ISBN:0123751063", I.ISBN, "0123751063"),
        ("9780140210002", I.ISBN, "9780140210002"),
        ("ISSN 0028-0836", I.ISSN, "0028-0836"),
        ("urn:issn:0722406X", I.ISSN, "0722406X"),
        ("doi:10.1038/171737a0", I.DOI, "10.1038/171737a0"),
        ("info:doi/10.1007/s00300-003-0526-8", I.DOI, "10.1007/s00300-003-0526-8"),
        ("10.5962/bhl.title.44870", I.DOI, "10.5962/bhl.title.44870"),
        ("info:lccn/2010045158", I.LCCN, "2010045158"),
        ("(OCoLC)665135773", I.OCLC, "665135773"),
        ("info:oclcnum/2497085", I.OCLC, "2497085"),
        ("urn:nbn:nl:ui:24-uuid:1234", I.URI, "urn:nbn:nl:ui:24-uuid:1234"),
        ("hdl:1887/12345", I.URI, "hdl:1887/12345"),
    ],
)
def test_identifier_shapes(text: str, kind: IdentifierType, value: str) -> None:
    typed = classify_identifier(text)
    assert typed.identifier == StandardIdentifier(kind, value)
    assert typed.location is None


def test_doi_links_are_both_a_doi_and_a_url() -> None:
    typed = classify_identifier("https://doi.org/10.1038/171737a0")
    assert typed.identifier == StandardIdentifier(I.DOI, "10.1038/171737a0")
    assert typed.location is not None and typed.location.type is LocationType.URL


@pytest.mark.parametrize("text", ["http://arno.unimaas.nl/show.cgi?fid=997", "ftp://x.org/a"])
def test_urls_are_locations(text: str) -> None:
    typed = classify_identifier(text)
    assert typed.identifier is None
    assert typed.location is not None and typed.location.locator == text


@pytest.mark.parametrize("text", ["oai:tudelft.nl:007087", "1234567890", "Mock++2003", ""])
def test_unrecognised_identifiers_stay_untyped(text: str) -> None:
    assert classify_identifier(text) == classify_identifier("no shape at all")


@pytest.mark.parametrize("kind", list(IdentifierType))
def test_written_identifiers_are_read_back_as_the_same_type(kind: IdentifierType) -> None:
    samples = {
        I.ISBN: "0-632-05808-0",
        I.ISSN: "0948-3055",
        I.DOI: "10.1000/182",
        I.LCCN: "2010045158",
        I.OCLC: "665135773",
        I.URI: "urn:nbn:de:1234",
        I.OTHER: "local 7",
    }
    ident = StandardIdentifier(kind, samples[kind])
    back = classify_identifier(write_identifier(ident)).identifier
    assert back == (None if kind is I.OTHER else ident)


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        (
            "Journal of X, vol. 12, no. 3, pp. 45-67",
            CitationParts("Journal of X", "12", "3", "45", "67"),
        ),
        ("J X 12(3):45-67", CitationParts("J X", "12", "3", "45", "67")),
        ("Polar Biol 26(9):610-620", CitationParts("Polar Biol", "26", "9", "610", "620")),
        ("In: Sea ice, pp. 3-30", CitationParts("Sea ice", "", "", "3", "30", host=True)),
        ("Acta, Jg. 4, Heft 2, S. 1", CitationParts("Acta", "4", "2", "1", "")),
        ("Nature, volume 171, number 4356", CitationParts("Nature", "171", "4356", "", "")),
    ],
)
def test_citation_lines(line: str, parts: CitationParts) -> None:
    assert parse_citation(line) == parts


@pytest.mark.parametrize(
    "line",
    [
        "Photo Production Ltd. v. Securicor Transport Ltd.",
        "Nothing about volumes",
        "Notes on Novels",
        "",
    ],
)
def test_lines_without_citation_parts_are_not_citations(line: str) -> None:
    assert parse_citation(line) is None


@given(
    st.from_regex(r"[A-Z][a-z]{0,10}( [A-Z][a-z]{0,10}){0,3}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]{0,2}", fullmatch=True),
    st.integers(1, 999),
    st.integers(0, 50),
    st.booleans(),
)
def test_format_source_reads_back(
    title: str, volume: str, issue: str, start: int, length: int, host: bool
) -> None:
    line = format_source(title, volume, issue, str(start), str(start + length), host=host)
    assert parse_citation(line) == CitationParts(
        title, volume, issue, str(start), str(start + length), host
    )


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Dissertation", ResourceType.BOOK),
        ("info:eu-repo/semantics/bookPart", ResourceType.BOOK_CHAPTER),
        ("Article - letter to the editor", ResourceType.JOURNAL_ARTICLE),
        ("academic journal", ResourceType.JOURNAL),
        ("MovingImage", ResourceType.AUDIO_VISUAL),
        ("web site", ResourceType.WEB_PAGE),
        ("Text", ResourceType.OTHER),
        ("Reviewed", ResourceType.OTHER),
    ],
)
def test_type_words(word: str, kind: ResourceType) -> None:
    assert resource_type_of(word) is kind
