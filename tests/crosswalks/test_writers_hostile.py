"""Every writer given hostile model values: control characters, NUL, U+FFFE, bidi controls,
``]]>``, XML look-alikes, long, blank and padded strings. The output must be well-formed
and valid against its XSD, RLI must read back what was written, and an OpenURL must hold
no empty or unencoded value."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from lxml import etree

from crosswalks.openurl import ID_PREFIXES, MATRIX_KEYS, openurl_kev, openurl_link
from crosswalks.registry import get_format
from crosswalks.rli import (
    Citation,
    Creator,
    IdentifierType,
    Location,
    LocationType,
    Resource,
    ResourceList,
    ResourceType,
    StandardIdentifier,
    binding,
)
from crosswalks.rli.write import IDENTIFIER_PREFIXES, clean_value
from crosswalks.validation import validate
from tests.golden.strategies import lists, resources

HOSTILE = ["", " ", " \t\n ", "\x00", "a\x01b", "\ufffe", "\uffff", "]]>", "<a>b</a>", "&amp;",
           "\u202eevil\u202c", " lead", "trail ", "x" * 5000, "é" * 300, "😀", "a\rb", "\x7f",
           "\x85", "\u2028", "a\ud800b", "\udfff"]

# A URI identifier spelt as another type's URN reads back as that type (it is one).
_OTHER_PREFIXES = tuple(p for p in IDENTIFIER_PREFIXES.values() if p)


def _no_urn_look_alikes(value: object) -> bool:
    return not any(p in repr(value) for p in _OTHER_PREFIXES)


@pytest.mark.parametrize("prefix", ["oai_dc", "mods", "lom", "rli"])
@pytest.mark.parametrize("value", HOSTILE)
def test_one_hostile_value_everywhere_validates(prefix: str, value: str) -> None:
    res = Resource(
        Citation(title=value, creators=(Creator(value),), publisher=value,
                 publication_place=value, publication_date=value, edition=value, volume=value,
                 part=value, start_page=value, end_page=value,
                 identifiers=tuple(StandardIdentifier(t, value) for t in IdentifierType)),
        type=ResourceType.JOURNAL_ARTICLE, identifier=value, description=value,
        language=value, format=value, rights=value, subjects=(value, value),
        locations=tuple(Location(t, value, value) for t in LocationType),
    )
    fmt = get_format(prefix)
    written = etree.tostring(fmt.write_resource(res), encoding="UTF-8")
    root = etree.fromstring(written)  # well-formed
    validate(root, prefix)
    fmt.read_resource(root)  # and readable


@settings(max_examples=40, deadline=None)
@given(lst=lists)
def test_lists_validate_in_every_format(lst: ResourceList) -> None:
    for prefix in ("oai_dc", "mods", "lom", "rli"):
        root = etree.fromstring(etree.tostring(get_format(prefix).write_list(lst)))
        validate(root, prefix)


@settings(max_examples=60, deadline=None)
@given(lst=lists.filter(_no_urn_look_alikes))
def test_rli_reads_back_what_it_wrote(lst: ResourceList) -> None:
    assert binding.read_list(binding.write_list(lst)) == clean_value(lst)


@pytest.mark.parametrize("kind", [IdentifierType.URI, IdentifierType.LCCN, IdentifierType.OCLC])
@pytest.mark.parametrize("value", [" ", "\x00", " \t"])
def test_openurl_sends_no_empty_rft_id(kind: IdentifierType, value: str) -> None:
    # a blank LCCN was sent as rft_id=info:lccn/ (an identifier of nothing), a blank URI
    # as rft_id= (an empty value, which the module promises to leave out)
    res = Resource(Citation(title="T", identifiers=(StandardIdentifier(kind, value),)))
    pairs = parse_qsl(openurl_kev(res), keep_blank_values=True)
    assert [v for k, v in pairs if k == "rft_id"] == []


@settings(max_examples=150, deadline=None)
@given(res=resources)
def test_openurl_of_any_resource(res: Resource) -> None:
    link = openurl_link(res, "https://resolver.example.edu/openurl?sid=rli")
    link.encode("ascii")  # every value percent-encoded
    assert not any(c.isspace() or ord(c) < 0x21 for c in link)
    pairs = parse_qsl(link.partition("?")[2], keep_blank_values=True, errors="strict")
    fmt = dict(pairs)["rft_val_fmt"]
    for key, value in pairs[1:]:
        assert value.strip() == value != "", key
        assert "\n" not in value and "\r" not in value
        if key.startswith("rft."):
            assert key[4:] in MATRIX_KEYS[fmt]
        if key == "rft_id":
            assert value not in ID_PREFIXES.values(), value  # a prefix with no identifier
