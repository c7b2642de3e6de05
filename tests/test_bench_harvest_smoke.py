"""The harvest-only benchmark (tests/bench/harvest.py) end to end at a tiny size, real servers."""

from __future__ import annotations

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
    assert (tmp_path / "prof.rli").stat().st_size > 0
    assert (tmp_path / "prof.foreign").stat().st_size > 0
