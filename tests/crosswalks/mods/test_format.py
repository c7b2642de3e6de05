"""MODS 3.x <-> RLI: real records, lists as constituents, valid 3.8/3.7 output, round trips."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import partial

import pytest
from hypothesis import given, settings
from lxml import etree

from crosswalks import mods
from crosswalks.citations import to_bibtex, to_csl_json, to_ris
from crosswalks.errors import CrosswalkError
from crosswalks.rli import (
    Annotation,
    Creator,
    CreatorRole,
    IdentifierType,
    Item,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
    binding,
)
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests import paths
from tests.factories import article, book, chapter, make_list
from tests.golden import strategies, view
from tests.scaling import LINEAR, growth

NS = "http://www.loc.gov/mods/v3"
M = f"{{{NS}}}"
SAMPLES = paths.SAMPLES
COLLECTION = SAMPLES / "mods/bibutils-collection-2articles-1book.mods.xml"
HARVARD = SAMPLES / "oai/harvard-librarycloud-ListRecords-mods.xml"


def _is_mods(el: etree._Element) -> bool:
    return bool(el.tag == M + "mods")


def _parse(xml: str) -> etree._Element:
    return parse_untrusted(xml.encode("utf-8"))


def _valid(el: etree._Element) -> None:
    validate(el, "mods")
    validate(el, "mods-3-7")


def _all_sample_records() -> list[etree._Element]:
    found = []
    for path in [*sorted(SAMPLES.glob("mods/*.xml")), HARVARD]:
        root = parse_untrusted(path.read_bytes(), source=path.name)
        found += [el for el in root.iter() if isinstance(el.tag, str) and _is_mods(el)]
    return found


@pytest.mark.parametrize("entry", view.load("mods"), ids=lambda e: f"{e['file']}#{e['record']}")
def test_golden_records_read_as_a_librarian_reads_them(entry: dict) -> None:
    resource = mods.read_resource(view.record(entry, _is_mods)).value
    assert view.mismatches(resource, entry["expect"]) == []


def test_every_sample_record_round_trips_through_valid_mods() -> None:
    records = _all_sample_records()
    # five single records (two FSU letters), a collection of three, Harvard's ten
    assert len(records) == 5 + 3 + 10
    for el in records:
        first = mods.read_resource(el).value
        assert first.citation.title
        written = mods.write_resource(first)
        _valid(written)
        assert mods.read_resource(written).value == first


def test_losses_are_reported_once_each() -> None:
    bhl = _all_sample_records()[0]
    losses = mods.read_resource(bhl).losses
    assert "subject/geographic dropped" in losses
    assert "name role 'issuing body' read as contributor" in losses
    assert len(losses) == len(set(losses))


def test_an_extension_element_in_no_namespace_is_a_loss_not_a_failure() -> None:
    # valid MODS (extension takes any element); RLI keeps only namespaced ones, and the
    # record failed to write ("not in a foreign namespace"), its import refused whole
    record = _parse(f"""<mods xmlns="{NS}"><titleInfo><title>Shelved</title></titleInfo>
      <extension><localData xmlns=""><shelf>QA76</shelf></localData>
        <x:kept xmlns:x="urn:example:x">yes</x:kept></extension></mods>""")
    _valid(record)
    res = mods.read_resource(record)
    assert "extension element in no namespace dropped: localData" in res.losses
    assert [e.xml for e in res.value.extensions] == ['<x:kept xmlns:x="urn:example:x">yes</x:kept>']
    validate(binding.write_resource(res.value), "rli")


def test_a_collection_sharing_record_ids_reads_with_unique_item_ids() -> None:
    # two records of one ID, and a record identifier a made-up id takes first: the list
    # was written with an item id twice, and its import refused
    got = mods.read_list(_parse(f"""<modsCollection xmlns="{NS}">
      <mods ID="smith2003"><titleInfo><title>First</title></titleInfo></mods>
      <mods ID="smith2003"><titleInfo><title>Second</title></titleInfo></mods>
      <mods><titleInfo><title>Third</title></titleInfo></mods>
      <mods><titleInfo><title>Fourth</title></titleInfo>
        <recordInfo><recordIdentifier>item3</recordIdentifier></recordInfo></mods>
    </modsCollection>"""))
    assert [i.id for i in got.value.items] == ["smith2003", "smith2003-2", "item3", "item3-2"]
    assert "item id 'smith2003' used twice: read as 'smith2003-2'" in got.losses
    filled = replace(got.value, identifier="c", title="c", owner="o")
    validate(binding.write_list(filled), "rli")
    assert binding.read_list(binding.write_list(filled)) == filled


def test_wrong_root_is_a_crosswalk_error() -> None:
    with pytest.raises(CrosswalkError, match="mods:mods"):
        mods.read_resource(etree.Element("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"))
    with pytest.raises(CrosswalkError):
        mods.read_resource(etree.Element("mods"))  # no namespace
    with pytest.raises(CrosswalkError):
        mods.read_list(etree.Element(M + "relatedItem"))


CHAPTER = f"""<mods xmlns="{NS}">
  <titleInfo><nonSort>The </nonSort><title>Thick description</title>
    <subTitle>toward an interpretive theory of culture</subTitle></titleInfo>
  <name><namePart type="family">Geertz</namePart><namePart type="given">Clifford</namePart>
    <role><roleTerm type="code" authority="marcrelator">aut</roleTerm></role></name>
  <typeOfResource>text</typeOfResource>
  <relatedItem type="host">
    <titleInfo><title>The interpretation of cultures</title></titleInfo>
    <name><namePart>Geertz, Clifford</namePart>
      <role><roleTerm type="text">editor</roleTerm></role></name>
    <originInfo><place><placeTerm type="text">New York</placeTerm></place>
      <publisher>Basic Books</publisher><dateIssued>1973</dateIssued>
      <issuance>monographic</issuance></originInfo>
    <identifier type="isbn">0465034233</identifier>
    <part><extent unit="pages"><start>3</start><end>30</end></extent></part>
  </relatedItem>
</mods>"""


def test_a_chapter_takes_its_book_from_the_host_item() -> None:
    res = mods.read_resource(_parse(CHAPTER)).value
    c = res.citation
    assert res.type is ResourceType.BOOK_CHAPTER
    assert c.title == "The Thick description: toward an interpretive theory of culture"
    assert c.creators == (Creator("Geertz, Clifford", CreatorRole.AUTHOR),)
    assert (c.start_page, c.end_page) == ("3", "30")
    assert c.publisher == "Basic Books"
    assert (c.publication_place, c.publication_date) == ("New York", "1973")
    host = c.related_titles[0]
    assert (host.type, host.title) == (RelatedTitleType.HOST, "The interpretation of cultures")
    assert host.creators == (Creator("Geertz, Clifford", CreatorRole.EDITOR),)
    assert host.identifiers == (StandardIdentifier(IdentifierType.ISBN, "0465034233"),)


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("aut", CreatorRole.AUTHOR),
        ("edt", CreatorRole.EDITOR),
        ("trl", CreatorRole.TRANSLATOR),
        ("ill", CreatorRole.ILLUSTRATOR),
        ("drt", CreatorRole.DIRECTOR),
        ("prf", CreatorRole.PERFORMER),
        ("pro", CreatorRole.PRODUCER),
        ("com", CreatorRole.COMPILER),
        ("ctb", CreatorRole.CONTRIBUTOR),
    ],
)
def test_marc_relator_codes_give_roles(code: str, role: CreatorRole) -> None:
    xml = (
        f'<mods xmlns="{NS}"><name><namePart>X, Y</namePart><role>'
        f'<roleTerm type="code" authority="marcrelator">{code}</roleTerm></role></name></mods>'
    )
    assert mods.read_resource(_parse(xml)).value.citation.creators == (Creator("X, Y", role),)


@pytest.mark.parametrize("make", [book, article, chapter])
def test_factory_resources_survive_rli_mods_rli_whole(make: object) -> None:
    res = make()  # type: ignore[operator]
    written = mods.write_resource(res)
    _valid(written)
    assert mods.read_resource(written).value == res


def test_list_round_trips_with_sections_item_ids_and_item_annotations() -> None:
    lst = make_list(items=5)
    lst = ResourceList(
        lst.identifier,
        lst.title,
        lst.owner,
        description="Core and further reading",
        courses=lst.courses,
        language="en",
        rights="CC BY 4.0",
        created="2026-01-05",
        modified="2026-02-01",
        items=lst.items,
        annotations=(Annotation("Updated for 2026", kind="note"),),  # author/date: lost
    )
    el = mods.write_list(lst)
    _valid(el)
    converted = mods.read_list(el)
    assert converted.value == lst
    assert converted.losses == ()
    assert mods.holds_list(el)
    section = converted.value.items[0]
    assert isinstance(section.content, Section) and section.content.title == "Week 1"
    assert section.annotations == (Annotation("Read before the first seminar", kind="essential"),)


def test_collection_reads_as_a_list_of_its_records() -> None:
    root = parse_untrusted(COLLECTION.read_bytes())
    assert mods.holds_list(root)
    converted = mods.read_list(root)
    assert [item.id for item in converted.value.items] == [
        "Mock++2003",
        "Schewe+Soltwedel2003",
        "Thomas+Dieckmann2003",
    ]
    assert [i.content.type for i in converted.value.items] == [  # type: ignore[union-attr]
        ResourceType.JOURNAL_ARTICLE,
        ResourceType.JOURNAL_ARTICLE,
        ResourceType.BOOK,
    ]
    assert "modsCollection has no list title, owner or identifier" in converted.losses


def test_single_record_is_not_a_list() -> None:
    assert not mods.holds_list(_all_sample_records()[2])


def test_empty_section_and_empty_list_survive() -> None:
    lst = ResourceList("l1", "Empty", "me", items=(Item("s", Section("Nothing yet")),))
    assert mods.read_list(mods.write_list(lst)).value == lst
    bare = ResourceList("l2", "", "")
    _valid(mods.write_list(bare))
    assert mods.read_list(mods.write_list(bare)).value == bare


def test_write_list_without_identifier_is_refused() -> None:
    with pytest.raises(CrosswalkError):
        mods.write_list(make_list(identifier=""))


def _names(count: int) -> etree._Element:
    root = etree.Element(M + "mods")
    etree.SubElement(etree.SubElement(root, M + "titleInfo"), M + "title").text = "Big"
    for n in range(count):
        name = etree.SubElement(root, M + "name")
        etree.SubElement(name, M + "namePart").text = f"Person {n}"
    return root


def test_ten_thousand_names_read_in_linear_time() -> None:
    res = mods.read_resource(_names(10_000)).value
    assert len(res.citation.creators) == 10_000
    assert growth(lambda n: partial(mods.read_resource, _names(n)), 1_000, 10_000) < LINEAR


@settings(max_examples=120, deadline=None)
@given(strategies.resources)
def test_any_resource_writes_valid_mods_and_reads_back_stably(res: Resource) -> None:
    written = mods.write_resource(res)
    _valid(written)
    first = mods.read_resource(written).value
    rewritten = mods.write_resource(first)
    _valid(rewritten)
    assert mods.read_resource(rewritten).value == first


@settings(max_examples=40, deadline=None)
@given(strategies.lists)
def test_any_list_writes_valid_mods_and_reads_back_stably(lst: ResourceList) -> None:
    written = mods.write_list(lst)
    _valid(written)
    first = mods.read_list(written).value
    assert mods.read_list(mods.write_list(first)).value == first


MODS_NAMES = [
    "titleInfo",
    "title",
    "nonSort",
    "subTitle",
    "partNumber",
    "name",
    "namePart",
    "role",
    "roleTerm",
    "displayForm",
    "typeOfResource",
    "genre",
    "originInfo",
    "place",
    "placeTerm",
    "publisher",
    "agent",
    "dateIssued",
    "dateCreated",
    "edition",
    "issuance",
    "language",
    "languageTerm",
    "physicalDescription",
    "internetMediaType",
    "abstract",
    "note",
    "subject",
    "topic",
    "accessCondition",
    "identifier",
    "location",
    "url",
    "physicalLocation",
    "shelfLocator",
    "relatedItem",
    "part",
    "detail",
    "number",
    "extent",
    "start",
    "end",
    "list",
    "extension",
    "recordInfo",
    "recordIdentifier",
    "mods",
    "unknownThing",
]
MODS_ATTRIBUTES = {
    "type": [
        "host",
        "series",
        "constituent",
        "code",
        "text",
        "family",
        "given",
        "isbn",
        "doi",
        "volume",
        "issue",
        "rliItem",
        "rliItem:essential",
        "section",
    ],
    "point": ["start", "end"],
    "keyDate": ["yes"],
    "unit": ["page", "pages", "leaves"],
    "invalid": ["yes"],
    "ID": ["a1"],
}


@settings(max_examples=150, deadline=None)
@given(strategies.trees(NS, MODS_NAMES, MODS_ATTRIBUTES, "mods"))
def test_readers_never_fail_on_odd_well_formed_mods(root: etree._Element) -> None:
    res = mods.read_resource(root).value
    _valid(mods.write_resource(res))
    lst = mods.read_list(root).value
    assert len(lst.items) == sum(
        1 for c in root if c.tag == M + "relatedItem" and c.get("type") == "constituent"
    )


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (
            '<detail type="volume"><caption>vol.</caption><number>12</number></detail>'
            '<detail type="issue"><number>3</number></detail>'
            '<extent unit="pages"><list>45–67</list></extent>',
            ("12", "3", "45", "67"),
        ),
        ('<detail type="page"><number>101-110</number></detail>', ("", "", "101", "110")),
        ('<extent unit="page"><start>7</start></extent>', ("", "", "7", "")),
    ],
)
def test_host_part_forms(part: str, expected: tuple[str, str, str, str]) -> None:
    xml = (
        f'<mods xmlns="{NS}"><titleInfo><title>A</title></titleInfo><relatedItem type="host">'
        f"<titleInfo><title>J</title></titleInfo><genre>journal</genre><part>{part}</part>"
        "</relatedItem></mods>"
    )
    c = mods.read_resource(_parse(xml)).value.citation
    assert (c.volume, c.part, c.start_page, c.end_page) == expected


@pytest.mark.parametrize("name", ["fsu-pinehill-369556-letter-creator-recipient.mods.xml",
                                  "fsu-pinehill-369554-letter-recipient-only.mods.xml"])
def test_a_letter_in_an_archival_collection_is_not_a_chapter(name: str) -> None:
    """FSU letters: typeOfResource text, genre "Personal correspondence", host = the papers.

    RLI has no letter or manuscript type (RLI_NOTES: no type vocabulary confirmed),
    so the letter is generic, the collection stays its host, and the genre is reported.
    """
    got = mods.read_resource(_parse((SAMPLES / "mods" / name).read_text("utf-8")))
    res = got.value
    assert res.type is ResourceType.OTHER
    host = res.citation.related_titles[0]
    papers = "Pine Hill Plantation Papers, 1832-1926"
    assert (host.type, host.title) == (RelatedTitleType.HOST, papers)
    assert "genre 'Personal correspondence': no RLI type, read as generic" in got.losses
    ris = to_ris([res])
    assert "TY  - GEN" in ris and "T2  - Pine Hill Plantation Papers, 1832-1926" in ris
    assert "@misc{" in to_bibtex([res])
    assert json.loads(to_csl_json([res]))[0]["type"] == "document"


def test_a_host_without_pages_isbn_publisher_or_editor_is_no_book() -> None:
    bare = CHAPTER.replace("<identifier type=\"isbn\">0465034233</identifier>", "")
    bare = re.sub(r"<name>.*?</name>|<originInfo>.*?</originInfo>|<part>.*?</part>", "", bare,
                  flags=re.S)
    got = mods.read_resource(_parse(bare))
    assert got.value.type is ResourceType.OTHER
    assert ("relatedItem host 'The interpretation of cultures' shows no book (no pages, ISBN,"
            " publisher or editor): type left generic") in got.losses
    # each piece of evidence alone makes it a book chapter again
    for piece in ('<identifier type="isbn">0465034233</identifier>',
                  "<originInfo><publisher>Basic Books</publisher></originInfo>",
                  "<originInfo><issuance>monographic</issuance></originInfo>",
                  '<name><namePart>Geertz, Clifford</namePart><role><roleTerm type="text">editor'
                  "</roleTerm></role></name>",
                  '<part><extent unit="pages"><start>3</start></extent></part>'):
        shown = bare.replace("</titleInfo>\n    \n", f"</titleInfo>{piece}", 1)
        assert piece in shown
        assert mods.read_resource(_parse(shown)).value.type is ResourceType.BOOK_CHAPTER, piece
