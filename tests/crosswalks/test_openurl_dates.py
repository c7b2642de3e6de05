"""OpenURL rft.date: the Z39.88 KEV matrices take an ISO 8601 date (YYYY, YYYY-MM or
YYYY-MM-DD), which is what resolvers parse to match holdings; a catalogue's "c1999" or
"n.d." is not one."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest

from crosswalks.openurl import openurl_kev
from crosswalks.rli import Citation, Resource, ResourceType

_ISO = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _date(date: str, rtype: ResourceType = ResourceType.BOOK) -> list[str]:
    res = Resource(type=rtype, citation=Citation(title="T", publication_date=date))
    pairs = parse_qsl(openurl_kev(res), keep_blank_values=True, strict_parsing=True)
    return [v for k, v in pairs if k == "rft.date"]


@pytest.mark.parametrize(
    ("date", "sent"),
    [
        ("1999", ["1999"]),
        ("2003-05", ["2003-05"]),
        ("2015-05-28", ["2015-05-28"]),
        ("2003-04-25T10:00:00Z", ["2003-04-25"]),
        ("c1999", ["1999"]),
        ("[1999?]", ["1999"]),
        ("1999/2000", ["1999"]),
        ("1985-1990", ["1985"]),
        ("2020-13-45", ["2020"]),
        ("2021-02-30", ["2021-02"]),
        ("n.d.", []),
        ("", []),
    ],
)
@pytest.mark.parametrize("rtype", [ResourceType.BOOK, ResourceType.JOURNAL_ARTICLE])
def test_date_is_iso_or_absent(date: str, sent: list[str], rtype: ResourceType) -> None:
    got = _date(date, rtype)
    assert got == sent
    assert all(re.match(_ISO, value) for value in got)
