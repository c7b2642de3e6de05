"""Size caps on what ``rli import`` and ``rli convert`` read (repository/archive/importing.py):
streams and devices get the cap files get, checked while reading, not after."""

from __future__ import annotations

import subprocess
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
