"""The archive under what operators meet: a file from a newer release, a full disk.

Real `rli` processes on real SQLite files; each refusal is one line on stderr, a
non-zero exit, no traceback, and the archive as it was (a full SQL dump compared).
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from crosswalks.rli import binding
from repository.archive import schema
from tests.factories import make_list
from tests.repository.cli.test_archive import RLI, dump, rli
from tests.rli_server import free_port


def _one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def newer(seeded: Path) -> Path:
    """The seeded archive as a later release left it: one archive migration further."""
    conn = sqlite3.connect(seeded)
    with conn:
        conn.execute("INSERT INTO schema_migrations (component, step) VALUES ('archive', ?)",
                     (len(schema.MIGRATIONS) + 1,))
    conn.close()
    return seeded


@pytest.mark.parametrize("args", [
    ("lists",), ("show", "hist2041"), ("history", "hist2041"), ("search", "thompson"),
    ("edit", "hist2041", "--title", "T", "--note", "n"), ("vacuum",), ("reindex",),
    ("init",), ("delete", "hist2041"), ("import", "--new-version", "LIST"),
    ("serve", "--port", "PORT"),
])
def test_an_archive_of_a_newer_release_is_refused_untouched(
    newer: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    src = tmp_path / "next.xml"
    src.write_bytes(binding.write_list(make_list(items=7)))
    args = tuple({"LIST": str(src), "PORT": str(free_port())}.get(a, a) for a in args)
    before = dump(newer)
    proc = rli(newer, *args, check=False)
    assert proc.returncode == 1
    line = _one_error_line(proc.stderr)
    assert "newer release of rli" in line
    assert f"archive schema step {len(schema.MIGRATIONS) + 1}" in line
    assert dump(newer) == before


def _lists(folder: Path, count: int, *, items: int) -> Path:
    folder.mkdir()
    for n in range(count):
        lst = make_list(f"list{n:04d}", items=items, title=f"List {n}", courses=(f"C{n % 13}",))
        (folder / f"list{n:04d}.xml").write_bytes(binding.write_list(lst))
    return folder


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: its writes past ``limit`` bytes fail (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_import_on_a_full_disk_says_so_and_keeps_whole_batches(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    rli(db, "import", str(_lists(tmp_path / "first", 1500, items=5)))
    again = _lists(tmp_path / "again", 1500, items=6)  # every list a new version
    # room for a few batches and not all: SQLite ends the transaction itself
    room = db.stat().st_size + 61_440
    proc = subprocess.run([*RLI, "--db", str(db), "import", "--new-version", "--jobs", "1",
                           str(again)], capture_output=True, text=True, timeout=300,
                          preexec_fn=_file_size_limit(room))
    assert proc.returncode == 1
    line = _one_error_line(proc.stderr)
    assert line in ("Error: database: database or disk is full",
                    "Error: database: disk I/O error"), line
    # what was said archived is archived, and nothing else
    said = {x.split(":")[0] for x in proc.stdout.splitlines()}
    conn = sqlite3.connect(db)
    kept = {r[0] for r in conn.execute("SELECT id FROM lists WHERE version = 2")}
    conn.close()
    assert said == kept
    rli(db, "import", "--new-version", "--jobs", "1", str(again))  # space is back
    assert rli(db, "lists", "--json", "--all").stdout.count('"version": 2') == 1500


def test_harvester_tables_of_a_newer_release_are_refused_untouched(seeded: Path) -> None:
    # the harvester's own tables (rli source, harvest) are checked as the archive's are
    from harvester.schema import COMPONENT
    from harvester.schema import MIGRATIONS as HARVEST_MIGRATIONS

    rli(seeded, "source", "list")  # the harvester tables made
    conn = sqlite3.connect(seeded)
    with conn:
        conn.execute("INSERT INTO schema_migrations (component, step) VALUES (?, ?)",
                     (COMPONENT, len(HARVEST_MIGRATIONS) + 1))
    conn.close()
    before = dump(seeded)
    proc = rli(seeded, "source", "list", check=False)
    assert proc.returncode == 1
    assert f"newer release of rli ({COMPONENT} schema step" in _one_error_line(proc.stderr)
    assert dump(seeded) == before


def test_an_archive_in_a_read_only_folder_says_the_folder_is(tmp_path: Path) -> None:
    # found in review: the file is fine, but SQLite's write-ahead log needs its -wal and
    # -shm files beside it, and the error said "not a usable SQLite database (attempt to
    # write a readonly database)"
    from tests.repository.cli.test_output_files import _bound_by_modes, _no_capabilities

    folder = tmp_path / "shelf"
    folder.mkdir()
    db = folder / "rli.db"
    src = tmp_path / "list.xml"
    src.write_bytes(binding.write_list(make_list(items=2)))
    rli(db, "import", str(src))
    assert sorted(p.name for p in folder.iterdir()) == ["rli.db"]  # its log closed with it
    folder.chmod(0o555)
    try:
        if not _bound_by_modes(folder):
            pytest.skip("this process may write any folder and cannot give that up here")
        proc = subprocess.run([*RLI, "--db", str(db), "lists"], capture_output=True,
                              text=True, timeout=60, check=False, preexec_fn=_no_capabilities)
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 1
    line = _one_error_line(proc.stderr)
    assert line.startswith(f"Error: {db}: cannot be opened (")
    assert line.endswith(f": its folder {folder} is read-only, and SQLite's write-ahead log"
                         " keeps its -wal and -shm files there")
    # a file that is no database there is still said to be none
    db.unlink()
    db.write_bytes(b"not a database, " * 100)
    folder.chmod(0o555)
    try:
        junk = subprocess.run([*RLI, "--db", str(db), "lists"], capture_output=True,
                              text=True, timeout=60, check=False, preexec_fn=_no_capabilities)
    finally:
        folder.chmod(0o755)
    assert "file is not a database" in _one_error_line(junk.stderr)
    assert "read-only" not in junk.stderr


def test_tables_that_cannot_be_made_on_a_full_disk_say_so(seeded: Path) -> None:
    # found in review: rli source list (or search, reindex) making the harvester's tables
    # on a full disk asked "is this another program's database?"
    # room for the -shm file (32 KB) and the first pages of the log, not for the tables;
    # then no room even to open it ("not a usable SQLite database" blamed the file)
    for room, said in ((36_000, "cannot set up the harvester tables: "),
                       (4096, f"{seeded}: cannot be opened (")):
        before = dump(seeded)
        proc = subprocess.run([*RLI, "--db", str(seeded), "source", "list"],
                              capture_output=True, text=True, timeout=60,
                              preexec_fn=_file_size_limit(room))
        assert proc.returncode == 1
        line = _one_error_line(proc.stderr)
        assert said in line and ("full" in line or "I/O" in line), line
        assert "another program" not in line and "not a usable" not in line
        assert dump(seeded) == before


@pytest.mark.parametrize("command", [("init",), ("new", "--title", "T", "--owner", "o")])
def test_an_archive_in_a_missing_folder_is_said_to_be_so(tmp_path: Path,
                                                         command: tuple[str, ...]) -> None:
    # it said the missing folder was read-only
    db = tmp_path / "no-such-folder" / "rli.db"
    proc = subprocess.run([*RLI, "--db", str(db), *command], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 1
    assert _one_error_line(proc.stderr) == (
        f"Error: {db}: cannot be opened: there is no folder {db.parent}")
    assert not db.parent.exists()
