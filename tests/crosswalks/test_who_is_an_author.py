"""Issue 17: only authors in author positions, plain-name LOM entities, a host with an ISSN.

Real records from tests/samples where they exist (FSU letters with an addressee,
Canal-U LOM-fr with a content provider, Normetic LOM with a graphical designer).
Some shapes are built here, marked CONSTRUCTED: a MODS journal article with an
editor and an ISSN host without genre (no public record found), and small
versions of two shapes that real records now also hold, run through the
command line in test_who_is_an_author_cli.py (EUR's DSpace repeating creators
as contributors; ENS Lyon LOM with plain-name entities). Each RIS, BibTeX and
CSL-JSON export is parsed back and must name only the authors as authors.
"""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from crosswalks import dc, lom, mods
from crosswalks.citations import to_bibtex, to_csl_json, to_ris
from crosswalks.rli import CreatorRole, Resource, ResourceType
from crosswalks.rli.binding import write_resource
from crosswalks.xmlsafe import parse_untrusted
from tests import paths

SAMPLES = paths.SAMPLES
RLI_NS = "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"


def _ris_authors(res: Resource) -> list[str]:
    return re.findall(r"^AU  - ([^\r\n]*)", to_ris([res]), re.M)


def _bibtex_authors(res: Resource) -> str:
    match = re.search(r"^\s*author = \{(.*)\},?$", to_bibtex([res]), re.M)
    return match.group(1) if match else ""


def _csl_authors(res: Resource) -> list[str]:
    (item,) = json.loads(to_csl_json([res]))
    return [a.get("family") or a.get("literal") for a in item.get("author", [])]


def _first_rli_creator(res: Resource) -> str:
    """The first rli:creator text, as a plain RLI reader (no extension attributes) sees it."""
    root = etree.fromstring(write_resource(res))
    found = root.find(f".//{{{RLI_NS}}}citation/{{{RLI_NS}}}creator")
    return "" if found is None else "".join(found.itertext()).strip()


def _sample(path: str) -> etree._Element:
    return parse_untrusted((SAMPLES / path).read_bytes())


# CONSTRUCTED from the shape issue 17 describes (DSpace: each dc:creator again as
# dc:contributor), with one contributor who is not a creator; real records of the
# shape: oai_dc/eur-dspace-2004-* (test_who_is_an_author_cli.py).
DSPACE_DC = b"""<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
 <dc:title>Soil carbon under grassland</dc:title>
 <dc:creator>Jansen, Anna</dc:creator><dc:creator>Bakker, Piet</dc:creator>
 <dc:contributor>Jansen, Anna</dc:contributor><dc:contributor>Bakker, Piet</dc:contributor>
 <dc:contributor>de Vries, Karel</dc:contributor>
 <dc:date>2019</dc:date><dc:type>Article</dc:type>
</oai_dc:dc>"""


def test_dspace_creator_repeated_as_contributor_is_one_creator() -> None:
    got = dc.read_resource(parse_untrusted(DSPACE_DC))
    names = [(c.name, c.role) for c in got.value.citation.creators]
    assert names == [("Jansen, Anna", CreatorRole.AUTHOR), ("Bakker, Piet", CreatorRole.AUTHOR),
                     ("de Vries, Karel", CreatorRole.CONTRIBUTOR)]
    assert any("2 name(s) repeating a dc:creator" in loss for loss in got.losses)
    res = got.value
    assert _ris_authors(res) == ["Jansen, Anna", "Bakker, Piet"]
    assert _bibtex_authors(res) == "Jansen, Anna and Bakker, Piet"
    assert _csl_authors(res) == ["Jansen", "Bakker"]


@pytest.mark.parametrize("name", ["fsu-pinehill-369556-letter-creator-recipient.mods.xml",
                                  "fsu-pinehill-369554-letter-recipient-only.mods.xml"])
def test_mods_letter_addressee_is_not_a_creator(name: str) -> None:
    got = mods.read_resource(_sample(f"mods/{name}"))
    res = got.value
    names = [c.name for c in res.citation.creators]
    assert "Eppes, Susan Bradford" not in names
    assert "name 'Eppes, Susan Bradford' (addressee) dropped: not a creator" in got.losses
    expected = ["Paterson, Angus"] if "creator" in name else []
    assert names == expected
    assert _ris_authors(res) == expected
    assert _csl_authors(res) == [n.split(",")[0] for n in expected]
    assert _first_rli_creator(res) == (expected[0] if expected else "")


# CONSTRUCTED: a journal article with an academic editor and a host that has an
# ISSN, volume and pages but no genre anywhere (no real record of this shape found).
MODS_ARTICLE = b"""<mods xmlns="http://www.loc.gov/mods/v3">
 <titleInfo><title>Grazing and soil carbon</title></titleInfo>
 <name type="personal"><namePart type="family">Editor</namePart><namePart type="given">Ed</namePart>
  <role><roleTerm type="code" authority="marcrelator">edt</roleTerm></role></name>
 <name type="personal"><namePart type="family">Writer</namePart>
  <namePart type="given">Wil</namePart>
  <role><roleTerm type="text">author</roleTerm></role></name>
 <typeOfResource>text</typeOfResource>
 <relatedItem type="host">
  <titleInfo><title>Journal of Soil Studies</title></titleInfo>
  <identifier type="issn">1234-5678</identifier>
  <part><detail type="volume"><number>12</number></detail>
   <extent unit="pages"><start>33</start><end>47</end></extent></part>
 </relatedItem>
</mods>"""


def test_mods_host_with_issn_is_a_journal_and_editor_stays_editor() -> None:
    res = mods.read_resource(parse_untrusted(MODS_ARTICLE)).value
    assert res.type is ResourceType.JOURNAL_ARTICLE
    assert [(c.name, c.role) for c in res.citation.creators] == [
        ("Writer, Wil", CreatorRole.AUTHOR), ("Editor, Ed", CreatorRole.EDITOR)]
    ris = to_ris([res])
    assert "TY  - JOUR" in ris and "SN  - 1234-5678" in ris and "VL  - 12" in ris
    assert _ris_authors(res) == ["Writer, Wil"]
    assert re.findall(r"^A2  - ([^\r\n]*)", ris, re.M) == ["Editor, Ed"]
    assert _bibtex_authors(res) == "Writer, Wil"
    assert "@article{" in to_bibtex([res])
    (item,) = json.loads(to_csl_json([res]))
    assert [a["family"] for a in item["author"]] == ["Writer"]
    assert [a["family"] for a in item["editor"]] == ["Editor"]
    assert _first_rli_creator(res) == "Writer, Wil"


def test_lom_content_provider_is_dropped_with_a_loss_line() -> None:
    got = lom.read_resource(_sample("lom/lomfr-canal-u-67-content-provider.lom.xml"))
    res = got.value
    assert [c.name for c in res.citation.creators] == ["LE GRAND, Jean-Louis", "PINEAU, Gaston"]
    assert "contributor 'Université de Nantes' (content provider) dropped: not a creator" \
        in got.losses
    assert res.citation.publisher == "Université de Nantes"
    assert _ris_authors(res) == ["LE GRAND, Jean-Louis", "PINEAU, Gaston"]
    assert _csl_authors(res) == ["LE GRAND", "PINEAU"]


def test_lom_graphical_designer_is_not_an_author() -> None:
    res = lom.read_resource(_sample(
        "lom/normetic-decclic-4c99176560aa44-graphical-designer.lom.xml")).value
    roles = {c.name: c.role for c in res.citation.creators}
    assert roles["Lux Aeterna ciné-média"] is CreatorRole.ILLUSTRATOR
    assert "Lux Aeterna ciné-média" not in _ris_authors(res)
    assert "Lux Aeterna" not in _bibtex_authors(res)
    assert "Lux Aeterna ciné-média" not in _csl_authors(res)
    assert _first_rli_creator(res) == "Nathalie L'Heureux"


# CONSTRUCTED: entities given as plain names, not vCards, with an unknown role
# first to show that authors are put first; real records of the shape:
# lom/ens-lyon-planet-terre-* (test_who_is_an_author_cli.py).
LOM_PLAIN = b"""<lom xmlns="http://ltsc.ieee.org/xsd/LOM">
 <general><title><string language="fr">La Terre</string></title></general>
 <lifeCycle>
  <contribute><role><source>LOMv1.0</source><value>technical implementer</value></role>
   <entity>Marie Dupont</entity></contribute>
  <contribute><role><source>LOMv1.0</source><value>author</value></role>
   <entity>Vincent Courtillot</entity></contribute>
 </lifeCycle>
</lom>"""


def test_lom_plain_name_entity_is_read_as_a_name() -> None:
    got = lom.read_resource(parse_untrusted(LOM_PLAIN))
    assert [(c.name, c.role) for c in got.value.citation.creators] == [
        ("Vincent Courtillot", CreatorRole.AUTHOR), ("Marie Dupont", CreatorRole.CONTRIBUTOR)]
    assert "contribute role 'technical implementer' read as contributor" in got.losses
    assert _ris_authors(got.value) == ["Vincent Courtillot"]
    assert _first_rli_creator(got.value) == "Vincent Courtillot"
