"""oai_dc records with repeated elements and qualified identifiers: nothing dropped unsaid."""

from __future__ import annotations

from lxml import etree

from crosswalks import dc
from crosswalks.rli import (
    IdentifierType,
    Location,
    LocationType,
    Resource,
    StandardIdentifier,
    binding,
)
from crosswalks.validation import validate

OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DC = "{http://purl.org/dc/elements/1.1/}"


def _read(*fields: tuple[str, str]) -> tuple[Resource, tuple[str, ...]]:
    root = etree.Element(OAI_DC, nsmap={"oai_dc": OAI_DC[1:-3], "dc": DC[1:-1]})
    for name, value in fields:
        etree.SubElement(root, DC + name).text = value
    validate(root, "oai_dc")
    got = dc.read_resource(root)
    validate(binding.write_resource(got.value), "rli")
    return got.value, got.losses


def test_a_second_publisher_is_reported() -> None:
    res, losses = _read(("title", "T"), ("publisher", "Elsevier"), ("publisher", "North-Holland"))
    assert res.citation.publisher == "Elsevier"
    assert any("North-Holland" in loss for loss in losses)


def test_a_second_language_is_reported() -> None:
    res, losses = _read(("title", "T"), ("language", "en"), ("language", "nl"))
    assert res.language == "en"
    assert any("dc:language" in loss and "nl" in loss for loss in losses)


def test_an_isbn_with_a_binding_qualifier_is_an_isbn() -> None:
    res, _ = _read(("title", "T"), ("identifier", "ISBN 9789040723702 (pbk.)"),
                   ("identifier", "ISBN: 0-19-852663-6 (hbk)"))
    assert res.citation.identifiers == (
        StandardIdentifier(IdentifierType.ISBN, "9789040723702"),
        StandardIdentifier(IdentifierType.ISBN, "0-19-852663-6"),
    )
    assert res.identifier == ""


def test_a_media_type_and_url_separated_by_a_comma_keep_the_url() -> None:
    url = "http://content.library.tudelft.nl/x.pdf?IdcService=GET_FILE&dID=8802"
    res, losses = _read(("title", "T"), ("format", f"application/pdf, {url}"))
    assert res.format == "application/pdf"
    assert res.locations == (Location(LocationType.URL, url),)
    assert not any("dc:format" in loss for loss in losses)
