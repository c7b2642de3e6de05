"""rli's own harvester as the benchmark runs it: ``rli source add`` + ``rli harvest`` subprocesses.

The harvest runs under :mod:`tests.bench.rusage`, so its user+sys CPU and
peak RSS (``ru_maxrss``) are its own, not inherited from this process; the
wall time includes interpreter start-up. Raises BenchError when a command
fails, takes longer than TIME_LIMIT, or reports another record count.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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


def rli_harvest(
    db: Path, base_url: str, expected: int, *, name: str = "bench", prefix: str = "oai_dc"
) -> HarvestRun:
    """Register ``base_url`` (``prefix``) in a new harvest database ``db`` and harvest it once."""
    _rli(db, "source", "add", name, base_url, "--prefix", prefix)
    usage_path = db.with_suffix(".rusage.json")
    command = [sys.executable, "-m", "tests.bench.rusage", str(usage_path),
               str(BIN / "rli"), "--db", str(db), "harvest", name, "--timeout", "120"]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=TIME_LIMIT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"rli harvest took longer than {TIME_LIMIT:.0f} s") from exc
    seconds = time.perf_counter() - start
    log = done.stdout + done.stderr
    db.with_suffix(".harvest.log").write_text(log)
    if done.returncode != 0:
        raise BenchError(f"rli harvest failed ({done.returncode}): {log.strip()[-500:]}")
    usage = json.loads(usage_path.read_text())
    records = _records(log, name)
    if records != expected:
        raise BenchError(f"rli harvest stored {records} records, expected {expected}")
    return HarvestRun(records, seconds, usage["user_s"] + usage["sys_s"], usage["maxrss_kb"] / 1024)


def _records(log: str, name: str) -> int:
    for line in log.splitlines():
        match = SUMMARY.match(line)
        if match and match["name"] == name:
            if match["status"] != "ok" or match["failed"] != "0":
                raise BenchError(f"rli harvest: {line}")
            return int(match["records"])
    raise BenchError(f"rli harvest printed no summary line: {log.strip()[-500:]}")
