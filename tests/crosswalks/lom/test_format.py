"""IEEE LOM (and IMS MD 1.2 style) <-> RLI: real records, aggregations, valid lomLoose output."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import example, given, settings
from lxml import etree

from crosswalks import lom
from crosswalks.errors import CrosswalkError
from crosswalks.rli import (
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    Item,
    Location,
    LocationType,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
)
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests import paths
from tests.factories import article, book, chapter, make_list
from tests.golden import strategies, view
from tests.scaling import LINEAR, growth

L = "{http://ltsc.ieee.org/xsd/LOM}"
SAMPLES = paths.SAMPLES
TRIPLE_L = SAMPLES / "oai/triple-l-ListRecords-imsmd-like.xml"


def _is_lom(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and etree.QName(el).localname == "lom"


def _all_sample_records() -> list[etree._Element]:
    found = []
    for path in [*sorted(SAMPLES.glob("lom/*.xml")), TRIPLE_L]:
        root = parse_untrusted(path.read_bytes(), source=path.name)
        found += [el for el in root.iter() if isinstance(el.tag, str) and _is_lom(el)]
    return found


@pytest.mark.parametrize("entry", view.load("lom"), ids=lambda e: f"{e['file']}#{e['record']}")
def test_golden_records_read_as_a_librarian_reads_them(entry: dict) -> None:
    resource = lom.read_resource(view.record(entry, _is_lom)).value
    assert view.mismatches(resource, entry["expect"]) == []


def test_every_sample_record_round_trips_through_valid_lom() -> None:
    records = _all_sample_records()
    # fontys x2, manifest x3, golf, triple-l, LOM-fr x2, Normetic, ENS Lyon x3, batch
    assert len(records) == 2 + 3 + 1 + 1 + 2 + 1 + 3 + 19
    for el in records:
        first = lom.read_resource(el).value
        written = lom.write_resource(first)
        validate(written, "lom")
        assert lom.read_resource(written).value == first


def test_losses_name_roles_and_relations() -> None:
    golf = parse_untrusted((SAMPLES / "lom/rustici-golf-metadata_course.lom.xml").read_bytes())
    losses = lom.read_resource(golf).losses
    assert "contributor 'Wikipedia' (content provider) dropped: not a creator" in losses
    assert "relation isbasedon dropped" in losses
    assert "general/coverage dropped" in losses


@pytest.mark.parametrize(
    "root",
    [
        etree.Element("{http://example.org/not-lom}lom"),
        etree.Element("lom"),
        etree.Element("{http://www.imsglobal.org/xsd/imscp_v1p1}manifest"),
        etree.Element(L + "general"),
    ],
)
def test_wrong_root_or_namespace_is_a_crosswalk_error(root: etree._Element) -> None:
    with pytest.raises(CrosswalkError):
        lom.read_resource(root)
    with pytest.raises(CrosswalkError):
        lom.read_list(root)
    assert not lom.holds_list(root)


def test_manifest_root_is_refused() -> None:
    manifest = parse_untrusted((SAMPLES / "lom/rustici-golf-metadata-imsmanifest.xml").read_bytes())
    with pytest.raises(CrosswalkError, match="LOM"):
        lom.read_resource(manifest)


IMSMD = """<lom xmlns="http://www.imsglobal.org/xsd/imsmd_v1p2">
  <general>
    <catalogentry><catalog>ISBN</catalog>
      <entry><langstring xml:lang="x-none">0140210008</langstring></entry></catalogentry>
    <title><langstring xml:lang="de">Die Entstehung</langstring>
      <langstring xml:lang="en">The Making</langstring></title>
    <language>en</language>
  </general>
  <lifecycle><contribute>
    <role><source><langstring xml:lang="x-none">LOMv1.0</langstring></source>
      <value><langstring xml:lang="x-none">Author</langstring></value></role>
    <centity><vcard>BEGIN:VCARD
FN:E. P. Thompson
N:Thompson;E. P.
END:VCARD</vcard></centity>
    <date><datetime>1963-09-01</datetime></date>
  </contribute></lifecycle>
  <technical><location type="URI">https://example.org/making</location></technical>
</lom>"""


def test_ims_md_1_2_is_read_too() -> None:
    res = lom.read_resource(parse_untrusted(IMSMD.encode())).value
    assert res.citation.title == "The Making"
    assert res.citation.creators == (Creator("Thompson, E. P.", CreatorRole.AUTHOR),)
    assert res.citation.publication_date == "1963-09-01"
    assert res.citation.identifiers == (StandardIdentifier(IdentifierType.ISBN, "0140210008"),)
    assert res.locations == (Location(LocationType.URL, "https://example.org/making"),)


def test_factory_article_survives_whole_and_book_and_chapter_lose_only_the_listed() -> None:
    res = article()
    assert lom.read_resource(lom.write_resource(res)).value == res
    back = lom.read_resource(lom.write_resource(book())).value
    assert back.citation.publication_place == "Harmondsworth"  # publisher's vCard ADR
    assert back.citation.edition == "2nd" and back.citation.publisher == "Penguin"
    assert back.citation.identifiers == book().citation.identifiers
    assert back.locations == ()  # shelfmarks: lost in LOM
    ch = lom.read_resource(lom.write_resource(chapter())).value
    assert ch.type is ResourceType.BOOK_CHAPTER
    assert (ch.citation.start_page, ch.citation.end_page) == ("3", "30")
    assert ch.citation.related_titles[0].type is RelatedTitleType.HOST
    assert ch.citation.related_titles[0].title == "The Interpretation of Cultures"
    assert ch.citation.publication_place == "New York"


def test_dates_that_are_not_lom_datetimes_survive_as_text() -> None:
    res = Resource(citation=Citation(title="Old", publication_date="c1900"))
    written = lom.write_resource(res)
    validate(written, "lom")
    assert lom.read_resource(written).value.citation.publication_date == "c1900"


def test_list_as_aggregation_keeps_titles_ids_identifiers_and_urls() -> None:
    lst = make_list(items=4)
    el = lom.write_list(lst)
    validate(el, "lom")
    assert lom.holds_list(el)
    converted = lom.read_list(el)
    got = converted.value
    assert (got.identifier, got.title, got.owner, got.courses) == (
        lst.identifier,
        lst.title,
        lst.owner,
        lst.courses,
    )
    assert [i.id for i in got.items] == ["i1", "i2", "i3", "i4"]  # section flattened
    assert [i.content.title for i in got.items] == [  # type: ignore[union-attr]
        "The Making of the English Working Class (part 0)",
        "Molecular structure of nucleic acids",
        "Thick Description: Toward an Interpretive Theory of Culture",
        "The Making of the English Working Class (part 3)",
    ]
    second = got.items[1].content
    assert isinstance(second, Resource)
    doi = StandardIdentifier(IdentifierType.DOI, "10.1038/171737a0")
    assert second.citation.identifiers == (doi,)
    assert second.locations == (Location(LocationType.URL, "https://doi.org/10.1038/171737a0"),)
    assert converted.losses == ("haspart items carry only title, identifiers and URLs",)


def test_single_record_is_not_a_list_and_empty_list_is_valid() -> None:
    assert not lom.holds_list(lom.write_resource(book()))
    empty = ResourceList("l1", "", "", items=(Item("s", Section("Later")),))
    validate(lom.write_list(empty), "lom")
    assert lom.read_list(lom.write_list(empty)).value.items == ()


def test_write_list_without_identifier_is_refused() -> None:
    with pytest.raises(CrosswalkError):
        lom.write_list(make_list(identifier="\x00"))


def _contributors(count: int) -> etree._Element:
    root = etree.Element(L + "lom")
    cycle = etree.SubElement(root, L + "lifeCycle")
    for n in range(count):
        contribute = etree.SubElement(cycle, L + "contribute")
        role = etree.SubElement(contribute, L + "role")
        etree.SubElement(role, L + "value").text = "author"
        etree.SubElement(contribute, L + "entity").text = f"BEGIN:VCARD\nFN:Person {n}\nEND:VCARD"
    return root


def test_ten_thousand_contributors_read_in_linear_time() -> None:
    res = lom.read_resource(_contributors(10_000)).value
    assert len(res.citation.creators) == 10_000
    assert res.citation.creators[-1].name == "Person 9999"
    assert growth(lambda n: partial(lom.read_resource, _contributors(n)), 1_000, 10_000) < LINEAR


# Found by Hypothesis: a publisher of only "\\n" wrote an empty vCard whose ADR kept the
# place; read back, the empty publisher wrote no vCard, and the place was gone.
NOTHING_BUT_AN_ESCAPE = Resource(Citation("", publication_place="0", publisher="\\n"))


@settings(max_examples=120, deadline=None)
@given(strategies.resources)
@example(NOTHING_BUT_AN_ESCAPE)
def test_any_resource_writes_valid_lom_and_reads_back_stably(res: Resource) -> None:
    written = lom.write_resource(res)
    validate(written, "lom")
    first = lom.read_resource(written).value
    assert lom.read_resource(lom.write_resource(first)).value == first


@settings(max_examples=40, deadline=None)
@given(strategies.lists)
def test_any_list_writes_valid_lom(lst: ResourceList) -> None:
    validate(lom.write_list(lst), "lom")


LOM_NAMES = [
    "general",
    "identifier",
    "catalog",
    "entry",
    "title",
    "string",
    "language",
    "description",
    "keyword",
    "aggregationLevel",
    "source",
    "value",
    "lifeCycle",
    "version",
    "contribute",
    "role",
    "entity",
    "date",
    "dateTime",
    "technical",
    "format",
    "location",
    "educational",
    "learningResourceType",
    "rights",
    "copyrightAndOtherRestrictions",
    "relation",
    "kind",
    "resource",
    "annotation",
    "classification",
    "taxonPath",
    "taxon",
    "langstring",
    "catalogentry",
    "centity",
    "vcard",
    "lom",
]
LOM_ATTRIBUTES = {"language": ["en", "nl", "x-none"]}


@settings(max_examples=150, deadline=None)
@given(strategies.trees(lom.LOM_NS, LOM_NAMES, LOM_ATTRIBUTES, "lom"))
def test_readers_never_fail_on_odd_well_formed_lom(root: etree._Element) -> None:
    res = lom.read_resource(root).value
    validate(lom.write_resource(res), "lom")
    lst = lom.read_list(root).value
    validate(lom.write_list(ResourceList("x", lst.title, lst.owner, items=lst.items)), "lom")


def test_a_realmedia_lecture_is_audio_visual() -> None:
    """ENS Lyon's recorded lecture (format application/vnd.rn-realmedia, no type) was generic."""
    from tests import paths

    path = paths.SAMPLES / "lom" / "ens-lyon-planet-terre-courtillot-plain-names.lom.xml"
    res = lom.read_resource(parse_untrusted(path.read_bytes())).value
    assert res.type is ResourceType.AUDIO_VISUAL
    assert res.format == "application/vnd.rn-realmedia"
