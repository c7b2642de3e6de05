"""Helpers for the OAI provider tests: a hand-moved clock, archives, an in-process client.

Not a conftest: test modules import what they use.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from lxml import etree

from crosswalks.validation import validate
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS
from repository.archive import Archive
from repository.oai.provider import ProviderConfig
from repository.oai.wsgi import OAIApp, make_app
from tests.factories import make_list

NS = {"oai": OAI_NS}
SECRET = b"test-secret-0123456789"


class Clock:
    """A UTC clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)


def new_archive(path: Path, clock: Clock) -> Archive:
    return Archive(open_db(path), clock=clock)


def fill(archive: Archive, clock: Clock, count: int, *, courses: int = 3) -> list[str]:
    """Archive ``count`` lists l000.. (one second apart), course C<n % courses>; their ids."""
    ids = []
    for n in range(count):
        list_id = f"l{n:03d}"
        archive.add(
            make_list(list_id, items=1 + n % 4, courses=(f"C{n % courses}",),
                      title=f"Reading list {n}"),
            editor="tester", note="first",
        )
        ids.append(list_id)
        clock.advance()
    return ids


def config(**overrides: object) -> ProviderConfig:
    values: dict[str, object] = {"base_url": "http://oai.test/oai", "records_page": 4,
                                 "identifiers_page": 5, "sets_page": 3}
    values.update(overrides)
    return ProviderConfig(**values)  # type: ignore[arg-type]


def client(archive: Archive, clock: Clock, **overrides: object) -> httpx.Client:
    app = make_app(archive.db, config(**overrides), secret=SECRET, clock=clock)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://oai.test")


def app_for(archive: Archive, clock: Clock, **overrides: object) -> OAIApp:
    return make_app(archive.db, config(**overrides), secret=SECRET, clock=clock)


def oai(http: httpx.Client, **args: str) -> etree._Element:
    """GET /oai with ``args`` (``from_`` for from); the root, checked HTTP 200 and schema-valid."""
    params = {("from" if k == "from_" else k): v for k, v in args.items()}
    response = http.get("/oai", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    return root


def error_code(root: etree._Element) -> str | None:
    found = root.find("oai:error", NS)
    return None if found is None else found.get("code")


def harvest(http: httpx.Client, verb: str, **args: str) -> Iterator[etree._Element]:
    """Every page of a list request, following resumption tokens."""
    root = oai(http, verb=verb, **args)
    yield root
    while True:
        token = root.find(f"oai:{verb}/oai:resumptionToken", NS)
        if token is None or not (token.text or ""):
            return
        root = oai(http, verb=verb, resumptionToken=token.text)
        yield root


def identifiers(root: etree._Element) -> list[str]:
    return [str(el.text) for el in root.iterfind(".//oai:header/oai:identifier", NS)]
