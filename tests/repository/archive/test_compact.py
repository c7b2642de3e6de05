"""``compact.vacuum`` on a real archive file that other processes use at the same time."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.compact import vacuum
from tests.factories import make_list

# Another process on the same file checkpointing its write-ahead log after each commit, as
# `rli serve` and `rli import` do: here back to back, so it nearly always holds the lock.
CHECKPOINTER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
print("ready", flush=True)
while True:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
"""


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "rli.db"
    archive = Archive(open_db(path))
    for n in range(150):
        archive.add(make_list(f"list{n}", items=8), editor="t", note="n")
    archive.db.conn.close()
    return path


@pytest.fixture
def checkpointer(archive_file: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", CHECKPOINTER, str(archive_file)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.usefixtures("checkpointer")
def test_vacuum_empties_the_log_while_another_process_checkpoints(archive_file: Path) -> None:
    db = open_db(archive_file)
    wal = archive_file.with_name(archive_file.name + "-wal")
    for _ in range(5):
        done = vacuum(db, archive_file)
        # VACUUM wrote a whole copy of the file into the log; left there, the archive
        # takes twice its space after a vacuum, and more after each one
        assert done.log_emptied
        assert wal.stat().st_size == 0
        assert done.after <= done.before
    ids = [s.id for s in Archive(db).summaries()]
    assert len(ids) == 150
    assert db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
