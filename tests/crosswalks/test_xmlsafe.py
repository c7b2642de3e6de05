"""crosswalks.xmlsafe: untrusted bytes in, judged by the parser's own view of the document."""

from __future__ import annotations

import pytest

from crosswalks.xmlsafe import XMLInputError, parse_untrusted, strip_illegal_bytes

PAD = b"<!--" + b"x" * 5000 + b"-->"  # past the 4 KB a text scan used to look at
DECL = b'<?xml version="1.0"?>'


@pytest.mark.parametrize("doc", [
    DECL + b'<!DOCTYPE r [<!ENTITY x "deleted">]><r a="&x;">&x;</r>',
    DECL + PAD + b'<!DOCTYPE r [<!ENTITY x "deleted">]><r a="&x;">t</r>',
    DECL + PAD + b'<!DOCTYPE r [<!ELEMENT r ANY>' + b" " * 5000
    + b'<!ENTITY x "deleted">]><r status="&x;"/>',
    DECL + b"\n" * 5000 + b'<!DOCTYPE r [<!ENTITY % p "x"><!ENTITY y "z">]><r/>',
])
def test_entity_declarations_are_refused_wherever_they_are(doc: bytes) -> None:
    with pytest.raises(XMLInputError, match="entity"):
        parse_untrusted(doc)


def test_a_deletion_cannot_be_smuggled_into_a_harvested_header() -> None:
    page = (
        DECL + PAD
        + b'<!DOCTYPE OAI-PMH [<!ENTITY s "deleted">]>'
        + b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01'
        + b'T00:00:00Z</responseDate><request>http://x/oai</request><ListIdentifiers>'
        + b'<header status="&s;"><identifier>oai:x:1</identifier><datestamp>2026-01-01'
        + b'</datestamp></header></ListIdentifiers></OAI-PMH>'
    )
    with pytest.raises(XMLInputError):
        parse_untrusted(page)


def test_a_dtd_without_entities_and_plain_documents_pass() -> None:
    assert parse_untrusted(DECL + PAD + b"<!DOCTYPE r [<!ELEMENT r ANY>]><r>t</r>").text == "t"
    assert parse_untrusted(b"<r>&amp;&lt;</r>").text == "&<"


def test_billion_laughs_past_4_kb_is_refused_quickly() -> None:
    laughs = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), b"&%s;" % chr(97 + i).encode() * 10)
        for i in range(8)) + b"]>"
    with pytest.raises(XMLInputError):
        parse_untrusted(DECL + PAD + laughs + b'<r a="&i;">&i;</r>')


def test_strip_illegal_bytes_removes_exactly_the_c0_controls_xml_forbids() -> None:
    every = bytes(range(256)) * 2
    cleaned, count = strip_illegal_bytes(every)
    forbidden = {b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D)}
    assert count == 2 * len(forbidden) == 58
    assert cleaned == bytes(b for b in every if b not in forbidden)
    assert parse_untrusted(strip_illegal_bytes(b"<a>x\x00\x1fy\x0b</a>")[0]).text == "xy"
