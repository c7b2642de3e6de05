"""crosswalks.mods.read: what one pass over a MODS record makes of related items and identifiers."""

from __future__ import annotations

import pytest

from crosswalks import mods
from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    StandardIdentifier,
    binding,
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


# Abstracts as catalogues write them: indented by the XML around them, hard-wrapped, with
# blank lines between paragraphs (an abstract of hdl:1765/9, cut in two).
@pytest.mark.parametrize(
    ("written", "paragraphs"),
    [
        ("Supply relationships.\n\nThree regions.", "Supply relationships.\n\nThree regions."),
        (
            "\n      This study examines the 'logic' of\n      supply relationships.\n\n"
            "      The differences found\n      seem small.\n    ",
            "This study examines the 'logic' of supply relationships.\n\n"
            "The differences found seem small.",
        ),
        ("One.\n \t\n\n\nTwo  and\tthree.\r\n\r\nFour.", "One.\n\nTwo and three.\n\nFour."),
        ("  One paragraph,\tone   line.  ", "One paragraph, one line."),
    ],
)
def test_abstract_and_note_keep_their_paragraphs_titles_do_not(
    written: str, paragraphs: str
) -> None:
    res, _ = _read(
        f"<titleInfo><title>{written}</title></titleInfo>"
        f"<abstract>{written}</abstract><note type=\"content\">{written}</note>"
    )
    assert res.description == paragraphs
    assert res.annotations == (Annotation(paragraphs, "content"),)
    assert res.citation.title == " ".join(paragraphs.split())


_PARAGRAPHS = "\n  Supply relationships.\n\n  Three regions.\n"
_KEPT = "Supply relationships.\n\nThree regions."


def test_paragraphs_survive_mods_to_rli_xml_and_back() -> None:
    res, _ = _read(
        f"<titleInfo><title>Causality</title></titleInfo><abstract>{_PARAGRAPHS}</abstract>"
        f"<note>{_PARAGRAPHS}</note>"
    )
    assert (res.description, res.annotations) == (_KEPT, (Annotation(_KEPT),))
    assert binding.read_resource(binding.write_resource(res)) == res
    assert mods.read_resource(mods.write_resource(res)).value == res
    xml = (
        '<mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>Reading</title></titleInfo>'
        '<recordInfo><recordIdentifier>list-1</recordIdentifier></recordInfo>'
        f'<relatedItem type="constituent"><titleInfo><title>Week 1</title></titleInfo>'
        f'<genre>section</genre><abstract>{_PARAGRAPHS}</abstract></relatedItem>'
        f'<relatedItem type="constituent"><titleInfo><title>Causality</title></titleInfo>'
        f'<note type="rliItem:essential">{_PARAGRAPHS}</note></relatedItem></mods>'
    )
    lst = mods.read_list(parse_untrusted(xml.encode("utf-8"))).value
    section, item = lst.items
    assert section.content.description == _KEPT
    assert item.annotations == (Annotation(_KEPT, "essential"),)
    assert binding.read_list(binding.write_list(lst)) == lst
