"""Providers that are odd but readable, on a real socket: what robust harvesters cope with.

Each test is a defect found by a review of the harvester against quirky providers
(2026-12-03): a one-shot dump that wrote the records before a refused token twice,
raw deflate refused, UTF-16 pages broken by the control-byte stripping, a
reference to a forbidden character (``&#x1F;``) failing the whole list, a charset
named only by the HTTP header ignored, and an Identify responseDate with a fraction
of a second or an offset failing every run.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from pathlib import Path

import pytest

from crosswalks.xmlsafe import parse_untrusted
from harvester.client import OAIClient
from harvester.errors import Interrupted
from harvester.oneshot import dump_records
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS
from harvester.sources import get_source
from tests.harvester.test_client import DC_NS, NOW, RECORDS, Harness
from tests.harvester.test_client import peer as peer  # the scripted peer fixture
from tests.harvester.test_job import Clock, harvest, recs, register
from tests.peers.oai import CatalogPeer, error_response
from tests.peers.scripted import ScriptedPeer, Step
from tests.peers.serve import serve

_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")


def _titles(client: OAIClient) -> list[str]:
    return [str(r.metadata.findtext(f"{{{DC_NS}}}title")) for r in client.list_records("oai_dc")
            if r.metadata is not None]


def _in(encoding: str, body: bytes) -> bytes:
    """``body`` (UTF-8, declared) re-encoded, its declaration naming ``encoding``."""
    text = _DECLARATION.sub(f'<?xml version="1.0" encoding="{encoding}"?>'.encode(), body)
    return text.decode("utf-8").encode(encoding)


def test_a_refused_token_in_a_one_shot_harvest_leaves_each_record_once(
    peer: Harness, tmp_path: Path,
) -> None:
    peer.script(Step(), Step(body=error_response("badResumptionToken", "expired", NOW)))
    out = tmp_path / "out.xml"
    result = dump_records(peer.client(), out, "oai_dc")
    root = parse_untrusted(out.read_bytes())
    found = [h.text for h in root.iter(f"{{{OAI_NS}}}identifier")]
    assert found == [r.identifier for r in RECORDS]  # page 1 was in the file twice
    assert result.records == len(RECORDS) and result.pages == 3
    # the list was asked again from its start, not from the refused token
    assert [a.get("resumptionToken") is None for a in peer.peer.args()][:3] == [True, False, True]


def test_a_refused_token_begins_again_where_a_descriptor_was_not_at_its_start(
    peer: Harness, tmp_path: Path,
) -> None:
    """Found in the last read of the change: written through a descriptor (``-o
    /dev/stdout`` onto a file), beginning again went to the file's start and cut what
    the file held before the harvest."""
    peer.script(Step(), Step(body=error_response("badResumptionToken", "expired", NOW)))
    path = tmp_path / "stdout.txt"
    with path.open("wb") as held:
        held.write(b"before\n")
        held.flush()
        dump_records(peer.client(), Path(f"/dev/fd/{held.fileno()}"), "oai_dc")
    data = path.read_bytes()
    assert data.startswith(b"before\n<?xml")
    dumped = parse_untrusted(data[len(b"before\n"):])
    found = [h.text for h in dumped.iter(f"{{{OAI_NS}}}identifier")]
    assert found == [r.identifier for r in RECORDS]


def test_a_second_refused_token_fails_the_one_shot_harvest_and_leaves_no_file(
    peer: Harness, tmp_path: Path,
) -> None:
    refused = Step(body=error_response("badResumptionToken", "expired", NOW))
    peer.script(Step(), refused, Step(), refused)
    out = tmp_path / "out.xml"
    with pytest.raises(Exception, match="expired"):
        dump_records(peer.client(), out, "oai_dc")
    assert list(tmp_path.iterdir()) == []


def test_raw_deflate_is_read_as_zlib_deflate_is(peer: Harness) -> None:
    def raw(body: bytes) -> bytes:
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()

    deflate = (("Content-Encoding", "deflate"),)
    peer.script(Step(body=raw, headers=deflate), Step(body=zlib.compress, headers=deflate))
    assert _titles(peer.client()) == [r.title for r in RECORDS]


def test_a_utf16_page_is_read_and_its_control_characters_stripped(peer: Harness) -> None:
    def utf16(body: bytes) -> bytes:
        return _in("UTF-16", body.replace(b"Title 1<", b"Title\x02 1<"))

    peer.script(Step(body=utf16, headers=(("Content-Type", "text/xml; charset=UTF-16"),)))
    client = peer.client()
    assert _titles(client) == [r.title for r in RECORDS]
    assert client.stripped == 1


def test_references_to_forbidden_characters_are_stripped_not_fatal(peer: Harness) -> None:
    peer.script(Step(body=lambda b: b.replace(b"Title 1<", b"Title&#x1F; 1&#11;<")))
    client = peer.client()
    assert _titles(client) == [r.title for r in RECORDS]
    assert client.stripped == 2


def test_a_charset_named_only_by_the_http_header_is_read(peer: Harness) -> None:
    def latin1(body: bytes) -> bytes:
        return _DECLARATION.sub(b"", body).replace(b"Title 1<", "Café 1<".encode("latin-1"))

    peer.script(Step(body=latin1, headers=(("Content-Type", "text/xml; charset=ISO-8859-1"),)))
    titles = _titles(peer.client())
    assert titles[1] == "Café 1" and titles[0] == RECORDS[0].title


@pytest.mark.parametrize("declared", [True, False])
def test_utf8_wins_over_a_wrong_http_charset(peer: Harness, declared: bool) -> None:
    """Servers often add a default charset that is wrong: a page that declares its
    encoding, or is valid UTF-8 (what OAI-PMH requires), is read as such."""
    def cafe(body: bytes) -> bytes:
        body = body.replace(b"Title 1<", "Café 1<".encode())
        return body if declared else _DECLARATION.sub(b"", body)

    peer.script(Step(body=cafe, headers=(("Content-Type", "text/xml; charset=ISO-8859-1"),)))
    assert _titles(peer.client())[1] == "Café 1"


@pytest.mark.parametrize(("sent", "mark"), [
    ("2026-03-01T12:00:00.123Z", "2026-03-01T12:00:00Z"),
    ("2026-03-01T13:00:00+01:00", "2026-03-01T12:00:00Z"),
    ("2026-03-01T12:00:00.1234567Z", "2026-03-01T12:00:00Z"),  # .NET's seven digits
])
def test_a_response_date_with_a_fraction_or_an_offset_is_read_as_its_moment(
    tmp_path: Path, sent: str, mark: str,
) -> None:
    db = open_db(tmp_path / "rli.db")
    identify = Step(body=lambda b: re.sub(rb"<responseDate>[^<]*<",
                                          f"<responseDate>{sent}<".encode(), b))
    peer = ScriptedPeer(CatalogPeer(recs(3), clock=lambda: NOW), [identify])
    with serve(peer) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert result.ok, result.error
    assert result.records == 3 and get_source(db, "peer").mark == mark


def test_a_response_date_that_names_no_moment_still_fails_the_run(tmp_path: Path) -> None:
    db = open_db(tmp_path / "rli.db")
    identify = Step(body=lambda b: re.sub(rb"<responseDate>[^<]*<",
                                          b"<responseDate>yesterday<", b))
    with serve(ScriptedPeer(CatalogPeer(recs(3), clock=lambda: NOW), [identify])) as url:
        register(db, url)
        result = harvest(db, "peer", Clock(), tmp_path)
    assert not result.ok and "bad responseDate 'yesterday'" in result.error



def test_a_stop_ends_a_retry_after_wait_at_once(peer: Harness) -> None:
    """Found in review of the Ctrl-C change: a Retry-After wait (up to two minutes) did not
    look at the stop, so Ctrl-C waited it out."""
    peer.script(Step(503, headers=(("Retry-After", "60"),)))
    client = OAIClient(peer.url, peer.http, keep_dir=peer.keep_dir, clock=lambda: NOW)
    threading.Timer(0.3, client.stop.set).start()
    started = time.monotonic()
    with pytest.raises(Interrupted):
        client.identify()
    assert time.monotonic() - started < 10
