"""MODS records as catalogues write them: what the reader does not keep, the losses name."""

from __future__ import annotations

from crosswalks import mods
from crosswalks.rli import Creator, CreatorRole, Resource, binding
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted


def _read(body: str) -> tuple[Resource, tuple[str, ...]]:
    xml = f'<mods xmlns="http://www.loc.gov/mods/v3" version="3.8">{body}</mods>'
    root = parse_untrusted(xml.encode("utf-8"))
    validate(root, "mods")
    got = mods.read_resource(root)
    validate(binding.write_resource(got.value), "rli")
    return got.value, got.losses


def _lost(losses: tuple[str, ...], *words: str) -> bool:
    return any(all(w in loss for w in words) for loss in losses)


def test_split_given_names_are_all_kept() -> None:
    res, _ = _read(
        "<titleInfo><title>Letters</title></titleInfo>"
        '<name type="personal"><namePart type="family">Adams</namePart>'
        '<namePart type="given">John</namePart><namePart type="given">Quincy</namePart></name>'
    )
    assert res.citation.creators == (Creator("Adams, John Quincy", CreatorRole.AUTHOR),)


def test_name_dates_terms_of_address_and_affiliation_are_reported() -> None:
    res, losses = _read(
        "<titleInfo><title>Letters</title></titleInfo>"
        '<name type="personal"><namePart type="family">King</namePart>'
        '<namePart type="given">Martin Luther</namePart>'
        '<namePart type="termsOfAddress">Jr.</namePart>'
        '<namePart type="date">1929-1968</namePart>'
        "<affiliation>Morehouse College</affiliation></name>"
    )
    assert res.citation.creators == (Creator("King, Martin Luther", CreatorRole.AUTHOR),)
    assert _lost(losses, "Jr.")
    assert _lost(losses, "1929-1968")
    assert _lost(losses, "Morehouse College")


def test_a_typed_title_beside_the_main_title_is_reported() -> None:
    res, losses = _read(
        "<titleInfo><nonSort>The </nonSort><title>Republic</title></titleInfo>"
        '<titleInfo type="translated" xml:lang="de"><title>Der Staat</title></titleInfo>'
        '<titleInfo type="uniform"><title>Respublica</title></titleInfo>'
    )
    assert res.title == "The Republic"
    assert _lost(losses, "Der Staat")
    assert _lost(losses, "Respublica")


def test_dates_other_than_the_one_kept_are_reported() -> None:
    res, losses = _read(
        "<titleInfo><title>Flora</title></titleInfo>"
        "<originInfo><dateIssued>1900-1922.</dateIssued>"
        '<dateIssued point="start" encoding="marc">1900</dateIssued>'
        '<dateIssued point="end" encoding="marc">1922</dateIssued>'
        '<copyrightDate encoding="iso8601">1899</copyrightDate></originInfo>'
    )
    assert res.citation.publication_date == "1900"
    assert _lost(losses, "1922")
    assert _lost(losses, "1899")


def test_a_second_publisher_and_language_are_reported() -> None:
    res, losses = _read(
        "<titleInfo><title>Atlas</title></titleInfo>"
        "<originInfo><publisher>Brill</publisher><publisher>Nijhoff</publisher></originInfo>"
        '<language><languageTerm type="code" authority="iso639-2b">dut</languageTerm></language>'
        '<language><languageTerm type="code" authority="iso639-2b">fre</languageTerm></language>'
    )
    assert (res.citation.publisher, res.language) == ("Brill", "dut")
    assert _lost(losses, "Nijhoff")
    assert _lost(losses, "fre")


def test_an_identifier_marked_invalid_is_reported() -> None:
    res, losses = _read(
        "<titleInfo><title>Atlas</title></titleInfo>"
        '<identifier type="isbn">9780199644704</identifier>'
        '<identifier type="isbn" invalid="yes">9780199644711</identifier>'
    )
    assert [i.value for i in res.citation.identifiers] == ["9780199644704"]
    assert _lost(losses, "9780199644711")


def test_a_role_code_outside_the_rli_set_is_reported() -> None:
    res, losses = _read(
        "<titleInfo><title>L'Etre et le neant</title></titleInfo>"
        '<name type="corporate"><namePart>Gallimard</namePart><role>'
        '<roleTerm authority="marcrelator" type="code">pbl</roleTerm></role></name>'
    )
    assert res.citation.creators == (Creator("Gallimard", CreatorRole.CONTRIBUTOR),)
    assert "name role 'pbl' read as contributor" in losses


def test_a_preview_url_is_no_location_of_the_resource() -> None:
    # a thumbnail (access="preview") became the resource's link in OpenURL and citations
    res, losses = _read(
        "<titleInfo><title>Map of Leeds</title></titleInfo>"
        '<location><url access="preview">https://img.example.org/thumb/42.jpg</url>'
        '<url access="object in context" usage="primary display">'
        "https://maps.example.org/42</url></location>"
    )
    assert [loc.locator for loc in res.locations] == ["https://maps.example.org/42"]
    assert _lost(losses, "preview", "https://img.example.org/thumb/42.jpg")
