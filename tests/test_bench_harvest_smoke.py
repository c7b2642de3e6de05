"""The harvest-only benchmark (tests/bench/harvest.py) end to end at a tiny size, real servers."""

from __future__ import annotations

import pstats
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("sickle_records_per_s", "harvest_records_per_s", "harvest_cpu_us_per_record",
        "harvester_peak_rss_mb", "foreign_sickle_records_per_s", "foreign_harvest_records_per_s",
        "foreign_harvest_cpu_us_per_record", "harvest_vs_sickle", "foreign_harvest_vs_sickle")


def test_harvest_bench_prints_every_figure_and_a_profile(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.harvest", "--lists", "120", "--workdir",
         str(tmp_path), "--profile", str(tmp_path / "prof")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = dict(line.rsplit(None, 1) for line in done.stdout.splitlines()[: len(KEYS)])
    assert sorted(printed) == sorted(KEYS)
    assert all(float(value.replace(",", "")) > 0 for value in printed.values())
    assert "load average" in done.stdout
    for name in ("prof.rli", "prof.foreign"):
        # every thread is profiled: the pool thread stores, the fetching thread prepares
        functions = {key[2] for key in pstats.Stats(str(tmp_path / name)).stats}  # type: ignore[attr-defined]
        assert {"store_raw", "prepare", "parse_untrusted", "main"} <= functions, name
