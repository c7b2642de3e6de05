"""Histories travel over a harvest: an rli harvest of another rli copies every version.

Real processes over real HTTP: the versions' URLs in the `rli` payload are
fetched from the upstream `rli serve`; the copy has the same numbers,
sha256s, editors, dates and notes, and each version keeps its provenance.
"""

from __future__ import annotations

import time
from pathlib import Path

from harvester.shared.blobs import pack, unpack
from harvester.shared.db import open_db
from repository.archive import Archive
from tests.test_end_to_end import Server, rli


def histories(db: Path) -> dict[str, list[tuple[int, str, str, str, str]]]:
    archive = Archive(open_db(db))
    return {
        s.id: [(v.version, v.sha256, v.editor, v.archived_at, v.note)
               for v in archive.history(s.id)]
        for s in archive.summaries(include_deleted=False)
    }


def test_rli_harvest_copies_every_version(upstream: tuple[Path, Server], tmp_path: Path) -> None:
    up_db, srv = upstream
    rli(up_db, "annotate", "law2210-2026", "Checked again in March")
    db = tmp_path / "copy.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(db, "harvest", "up")
    assert histories(db) == histories(up_db)
    assert len(histories(db)["hist2041-2026"]) == 3
    copy = Archive(open_db(db))
    assert all(copy.origin("hist2041-2026", n) is not None for n in (1, 2, 3))

    # deletion, restore and new versions upstream follow, numbers and all
    rli(up_db, "delete", "law2210-2026", "--note", "course paused")
    time.sleep(1.1)  # the provider's granularity is one second
    rli(db, "harvest", "up")
    assert Archive(open_db(db)).state("law2210-2026").deleted
    rli(up_db, "restore", "law2210-2026", "--note", "course back")
    rli(up_db, "annotate", "econ1001-2026", "First note")
    rli(up_db, "annotate", "econ1001-2026", "Second note")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    assert histories(db) == histories(up_db)
    assert [v[0] for v in histories(db)["econ1001-2026"]] == [1, 2, 3]
    assert [v[4] for v in histories(db)["law2210-2026"]] == [
        "bundled list", "annotated list", "course back"]


def test_a_version_that_does_not_match_its_sha256_is_not_kept(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    with open_db(up_db).conn as conn:  # upstream serves a v1 whose bytes no longer match
        where = " WHERE list_id = 'hist2041-2026' AND version = 1"
        (stored,) = conn.execute("SELECT document FROM list_versions" + where).fetchone()
        conn.execute("UPDATE list_versions SET document = ?" + where,
                     (pack(unpack(stored) + b" "),))
    db = tmp_path / "copy.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(db, "harvest", "up")
    copy = Archive(open_db(db))
    # falls back to the latest version alone, as before histories travelled
    assert [v.version for v in copy.history("hist2041-2026")] == [1]
    assert copy.history("hist2041-2026")[0].sha256 == histories(up_db)["hist2041-2026"][2][1]
    assert histories(db)["econ1001-2026"] == histories(up_db)["econ1001-2026"]
