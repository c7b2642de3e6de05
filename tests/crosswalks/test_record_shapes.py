"""Issue 12 (crosswalk half): record shapes from providers rli did not write.

Real records where tests/samples has them (the UNIT LOM-fr record with
aggregation level 4 and no parts, the 19 Triple-L records); the rest are
CONSTRUCTED here from the shapes the issue describes (no public record of them
was found): MODS articles dated only in ``part/date``, an IMS MD 1.2 record,
Dublin Core ``Text`` records with a journal, ISSN or ISBN.
"""

from __future__ import annotations

import copy
import re

import pytest
from lxml import etree

from crosswalks import dc, lom, mods
from crosswalks.citations import to_bibtex, to_csl_json, to_ris
from crosswalks.convert import convert
from crosswalks.openurl import openurl_kev
from crosswalks.rli import IdentifierType, LocationType, RelatedTitleType, ResourceType, binding
from crosswalks.xmlsafe import parse_untrusted
from tests import paths

SAMPLES = paths.SAMPLES
TRIPLE_L = SAMPLES / "oai" / "triple-l-ListRecords-imsmd-like.xml"
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _ris(tag: str, ris: str) -> list[str]:
    return re.findall(rf"^{tag}  - ([^\r\n]*)", ris, re.M)


# CONSTRUCTED: a journal article whose only date is its issue's, in the host's part.
MODS_HOST_PART_DATE = b"""<mods xmlns="http://www.loc.gov/mods/v3">
 <titleInfo><title>Dating the issue</title></titleInfo>
 <name><namePart>Writer, Wil</namePart></name>
 <genre>journal article</genre>
 <relatedItem type="host"><titleInfo><title>Journal of Dates</title></titleInfo>
  <originInfo><issuance>continuing</issuance></originInfo>
  <part><detail type="volume"><number>7</number></detail><date>1998</date></part>
 </relatedItem>
</mods>"""
# CONSTRUCTED: the same with the part at the top level.
MODS_TOP_PART_DATE = b"""<mods xmlns="http://www.loc.gov/mods/v3">
 <titleInfo><title>Dating the issue</title></titleInfo>
 <genre>journal article</genre>
 <relatedItem type="host"><titleInfo><title>Journal of Dates</title></titleInfo>
  <originInfo><issuance>continuing</issuance></originInfo></relatedItem>
 <part><detail type="volume"><number>7</number></detail><date>1998-05</date></part>
</mods>"""


@pytest.mark.parametrize(("data", "date"), [(MODS_HOST_PART_DATE, "1998"),
                                            (MODS_TOP_PART_DATE, "1998-05")])
def test_mods_part_date_is_the_publication_date(data: bytes, date: str) -> None:
    got = mods.read_resource(parse_untrusted(data))
    res = got.value
    assert res.type is ResourceType.JOURNAL_ARTICLE
    assert res.citation.publication_date == date
    assert _ris("PY", to_ris([res])) == ["1998"]
    assert f"rft.date={date}" in openurl_kev(res)
    assert got.losses == ()  # nothing dropped, nothing to report


UNIT = "lom/lomfr-unit-ori-wf-1-4369-aggregation4-no-haspart.lom.xml"


def test_lom_aggregation_without_parts_is_one_resource() -> None:
    root = parse_untrusted((SAMPLES / UNIT).read_bytes())
    assert not lom.holds_list(root)
    got = lom.read_resource(root)
    res = got.value
    assert res.title == "Anglais (Kit de gestion pour l'ingénieur)"
    assert [(loc.type, loc.locator) for loc in res.locations] == [
        (LocationType.URL, "http://www.unit.eu/cours/kit-gestion-ingenieur/Chapitre-1/index.html")]
    assert res.citation.publisher == "IUT en ligne"
    assert "publisher 'UNIT' dropped (one publisher kept)" in got.losses
    assert res.format == "text/html"
    assert "technical/format: 2 more dropped" in got.losses
    keywords = [k.text for k in root.iter("{*}keyword") for k in k.iter("{*}string")]
    assert keywords and all(k.strip() in res.subjects for k in keywords if k and k.strip())
    out = convert((SAMPLES / UNIT).read_bytes(), "lom", "rli", name="unit")
    assert etree.fromstring(out.data).tag.endswith("}resource")
    assert out.losses  # something was dropped, so the report says so
    ris = convert((SAMPLES / UNIT).read_bytes(), "lom", "ris").data.decode()
    assert _ris("UR", ris) == [res.locations[0].locator] and _ris("PB", ris) == ["IUT en ligne"]


def _triple_l_records() -> list[bytes]:
    root = parse_untrusted(TRIPLE_L.read_bytes())
    found = []
    for metadata in root.iter(f"{OAI}metadata"):
        found.append(etree.tostring(copy.deepcopy(metadata[0])))
    return found


def test_every_triple_l_record_converts_from_lom() -> None:
    records = _triple_l_records()
    assert len(records) == 19
    for data in records:
        out = convert(data, "lom", "rli", name="triple-l")
        res = binding.read_resource(out.data)
        assert res.title
    batch = convert(TRIPLE_L.read_bytes(), "lom", "rli", name="batch")
    assert len(binding.read_list(batch.data).items) == 19


# CONSTRUCTED: the IMS MD 1.2 binding (no real record in that namespace was found).
IMSMD = b"""<lom xmlns="http://www.imsglobal.org/xsd/imsmd_v1p2">
 <general><title><langstring xml:lang="en">Entropy explained</langstring></title>
  <catalogentry><catalog>ISBN</catalog><entry><langstring>0679450041</langstring></entry>
  </catalogentry></general>
 <lifecycle><contribute><role><source><langstring>LOMv1.0</langstring></source>
   <value><langstring>Author</langstring></value></role>
   <centity><vcard>BEGIN:VCARD
FN:Ann Lee
END:VCARD</vcard></centity></contribute></lifecycle>
 <technical><location>http://example.org/entropy</location></technical>
</lom>"""


def test_ims_md_1_2_converts_from_lom() -> None:
    out = convert(IMSMD, "lom", "ris", name="imsmd")
    ris = out.data.decode()
    assert _ris("TI", ris) == ["Entropy explained"]
    assert _ris("AU", ris) == ["Ann Lee"]
    assert _ris("UR", ris) == ["http://example.org/entropy"]


def _dc(*elements: str) -> etree._Element:
    body = "".join(elements)
    return parse_untrusted(
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/">{body}</oai_dc:dc>'.encode())


# CONSTRUCTED Dublin Core records: "Text" plus the evidence the issue names.
DC_CASES = {
    "journal-and-issn": (
        ("<dc:title>On soils</dc:title><dc:type>Text</dc:type>"
         "<dc:source>Journal of Soil Studies</dc:source><dc:identifier>ISSN 1234-5678"
         "</dc:identifier>"),
        ResourceType.JOURNAL_ARTICLE, "JOUR", "@article", "article-journal"),
    "isbn": (
        "<dc:title>A book</dc:title><dc:type>Text</dc:type><dc:identifier>ISBN 0679450041"
        "</dc:identifier>",
        ResourceType.BOOK, "BOOK", "@book", "book"),
    "host-and-isbn": (
        ("<dc:title>A chapter</dc:title><dc:type>Text</dc:type>"
         "<dc:source>In: Collected Essays</dc:source><dc:identifier>ISBN 0679450041"
         "</dc:identifier>"),
        ResourceType.BOOK_CHAPTER, "CHAP", "@incollection", "chapter"),
}


@pytest.mark.parametrize("case", sorted(DC_CASES))
def test_dc_text_is_typed_from_its_evidence(case: str) -> None:
    body, rtype, ris_type, bibtex_type, csl_type = DC_CASES[case]
    res = dc.read_resource(_dc(body)).value
    assert res.type is rtype
    assert _ris("TY", to_ris([res])) == [ris_type]
    assert to_bibtex([res]).lstrip().startswith(bibtex_type + "{")
    assert f'"type": "{csl_type}"' in to_csl_json([res])
    if rtype is ResourceType.JOURNAL_ARTICLE:
        (journal,) = res.citation.related_titles
        assert journal.type is RelatedTitleType.JOURNAL
        assert [i.type for i in journal.identifiers] == [IdentifierType.ISSN]
    if rtype is ResourceType.BOOK_CHAPTER:
        assert res.citation.related_titles[0].type is RelatedTitleType.HOST


def test_dc_text_without_evidence_stays_generic_and_says_so() -> None:
    got = dc.read_resource(_dc("<dc:title>Notes</dc:title><dc:type>Text</dc:type>"))
    assert got.value.type is ResourceType.OTHER
    assert any(loss.startswith("type left generic: dc:type 'Text'") for loss in got.losses)
