"""oai_dc <-> RLI: real records read as a librarian reads them, valid output, stable round trips."""

from __future__ import annotations

from functools import partial
from operator import attrgetter

import pytest
from hypothesis import given, settings
from lxml import etree

from crosswalks import dc
from crosswalks.errors import CrosswalkError
from crosswalks.rli import (
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    LocationType,
    RelatedTitleType,
    Resource,
    ResourceType,
    count_resources,
)
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests import paths
from tests.factories import article, book, chapter, make_list
from tests.golden import strategies, view
from tests.scaling import LINEAR, growth

OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DC = "{http://purl.org/dc/elements/1.1/}"
SAMPLES = paths.SAMPLES


def _is_dc(el: etree._Element) -> bool:
    return bool(el.tag == OAI_DC)


def _dc(*fields: tuple[str, str]) -> etree._Element:
    """An oai_dc:dc record with the given (element, text) pairs, in order."""
    root = etree.Element(OAI_DC, nsmap={"oai_dc": OAI_DC[1:-3], "dc": DC[1:-1]})
    for name, value in fields:
        etree.SubElement(root, DC + name).text = value
    return root


def _all_sample_records() -> list[etree._Element]:
    found = []
    for path in sorted(SAMPLES.glob("oai*/*.xml")):
        root = parse_untrusted(path.read_bytes(), source=path.name)
        found += [el for el in root.iter() if isinstance(el.tag, str) and _is_dc(el)]
    return found


@pytest.mark.parametrize("entry", view.load("oai_dc"), ids=lambda e: f"{e['file']}#{e['record']}")
def test_golden_records_read_as_a_librarian_reads_them(entry: dict) -> None:
    resource = dc.read_resource(view.record(entry, _is_dc)).value
    assert view.mismatches(resource, entry["expect"]) == []


def test_every_sample_record_reads_and_writes_back_valid_and_stable() -> None:
    records = _all_sample_records()
    assert len(records) == 4 + 1 + 3  # TU Delft + ARNO, EUR GetRecord, EUR records
    for el in records:
        first = dc.read_resource(el).value
        written = dc.write_resource(first)
        validate(written, "oai_dc")
        assert dc.read_resource(written).value == first


def test_losses_name_what_was_dropped() -> None:
    tudelft = SAMPLES / "oai_dc" / "tudelft-2004-ListRecords-oai_dc.xml"
    first = next(el for el in parse_untrusted(tudelft.read_bytes()).iter() if _is_dc(el))
    losses = dc.read_resource(first).losses
    assert "dc:type 'Reviewed' dropped" in losses
    assert "dc:format '15728635 bytes' dropped" in losses


DCTERMS = "{http://purl.org/dc/terms/}"


def _with_dcterms(record: etree._Element, *fields: tuple[str, str]) -> etree._Element:
    """``record`` with dcterms elements added, as some repositories write them into oai_dc:dc."""
    for name, value in fields:
        etree.SubElement(record, DCTERMS + name, nsmap={"dcterms": DCTERMS[1:-1]}).text = value
    return record


@pytest.mark.parametrize(
    ("dc_fields", "term", "value", "field", "expected"),
    [
        ((), "abstract", "Supply relationships, examined.", "description",
         "Supply relationships, examined."),
        ((("description", "ERIM Report."),), "abstract", "Supply relationships, examined.",
         "description", "ERIM Report.\n\nSupply relationships, examined."),
        ((), "issued", "2001-01-04", "citation.publication_date", "2001-01-04"),
        ((), "created", "2003-03-11", "citation.publication_date", "2003-03-11"),
        ((), "bibliographicCitation", "Polar Biol 26(9):610-620", "citation.volume", "26"),
        ((), "bibliographicCitation", "Polar Biol 26(9):610-620", "type",
         ResourceType.JOURNAL_ARTICLE),
    ],
)
def test_dcterms_refining_a_dc_element_is_read_as_it(
    dc_fields: tuple[tuple[str, str], ...], term: str, value: str, field: str, expected: object
) -> None:
    record = _with_dcterms(_dc(("title", "The Causality of Supply Relationships"), *dc_fields),
                           (term, value))
    assert attrgetter(field)(dc.read_resource(record).value) == expected


@pytest.mark.parametrize(
    ("dc_fields", "term", "loss"),
    [
        ((), "spatial", "dcterms:spatial dropped"),
        ((), "isPartOf", "dcterms:isPartOf dropped"),
        ((), "extent", "dcterms:extent dropped"),
        ((("date", "2001-01-04"),), "issued",
         "dcterms:issued dropped (the record's date is already read)"),
    ],
)
def test_dcterms_not_read_is_a_loss_naming_it(
    dc_fields: tuple[tuple[str, str], ...], term: str, loss: str
) -> None:
    fields = (("title", "The Causality of Supply Relationships"), *dc_fields)
    got = dc.read_resource(_with_dcterms(_dc(*fields), (term, "2004")))
    assert got.value == dc.read_resource(_dc(*fields)).value
    assert loss in got.losses


def test_wrong_root_is_a_crosswalk_error() -> None:
    with pytest.raises(CrosswalkError, match="oai_dc:dc"):
        dc.read_resource(etree.Element("{http://www.loc.gov/mods/v3}mods"))
    with pytest.raises(CrosswalkError):
        dc.read_resource(etree.Element(DC + "dc"))


def test_empty_record_gives_an_empty_resource() -> None:
    converted = dc.read_resource(_dc())
    assert converted.value == Resource()
    assert converted.losses == ()


@pytest.mark.parametrize(
    ("source", "volume", "part", "pages", "journal"),
    [
        ("Journal of X, vol. 12, no. 3, pp. 45-67", "12", "3", ["45", "67"], "Journal of X"),
        ("J X 12(3):45-67", "12", "3", ["45", "67"], "J X"),
        ("Nature 171(4356):737-738 (1953)", "171", "4356", ["737", "738"], "Nature"),
        ("Acta Bot. Neerl., Vol 7, Nr 2, p. 112", "7", "2", ["112", ""], "Acta Bot. Neerl."),
    ],
)
def test_citation_packed_in_dc_source_is_parsed(
    source: str, volume: str, part: str, pages: list[str], journal: str
) -> None:
    converted = dc.read_resource(_dc(("title", "An article"), ("source", source)))
    res = converted.value
    assert (res.citation.volume, res.citation.part) == (volume, part)
    assert [res.citation.start_page, res.citation.end_page] == pages
    assert [(r.type, r.title) for r in res.citation.related_titles] == [
        (RelatedTitleType.JOURNAL, journal)
    ]
    assert res.type is ResourceType.JOURNAL_ARTICLE
    assert any("approximated" in line for line in converted.losses)


def test_citation_packed_in_dc_identifier_is_parsed_and_issn_goes_to_the_journal() -> None:
    res = dc.read_resource(
        _dc(
            ("type", "info:eu-repo/semantics/article"),
            ("source", "Polar Biology"),
            ("identifier", "Polar Biol 26(9):610-620"),
            ("identifier", "ISSN 0722-4060"),
        )
    ).value
    assert (res.citation.volume, res.citation.part) == ("26", "9")
    assert (res.citation.start_page, res.citation.end_page) == ("610", "620")
    journal = res.citation.related_titles[0]
    assert journal.title == "Polar Biology"
    assert [(i.type, i.value) for i in journal.identifiers] == [(IdentifierType.ISSN, "0722-4060")]
    assert res.citation.identifiers == ()


def test_identifiers_are_typed_by_shape() -> None:
    res = dc.read_resource(
        _dc(
            ("identifier", "https://doi.org/10.1038/171737a0"),
            ("identifier", "info:doi/10.1000/xyz"),
            ("identifier", "urn:ISBN:978-0-14-021000-2"),
            ("identifier", "oai:repo:42"),
            ("identifier", "local-7"),
        )
    ).value
    assert [(i.type, i.value) for i in res.citation.identifiers] == [
        (IdentifierType.DOI, "10.1038/171737a0"),
        (IdentifierType.DOI, "10.1000/xyz"),
        (IdentifierType.ISBN, "978-0-14-021000-2"),
        (IdentifierType.OTHER, "local-7"),
    ]
    assert res.identifier == "oai:repo:42"
    assert [loc.locator for loc in res.locations] == ["https://doi.org/10.1038/171737a0"]


def test_place_publisher_heuristic_and_role_suffixes() -> None:
    res = dc.read_resource(
        _dc(
            ("publisher", "Oxford: Clarendon Press"),
            ("creator", "Smith, J. (ed.)"),
            ("contributor", "Jones, K. (translator)"),
            ("coverage", "Europe"),
        )
    )
    assert (res.value.citation.publication_place, res.value.citation.publisher) == (
        "Oxford",
        "Clarendon Press",
    )
    assert res.value.citation.creators == (
        Creator("Smith, J.", CreatorRole.EDITOR),
        Creator("Jones, K.", CreatorRole.TRANSLATOR),
    )
    assert "dc:coverage dropped" in res.losses


def test_factory_article_survives_rli_dc_rli_whole() -> None:
    res = article()
    assert dc.read_resource(dc.write_resource(res)).value == res


def test_factory_book_and_chapter_lose_only_what_the_table_says() -> None:
    back = dc.read_resource(dc.write_resource(book())).value
    assert back.citation.edition == "" and book().citation.edition == "2nd"
    assert all(loc.type is not LocationType.SHELFMARK for loc in back.locations)
    assert back.citation.identifiers == book().citation.identifiers
    assert back.citation.publication_place == "Harmondsworth"
    ch = dc.read_resource(dc.write_resource(chapter())).value
    assert ch.type is ResourceType.BOOK_CHAPTER
    assert (ch.citation.start_page, ch.citation.end_page) == ("3", "30")
    assert ch.citation.related_titles[0].title == "The Interpretation of Cultures"
    assert ch.citation.related_titles[0].type is RelatedTitleType.HOST
    assert ch.citation.related_titles[0].creators == ()  # host editors: lost in DC


def test_every_role_survives_as_a_contributor_suffix() -> None:
    creators = tuple(Creator(f"Name {n}", role) for n, role in enumerate(CreatorRole))
    res = Resource(citation=Citation(title="t", creators=creators))
    assert dc.read_resource(dc.write_resource(res)).value.citation.creators == creators


def _creators(count: int) -> etree._Element:
    return _dc(*[("creator", f"Author {n}, A.") for n in range(count)])


def test_ten_thousand_creators_read_in_linear_time() -> None:
    res = dc.read_resource(_creators(10_000)).value
    assert len(res.citation.creators) == 10_000
    assert growth(lambda n: partial(dc.read_resource, _creators(n)), 1_000, 10_000) < LINEAR
    assert res.citation.creators[-1] == Creator("Author 9999, A.")


def test_write_list_is_one_record_with_a_relation_per_resource() -> None:
    lst = make_list(items=5)
    el = dc.write_list(lst)
    validate(el, "oai_dc")
    relations = el.findall(DC + "relation")
    assert len(relations) == count_resources(lst) == 5
    assert el.findtext(DC + "title") == lst.title
    assert el.findtext(DC + "identifier") == lst.identifier
    assert "Thompson, E. P. (1968)" in (relations[0].text or "")


def test_write_list_without_identifier_is_refused() -> None:
    with pytest.raises(CrosswalkError):
        dc.write_list(make_list(identifier=" "))


@settings(max_examples=150, deadline=None)
@given(strategies.resources)
def test_any_resource_writes_valid_oai_dc_and_reads_back_stably(res: Resource) -> None:
    written = dc.write_resource(res)
    validate(written, "oai_dc")
    first = dc.read_resource(written).value
    rewritten = dc.write_resource(first)
    validate(rewritten, "oai_dc")
    assert dc.read_resource(rewritten).value == first


@settings(max_examples=40, deadline=None)
@given(strategies.lists)
def test_any_list_writes_valid_oai_dc(lst: object) -> None:
    validate(dc.write_list(lst), "oai_dc")  # type: ignore[arg-type]


DC_NAMES = [
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
    "dc",
]


@settings(max_examples=150, deadline=None)
@given(strategies.trees(DC[1:-1], DC_NAMES, {"lang": ["en"]}, "dc"))
def test_reader_never_fails_on_odd_well_formed_dc(tree: etree._Element) -> None:
    root = etree.Element(OAI_DC)
    root.extend(list(tree))
    res = dc.read_resource(root).value
    validate(dc.write_resource(res), "oai_dc")
    assert len(res.subjects) == len(
        [c for c in root if c.tag == DC + "subject" and "".join(c.itertext()).strip()]
    )


def test_a_list_record_reads_as_the_list_not_as_series() -> None:
    from tests.factories import make_list

    lst = make_list(items=5)
    got = dc.read_resource(dc.write_list(lst))
    assert got.value.title == lst.title
    assert got.value.citation.related_titles == ()
    assert "dc:relation: 5 citations of collection parts dropped" in got.losses


def test_generic_record_with_an_isbn_stays_generic_through_dc() -> None:
    """EUR's working paper hdl:1765/812 (dc:type "Working Paper", an ISBN) is not a book.

    Written back as DC it once had no dc:type, and the ISBN then made it a book.
    """
    eur = SAMPLES / "oai_dc" / "eur-dspace-2004-hdl-1765-812-working-paper-isbn.oai_dc.xml"
    el = parse_untrusted(eur.read_bytes())
    first = dc.read_resource(el).value
    assert first.type is ResourceType.OTHER
    assert [i.type for i in first.citation.identifiers] == [IdentifierType.ISBN]
    written = dc.write_resource(first)
    assert [t.text for t in written.iter(f"{DC}type")] == ["Other"]
    again = dc.read_resource(written)
    assert again.value.type is ResourceType.OTHER
    assert again.losses == ()


@pytest.mark.parametrize("source", ["Polar Record, vol. 3", "In: Arctic Papers, pp. 3-9"])
def test_dc_type_other_is_not_retyped_by_a_cited_container(source: str) -> None:
    """dc:type "Other" is written so that a journal in dc:source does not make an article."""
    res = dc.read_resource(_dc(("title", "Field notes"), ("type", "Other"), ("source", source)))
    assert res.value.type is ResourceType.OTHER


EUR_GETRECORD = SAMPLES / "oai_dc" / "eur-dspace-2004-GetRecord-creator-as-contributor.xml"


def _eur_record() -> etree._Element:
    root = parse_untrusted(EUR_GETRECORD.read_bytes())
    return next(el for el in root.iter() if _is_dc(el))


def test_dspace_series_and_number_are_split() -> None:
    """DSpace writes dc.relation.ispartofseries as "Series;Number": a series and its number."""
    got = dc.read_resource(_eur_record())
    (series,) = got.value.citation.related_titles
    assert (series.type, series.title, series.volume) == (
        RelatedTitleType.SERIES, "OCFEB Research Memoranda", "RM 0403")
    assert "dc:relation read as series (approximated)" in got.losses
    nine = SAMPLES / "oai_dc" / "eur-dspace-2004-hdl-1765-9-two-authors.oai_dc.xml"
    (series,) = dc.read_resource(parse_untrusted(nine.read_bytes())).value.citation.related_titles
    assert (series.title, series.volume) == ("ERS", "ERS-2001-73-ORG")


def test_dspace_format_with_the_full_text_url_keeps_the_url() -> None:
    """EUR's DSpace writes "application/pdf https://.../rm0403.pdf" in one dc:format."""
    got = dc.read_resource(_eur_record())
    res = got.value
    assert res.format == "application/pdf"
    assert [loc.locator for loc in res.locations if loc.type is LocationType.URL] == [
        "http://hdl.handle.net/1765/1162", "https://ep.eur.nl/retrieve/2566/rm0403.pdf"]
    assert not any("dc:format" in line for line in got.losses)
    # a format value with other text after its media type still says so
    odd = dc.read_resource(_dc(("title", "T"), ("format", "application/pdf 3 pages")))
    assert odd.value.format == "application/pdf"
    assert "dc:format: text after the media type dropped" in odd.losses
