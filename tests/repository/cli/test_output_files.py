"""Every ``-o FILE`` writer (export, convert, the one-shot harvest) goes through
harvester/outfile.py: written whole or not at all, through symlinks, never onto the archive.

Real ``rli`` processes. A full disk is RLIMIT_FSIZE in the child (SIGXFSZ ignored, so
write() fails with EFBIG): 64 KB, above the 32 KB SQLite's -shm needs, below each output.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import stat
import string
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks.rli import binding
from crosswalks.xmlsafe import parse_untrusted
from tests.factories import make_list
from tests.peers.oai import CatalogPeer
from tests.peers.serve import serve
from tests.repository.cli.test_harvest import RLI, recs

LIMIT = 64 * 1024


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _rli(db: Path, *args: str, full: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, check=False, cwd=db.parent,
                          preexec_fn=_small_disk if full else None)


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """An RLI file of about 190 KB, hardly compressible (so its ims-cp package is large too)."""
    rng = random.Random(1)
    words = " ".join("".join(rng.choices(string.ascii_letters, k=8)) for _ in range(20_000))
    path = tmp_path / "in" / "hist.xml"
    path.parent.mkdir()
    path.write_bytes(binding.write_list(replace(make_list(items=3), description=words)))
    return path


@pytest.fixture
def db(tmp_path: Path, source: Path) -> Path:
    db = tmp_path / "rli.db"
    assert _rli(db, "import", str(source)).returncode == 0
    return db


@pytest.fixture
def provider() -> Iterator[str]:
    """A provider whose one-shot dump is about 150 KB."""
    with serve(CatalogPeer(recs(300), page_size=100)) as url:
        yield url


Writer = Callable[[Path, Path, str], list[str]]  # (source, output, provider) -> arguments

WRITERS: dict[str, Writer] = {
    "export": lambda src, out, url: ["export", "hist2041", "-o", str(out)],
    "export-ims-cp": lambda src, out, url: ["export", "hist2041", "--format", "ims-cp",
                                            "-o", str(out)],
    "convert": lambda src, out, url: ["convert", str(src), "--from", "rli", "--to", "mods",
                                      "-o", str(out)],
    "harvest": lambda src, out, url: ["harvest", "-l", url, "-m", "oai_dc", "-o", str(out)],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_full_disk_keeps_the_old_file_and_names_it(
    db: Path, source: Path, provider: str, writer: str,
) -> None:
    """It left 16 KB of cut-off XML in place of the old file, with `Error: No space left on
    device` (no file named), or exit 70 `SerialisationError: IO_ENOSPC` (harvest)."""
    out = db.parent / "out" / "keep.xml"
    out.parent.mkdir()
    out.write_text("old\n")
    done = _rli(db, *WRITERS[writer](source, out, provider), full=True)
    assert _one_error_line(done) == f"Error: {out}: cannot write: File too large"
    assert out.read_text() == "old\n"
    assert list(out.parent.iterdir()) == [out]  # no temporary file left


@pytest.mark.parametrize("writer", ["export", "convert", "harvest"])
def test_a_symlink_is_written_through_and_keeps_the_file_mode(
    db: Path, source: Path, provider: str, writer: str,
) -> None:
    """The one-shot harvest replaced the link with a regular file (of mode 0644)."""
    real = db.parent / "real" / "out.xml"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = db.parent / "link.xml"
    link.symlink_to(real)
    done = _rli(db, *WRITERS[writer](source, link, provider))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real
    assert len(parse_untrusted(real.read_bytes())) > 0
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert list(real.parent.iterdir()) == [real]


@pytest.mark.parametrize("writer", ["export", "harvest"])
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path, writer: str) -> None:
    """A file that is not a regular one (a FIFO here, /dev/stdout or /dev/full elsewhere) is
    written directly: the harvest replaced it with a regular file (exit 0)."""
    db = tmp_path / "rli.db"
    small = tmp_path / "small.xml"
    small.write_bytes(binding.write_list(make_list(items=3)))
    assert _rli(db, "import", str(small)).returncode == 0
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # each output fits the pipe's buffer
    try:
        with serve(CatalogPeer(recs(3))) as url:
            done = _rli(db, *WRITERS[writer](small, fifo, url))
        got = b"".join(iter(lambda: os.read(reader, 1 << 16), b""))
    finally:
        os.close(reader)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert parse_untrusted(got).tag.rpartition("}")[2] in ("resourceList", "repository")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.xml", "rli.db", "small.xml"]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("writer", ["export", "convert", "harvest"])
def test_output_onto_the_archive_is_refused(
    db: Path, source: Path, provider: str, writer: str, suffix: str,
) -> None:
    """`export LIST -o x.db` overwrote the archive with XML and exited 0."""
    before = db.read_bytes()
    target = db.parent / f"{db.name}{suffix}"
    done = _rli(db, *WRITERS[writer](source, target, provider))
    assert _one_error_line(done) == (f"Error: {target}: is part of the database {db};"
                                     " choose another output file")
    assert db.read_bytes() == before
    assert not suffix or not target.exists()
    link = db.parent / "other-name.db"
    link.symlink_to(db)
    done = _rli(db, *WRITERS[writer](source, link, provider))
    assert "is part of the database" in _one_error_line(done)
    assert db.read_bytes() == before and link.is_symlink()
