"""LOM datatypes across bindings: vCards, LangStrings, vocabularies, dates, identifiers."""

from __future__ import annotations

import pytest
from lxml import etree

from crosswalks.lom.values import (
    best,
    identifiers,
    iso_date,
    strings,
    vcard_name,
    vcard_place,
    vocab,
)
from crosswalks.lom.write import vcard
from crosswalks.xmlsafe import parse_untrusted


def _el(xml: str) -> etree._Element:
    return parse_untrusted(xml.encode("utf-8"))


@pytest.mark.parametrize(
    ("card", "name"),
    [
        ("BEGIN:VCARD\nVERSION:2.1\nN:Dam;K. van\nFN:K. van Dam\nEND:VCARD", "Dam, K. van"),
        ("BEGIN:vcard\\nFN:onbekend\\nORG:Fonys/PABO\\nEND:vcard", "Fonys/PABO"),
        ("BEGIN:VCARDFN:Gorissen, P.J.B. (Pierre)END:VCARD", "Gorissen, P.J.B. (Pierre)"),
        ("BEGIN:VCARDFN:LOM Script 0.1EMAIL;INTERNET:p@example.orgEND:VCARD", "LOM Script 0.1"),
        ("BEGIN:VCARD\r\nFN:Brown\\, Anne\r\nEND:VCARD", "Brown, Anne"),
        ("BEGIN:VCARD\nVERSION:2.1\nORG:Wikipedia\nEND:VCARD", "Wikipedia"),
        ("", ""),
    ],
)
def test_vcard_names(card: str, name: str) -> None:
    assert vcard_name(card) == name


@pytest.mark.parametrize(
    "name", ["Thompson, E. P.", "Plato", "Wakker, K.F., prof. ir.", "A;B, C\\D"]
)
def test_written_vcards_read_back_to_the_same_name(name: str) -> None:
    assert vcard_name(vcard(name)) == name


@pytest.mark.parametrize("name", ["Harcourt, Brace; World", "A\\;B", "Back\\", "Penguin"])
def test_written_organisation_vcards_read_back_to_the_same_name(name: str) -> None:
    assert vcard_name(vcard(name, organisation=True), organisation_first=True) == name


def test_org_is_its_first_unescaped_component() -> None:
    card = "BEGIN:VCARD\nORG:ABC\\, Inc.;North American Division;Marketing\nEND:VCARD"
    assert vcard_name(card, organisation_first=True) == "ABC, Inc."
    assert vcard_name("BEGIN:VCARD\nORG:Back\\\\;Unit\nEND:VCARD") == "Back\\"


def test_vcard_place_is_the_adr_locality() -> None:
    card = "BEGIN:VCARD\nFN:M\nADR;WORK:;;3326 Aspen Grove Dr;Franklin;TN;37067;USA\nEND:VCARD"
    assert vcard_place(card) == "Franklin"
    assert vcard_place("BEGIN:VCARD\nFN:M\nEND:VCARD") == ""
    written = vcard("Penguin", organisation=True, place="Harmondsworth")
    assert vcard_place(written) == "Harmondsworth"


@pytest.mark.parametrize(
    ("xml", "pairs"),
    [
        (
            '<title xmlns="http://ltsc.ieee.org/xsd/LOM"><string language="nl">Wat</string>'
            '<string language="en">What</string></title>',
            [("nl", "Wat"), ("en", "What")],
        ),
        (
            '<title><langstring xml:lang="de">Was</langstring></title>',
            [("de", "Was")],
        ),
        (
            "<title><langstring><value>Wat</value><language>nl</language></langstring></title>",
            [("nl", "Wat")],
        ),
        ("<title>  Bare text </title>", [("", "Bare text")]),
        ('<title><string language="en">  </string></title>', []),
    ],
)
def test_langstrings_in_every_binding(xml: str, pairs: list[tuple[str, str]]) -> None:
    assert strings(_el(xml)) == pairs


def test_best_prefers_the_record_language_and_its_regional_variants() -> None:
    pairs = [("nl", "Wat"), ("en-US", "What")]
    assert best(pairs, "en") == "What"
    assert best(pairs, "fr") == "Wat"
    assert best([], "en") == ""


def test_vocabulary_in_ieee_and_ims_md_form() -> None:
    ieee = "<role><source>LOMv1.0</source><value>author</value></role>"
    imsmd = (
        "<role><source><langstring>LOMv1.0</langstring></source>"
        "<value><langstring>Author</langstring></value></role>"
    )
    assert vocab(_el(ieee)) == ("LOMv1.0", "author")
    assert vocab(_el(imsmd)) == ("LOMv1.0", "Author")


@pytest.mark.parametrize(
    ("xml", "date"),
    [
        ("<date><dateTime>2007-05-17T10:16:27.9770000+02:00</dateTime></date>", "2007-05-17"),
        ("<date><datetime>2006-11-28 19:00</datetime></date>", "2006-11-28"),
        ("<date><description><string>spring 1999</string></description></date>", "spring 1999"),
        ("<date/>", ""),
    ],
)
def test_dates(xml: str, date: str) -> None:
    assert iso_date(_el(xml)) == date


def test_identifiers_in_ieee_and_ims_md_form() -> None:
    xml = (
        "<general><identifier><catalog>ISBN</catalog><entry>0140210008</entry></identifier>"
        "<catalogentry><catalog>URI</catalog><entry><langstring>urn:x</langstring></entry>"
        "</catalogentry><identifier><catalog>empty</catalog></identifier></general>"
    )
    assert identifiers(_el(xml)) == [("ISBN", "0140210008"), ("URI", "urn:x")]
