"""The storage benchmark (tests/bench/storage.py) at a small size: it runs, and a list of the
benchmark's kind takes at most 9 KB on disk outside the full-text index (issue 18).

Before the per-version item, resource and annotation tables went and documents
were kept as zstd, the same 300 lists took about 12.9 KB each outside the index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 9 * 1024  # bytes per list outside the full-text index; the index has its own (3 KB)


def test_a_list_takes_at_most_9_kb_outside_the_full_text_index(tmp_path: Path) -> None:
    out = tmp_path / "storage.json"
    subprocess.run([sys.executable, "-m", "tests.bench.storage", "--sizes", "150,300",
                    "--workdir", str(tmp_path), "--json", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    sizes = json.loads(out.read_text())["sizes"]
    assert [s["lists"] for s in sizes] == [150, 300]
    for size in sizes:
        assert size["bytes_per_list"] == pytest.approx(
            size["fts_bytes_per_list"] + size["other_bytes_per_list"])
        assert size["other_bytes_per_list"] <= BUDGET, size["tables"]
    assert "list_versions" in sizes[-1]["tables"]
