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


def test_a_year_range_is_its_first_year_in_ris_and_both_years_in_csl() -> None:
    ris = to_ris([_dated("1985-1990")]).splitlines()
    assert "PY  - 1985" in ris
    assert not [line for line in ris if line.startswith("DA  -")]
    (item,) = json.loads(to_csl_json([_dated("1985-1990")]))
    assert item["issued"] == {"date-parts": [[1985], [1990]]}


@pytest.mark.parametrize(
    ("date", "issued"),
    [
        ("1999/2000", {"date-parts": [[1999], [2000]]}),
        ("1985 \u2013 1990", {"date-parts": [[1985], [1990]]}),
        ("1900-1922.", {"date-parts": [[1900], [1922]]}),
        ("2003-05/2003-07", {"date-parts": [[2003, 5], [2003, 7]]}),
        ("2003-05-01/2003-05-03", {"date-parts": [[2003, 5, 1], [2003, 5, 3]]}),
        ("2003-05", {"date-parts": [[2003, 5]]}),
        ("2000/1999", {"date-parts": [[2000]]}),  # an end before the start is no range
        ("1999/1999", {"date-parts": [[1999]]}),
        ("1999/n.d.", {"date-parts": [[1999]]}),
        ("c1999", {"raw": "c1999"}),
        ("c1999/2000", {"raw": "c1999/2000"}),
    ],
)
def test_csl_carries_a_range_as_two_date_parts(date: str, issued: dict[str, object]) -> None:
    """CSL's date-parts hold one date or a range of two (csl-data.json: 1 to 2 arrays of
    1 to 3 numbers); a range's end was dropped."""
    (item,) = json.loads(to_csl_json([_dated(date)]))
    assert item["issued"] == issued
    for parts in item["issued"].get("date-parts", []):
        assert 1 <= len(parts) <= 3 and all(isinstance(p, int) for p in parts)
