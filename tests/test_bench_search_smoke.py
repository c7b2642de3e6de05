"""The search benchmark (tests/bench/search.py) end to end at a tiny size: every figure, sane."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.bench.catalogue import Catalogue, vocabulary

ROOT = Path(__file__).resolve().parents[1]


def test_catalogue_is_deterministic_and_long_tailed() -> None:
    first = [r.title for r in Catalogue(seed=3).resources(300)]
    assert first == [r.title for r in Catalogue(seed=3).resources(300)]
    assert first != [r.title for r in Catalogue(seed=4).resources(300)]
    words = vocabulary(50_000)
    assert len(words) == len(set(words)) == 50_000
    assert "history" in words[:100]  # real words first, from the bundled lists and samples
    titles = " ".join(first).lower().split()
    assert titles.count(words[0]) > titles.count(words[500])


def test_search_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "search.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.search", "--resources", "400", "--lists", "40",
         "--rounds", "1", "--db", str(tmp_path / "bench.db"), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())
    assert (figures["resources"], figures["lists"]) == (400, 40)
    for key in ("index_resources_per_s", "rebuild_resources_per_s", "index_lists_per_s",
                "search_p50_ms", "search_p95_ms", "search_max_ms", "db_mb"):
        assert figures[key] > 0, key
    assert figures["search_p50_ms"] <= figures["search_p95_ms"] <= figures["search_max_ms"]
    assert figures["queries_timed"] == len(figures["per_query_ms"]) == 21
    assert set(figures["targets_met"]) == {"search_p95_ms", "index_resources_per_s"}
