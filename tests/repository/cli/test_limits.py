"""Size caps on what ``rli import`` and ``rli convert`` read (repository/archive/importing.py):
streams and devices get the cap files get, checked while reading, not after."""

from __future__ import annotations

import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.repository.cli.test_harvest import RLI


def _endless_pipe(args: list[str], cwd: Path) -> tuple[int, str, float]:
    """Run ``rli ARGS`` reading a pipe that sends 25 MB and then never ends."""
    err_path = cwd / "stderr.txt"
    with err_path.open("wb") as err_file:
        proc = subprocess.Popen([*RLI, *args], cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=err_file)
    assert proc.stdin is not None

    def feed() -> None:
        try:
            for _ in range(25):
                proc.stdin.write(b" " * (1024 * 1024))  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
        except (BrokenPipeError, ValueError):
            pass

    started = time.monotonic()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        status = proc.wait(timeout=30)  # stdin stays open: the stream never ends
    except subprocess.TimeoutExpired:
        proc.kill()
        status = proc.wait()
        raise AssertionError("rli kept reading an endless stream") from None
    finally:
        proc.stdin.close()
    return status, err_path.read_text(), time.monotonic() - started


@pytest.mark.parametrize("command", [["import"], ["convert", "--from", "oai_dc", "--to", "rli"]])
def test_a_stream_gets_the_same_cap_as_a_file(tmp_path: Path, command: list[str]) -> None:
    status, err, took = _endless_pipe(["--db", str(tmp_path / "rli.db"), *command, "/dev/stdin"],
                                      tmp_path)
    assert status == 1 and "over the 20 MB limit" in err, err
    assert "Traceback" not in err
    assert took < 20


def test_dev_zero_is_refused_at_the_cap(tmp_path: Path) -> None:
    done = subprocess.run([*RLI, "--db", str(tmp_path / "rli.db"), "import", "/dev/zero"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1 and "over the 20 MB limit" in done.stderr, done.stderr


def test_a_package_index_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """440,000 one-letter entries make a 20 MB zip index (no member data at all): zipfile
    read it whole, 3 s and 200 MB of memory, before the member count refused it."""
    entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0,
                        1, 0, 0, 0, 0, 0, 0) + b"a"
    index = entry * 440_000
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(index), 0, 0)
    package = tmp_path / "huge.zip"
    package.write_bytes(index + end)
    # The child's own peak (VmHWM of its memory), read as it exits: its rusage would count
    # the parent's too (Linux carries the forking process's peak over the exec).
    peak = ("import atexit, sys; atexit.register(lambda: sys.stderr.write(next(line for line"
            " in open('/proc/self/status') if line.startswith('VmHWM'))));"
            " from repository.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", peak, "--db", str(tmp_path / "rli.db"),
                           "import", str(package)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "more than 10000 members (its index declares 65,535 in 20,680,000 bytes)" in (
        done.stderr)
    kilobytes = int(done.stderr.split("VmHWM:")[1].split()[0])
    assert kilobytes < 150 * 1024, kilobytes
