"""Every ``-o FILE`` writer (export, convert, the one-shot harvest) goes through
harvester/outfile.py: written whole or not at all, through symlinks, never onto the archive.

Real ``rli`` processes. A full disk is RLIMIT_FSIZE in the child (SIGXFSZ ignored, so
write() fails with EFBIG): 64 KB, above the 32 KB SQLite's -shm needs, below each output.
"""

from __future__ import annotations

import ctypes
import os
import random
import resource
import signal
import stat
import string
import subprocess
import sys
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
PR_CAPBSET_DROP = 24  # prctl(2)


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


def test_dev_stdout_onto_a_file_is_written_into_it(db: Path) -> None:
    """Found in review: with stdout a regular file, ``-o /dev/stdout`` renamed a new file
    over it, so what the shell wrote before and after went to the unlinked old one."""
    out = db.parent / "stdout.txt"
    with out.open("ab") as stdout:
        stdout.write(b"before\n")
        stdout.flush()
        done = subprocess.run([*RLI, "--db", str(db), "export", "hist2041", "-o", "/dev/stdout"],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
                              check=False, cwd=db.parent)
        stdout.write(b"after\n")
    assert done.returncode == 0, done.stderr
    text = out.read_bytes()
    assert text.startswith(b"before\n<?xml") and text.endswith(b"</rli:resourceList>\nafter\n")


@pytest.mark.parametrize("command", [("export", "hist2041"),
                                     ("convert", "SOURCE", "--from", "rli", "--to", "mods")])
def test_a_closed_standard_output_is_one_error_line(db: Path, source: Path,
                                                    command: tuple[str, ...]) -> None:
    # `rli export hist2041 >&-` was exit 70: AttributeError ... 'buffer'
    args = [str(source) if a == "SOURCE" else a for a in command]
    done = subprocess.run([*RLI, "--db", str(db), *args], stderr=subprocess.PIPE, text=True,
                          timeout=120, cwd=db.parent, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr.startswith("Error: standard output is closed"), done.stderr
    assert done.stderr.count("\n") == 1


def test_a_file_the_user_may_not_write_is_refused_not_replaced(
    tmp_path: Path, source: Path
) -> None:
    """Found in review: renaming needs only the folder writable, so a read-only file was
    replaced where a plain overwrite is refused. (As root the child drops its capabilities,
    so that root's file modes bind it as they bind any user.)"""
    target = tmp_path / "kept.xml"
    target.write_text("old\n")
    target.chmod(0o444)
    if not _bound_by_modes(target):
        pytest.skip("this process may write any file and cannot give that up here")
    done = subprocess.run([*RLI, "--db", str(tmp_path / "none.db"), "convert", str(source),
                           "--from", "rli", "--to", "mods", "-o", str(target)],
                          capture_output=True, text=True, timeout=120, check=False,
                          cwd=tmp_path, preexec_fn=_no_capabilities)
    assert _one_error_line(done) == f"Error: {target}: cannot write: Permission denied"
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "kept.xml"]


def _no_capabilities() -> None:
    """In the child before exec: no capability survives the exec (root's CAP_DAC_OVERRIDE
    would let it write any file). Without the right to drop them, nothing changes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)


def _bound_by_modes(read_only: Path) -> bool:
    """Whether a child started as the test starts rli is refused ``read_only``."""
    probe = subprocess.run([sys.executable, "-c", "import os, sys;"
                            " sys.exit(0 if os.access(sys.argv[1], os.W_OK) else 3)",
                            str(read_only)], check=False, timeout=60,
                           preexec_fn=_no_capabilities)
    return probe.returncode == 3
