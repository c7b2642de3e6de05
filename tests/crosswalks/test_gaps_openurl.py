"""OpenURL and the citation exports: a URI identifier in an ISBN's or ISSN's URN form counts as
that ISBN or ISSN; a URN naming nothing is not sent; control characters are percent-encoded."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from crosswalks.citations import to_ris
from crosswalks.convert import convert
from crosswalks.openurl import openurl_kev
from crosswalks.rli import Citation, IdentifierType, Resource, StandardIdentifier

MODS_URN_ISBN = b"""<mods xmlns="http://www.loc.gov/mods/v3">
  <titleInfo><title>Logic Programming</title></titleInfo>
  <identifier type="uri">urn:isbn:978-0-387-53120-9</identifier>
  <identifier type="uri">urn:nbn:de:101:1-2011</identifier>
</mods>"""


def _kev(res: Resource) -> list[tuple[str, str]]:
    return parse_qsl(openurl_kev(res))


def test_a_urn_isbn_given_as_a_uri_is_sent_as_the_isbn() -> None:
    # rft_id=urn:isbn:... only: no rft.isbn for the resolver to match on, no SN in RIS
    link = convert(MODS_URN_ISBN, "mods", "openurl").data.decode().strip()
    pairs = parse_qsl(link)
    assert ("rft.isbn", "978-0-387-53120-9") in pairs
    assert [v for k, v in pairs if k == "rft_id"] == ["urn:ISBN:978-0-387-53120-9",
                                                      "urn:nbn:de:101:1-2011"]
    ris = convert(MODS_URN_ISBN, "mods", "ris").data.decode()
    assert "SN  - 978-0-387-53120-9" in ris.splitlines()


def test_a_urn_issn_given_as_a_uri_is_sent_as_the_issn() -> None:
    res = Resource(Citation(title="Nature", identifiers=(
        StandardIdentifier(IdentifierType.URI, "URN:ISSN:0028-0836"),)))
    assert ("rft.issn", "0028-0836") in _kev(res)
    assert "SN  - 0028-0836" in to_ris([res]).splitlines()


@pytest.mark.parametrize("value", ["urn:ISBN:", "urn:", "info:doi/", "info:lccn/", " urn:isbn: "])
def test_a_uri_naming_nothing_is_no_rft_id(value: str) -> None:
    res = Resource(Citation(title="T", identifiers=(
        StandardIdentifier(IdentifierType.URI, value),)))
    assert [k for k, _ in _kev(res) if k == "rft_id"] == []


def test_a_url_ending_in_a_urn_prefix_is_still_sent() -> None:
    res = Resource(Citation(title="T", identifiers=(
        StandardIdentifier(IdentifierType.URI, "http://example.org/urn:ISBN:"),)))
    assert ("rft_id", "http://example.org/urn:ISBN:") in _kev(res)


def test_del_and_c1_controls_are_percent_encoded_as_utf8() -> None:
    # Z39.88-2004 KEV: values are UTF-8, then every octet outside RFC 3986's unreserved set
    # is percent-encoded; DEL and C1 are data like any other (NEL, U+0085, is whitespace)
    kev = openurl_kev(Resource(Citation(title="a\x7fb\x80c\x9fd")))
    assert "rft.btitle=a%7Fb%C2%80c%C2%9Fd" in kev.split("&")
    assert ("rft.btitle", "a\x7fb\x80c\x9fd") in parse_qsl(kev)
