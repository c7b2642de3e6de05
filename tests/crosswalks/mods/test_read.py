"""crosswalks.mods.read: what one pass over a MODS record makes of related items and identifiers."""

from __future__ import annotations

import pytest

from crosswalks import mods
from crosswalks.rli import (
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    StandardIdentifier,
)
from crosswalks.xmlsafe import parse_untrusted

_LNCS = (
    '<relatedItem type="series">'
    "<titleInfo><title>Lecture Notes in Computer Science</title></titleInfo>"
    "<name><namePart>Goos, Gerhard</namePart>"
    '<role><roleTerm type="code">edt</roleTerm></role></name>'
    '<identifier type="issn">0302-9743</identifier>'
    '<part><detail type="volume"><number>4962</number></detail></part>'
    "</relatedItem>"
)


def _read(body: str) -> tuple[Resource, tuple[str, ...]]:
    xml = f'<mods xmlns="http://www.loc.gov/mods/v3">{body}</mods>'
    got = mods.read_resource(parse_untrusted(xml.encode("utf-8")))
    return got.value, got.losses


def test_a_series_keeps_its_issn_and_editors() -> None:
    res, _ = _read("<titleInfo><title>Foundations</title></titleInfo>" + _LNCS)
    assert res.citation.related_titles == (
        RelatedTitle(
            "Lecture Notes in Computer Science",
            RelatedTitleType.SERIES,
            "4962",
            creators=(Creator("Goos, Gerhard", CreatorRole.EDITOR),),
            identifiers=(StandardIdentifier(IdentifierType.ISSN, "0302-9743"),),
        ),
    )


def test_a_series_with_issn_and_editors_survives_a_round_trip() -> None:
    series = RelatedTitle(
        "Lecture Notes in Computer Science",
        RelatedTitleType.SERIES,
        "4962",
        creators=(Creator("Goos, Gerhard", CreatorRole.EDITOR),),
        identifiers=(StandardIdentifier(IdentifierType.ISSN, "0302-9743"),),
    )
    res = Resource(
        Citation(title="Foundations", publisher="Springer", related_titles=(series,)),
        type=ResourceType.BOOK,
    )
    assert mods.read_resource(mods.write_resource(res)).value == res


@pytest.mark.parametrize("kind", ["host", "series"])
def test_problems_inside_a_related_item_are_reported(kind: str) -> None:
    _, losses = _read(
        "<titleInfo><title>Letter</title></titleInfo>"
        f'<relatedItem type="{kind}"><titleInfo><title>Papers</title></titleInfo>'
        '<identifier type="local">MS 42</identifier>'
        "<name><namePart>Fund</namePart><role><roleTerm>funder</roleTerm></role></name>"
        "</relatedItem>"
    )
    assert any("'local'" in loss and kind in loss for loss in losses)
    assert any("'Fund'" in loss and kind in loss for loss in losses)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("doi", "https://doi.org/10.1007/s00300-003-0526-8", "10.1007/s00300-003-0526-8"),
        ("doi", "doi:10.1007/s00300-003-0526-8", "10.1007/s00300-003-0526-8"),
        ("doi", "10.1007/s00300-003-0526-8", "10.1007/s00300-003-0526-8"),
        ("isbn", "ISBN 0-632-05808-0", "0-632-05808-0"),
        ("isbn", "9780199644704 (pbk.)", "9780199644704"),
        ("isbn", "0198245203 : £25.00", "0198245203"),
        ("isbn", "urn:ISBN:9780199644704", "9780199644704"),
        ("issn", "ISSN 0722-4060", "0722-4060"),
        ("issn", "0722-4060 (Print)", "0722-4060"),
        ("lccn", "2010045158", "2010045158"),
        ("isbn", "not an isbn", "not an isbn"),  # kept as given: no shape to trust
    ],
)
def test_typed_identifiers_are_bare(kind: str, value: str, expected: str) -> None:
    res, _ = _read(f'<identifier type="{kind}">{value}</identifier>')
    assert res.citation.identifiers == (StandardIdentifier(IdentifierType[kind.upper()], expected),)
