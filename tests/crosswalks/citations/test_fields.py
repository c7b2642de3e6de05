"""crosswalks.citations.fields: what every citation export reads from a resource's date."""

from __future__ import annotations

import json

import pytest

from crosswalks.citations import fields_of, to_csl_json, to_ris
from crosswalks.rli import Citation, Resource, ResourceType


def _dated(date: str) -> Resource:
    return Resource(Citation(title="Annual report", publication_date=date), type=ResourceType.BOOK)


@pytest.mark.parametrize(
    ("date", "parts"),
    [
        ("1968-12-13", (1968, 12, 13)),
        ("2023-03", (2023, 3)),
        ("2003-04-25T10:00:00Z", (2003, 4, 25)),
        ("1985-1990", (1985,)),  # a range: its first year, not month 19
        ("1999-2000", (1999,)),
        ("1900-1922.", (1900,)),
        ("2005-05-00", (2005, 5)),  # day unknown
        ("2005-00-00", (2005,)),
        ("2020-13-45", (2020,)),
        ("2021-02-30", (2021, 2)),
        ("c1990", ()),
    ],
)
def test_date_parts_hold_only_a_real_month_and_day(date: str, parts: tuple[int, ...]) -> None:
    assert fields_of(_dated(date)).date_parts == parts


def test_a_year_range_is_its_first_year_in_ris_and_csl() -> None:
    ris = to_ris([_dated("1985-1990")]).splitlines()
    assert "PY  - 1985" in ris
    assert not [line for line in ris if line.startswith("DA  -")]
    (item,) = json.loads(to_csl_json([_dated("1985-1990")]))
    assert item["issued"] == {"date-parts": [[1985]]}
