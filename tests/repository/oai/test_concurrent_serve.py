"""A harvest of a real ``rli serve`` (3 gunicorn workers) while the archive changes under it.

Between the pages of one ListRecords walk this test (a process of its own) edits,
deletes, restores, creates and moves lists, runs ``rli import``, ``rli edit`` and
``rli vacuum``; the walk must hold every list unchanged through it once, with its
datestamp, and nothing twice. Then an incremental harvest ``from`` the walk's first
responseDate, by Sickle (every page validated) and by ``rli harvest`` into another
archive, must bring each side to the archive's final state, deletions included.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from lxml import etree
from sickle import Sickle

from crosswalks.rli import binding
from crosswalks.validation import validate
from harvester.shared.db import open_db
from repository.archive import Archive
from tests.factories import make_list
from tests.live_server import RLI, rli_serve
from tests.oai_fixtures import NS, Clock, fill, new_archive

PREFIX = "oai:rli.localhost:"


class _CheckedSickle(Sickle):  # type: ignore[misc]
    """Sickle, every page it is given validated against the OAI-PMH schemas first."""

    def harvest(self, **kwargs: Any) -> Any:
        response = super().harvest(**kwargs)
        validate(etree.fromstring(response.raw.encode("utf-8")), "oai-pmh")
        return response


def _rli(db: Path, *args: str) -> str:
    done = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          env={**os.environ, "RLI_EDITOR": "tester"}, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _page(http: httpx.Client, url: str, **params: str) -> etree._Element:
    response = http.get(url, params=params)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    assert root.find("oai:error", NS) is None, etree.tostring(root)
    return root


def _final_state(db: Path) -> dict[str, tuple[str, bool]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, datestamp, deleted FROM lists").fetchall()
    return {PREFIX + str(list_id): (str(stamp), bool(deleted)) for list_id, stamp, deleted in rows}


def test_a_walk_under_writes_then_an_incremental_harvest_give_the_final_state(
    tmp_path: Path,
) -> None:
    db = tmp_path / "rli.db"
    clock = Clock()
    archive = new_archive(db, clock)  # 60 lists in January (C0..C2), l010 deleted
    fill(archive, clock, 60)
    archive.delete("l010", editor="t", note="withdrawn")
    archive.db.conn.close()
    files = tmp_path / "incoming"
    files.mkdir()
    for n in range(6):
        (files / f"imp{n}.xml").write_bytes(binding.write_list(
            make_list(f"imp{n}", courses=(f"C{n % 3}",), title=f"Imported {n}")))
    mirror = tmp_path / "mirror.db"
    with rli_serve(db, "--page-size", "4", workers=3) as served:
        _rli(mirror, "source", "add", "peer", served.oai, "-m", "oai_dc")
        _rli(mirror, "harvest", "peer")  # everything, before the walk
        before = _final_state(db)
        writer = Archive(open_db(db))  # another process, the real clock
        writes: list[Callable[[], object]] = [
            lambda: writer.save(replace(writer.get("l030"), title="edited ahead"),
                                editor="t", note="n"),
            lambda: writer.delete("l035", editor="t", note="n"),
            lambda: writer.save(replace(writer.get("l001"), title="edited behind"),
                                editor="t", note="n"),
            lambda: writer.restore("l010", editor="t", note="back"),
            lambda: writer.add(make_list("new1", courses=("C1",)), editor="t", note="n"),
            lambda: writer.save(make_list("l033", courses=("C9",)), editor="t", note="moved"),
            lambda: _rli(db, "import", str(files)),
            lambda: _rli(db, "edit", "l038", "--title", "Edited by rli edit", "--note", "n"),
            lambda: _rli(db, "vacuum"),
            lambda: _rli(db, "delete", "l020"),
            lambda: _rli(db, "new", "--title", "Made by rli new", "--owner", "o", "--id", "new2"),
        ]
        headers: list[tuple[str, str, bool]] = []
        with httpx.Client(timeout=60) as http:
            root = _page(http, served.oai, verb="ListRecords", metadataPrefix="oai_dc")
            started = str(root.findtext("oai:responseDate", namespaces=NS))
            while True:
                headers += [(str(h.findtext("oai:identifier", namespaces=NS)),
                             str(h.findtext("oai:datestamp", namespaces=NS)),
                             h.get("status") == "deleted")
                            for h in root.iterfind("oai:ListRecords/oai:record/oai:header", NS)]
                token = root.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS)
                if not token:
                    break
                if writes:
                    writes.pop(0)()
                root = _page(http, served.oai, verb="ListRecords", resumptionToken=token)
        assert not writes  # each happened mid-walk
        walked = {identifier: (stamp, deleted) for identifier, stamp, deleted in headers}
        assert len(walked) == len(headers), "a record twice in one walk"
        final = _final_state(db)
        unchanged = {key: value for key, value in before.items() if final[key] == value}
        assert len(unchanged) >= 50
        assert {key: walked.get(key) for key in unchanged} == unchanged
        # Sickle, from the walk's first responseDate: together, the final state
        later = {
            record.header.identifier: (record.header.datestamp, record.header.deleted)
            for record in _CheckedSickle(served.oai, max_retries=0).ListRecords(
                **{"metadataPrefix": "oai_dc", "from": started, "ignore_deleted": False})
        }
        assert {**walked, **later} == final
        assert final[PREFIX + "l035"][1] and final[PREFIX + "l020"][1]  # deletions seen
        assert {PREFIX + "new1", PREFIX + "new2", PREFIX + "imp5"} <= set(final)
        # rli's own harvester, incrementally from its first run
        _rli(mirror, "harvest", "peer")
    with sqlite3.connect(mirror) as conn:
        kept = {str(identifier): (str(stamp), bool(deleted)) for identifier, stamp, deleted in
                conn.execute("SELECT identifier, datestamp, deleted FROM harvest_records"
                             " WHERE source = 'peer' ORDER BY id")}
    assert kept == final
