"""MODS reading: empty elements add no empty values (rights read "Open; ; ", written back
with its trailing ';'), and what the reader drops from originInfo, recordInfo and a host
relatedItem is in the report, not dropped silently."""

from __future__ import annotations

import pytest
from lxml import etree

from crosswalks import mods
from crosswalks.convert import convert

M = "http://www.loc.gov/mods/v3"


def _record(body: str) -> bytes:
    return f'<mods xmlns="{M}"><titleInfo><title>T</title></titleInfo>{body}</mods>'.encode()


def test_empty_access_conditions_leave_no_trailing_semicolons() -> None:
    data = _record("<accessCondition>Open</accessCondition><accessCondition/>"
                   "<accessCondition type='use and reproduction'> </accessCondition>"
                   "<abstract>About it.</abstract><abstract/>"
                   "<subject><topic/></subject><subject><topic>Logic</topic></subject>")
    res = mods.read_resource(etree.fromstring(data)).value
    assert (res.rights, res.description, res.subjects) == ("Open", "About it.", ("Logic",))
    out = etree.fromstring(convert(data, "mods", "mods").data)
    assert [el.text for el in out.iter(f"{{{M}}}accessCondition")] == ["Open"]


def test_an_items_empty_access_condition_leaves_none_either() -> None:
    data = (f'<mods xmlns="{M}"><titleInfo><title>L</title></titleInfo>'
            '<relatedItem type="constituent"><titleInfo><title>x</title></titleInfo>'
            "<accessCondition/><accessCondition>CC BY</accessCondition></relatedItem></mods>")
    lst = mods.read_list(etree.fromstring(data.encode())).value
    assert lst.items[0].content.rights == "CC BY"  # type: ignore[union-attr]


@pytest.mark.parametrize(("body", "loss"), [
    ("<recordInfo><recordIdentifier>r1</recordIdentifier>"
     "<recordContentSource>DLC</recordContentSource></recordInfo>",
     "recordInfo/recordContentSource 'DLC' dropped"),
    ("<recordInfo><recordIdentifier>r1</recordIdentifier>"
     "<recordIdentifier>r2</recordIdentifier></recordInfo>",
     "recordInfo/recordIdentifier 'r2' dropped"),
    ("<originInfo><place><placeTerm type='text'>Berlin ;</placeTerm></place>"
     "<place><placeTerm type='text'>New York :</placeTerm></place></originInfo>",
     "originInfo/place 'New York' dropped (one place kept)"),
    ("<originInfo><edition>2nd ed.</edition><edition>Rev. ed.</edition></originInfo>",
     "originInfo/edition 'Rev. ed.' dropped (one edition kept)"),
    ("<originInfo><publisher>Brill</publisher><agent><namePart>Elsevier</namePart></agent>"
     "</originInfo>", "originInfo/agent 'Elsevier' dropped"),
    ("<originInfo><dateCaptured>2020-01-01</dateCaptured></originInfo>",
     "originInfo/dateCaptured '2020-01-01' dropped"),
    ("<originInfo><frequency>Monthly</frequency></originInfo>",
     "originInfo/frequency 'Monthly' dropped"),
    ("<relatedItem type='host'><titleInfo><title>Host</title></titleInfo>"
     "<originInfo><edition>3rd ed.</edition></originInfo></relatedItem>",
     "relatedItem host: edition '3rd ed.' dropped"),
    ("<relatedItem type='host'><titleInfo><title>Host</title></titleInfo>"
     "<abstract>The book this chapter is in.</abstract></relatedItem>",
     "relatedItem host: abstract dropped"),
])
def test_what_the_reader_drops_is_reported(body: str, loss: str) -> None:
    got = mods.read_resource(etree.fromstring(_record(body)))
    assert loss in got.losses


def test_what_the_reader_keeps_is_not_reported() -> None:
    body = ("<originInfo><place><placeTerm type='code' authority='marccountry'>gw</placeTerm>"
            "</place><place><placeTerm type='text'>Berlin</placeTerm></place>"
            "<publisher>Springer</publisher><edition>2nd ed.</edition><edition>2nd ed.</edition>"
            "<issuance>monographic</issuance></originInfo>"
            "<recordInfo><recordIdentifier>r1</recordIdentifier></recordInfo>")
    got = mods.read_resource(etree.fromstring(_record(body)))
    c = got.value.citation
    assert (c.publication_place, c.publisher, c.edition, got.value.identifier) == (
        "Berlin", "Springer", "2nd ed.", "r1")
    assert got.losses == ()
