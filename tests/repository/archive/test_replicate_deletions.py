"""A deletion and restore upstream travel over an rli harvest: the ``rli`` record's history
says which versions were followed by a deletion, and the harvesting archive makes it.

Real processes over real HTTP: ``rli serve`` upstream, ``rli harvest`` here; the OAI
responses read are validated against the OAI-PMH and RLI extension schemas.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from lxml import etree

from crosswalks.validation import validate
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.events import Event, history_events
from tests.test_end_to_end import Server, rli

RLIX = "urn:x-rli:extension:1.0"
OAI = "http://www.openarchives.org/OAI/2.0/"


def events(db: Path, list_id: str) -> list[Event]:
    return history_events(Archive(open_db(db)), list_id)


def test_a_list_deleted_and_restored_upstream_has_the_same_history_here(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    rli(up_db, "delete", "law2210-2026", "--note", "course paused")
    rli(up_db, "restore", "law2210-2026", "--note", "course back")
    record = httpx.get(srv.url, params={
        "verb": "GetRecord", "metadataPrefix": "rli",
        "identifier": "oai:rli.localhost:law2210-2026"}, timeout=30)
    root = etree.fromstring(record.content)
    validate(root, "oai-pmh")
    metadata = root.find(f".//{{{OAI}}}metadata")
    assert metadata is not None
    validate(metadata[0], "rli")
    deleted = [v for v in metadata[0].iter(f"{{{RLIX}}}version") if v.get("deletedAt")]
    assert [(v.get("number"), v.get("deletionNote")) for v in deleted] == [("1", "course paused")]

    db = tmp_path / "copy.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(db, "harvest", "up")

    there = events(up_db, "law2210-2026")
    assert [e.event for e in there] == ["version", "deleted", "restored"]
    assert events(db, "law2210-2026") == there
    assert "deleted" in rli(db, "history", "law2210-2026").stdout
