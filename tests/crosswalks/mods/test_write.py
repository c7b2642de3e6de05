"""crosswalks.mods.write: what the MODS writer makes of awkward values."""

from __future__ import annotations

import pytest

from crosswalks.mods import write_resource
from crosswalks.mods.write import as_uri
from crosswalks.rli import Citation, Location, LocationType, Resource
from crosswalks.validation import validate


@pytest.mark.parametrize("value", ["##", "http://x.org/a#b#c", "a b#c#", "#:x#"])
def test_urls_with_more_than_one_hash_are_valid_any_uri(value: str) -> None:
    # found by hypothesis: a locator "##" made the MODS record fail mods-3-8.xsd
    assert as_uri(value).count("#") <= 1
    res = Resource(Citation(title="t"), locations=(Location(LocationType.URL, value, ""),))
    validate(write_resource(res), "mods")
