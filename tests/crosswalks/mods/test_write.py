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
