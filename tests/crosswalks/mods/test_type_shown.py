"""The resource type of a MODS record that has no typeOfResource (optional in MODS)."""

from __future__ import annotations

import pytest

from crosswalks.rli import ResourceType
from tests.crosswalks.mods.test_silent_losses import _read

TITLE = "<titleInfo><title>Flora of the Netherlands</title></titleInfo>"


@pytest.mark.parametrize(("body", "kind"), [
    # an ISBN names a book, with or without typeOfResource
    ("<identifier type='isbn'>9789040723702</identifier>", ResourceType.BOOK),
    ("<typeOfResource>text</typeOfResource><identifier type='isbn'>9789040723702</identifier>",
     ResourceType.BOOK),
    ("<originInfo><issuance>serial</issuance></originInfo>", ResourceType.JOURNAL),
    ("<typeOfResource>text</typeOfResource><originInfo><issuance>monographic</issuance>"
     "</originInfo>", ResourceType.BOOK),
    # monographic alone says one unit, not what it is: a map or a film may be one
    ("<originInfo><issuance>monographic</issuance></originInfo>", ResourceType.OTHER),
    ("", ResourceType.OTHER),
])
def test_a_record_without_type_of_resource_is_typed_by_what_it_shows(
    body: str, kind: ResourceType
) -> None:
    res, _ = _read(TITLE + body)
    assert res.type is kind
