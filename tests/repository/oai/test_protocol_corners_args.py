"""Argument corners against a real ``rli serve``: repeated, empty and unknown arguments
with every verb, and HEAD and conditional requests (the provider sends no validator, so
If-Modified-Since and If-None-Match are ignored and the full answer comes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from tests.live_server import rli_serve
from tests.oai_fixtures import NS, Clock, error_code, fill, new_archive

ID = "oai%3Arli.localhost%3Al001"
MP = "metadataPrefix=oai_dc"
TOKENLESS = {
    "Identify": "",
    "ListMetadataFormats": "",
    "ListSets": "",
    "GetRecord": f"&{MP}&identifier={ID}",
    "ListIdentifiers": f"&{MP}",
    "ListRecords": f"&{MP}",
}


@pytest.fixture(scope="module")
def oai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db_path: Path = tmp_path_factory.mktemp("args") / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    fill(archive, clock, 4)
    archive.db.conn.close()
    with rli_serve(db_path) as served:
        yield served.oai


def _ask(url: str, query: str, **headers: str) -> tuple[str | None, dict[str, str]]:
    """The error code (None: none) and the echoed <request> attributes, schema-valid."""
    response = httpx.get(f"{url}?{query}", headers=headers)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    request = root.find("oai:request", NS)
    assert request is not None
    return error_code(root), dict(request.attrib)


@pytest.mark.parametrize(("query", "code"), [
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&verb=ListSets", "badVerb"),
    ("verb=Identify&verb=", "badVerb"),
    ("verb=Identify&verb", "badVerb"),
    ("verb=", "badVerb"),
    ("verb=identify", "badVerb"),
    ("Verb=Identify", "badVerb"),
    (f"verb=GetRecord&{MP}&identifier={ID}&identifier={ID}", "badArgument"),
    (f"verb=ListMetadataFormats&identifier={ID}&identifier={ID}", "badArgument"),
    (f"verb=ListRecords&{MP}&{MP}", "badArgument"),
    ("verb=ListRecords&metadataPrefix=", "badArgument"),
    (f"verb=ListRecords&{MP}&from=", "badArgument"),
    (f"verb=ListIdentifiers&{MP}&until=", "badArgument"),
    (f"verb=ListRecords&{MP}&set=", "badArgument"),
    (f"verb=ListRecords&{MP}&resumptionToken=x", "badArgument"),
    ("verb=ListRecords&resumptionToken=", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=", "badResumptionToken"),
    (f"verb=GetRecord&{MP}&identifier=", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=&identifier=" + ID, "badArgument"),
])
def test_repeated_and_empty_arguments(oai: str, query: str, code: str) -> None:
    found, echoed = _ask(oai, query)
    assert found == code
    if code in ("badVerb", "badArgument"):  # the request is not echoed (OAI-PMH 3.2)
        assert echoed == {}


@pytest.mark.parametrize("verb", sorted(TOKENLESS))
@pytest.mark.parametrize("extra", ["foo=bar", "foo", "=x", "metadataprefix=oai_dc", "from_=x"])
def test_an_unknown_argument_with_each_verb_is_a_bad_argument(
    oai: str, verb: str, extra: str,
) -> None:
    assert _ask(oai, f"verb={verb}{TOKENLESS[verb]}")[0] is None
    assert _ask(oai, f"verb={verb}{TOKENLESS[verb]}&{extra}") == ("badArgument", {})


@pytest.mark.parametrize("verb", sorted(TOKENLESS))
def test_head_gives_get_headers_and_conditionals_are_ignored(oai: str, verb: str) -> None:
    url = f"{oai}?verb={verb}{TOKENLESS[verb]}"
    plain = {"accept-encoding": "identity"}
    get = httpx.get(url, headers=plain)
    head = httpx.head(url, headers=plain)
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"] == str(
        len(get.content))
    assert "last-modified" not in get.headers and "etag" not in get.headers
    for conditional in ({"if-modified-since": "Wed, 21 Oct 2099 07:28:00 GMT"},
                        {"if-none-match": "*"}):
        again = httpx.get(url, headers={**plain, **conditional})
        assert again.status_code == 200 and len(again.content) == len(get.content)
        validate(etree.fromstring(again.content), "oai-pmh")
