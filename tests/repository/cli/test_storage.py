"""``rli init`` on an archive from before compression, and ``rli vacuum``, as a user runs them."""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.shared.blobs import is_packed
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.compact import compress_documents, plain_documents
from tests import paths

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
OLD = paths.SAMPLES / "archives" / "rli-0.1.0-demo.db.gz"


def rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          env={**os.environ, "RLI_EDITOR": "tester"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def old_archive(tmp_path: Path) -> Path:
    db = tmp_path / "old.db"
    db.write_bytes(gzip.decompress(OLD.read_bytes()))
    return db


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
    assert "10 version documents are stored uncompressed; compressing them" in out.stdout
    assert "run `rli vacuum`" in out.stdout
    after = versions(db)
    assert after.keys() == before.keys()
    archive = Archive(open_db(db))
    for (list_id, version), (sha, plain) in before.items():
        assert after[(list_id, version)][0] == sha
        assert is_packed(after[(list_id, version)][1])
        assert archive.document(list_id, version) == plain
    # the served version document and the export are the archived bytes
    lst = next(iter(before))
    exported = rli(db, "export", lst[0], "--version", str(lst[1]), "-o", str(tmp_path / "x.xml"))
    assert exported.returncode == 0
    assert (tmp_path / "x.xml").read_bytes() == before[lst][1]
    # the second run has nothing left to do
    assert "uncompressed" not in rli(db, "init").stdout


def test_the_resources_table_keeps_no_second_copy_of_the_xml(tmp_path: Path) -> None:
    db = old_archive(tmp_path)
    rli(db, "init")
    conn = sqlite3.connect(db)
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(resources)")}
        keys = conn.execute("SELECT COUNT(*), MIN(length(key)) FROM resources").fetchone()
        cited = conn.execute(
            "SELECT COUNT(*) FROM list_items WHERE kind = 'resource'"
            " AND resource_key NOT IN (SELECT key FROM resources)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert columns == {"key", "type", "title"}
    assert keys[0] > 100 and keys[1] == 32
    assert cited == 0


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
    monkeypatch.setattr("repository.archive.compact.BATCH", 3)

    def crash(done: int) -> None:
        raise KeyboardInterrupt  # the operator's Ctrl-C after the first batch committed

    with pytest.raises(KeyboardInterrupt):
        compress_documents(db, crash)
    assert plain_documents(db) == 10 - 3
    assert compress_documents(db) == 7
    assert plain_documents(db) == 0
    archive = Archive(db)
    assert all(archive.document(k[0], k[1]) == doc for k, (_, doc) in before.items())


def test_a_new_archive_stores_versions_compressed(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    rli(db, "import", str(paths.DATA / "lists" / "law2210-2026.xml"))
    rli(db, "export", "law2210-2026", "-o", str(tmp_path / "out.xml"))
    exported = (tmp_path / "out.xml").read_bytes()
    ((sha, stored),) = versions(db).values()
    assert is_packed(stored) and len(stored) * 5 < len(exported)
    assert hashlib.sha256(exported).hexdigest() == sha
