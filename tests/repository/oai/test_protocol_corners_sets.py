"""Every form of ``set=`` against a real ``rli serve``: a set that does not exist is
noRecordsMatch (ListRecords, ListIdentifiers), whatever escapes its setSpec holds, and
every set ListSets names gives exactly the lists whose headers name it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from sickle import Sickle

from crosswalks.validation import validate
from tests.factories import make_list
from tests.live_server import rli_serve
from tests.oai_fixtures import NS, Clock, new_archive

# list id -> (course code, owner): codes and owners whose setSpecs need escapes
LISTS = {
    "l0": ("HIST2041", "a@b"),
    "l1": ("urn:c:7", "plain"),
    "l2": ("a~b", "~"),
    "l3": ("Müller", "a@b"),
    "l4": ("x y", "plain"),
}
PREFIX = "oai:rli.localhost:"


@pytest.fixture(scope="module")
def oai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db_path = tmp_path_factory.mktemp("sets") / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    for list_id, (code, owner) in LISTS.items():
        archive.add(make_list(list_id, courses=(code,), owner=owner), editor="t", note="n")
        clock.advance()
    archive.db.conn.close()
    with rli_serve(db_path, "--page-size", "2", "--identifiers-page-size", "2") as served:
        yield served.oai


def _pages(url: str, verb: str, **args: str) -> Iterator[etree._Element]:
    """Each page of one request (following tokens), checked HTTP 200 and schema-valid."""
    params = {"verb": verb, **args}
    with httpx.Client(timeout=30) as http:
        while True:
            response = http.get(url, params=params)
            assert response.status_code == 200
            root = etree.fromstring(response.content)
            validate(root, "oai-pmh")
            yield root
            token = root.findtext(f"oai:{verb}/oai:resumptionToken", namespaces=NS)
            if not token:
                return
            params = {"verb": verb, "resumptionToken": token}


def _answer(url: str, verb: str, spec: str) -> tuple[str | None, list[str]]:
    """The error code of the first page (None if none) and every list id delivered."""
    ids: list[str] = []
    code = None
    for n, root in enumerate(_pages(url, verb, metadataPrefix="oai_dc", set=spec)):
        error = root.find("oai:error", NS)
        if n == 0 and error is not None:
            code = error.get("code")
        ids += [str(e.text).removeprefix(PREFIX)
                for e in root.iterfind(".//oai:header/oai:identifier", NS)]
    return code, sorted(ids)


NO_SUCH_SETS = [
    "foo",                   # unknown family
    "foo:bar",
    "course:nope",           # unknown value
    "course:~zz",            # an escape that is no hex pair
    "course:~4",             # cut short
    "course:~ff",            # a byte that is no UTF-8
    "course:~c3",            # half a UTF-8 character
    "course:~~",
    "course:~4A",            # upper-case hex: rli writes none
    "course:~",              # the empty code
    "~",
    "owner:x~zzy~3a",
    "course:HIST2041:~zz",   # the old form (':' in a value) with a bad escape
]


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
@pytest.mark.parametrize("spec", NO_SUCH_SETS)
def test_a_set_that_does_not_exist_matches_no_records(oai: str, verb: str, spec: str) -> None:
    assert _answer(oai, verb, spec) == ("noRecordsMatch", [])


@pytest.mark.parametrize("spec", ["course:a b", "course::x", "course:", ":x", "course:é", ""])
def test_a_set_argument_that_is_no_setspec_is_a_bad_argument(oai: str, spec: str) -> None:
    assert _answer(oai, "ListRecords", spec) == ("badArgument", [])


@pytest.mark.parametrize(("spec", "ids"), [
    ("course", sorted(LISTS)),
    ("owner", sorted(LISTS)),
    ("course:HIST2041", ["l0"]),
    ("course:urn~3ac~3a7", ["l1"]),
    ("course:urn:c:7", ["l1"]),      # the form served before values were escaped
    ("course:a~7eb", ["l2"]),
    ("course:M~c3~bcller", ["l3"]),
    ("course:x~20y", ["l4"]),
    ("owner:a~40b", ["l0", "l3"]),
    ("owner:~7e", ["l2"]),
])
def test_sets_that_exist_give_their_lists(oai: str, spec: str, ids: list[str]) -> None:
    for verb in ("ListRecords", "ListIdentifiers"):
        assert _answer(oai, verb, spec) == (None, ids)


def test_every_set_listsets_names_gives_the_lists_whose_headers_name_it(oai: str) -> None:
    named = [str(el.text) for root in _pages(oai, "ListSets")
             for el in root.iterfind(".//oai:set/oai:setSpec", NS)]
    members: dict[str, set[str]] = {}
    for root in _pages(oai, "ListIdentifiers", metadataPrefix="oai_dc"):
        for header in root.iterfind(".//oai:header", NS):
            list_id = str(header.findtext("oai:identifier", namespaces=NS)).removeprefix(PREFIX)
            for el in header.iterfind("oai:setSpec", NS):
                members.setdefault(str(el.text), set()).add(list_id)
    assert sorted(named) == sorted(members) and len(set(named)) == len(named)
    for spec in named:
        assert _answer(oai, "ListRecords", spec) == (None, sorted(members[spec])), spec
    # and Sickle, the reference client, agrees on one set that needs escapes
    records = Sickle(oai).ListRecords(metadataPrefix="oai_dc", set="owner:a~40b")
    assert sorted(r.header.identifier.removeprefix(PREFIX) for r in records) == ["l0", "l3"]


def test_no_sets_at_all_is_no_set_hierarchy_even_for_an_unreadable_escape(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "rli.db"
    archive = new_archive(db_path, Clock())
    archive.db.conn.close()
    with rli_serve(db_path) as served:
        for spec in ("course:HIST2041", "course:~zz"):
            for verb in ("ListRecords", "ListIdentifiers"):
                assert _answer(served.oai, verb, spec) == ("noSetHierarchy", [])
