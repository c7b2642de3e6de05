"""LOM fields the reader does not keep are named in the losses, whatever the binding."""

from __future__ import annotations

import pytest

from crosswalks import lom
from crosswalks.rli import Resource, binding
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests import paths

GOLF = paths.SAMPLES / "lom/rustici-golf-metadata_course.lom.xml"


def _golf() -> tuple[Resource, tuple[str, ...]]:
    root = parse_untrusted(GOLF.read_bytes(), source=GOLF.name)
    validate(root, "lom")
    got = lom.read_resource(root)
    validate(binding.write_resource(got.value), "rli")
    return got.value, got.losses


@pytest.mark.parametrize(
    "words",
    [
        ("general/structure",),
        ("lifeCycle/status",),
        ("rights/cost",),
        ("classification/description",),
        ("Explicó Golf",),  # the title's Spanish string: one language is kept
    ],
)
def test_the_golf_sample_reports_what_it_drops(words: tuple[str, ...]) -> None:
    res, losses = _golf()
    assert res.title == "Golf Explained"
    assert any(all(w in loss for w in words) for loss in losses), losses


def test_a_second_record_language_is_reported() -> None:
    xml = (
        '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="nl">'
        "Entropie</string></title><language>nl</language><language>en</language></general></lom>"
    )
    got = lom.read_resource(parse_untrusted(xml.encode("utf-8")))
    assert got.value.language == "nl"
    assert any("general/language" in loss and "'en'" in loss for loss in got.losses)


def test_an_ims_md_plain_identifier_is_the_resource_identifier() -> None:
    xml = (
        '<lom xmlns="http://www.imsglobal.org/xsd/imsmd_v1p2"><general>'
        "<identifier>x-1</identifier><catalogentry><catalog>ISBN</catalog><entry>"
        '<langstring xml:lang="x-none">0-19-852663-6</langstring></entry></catalogentry>'
        '<title><langstring xml:lang="en">Thermodynamics</langstring></title></general></lom>'
    )
    got = lom.read_resource(parse_untrusted(xml.encode("utf-8")))
    validate(binding.write_resource(got.value), "rli")
    assert got.value.identifier == "x-1"
    assert [i.value for i in got.value.citation.identifiers] == ["0-19-852663-6"]


def test_a_classification_for_another_purpose_is_no_subject() -> None:
    # the crosswalk table (../shared/schemas/CROSSWALKS.md): subjects come from 9
    # classification only where 9.1 purpose is discipline or idea; the golf sample's is
    # "educational objective", whose taxon and keywords had become subjects
    res, losses = _golf()
    assert res.subjects == ("golf", "golf etiquette", "golf handicap")
    assert any("educational objective" in loss and "SCORM 2004" in loss for loss in losses)


def test_translations_and_restrictions_beside_what_is_kept_are_reported() -> None:
    # a keyword's or the rights' other languages, and the copyright flag beside a
    # description, went without a word
    xml = (
        '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">'
        "Entropy</string></title><language>en</language><keyword>"
        '<string language="en">heat</string><string language="de">Wärme</string></keyword>'
        "</general><rights><copyrightAndOtherRestrictions><source>LOMv1.0</source>"
        "<value>yes</value></copyrightAndOtherRestrictions><description>"
        '<string language="en">CC BY 4.0</string><string language="fr">CC BY 4.0 (fr)</string>'
        "</description></rights><classification><purpose><source>LOMv1.0</source>"
        '<value>discipline</value></purpose><keyword><string language="en">physics</string>'
        '<string language="nl">natuurkunde</string></keyword></classification></lom>'
    )
    root = parse_untrusted(xml.encode("utf-8"))
    validate(root, "lom")
    got = lom.read_resource(root)
    assert got.value.subjects == ("heat", "physics")
    assert got.value.rights == "CC BY 4.0"
    for words in (("general/keyword", "Wärme"), ("classification/keyword", "natuurkunde"),
                  ("rights/description", "(fr)"), ("copyrightAndOtherRestrictions", "yes")):
        assert any(all(w in loss for w in words) for loss in got.losses), (words, got.losses)
