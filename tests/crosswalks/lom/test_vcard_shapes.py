"""vCards as LOM editors write them: folded lines, quoted-printable, lower-case names."""

from __future__ import annotations

import pytest

from crosswalks import lom
from crosswalks.rli import Creator, CreatorRole, binding
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted


def _creators(card: str) -> tuple[tuple[Creator, ...], tuple[str, ...]]:
    xml = (
        '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">'
        "Entropy</string></title></general><lifeCycle><contribute><role><source>LOMv1.0"
        f"</source><value>author</value></role><entity><![CDATA[{card}]]></entity>"
        "</contribute></lifeCycle></lom>"
    )
    got = lom.read_resource(parse_untrusted(xml.encode("utf-8")))
    validate(binding.write_resource(got.value), "rli")
    return got.value.citation.creators, got.losses


@pytest.mark.parametrize(
    ("card", "name"),
    [
        # RFC 2426/6350 folding: a line break and one blank continue the line
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan van der\r\n  Berg\r\nEND:VCARD", "Jan van der Berg"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Maximilian Mustermann-Schwarzenb\n erg\nEND:VCARD",
         "Maximilian Mustermann-Schwarzenberg"),
        # a structured value folded: its rest ("Oye;Jan;;;") is no property (found in review)
        ("BEGIN:VCARD\nVERSION:3.0\nN:Schimmelpenninck van der \n Oye;Jan;;;\nEND:VCARD",
         "Schimmelpenninck van der Oye, Jan"),
        # the same card indented inside the XML: its lines are not folds
        ("BEGIN:VCARD\n      VERSION:3.0\n      FN:Jan Berg\n      END:VCARD", "Jan Berg"),
        # vCard 2.1 quoted-printable, with and without a charset, and a soft line break
        ("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Ren=C3=A9 Dupont"
         "\nEND:VCARD", "René Dupont"),
        ("BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:M=FCller;J=FCrgen"
         "\nEND:VCARD", "Müller, Jürgen"),
        ("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:Anne-Marie de la Cro=\nix"
         "\nEND:VCARD", "Anne-Marie de la Croix"),
        # property names are case-insensitive
        ("BEGIN:VCARD\nversion:3.0\nfn:Ada Lovelace\nend:VCARD", "Ada Lovelace"),
        ("BEGIN:VCARD\nVERSION:3.0\nn:Lovelace;Ada;;;\nEND:VCARD", "Lovelace, Ada"),
        # a card written on one line (its line breaks lost on the way)
        ("BEGIN:VCARD VERSION:3.0 N:Doe;Jane;;; FN:Jane Doe END:VCARD", "Doe, Jane"),
        ("BEGIN:VCARD VERSION:2.1 FN:Paul Smith ORG:Open University END:VCARD", "Paul Smith"),
    ],
)
def test_a_vcard_name_is_read_whole(card: str, name: str) -> None:
    creators, losses = _creators(card)
    assert creators == (Creator(name, CreatorRole.AUTHOR),)
    assert not any("without a name" in loss for loss in losses)
