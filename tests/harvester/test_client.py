"""The OAI-PMH client against a fault-injecting peer on a real socket (harvester/client.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.client import OAIClient, oai_args
from harvester.errors import (
    BrokenPage,
    RepeatedToken,
    TransportError,
    WaitBudgetExceeded,
    WaitTooLong,
)
from harvester.retry import RetryPolicy
from harvester.shared.protocol import (
    DC_NS,
    BadArgument,
    BadResumptionToken,
    CannotDisseminateFormat,
    Granularity,
    IdDoesNotExist,
    Verb,
)
from tests.peers.oai import CatalogPeer, Rec, error_response, records_response
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
RECORDS = [
    Rec(f"oai:peer:{i}", NOW - timedelta(days=30 - i), f"Title {i}", sets=("course:A",))
    for i in range(7)
]


class Harness:
    """A scripted peer being served, and clients for it that record their sleeps."""

    def __init__(self, url: str, peer: ScriptedPeer, keep_dir: Path) -> None:
        self.url = url
        self.peer = peer
        self.keep_dir = keep_dir
        self.sleeps: list[float] = []
        self.http = httpx.Client()

    def client(self, **kwargs: object) -> OAIClient:
        kwargs.setdefault("policy", RetryPolicy(backoff=0.01))
        return OAIClient(
            self.url,
            self.http,
            sleep=self.sleeps.append,
            clock=lambda: NOW,
            keep_dir=self.keep_dir,
            **kwargs,  # type: ignore[arg-type]
        )

    def script(self, *steps: Step) -> None:
        self.peer.steps.extend(steps)


@pytest.fixture
def peer(tmp_path: Path) -> Iterator[Harness]:
    scripted = ScriptedPeer(CatalogPeer(RECORDS, page_size=3, clock=lambda: NOW))
    with serve(scripted) as url:
        harness = Harness(url, scripted, tmp_path / "broken")
        yield harness
        harness.http.close()


def titles(client: OAIClient) -> list[str]:
    found = []
    for record in client.list_records("oai_dc"):
        assert record.metadata is not None
        found.append(record.metadata.findtext(f"{{{DC_NS}}}title"))
    return found


ALL_TITLES = [r.title for r in RECORDS]


def test_peer_pages_are_valid_oai_pmh(peer: Harness) -> None:
    for args in (
        {"verb": "Identify"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "resumptionToken": "3|||"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01T00:00:00Z"},
    ):
        validate(parse_untrusted(httpx.get(peer.url, params=args).content), "oai-pmh")


def test_list_records_follows_tokens_across_pages(peer: Harness) -> None:
    assert titles(peer.client()) == ALL_TITLES
    assert [a.get("resumptionToken") for a in peer.peer.args()] == [None, "3|||", "6|||"]


def test_identify_reads_granularity_and_response_date(peer: Harness) -> None:
    identity = peer.client().identify()
    assert identity.granularity is Granularity.SECONDS
    assert identity.response_date == "2026-03-01T12:00:00Z"
    assert identity.earliest_datestamp == "2020-01-01T00:00:00Z"


def test_503_retry_after_seconds_is_honoured(peer: Harness) -> None:
    peer.script(Step(503, b"busy", (("Retry-After", "7"),)))
    client = peer.client()
    assert client.identify().repository_name == "Test peer"
    assert peer.sleeps == [7.0]
    assert peer.peer.verbs() == ["Identify", "Identify"]


def test_503_retry_after_http_date_is_honoured(peer: Harness) -> None:
    when = format_datetime(NOW + timedelta(seconds=42), usegmt=True)
    peer.script(Step(503, b"maintenance", (("Retry-After", when),)))
    assert titles(peer.client()) == ALL_TITLES
    assert peer.sleeps == [42.0]


def test_429_is_retried_after_its_retry_after(peer: Harness) -> None:
    peer.script(
        Step(429, b"slow down", (("Retry-After", "3"),)), Step(429, b"", (("Retry-After", "5"),))
    )
    assert titles(peer.client()) == ALL_TITLES
    assert peer.sleeps == [3.0, 5.0]


def test_retry_after_past_the_cap_fails_at_once(peer: Harness) -> None:
    """Not a retry at the cap: asking again every minute a provider that asked for a day
    gets a harvester blocked, and fails anyway once the wait budget is spent."""
    peer.script(Step(503, b"", (("Retry-After", "86400"),)))
    with pytest.raises(WaitTooLong, match=r"HTTP 503: the provider asks to wait 1 day"
                       r" \(Retry-After: 86400\); rli waits 1 minute at most"):
        peer.client(policy=RetryPolicy(retry_after_cap=60, wait_budget=100)).identify()
    assert peer.sleeps == []
    assert peer.peer.verbs() == ["Identify"]


def test_total_wait_budget_stops_the_client(peer: Harness) -> None:
    peer.script(*[Step(503, b"", (("Retry-After", "30"),))] * 3)
    with pytest.raises(WaitBudgetExceeded):
        peer.client(policy=RetryPolicy(wait_budget=70)).identify()
    assert peer.sleeps == [30.0, 30.0]


def test_oai_error_sent_with_http_422_is_read_as_that_error(peer: Harness) -> None:
    peer.script(Step(422, error_response("cannotDisseminateFormat", "no such format", NOW)))
    with pytest.raises(CannotDisseminateFormat, match="no such format"):
        list(peer.client().list_records("oai_dc"))
    assert peer.sleeps == []


def test_http_error_without_oai_body_is_a_transport_error(peer: Harness) -> None:
    peer.script(Step(404, b"<html>not found</html"))
    with pytest.raises(TransportError, match="HTTP 404"):
        peer.client().identify()


def test_server_error_is_retried_with_backoff(peer: Harness) -> None:
    peer.script(Step(500, b"oops"), Step(502, b"oops"))
    assert peer.client(policy=RetryPolicy(backoff=0.5)).identify().protocol_version == "2.0"
    assert peer.sleeps == [0.5, 1.0]


def test_timeout_is_retried_with_backoff(peer: Harness) -> None:
    peer.script(Step(delay=2.5))
    client = peer.client(timeout=1.0, policy=RetryPolicy(backoff=0.25))
    assert titles(client) == ALL_TITLES
    assert peer.sleeps == [0.25]
    assert peer.peer.verbs()[:2] == ["ListRecords", "ListRecords"]


def test_timeouts_that_persist_fail_after_the_allowed_attempts(peer: Harness) -> None:
    peer.script(*[Step(delay=1.0)] * 2)
    client = peer.client(timeout=0.2, policy=RetryPolicy(attempts=2, backoff=0.1))
    with pytest.raises(TransportError, match="after 2 tries"):
        client.identify()
    assert peer.sleeps == [0.1]


def test_connection_refused_is_retried_then_fails(tmp_path: Path) -> None:
    with serve(CatalogPeer([])) as url:
        pass  # the port is closed again: nothing listens there now
    sleeps: list[float] = []
    client = OAIClient(url, httpx.Client(), sleep=sleeps.append,
                       policy=RetryPolicy(attempts=3, backoff=1.0), keep_dir=tmp_path)
    with pytest.raises(TransportError, match="ConnectError after 3 tries"):
        client.identify()
    assert sleeps == [1.0, 2.0]


def test_repeated_token_stops_the_list(peer: Harness) -> None:
    page = records_response(RECORDS[:2], token="same", now=NOW)
    peer.script(Step(body=page), Step(body=page))
    with pytest.raises(RepeatedToken, match="same"):
        titles(peer.client())
    assert len(peer.peer.verbs()) == 2


def test_expired_token_restarts_the_list_once(peer: Harness) -> None:
    peer.script(Step(), Step(body=error_response("badResumptionToken", "expired", NOW)))
    client = peer.client()
    got = titles(client)
    assert client.restarts == 1
    assert got == ALL_TITLES[:3] + ALL_TITLES
    tokens = [a.get("resumptionToken") for a in peer.peer.args()]
    assert tokens == [None, "3|||", None, "3|||", "6|||"]


def test_expired_token_twice_fails(peer: Harness) -> None:
    expired = Step(body=error_response("badResumptionToken", "expired", NOW))
    peer.script(Step(), expired, Step(), expired)
    with pytest.raises(BadResumptionToken):
        titles(peer.client())


def test_control_characters_are_stripped_and_counted(peer: Harness) -> None:
    peer.script(Step(body=lambda b: b.replace(b"Title 1", b"Ti\x01tle\x1f 1\x0b", 1)))
    client = peer.client()
    pages = list(client.pages(Verb.LIST_RECORDS, oai_args(prefix="oai_dc")))
    assert [p.stripped for p in pages] == [3, 0, 0]
    assert client.stripped == 3
    title = pages[0].items[1].findtext(f".//{{{DC_NS}}}title")
    assert title == "Title 1"


def test_truncated_page_fails_and_is_kept_for_study(peer: Harness) -> None:
    cut: list[bytes] = []

    def truncate(body: bytes) -> bytes:
        cut.append(body[: len(body) // 2])
        return cut[0]

    peer.script(Step(), Step(body=truncate))
    with pytest.raises(BrokenPage) as info:
        titles(peer.client())
    saved = info.value.saved
    assert saved is not None and saved.parent == peer.keep_dir
    assert saved.read_bytes() == cut[0]
    assert str(saved) in str(info.value)


def test_gzip_responses_are_decoded(peer: Harness) -> None:
    peer.script(Step(gzip=True), Step(gzip=True), Step(gzip=True))
    assert titles(peer.client()) == ALL_TITLES


def test_body_that_lies_about_gzip_is_a_transport_error(peer: Harness) -> None:
    peer.script(Step(headers=(("Content-Encoding", "gzip"),)))
    with pytest.raises(TransportError, match="not valid gzip"):
        peer.client().identify()
    assert len(peer.peer.verbs()) == 1  # not retried: the same bytes would come again


def test_no_records_match_is_an_empty_list(peer: Harness) -> None:
    client = peer.client()
    assert list(client.list_records("oai_dc", from_="2030-01-01T00:00:00Z")) == []


def test_other_oai_errors_are_raised_as_their_classes(peer: Harness) -> None:
    with pytest.raises(BadArgument):
        list(peer.client().list_records("oai_dc", from_="2030-01-01"))
    peer.script(Step(body=error_response("idDoesNotExist", "gone", NOW)))
    with pytest.raises(IdDoesNotExist, match="gone"):
        peer.client().get_record("oai:peer:99", "oai_dc")


def test_from_until_and_set_are_sent_under_their_wire_names(peer: Harness) -> None:
    client = peer.client()
    low, high = datetime(2026, 2, 3, tzinfo=timezone.utc), datetime(2026, 2, 5, tzinfo=timezone.utc)
    got = list(client.list_records("oai_dc", from_="2026-02-03T00:00:00Z",
                                   until="2026-02-05T00:00:00Z", set_spec="course:A"))
    expected = [r.identifier for r in RECORDS if low <= r.datestamp <= high]
    assert len(expected) == 2
    assert [r.header.identifier for r in got] == expected
    first = peer.peer.args()[0]
    assert (first["from"], first["until"], first["set"]) == (
        "2026-02-03T00:00:00Z", "2026-02-05T00:00:00Z", "course:A")


def test_same_records_as_sickle_from_the_pyoai_peer() -> None:
    from sickle import Sickle

    from tests.peers.pyoai_peer import pyoai_app

    records = [Rec(f"oai:py:{i}", NOW - timedelta(hours=i), f"T{i}", ("s",), deleted=i == 3)
               for i in range(9)]
    with serve(pyoai_app(records, batch_size=4)) as url, httpx.Client() as http:
        ours = [(r.header.identifier, r.header.deleted)
                for r in OAIClient(url, http).list_records("oai_dc")]
        theirs = [(r.header.identifier, r.header.deleted)
                  for r in Sickle(url).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)]
        sets = [s.spec for s in OAIClient(url, http).list_sets()]
        formats = [f.prefix for f in OAIClient(url, http).list_metadata_formats()]
        one = OAIClient(url, http).get_record("oai:py:2", "oai_dc")
        headers = [h.identifier for h in OAIClient(url, http).list_identifiers("oai_dc")]
    assert headers == [i for i, _ in ours]
    assert ours == theirs and len(ours) == 9 and ours[3] == ("oai:py:3", True)
    assert sets == ["s"] and formats == ["oai_dc"]
    assert one.header.identifier == "oai:py:2" and one.metadata is not None


def test_list_sets_over_many_pages_of_as_many_sets_is_no_loop(tmp_path: Path) -> None:
    # found in review: a ListSets page's sets have no header, so every page of as many sets
    # had one signature, and the fourth page ended the list as "repeating earlier pages"
    from repository.oai.wsgi import make_app
    from tests.oai_fixtures import SECRET, Clock, config, fill, new_archive

    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 12, courses=12)  # 12 courses, 12 owners' one: 3 sets a page
    app = make_app(archive.db, config(sets_page=3), secret=SECRET, clock=clock)
    with serve(app) as url, httpx.Client() as http:
        pages = list(OAIClient(url, http).pages(Verb.LIST_SETS, {}))
        specs = [s.spec for s in OAIClient(url, http).list_sets()]
    for page in pages:
        validate(page.root, "oai-pmh")
    assert len(pages) >= 5
    assert len(specs) == len(set(specs)) and {f"course:C{n}" for n in range(12)} <= set(specs)
