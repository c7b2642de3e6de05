"""crosswalks.mods.write: what the MODS writer makes of awkward values."""

from __future__ import annotations

import pytest

from crosswalks.mods import read_resource, write_resource
from crosswalks.mods.write import as_uri
from crosswalks.rli import (
    Citation,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
)
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests import paths


@pytest.mark.parametrize("value", ["##", "http://x.org/a#b#c", "a b#c#", "#:x#"])
def test_urls_with_more_than_one_hash_are_valid_any_uri(value: str) -> None:
    # found by hypothesis: a locator "##" made the MODS record fail mods-3-8.xsd
    assert as_uri(value).count("#") <= 1
    res = Resource(Citation(title="t"), locations=(Location(LocationType.URL, value, ""),))
    validate(write_resource(res), "mods")


@pytest.mark.parametrize(
    "related",
    [
        RelatedTitle("Polar Record", RelatedTitleType.JOURNAL),
        RelatedTitle("Arctic Papers", RelatedTitleType.HOST),
    ],
)
def test_a_generic_resource_citing_a_container_is_read_back_generic(related: RelatedTitle) -> None:
    res = Resource(
        Citation(title="Field notes", volume="3", start_page="5", related_titles=(related,)),
        type=ResourceType.OTHER,
    )
    written = write_resource(res)
    validate(written, "mods")
    back = read_resource(written)
    assert (back.value, back.losses) == (res, ())


M = "{http://www.loc.gov/mods/v3}"


@pytest.mark.parametrize(
    ("language", "kind", "authority"),
    [
        ("eng", "code", "iso639-2b"),  # MARC's codes, as LC, UPenn and FSU records carry them
        ("fre", "code", "iso639-2b"),
        ("ger", "code", "iso639-2b"),
        ("haw", "code", "iso639-2b"),  # also a BCP 47 tag: either label is right
        ("fra", "code", "iso639-3"),  # ISO 639-2/T, not /B
        ("deu", "code", "iso639-3"),
        ("en", "code", "rfc5646"),
        ("fr", "code", "rfc5646"),
        ("en-GB", "code", "rfc5646"),
        ("eng-GB", "code", "rfc5646"),
        ("English", "text", None),
        ("en_US", "text", None),  # DSpace's form: no BCP 47 tag
    ],
)
def test_a_language_code_is_labelled_with_its_authority(
    language: str, kind: str, authority: str | None
) -> None:
    written = write_resource(Resource(Citation(title="t"), language=language))
    validate(written, "mods")
    validate(written, "mods-3-7")  # where languageTerm/@authority is still a closed list
    (term,) = written.iter(M + "languageTerm")
    assert (term.text, term.get("type"), term.get("authority")) == (language, kind, authority)
    assert read_resource(written).value.language == language


@pytest.mark.parametrize("name", [
    "loc-lccn-2010045158-book.mods.xml",
    "upenn-onlinebooks-gettysburg-article.mods.xml",
    "fsu-pinehill-369554-letter-recipient-only.mods.xml",
])
def test_a_real_records_iso639_2b_code_is_written_back_as_iso639_2b(name: str) -> None:
    root = parse_untrusted((paths.SAMPLES / "mods" / name).read_bytes())
    record = next(root.iter(M + "mods"))
    written = write_resource(read_resource(record).value)
    validate(written, "mods")
    assert [(t.text, t.get("authority")) for t in written.iter(M + "languageTerm")] == [
        ("eng", "iso639-2b")
    ]
