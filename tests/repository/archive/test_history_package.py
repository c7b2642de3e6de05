"""`rli export --format ims-cp --history` packs every version; `rli import` restores them all."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from crosswalks import ims_cp
from tests.test_end_to_end import RLI, rli


def history(db: Path, list_id: str) -> list[dict[str, object]]:
    return [e for e in json.loads(rli(db, "history", list_id, "--json").stdout)
            if e["event"] != "deleted"]


def test_history_package_round_trips_every_version(tmp_path: Path) -> None:
    src = tmp_path / "src.db"
    rli(src, "demo", "--no-serve")
    rli(src, "annotate", "law2210-2026", "Checked in March")
    package = tmp_path / "lists.zip"
    rli(src, "export", "hist2041-2026", "law2210-2026", "--format", "ims-cp", "--history",
        "-o", str(package))
    names = [name for name, _ in ims_cp.read_package(package.read_bytes())]
    assert names == ["hist2041-2026", "hist2041-2026/v1", "hist2041-2026/v2",
                     "hist2041-2026/v3", "law2210-2026", "law2210-2026/v1", "law2210-2026/v2"]

    dst = tmp_path / "dst.db"
    out = rli(dst, "import", str(package)).stdout
    assert "hist2041-2026: version 3" in out and "law2210-2026: version 2" in out
    for list_id in ("hist2041-2026", "law2210-2026"):
        assert history(dst, list_id) == history(src, list_id)
    original = rli(src, "export", "hist2041-2026", "--version", "2").stdout
    assert rli(dst, "export", "hist2041-2026", "--version", "2").stdout == original

    # a later package continues the history; a diverged one is refused, nothing written
    rli(src, "annotate", "law2210-2026", "Checked in April")
    rli(src, "export", "law2210-2026", "--format", "ims-cp", "--history", "-o", str(package))
    rli(dst, "import", str(package))
    assert history(dst, "law2210-2026") == history(src, "law2210-2026")
    rli(dst, "annotate", "law2210-2026", "Only here")
    rli(src, "annotate", "law2210-2026", "Only there")
    rli(src, "export", "law2210-2026", "--format", "ims-cp", "--history", "-o", str(package))
    refused = subprocess.run([*RLI, "--db", str(dst), "import", str(package)],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "does not continue the one archived here" in refused.stderr
    assert [e["note"] for e in history(dst, "law2210-2026")][-1] == "annotated list"


def test_history_needs_ims_cp(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    rli(db, "demo", "--no-serve")
    proc = subprocess.run([*RLI, "--db", str(db), "export", "law2210-2026", "--history"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: --history goes with")


def test_a_history_package_from_a_pipe_keeps_its_versions(tmp_path: Path) -> None:
    # the package is read once, capped: its versions used to be read a second time from
    # the path, which a pipe cannot give again (the history was lost, or the read hung)
    src = tmp_path / "src.db"
    rli(src, "demo", "--no-serve")
    package = tmp_path / "hist.zip"
    rli(src, "export", "hist2041-2026", "--format", "ims-cp", "--history", "-o", str(package))
    dst = tmp_path / "dst.db"
    done = subprocess.run([*RLI, "--db", str(dst), "import", "/dev/stdin"],
                          input=package.read_bytes(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert history(dst, "hist2041-2026") == history(src, "hist2041-2026")
