"""The pyoaiharvest-style dump of one harvest into one file (harvester/oneshot.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.client import OAIClient
from harvester.oneshot import dump_records
from harvester.shared.protocol import OAI_NS
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
RECORDS = [Rec(f"oai:p:{i:02d}", T0 - timedelta(days=20 - i), f"T{i}") for i in range(20)]


def test_dump_window_streams_every_page(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    with serve(CatalogPeer(RECORDS, page_size=3)) as url, httpx.Client() as http:
        result = dump_records(OAIClient(url, http), out, "oai_dc",
                              from_="2026-02-15T00:00:00Z", until="2026-02-25T00:00:00Z")
    low = datetime(2026, 2, 15, tzinfo=timezone.utc)
    high = datetime(2026, 2, 25, tzinfo=timezone.utc)
    expected = [r.identifier for r in RECORDS if low <= r.datestamp <= high]
    root = parse_untrusted(out.read_bytes())
    records = root.findall(f"{{{OAI_NS}}}record")
    assert [r.findtext(f".//{{{OAI_NS}}}identifier") for r in records] == expected
    assert result.records == len(expected) and result.pages == -(-len(expected) // 3)
    assert (root.get("from"), root.get("until"), root.get("metadataPrefix")) == (
        "2026-02-15T00:00:00Z", "2026-02-25T00:00:00Z", "oai_dc")
    # each record is still a valid OAI record: wrap it back into an envelope and validate
    envelope = parse_untrusted(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>'
        b"2026-03-01T00:00:00Z</responseDate><request>http://x/oai</request>"
        b"<ListRecords/></OAI-PMH>"
    )
    envelope[2].extend(records)
    validate(envelope, "oai-pmh")


def test_empty_harvest_gives_an_empty_root(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    with serve(CatalogPeer(RECORDS)) as url, httpx.Client() as http:
        result = dump_records(OAIClient(url, http), out, "oai_dc", from_="2030-01-01T00:00:00Z")
    assert result.records == 0
    assert len(parse_untrusted(out.read_bytes())) == 0
