"""rli's own harvester as the benchmark runs it: ``rli source add`` + ``rli harvest`` subprocesses.

The harvest runs as a child process reaped with ``os.wait4``, so its wall
time, user+sys CPU and peak RSS (``ru_maxrss``) are its own. Raises
BenchError when a command fails or the harvest reports another record count.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench.servers import BIN, ROOT, BenchError

SUMMARY = re.compile(
    r"^(?P<name>\S+): (?P<status>\w+), (?P<records>\d+) records \((?P<deleted>\d+) deleted,"
    r" (?P<failed>\d+) failed\)"
)
TIME_LIMIT = 3600.0


@dataclass(frozen=True)
class HarvestRun:
    """One ``rli harvest`` subprocess: records, wall seconds, CPU seconds, peak RSS."""

    records: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def _rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "rli"), "--db", str(db), *args], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"rli {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done


def rli_harvest(db: Path, base_url: str, expected: int, *, name: str = "bench") -> HarvestRun:
    """Register ``base_url`` (oai_dc) in a new harvest database ``db`` and harvest it once."""
    _rli(db, "source", "add", name, base_url, "--prefix", "oai_dc")
    out_path = db.with_suffix(".harvest.log")
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(BIN / "rli"), "--db", str(db), "harvest", name, "--timeout", "120"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            _, status, usage = _wait(proc.pid, start)
        except BaseException:
            proc.kill()
            proc.wait(timeout=30)
            raise
        seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4; keeps Popen from waiting again
    log = out_path.read_text(errors="replace")
    if code != 0:
        raise BenchError(f"rli harvest failed ({code}): {log.strip()[-500:]}")
    records = _records(log, name)
    if records != expected:
        raise BenchError(f"rli harvest stored {records} records, expected {expected}")
    return HarvestRun(records, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _wait(pid: int, start: float) -> tuple[int, int, Any]:
    """``os.wait4`` polled (so the wait is bounded): pid, status, rusage."""
    while True:
        done_pid, status, usage = os.wait4(pid, os.WNOHANG)
        if done_pid == pid:
            return done_pid, status, usage
        if time.perf_counter() - start > TIME_LIMIT:
            raise BenchError(f"rli harvest took longer than {TIME_LIMIT:.0f} s")
        time.sleep(0.05)


def _records(log: str, name: str) -> int:
    for line in log.splitlines():
        match = SUMMARY.match(line)
        if match and match["name"] == name:
            if match["status"] != "ok" or match["failed"] != "0":
                raise BenchError(f"rli harvest: {line}")
            return int(match["records"])
    raise BenchError(f"rli harvest printed no summary line: {log.strip()[-500:]}")
