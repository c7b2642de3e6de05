"""LOM vCards: a name holding a word that looks like a vCard property ("URL:", "NOTE:") is
read whole; a card whose line breaks were lost still ends its value at a glued property."""

from __future__ import annotations

import pytest

from crosswalks import lom
from crosswalks.lom.values import vcard_name
from crosswalks.rli import Citation, Creator, CreatorRole, Resource

NAMES = [
    "Working Group URL: Standards",
    "Smith, NOTE: Jr",
    "The TITLE: Company",
    "Acme EMAIL: Department",
    "BBC TEL:Radio",
    "Doe, John VERSION:2",
    "Lab ORG: Twelve",
    "Ward ADR; Partners",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_with_a_property_word_reads_back_whole(name: str) -> None:
    # the reader cut the value at " URL:" (any property name followed by ':' or ';')
    res = Resource(Citation(title="T", creators=(Creator(name, CreatorRole.EDITOR),),
                            publisher=name, publication_place=name))
    got = lom.read_resource(lom.write_resource(res)).value
    assert [c.name for c in got.citation.creators] == [name]
    assert got.citation.publisher == name
    assert got.citation.publication_place == name


@pytest.mark.parametrize(("card", "name"), [
    # real cards (Fontys, Triple-L) written without their line breaks
    ("BEGIN:VCARDFN:LOM Package Script Version 0.1EMAIL;INTERNET:Pierre@gosoftonline.com"
     "END:VCARD", "LOM Package Script Version 0.1"),
    ("BEGIN:VCARD\\nFN:Gorissen, P.J.B. (Pierre)END:VCARD", "Gorissen, P.J.B. (Pierre)"),
    ("BEGIN:VCARD VERSION:3.0 FN:Jan Jansen EMAIL:jan@example.nl END:VCARD", "Jan Jansen"),
    ("BEGIN:VCARD\nVERSION:3.0\nFN:Acme URL: Lab\nURL:http://example.org\nEND:VCARD",
     "Acme URL: Lab"),
])
def test_cards_as_others_write_them(card: str, name: str) -> None:
    assert vcard_name(card) == name
