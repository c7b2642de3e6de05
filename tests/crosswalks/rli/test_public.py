"""RLI as others write it (issue 19): the Discovery+ stylesheets' output, read leniently.

The lists are regenerated here from the public Discovery+ stylesheets (LGPL, kept
with their licence in tests/samples/discovery-plus) over real records, as that
folder's README describes, and every item is checked against the source record.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from crosswalks.convert import convert
from crosswalks.rli import IdentifierType, LocationType, Section, binding, iter_resources
from crosswalks.rli.public import read_public
from crosswalks.rli.write import rli
from crosswalks.validation import validate
from tests.crosswalks.rli.test_binding import every_field_list as every_field_list_of_test_binding

SAMPLES = Path(__file__).parents[2] / "samples"
DPLUS = SAMPLES / "discovery-plus"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
MARC = "http://www.loc.gov/MARC21/slim"
MARC_IDS = ("11939876", "12883376", "ocn814388508")


def _xslt(name: str) -> etree.XSLT:
    return etree.XSLT(etree.parse(str(DPLUS / name)))


def dc2rli_list() -> bytes:
    """DC2RLI over each oai_dc record of the TU Delft response, wrapped by RLIList."""
    dc2rli = _xslt("DC2RLI.xsl")
    records = etree.Element("records")
    response = etree.parse(str(SAMPLES / "oai_dc" / "tudelft-2004-ListRecords-oai_dc.xml"))
    for dc in response.iter(f"{{{OAI_DC}}}dc"):
        records.append(dc2rli(etree.ElementTree(copy.deepcopy(dc))).getroot())
    return bytes(_xslt("RLIList.xsl")(etree.ElementTree(records)))


def marc2rli_list() -> bytes:
    """MARC2RLI over the three oai_marc records (derived from real MARCXML), wrapped by RLIList."""
    marc2rli = _xslt("MARC2RLI.xsl")
    records = etree.Element("records")
    for n in MARC_IDS:
        doc = etree.parse(str(DPLUS / "inputs" / "derived-oai_marc" / f"{n}.oai_marc.xml"))
        records.append(marc2rli(doc).getroot())
    return bytes(_xslt("RLIList.xsl")(etree.ElementTree(records)))


def dc_sources() -> list[dict[str, list[str]]]:
    response = etree.parse(str(SAMPLES / "oai_dc" / "tudelft-2004-ListRecords-oai_dc.xml"))
    return [
        {name: [(e.text or "").strip() for e in dc.findall(f"{{{DC}}}{name}")]
         for name in ("title", "creator", "identifier")}
        for dc in response.iter(f"{{{OAI_DC}}}dc")
    ]


def marc_sources() -> list[dict[str, list[str]]]:
    found = []
    for name in ("marc4j-chabon.marc.xml", "marc4j-OCLC_814388508.marc.xml"):
        for rec in etree.parse(str(DPLUS / "inputs" / name)).iter(f"{{{MARC}}}record"):
            def sub(tag: str, code: str, rec: etree._Element = rec) -> list[str]:
                path = f"{{{MARC}}}datafield[@tag='{tag}']/{{{MARC}}}subfield[@code='{code}']"
                return [s.text or "" for s in rec.findall(path)]
            found.append({
                "title": ["".join(sub("245", "a") + sub("245", "b"))],
                "creator": sub("100", "a") + sub("110", "a"),
                "001": [rec.findtext(f"{{{MARC}}}controlfield[@tag='001']") or ""],
                "isbn": sub("020", "a"),
            })
    return found


def test_regenerated_outputs_are_the_kept_ones() -> None:
    assert dc2rli_list() == (DPLUS / "dc2rli-list-tudelft.rli.xml").read_bytes()
    assert marc2rli_list() == (DPLUS / "marc2rli-list-marc4j-loc-oclc.rli.xml").read_bytes()


def test_the_public_shape_is_not_rli_own_form() -> None:
    # rli's XSD stays strict for what rli writes: the public shape is not valid rli.
    with pytest.raises(binding.RLIFormatError, match="identifier"):
        binding.read_list(dc2rli_list())


def test_dc2rli_list_matches_its_oai_dc_records() -> None:
    got = read_public(dc2rli_list(), source="dc2rli")
    lst = got.value
    sources = dc_sources()
    assert lst.title == "My Resource List" and lst.rights == "xxxxxxxx"
    assert lst.identifier == "" and lst.owner == ""  # the caller supplies these
    assert [i.id for i in lst.items] == ["i1", "i2", "i3"]
    assert len(lst.items) == len(sources) == 3
    for item, src in zip(lst.items, sources):
        res = item.content
        assert not isinstance(res, Section)
        url = src["identifier"][0]
        assert res.title == src["title"][0]
        assert [c.name for c in res.citation.creators] == src["creator"]
        assert res.identifier == url  # rli:indexId kept
        assert [(i.type, i.value) for i in res.citation.identifiers] == [(IdentifierType.URI, url)]
        # two locations with the same URL (one with bare-text locationType) read as one
        assert [(loc.type, loc.locator) for loc in res.locations] == [(LocationType.URL, url)]
    assert any("item ids" in s for s in got.supplied)
    assert sum("repeated location" in u for u in got.unread) == 3
    assert any("rlx:language" in u and "en-GB" in u for u in got.unread)


def test_marc2rli_list_matches_its_marc_records() -> None:
    got = read_public(marc2rli_list(), source="marc2rli")
    sources = marc_sources()
    resources = [res for _, res in iter_resources(got.value.items)]
    assert len(resources) == len(sources) == 3
    for res, src in zip(resources, sources):
        assert res.title == src["title"][0]
        assert [c.name for c in res.citation.creators] == src["creator"]
        assert res.identifier == src["001"][0]
        isbns = [i.value for i in res.citation.identifiers if i.type is IdentifierType.ISBN]
        assert isbns == src["isbn"]
        assert res.locations == ()  # the records have no 856
    assert [r.language for r in resources] == ["en-GB", "en-GB", "gre"]
    assert resources[1].citation.edition == "1st ed."


def test_single_resource_document_is_a_one_item_list() -> None:
    data = (DPLUS / "dc2rli-resource-unimaas-arno-3326.rli.xml").read_bytes()
    got = read_public(data)
    assert got.single
    (item,) = got.value.items
    assert item.id == "i1"
    assert got.value.title == item.content.title
    assert item.content.title.startswith("Europese Klassiekers: Photo Production Ltd.")
    assert [c.name for c in item.content.citation.creators] == ["Hardy, R.R.R."]  # type: ignore[union-attr]


def test_export_is_rli_form_valid_and_stable() -> None:
    got = read_public(dc2rli_list())
    from dataclasses import replace

    lst = replace(got.value, identifier="dplus", owner="unknown")
    data = binding.write_list(lst)
    validate(etree.fromstring(data), "rli")
    assert binding.write_list(binding.read_list(data)) == data


# Constructed, not real: a minimal document with the wrapper variants RLI_NOTES.md
# lists (text directly in locationType, language and standardIdentifierType; empty
# rlx:language) and a nested list, the shape the issue describes. No real instance
# with a nested list was found.
VARIANTS = b"""<?xml version="1.0"?>
<rli:resourceList xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
    xmlns:rlx="http://www.imsglobal.org/services/rli/rlicommon/imsRLICommonSchema_v1p0">
 <rli:resourceListMetadata><rli:title><rli:metadataLangString><rlx:LangString>
   <rlx:language/><rlx:text>Week by week</rlx:text></rlx:LangString></rli:metadataLangString>
 </rli:title></rli:resourceListMetadata>
 <rli:resource><rli:indexId>r1</rli:indexId><rli:resourceMetadata>
  <rli:language>fr</rli:language>
  <rli:citation><rli:title><rli:metadataLangString><rlx:LangString><rlx:language/>
   <rlx:text>First</rlx:text></rlx:LangString></rli:metadataLangString></rli:title>
   <rli:standardIdentifier><rli:standardIdentifierType>URI</rli:standardIdentifierType>
    <rli:identifierString><rli:metadataString>urn:ISBN:0679450041</rli:metadataString>
    </rli:identifierString></rli:standardIdentifier></rli:citation>
  <rli:location><rli:locationType>physical</rli:locationType>
   <rli:locator><rli:metadataString>QA76 .C45</rli:metadataString></rli:locator></rli:location>
  <rli:location><rli:locationType>ftp</rli:locationType>
   <rli:locator><rli:metadataString>ftp://example.org/f</rli:metadataString></rli:locator>
  </rli:location>
 </rli:resourceMetadata></rli:resource>
 <rli:resourceList><rli:resourceListMetadata><rli:title><rli:metadataLangString>
   <rlx:LangString><rlx:text>Week 2</rlx:text></rlx:LangString></rli:metadataLangString>
   </rli:title></rli:resourceListMetadata>
  <rli:resource><rli:resourceMetadata><rli:citation><rli:title><rli:metadataLangString>
   <rlx:LangString><rlx:text>Second</rlx:text></rlx:LangString></rli:metadataLangString>
   </rli:title></rli:citation><rli:mystery/></rli:resourceMetadata></rli:resource>
 </rli:resourceList>
 <rli:resource><rli:resourceMetadata><rli:citation><rli:title><rli:metadataLangString>
   <rlx:LangString><rlx:text>Third</rlx:text></rlx:LangString></rli:metadataLangString>
   </rli:title></rli:citation></rli:resourceMetadata></rli:resource>
</rli:resourceList>
"""


def test_wrapper_variants_and_nested_lists() -> None:
    got = read_public(VARIANTS)
    first, week2, third = got.value.items
    assert [first.id, week2.id, third.id] == ["i1", "i2", "i4"]
    assert isinstance(week2.content, Section) and week2.content.title == "Week 2"
    assert [(i.id, i.content.title) for i in week2.content.items] == [("i3", "Second")]  # type: ignore[union-attr]
    res = first.content
    assert not isinstance(res, Section)
    assert res.identifier == "r1" and res.language == "fr"
    assert [(i.type, i.value) for i in res.citation.identifiers] == [
        (IdentifierType.ISBN, "0679450041")]
    assert [(loc.type, loc.locator) for loc in res.locations] == [
        (LocationType.SHELFMARK, "QA76 .C45"), (LocationType.URL, "ftp://example.org/f")]
    assert any("unknown locationType 'ftp'" in u for u in got.unread)
    assert any("rli:mystery not read" in u for u in got.unread)


@pytest.mark.parametrize(("data", "reason"), [
    (b"not xml", "line"),
    (b'<resourceList xmlns="urn:other"/>', "not an RLI"),
    (VARIANTS.replace(b"Week by week", b""), "no title"),
])
def test_refused_only_when_unreadable(data: bytes, reason: str) -> None:
    with pytest.raises(binding.RLIFormatError, match=reason):
        read_public(data, source="in.xml")


def test_convert_reads_the_public_shape() -> None:
    out = convert(dc2rli_list(), "rli", "rli", name="tudelft")
    lst = binding.read_list(out.data)
    assert (lst.identifier, lst.owner) == ("tudelft", "unknown")
    assert len(lst.items) == 3
    assert any("list identifier 'tudelft'" in s for s in out.supplied)
    assert any("repeated location" in loss for loss in out.losses)


def test_rli_own_form_with_every_field_reads_with_nothing_unread() -> None:
    # rlix:origin (a harvested item's provenance) was read but reported as "not read",
    # so `rli import` of an exported list with harvested items printed a false warning
    lst = every_field_list_of_test_binding()
    assert any(res.origin is not None for _, res in iter_resources(lst.items))
    got = read_public(binding.write_list(lst), source="t")
    assert got.unread == ()
    assert got.value == binding.clean(lst)



def test_rli_own_form_reports_the_values_it_does_not_keep() -> None:
    # valid rli.xsd with a second LangString, description and format: read in rli's own
    # form (items in rlix:items) they were dropped with nothing reported
    doc = etree.fromstring(binding.write_list(every_field_list_of_test_binding()))
    meta = next(doc.iter(rli("resourceMetadata")))
    first = meta.find(rli("description"))
    assert first is not None, "the every-field list has a description"
    strings = first.find(rli("metadataLangString"))
    assert strings is not None
    strings.append(copy.deepcopy(strings[0]))
    first.addnext(copy.deepcopy(first))
    validate(doc, "rli")
    got = read_public(etree.tostring(doc), source="t")
    assert "1 description(s) after a resource's first not kept" in got.unread
    assert "2 text value(s) after a value's first (its other languages) not kept" in got.unread


def test_an_origin_is_read_in_resource_metadata_and_reported_anywhere_else() -> None:
    placed = binding.write_list(every_field_list_of_test_binding())
    assert read_public(placed, source="t").unread == ()
    ns = ('xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"'
          ' xmlns:rlix="urn:x-rli:extension:1.0"')
    origin = '<rlix:origin source="s" identifier="i" datestamp="d" sha256="x"/>'
    misplaced = (f'<rli:resourceList {ns}><rli:resourceListMetadata><rli:title>T</rli:title>\n'
                 f"{origin}</rli:resourceListMetadata><rli:resource>\n{origin}"
                 "<rli:resourceMetadata><rli:citation><rli:title>R</rli:title></rli:citation>"
                 "</rli:resourceMetadata></rli:resource></rli:resourceList>").encode()
    got = read_public(misplaced, source="t")
    assert got.unread == ("line 2: rlix:origin not read", "line 3: rlix:origin not read")
    assert [item.content.origin for item in got.value.items] == [None]  # type: ignore[union-attr]
