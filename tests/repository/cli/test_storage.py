"""``rli init`` on archives of earlier storage formats, and ``rli vacuum``, as a user runs them."""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from harvester.client import OAIClient
from harvester.envelope import Identity
from harvester.job import run_harvest
from harvester.lookup import harvested_record
from harvester.query import harvested_resources
from harvester.shared.blobs import is_current, is_packed, unpack, unpack_optional
from harvester.shared.db import open_db, transaction
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, get_source
from repository.archive import Archive
from repository.archive.compact import recompress_documents, stale_documents, stale_records
from tests import paths
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
OLD = paths.SAMPLES / "archives" / "rli-0.1.0-demo.db.gz"
# the previous storage format: zlib documents, per-version item/resource/annotation tables
ZLIB = paths.SAMPLES / "archives" / "rli-storage1-demo.db.gz"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
IDENTITY = Identity("P", "", "2.0", "2020-01-01", "persistent", Granularity.SECONDS, "")
HARVESTED = [Rec(f"oai:p:{c}", T0 - timedelta(hours=n), f"Title {c}", ("course:A",))
             for n, c in enumerate("abcde")]


def rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          env={**os.environ, "RLI_EDITOR": "tester"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def old_archive(tmp_path: Path, sample: Path = OLD) -> Path:
    db = tmp_path / "old.db"
    db.write_bytes(gzip.decompress(sample.read_bytes()))
    return db


def set_members(db: Path) -> set[tuple[str, str, int]]:
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT spec, list_id, seq FROM set_members"))
    finally:
        conn.close()


def tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def versions(db: Path) -> dict[tuple[str, int], tuple[str, bytes]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT list_id, version, sha256, document FROM list_versions")
        return {(r[0], r[1]): (r[2], bytes(r[3])) for r in rows}
    finally:
        conn.close()


def test_the_old_archive_is_what_rli_0_1_0_wrote(tmp_path: Path) -> None:
    before = versions(old_archive(tmp_path))
    assert len(before) == 10
    assert not any(is_packed(doc) for _, doc in before.values())
    assert all(hashlib.sha256(doc).hexdigest() == sha for sha, doc in before.values())


def test_rli_init_converts_an_old_archive_keeping_every_sha256(tmp_path: Path) -> None:
    db = old_archive(tmp_path)
    before = versions(db)
    out = rli(db, "init")
    assert "10 version documents are stored uncompressed or as zlib; compressing them" in (
        out.stdout)
    assert "run `rli vacuum`" in out.stdout
    after = versions(db)
    assert after.keys() == before.keys()
    archive = Archive(open_db(db))
    for (list_id, version), (sha, plain) in before.items():
        assert after[(list_id, version)][0] == sha
        assert is_current(after[(list_id, version)][1])
        assert archive.document(list_id, version) == plain
    # the served version document and the export are the archived bytes
    lst = next(iter(before))
    exported = rli(db, "export", lst[0], "--version", str(lst[1]), "-o", str(tmp_path / "x.xml"))
    assert exported.returncode == 0
    assert (tmp_path / "x.xml").read_bytes() == before[lst][1]
    # the second run has nothing left to do
    assert "uncompressed" not in rli(db, "init").stdout


def test_the_previous_format_is_what_the_zlib_release_wrote(tmp_path: Path) -> None:
    db = old_archive(tmp_path, ZLIB)
    before = versions(db)
    assert len(before) == 10
    assert all(is_packed(doc) and not is_current(doc) for _, doc in before.values())
    assert all(hashlib.sha256(unpack(doc)).hexdigest() == sha for sha, doc in before.values())
    assert {"list_items", "resources", "annotations"} <= tables(db)


def test_rli_init_converts_a_zlib_archive_keeping_every_sha256(tmp_path: Path) -> None:
    db = old_archive(tmp_path, ZLIB)
    before = {k: (sha, unpack(doc)) for k, (sha, doc) in versions(db).items()}
    members = set_members(db)
    out = rli(db, "init")
    assert out.stdout.startswith(f"{db}: dropping the per-version item, resource and annotation")
    assert "10 version documents are stored uncompressed or as zlib" in out.stdout
    after = versions(db)
    assert after.keys() == before.keys()
    archive = Archive(open_db(db))
    for key, (sha, plain) in before.items():
        assert after[key][0] == sha and is_current(after[key][1])
        assert archive.document(*key) == plain
    # the per-version item rows are gone (the documents hold them); set members kept
    assert not {"list_items", "resources", "annotations"} & tables(db)
    assert set_members(db) == members and len(members) > 10
    assert rli(db, "init").stdout == f"archive ready at {db}\n"


def test_rli_vacuum_gives_the_space_back(tmp_path: Path) -> None:
    db = old_archive(tmp_path)
    size = db.stat().st_size
    rli(db, "init")
    out = rli(db, "vacuum")
    assert out.stdout.startswith(f"{db}: ")
    assert db.stat().st_size * 3 < size  # 1,179,648 -> 294,912 bytes, full-text index included


def test_an_interrupted_conversion_carries_on_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = old_archive(tmp_path)
    before = versions(db_path)
    db = open_db(db_path)
    Archive(db)  # schema migrations first, as every command does
    monkeypatch.setattr("harvester.shared.repack.BATCH", 3)

    def crash(done: int) -> None:
        raise KeyboardInterrupt  # the operator's Ctrl-C after the first batch committed

    with pytest.raises(KeyboardInterrupt):
        recompress_documents(db, crash)
    assert stale_documents(db) == 10 - 3
    assert recompress_documents(db) == 7
    assert stale_documents(db) == 0
    archive = Archive(db)
    assert all(archive.document(k[0], k[1]) == doc for k, (_, doc) in before.items())


def test_a_new_archive_stores_versions_compressed(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    rli(db, "import", str(paths.DATA / "lists" / "law2210-2026.xml"))
    rli(db, "export", "law2210-2026", "-o", str(tmp_path / "out.xml"))
    exported = (tmp_path / "out.xml").read_bytes()
    ((sha, stored),) = versions(db).values()
    assert is_current(stored) and len(stored) * 5 < len(exported)
    assert hashlib.sha256(exported).hexdigest() == sha


def test_rli_init_compresses_the_raw_records_of_an_older_harvest_log(tmp_path: Path) -> None:
    db_path = tmp_path / "rli.db"
    db = open_db(db_path)
    with serve(CatalogPeer(HARVESTED, page_size=2)) as url, httpx.Client() as http:
        add_source(db, Source("p", url, "oai_dc"), IDENTITY, T0)
        assert run_harvest(db, get_source(db, "p"), OAIClient(url, http)).ok
    # the harvest log as releases before this one kept it: metadata and about plain
    with transaction(db):
        for rowid, metadata in db.conn.execute(
            "SELECT rowid, metadata FROM harvest_records").fetchall():
            db.conn.execute("UPDATE harvest_records SET metadata = ? WHERE rowid = ?",
                            (unpack_optional(metadata), rowid))
    before = {r.origin: r for r in harvested_resources(db, "p")}
    raw = harvested_record(db, "p", "oai:p:a")
    assert stale_records(db) == len(HARVESTED) and not is_packed(plain_metadata(db))
    db.conn.close()
    out = rli(db_path, "init")
    assert f"{len(HARVESTED)} harvested records keep their metadata uncompressed" in out.stdout
    db = open_db(db_path)
    assert stale_records(db) == 0 and is_current(plain_metadata(db))
    # read back the same: the origins (their metadata sha256 included) and the raw record
    assert {r.origin: r for r in harvested_resources(db, "p")} == before
    assert harvested_record(db, "p", "oai:p:a") == raw
    assert "harvested records" not in rli(db_path, "init").stdout


def plain_metadata(db: sqlite_utils.Database) -> bytes:
    return bytes(db.conn.execute("SELECT metadata FROM harvest_records LIMIT 1").fetchone()[0])
