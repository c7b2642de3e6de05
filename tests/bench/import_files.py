"""``rli import`` as the benchmark runs it: a directory of RLI files, one subprocess.

:func:`rli_import` writes the first ``count`` generated lists as canonical RLI
files into a folder (not timed) and imports the folder into a new archive with
``rli import DIR`` under :mod:`tests.bench.rusage`, so the CPU figure is the
import's own. The wall time includes interpreter start-up (about 0.3 s).
Raises BenchError when the import fails or archives another number of lists.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crosswalks.rli import ResourceList, binding
from tests.bench.servers import BenchError, measured_rli

TIME_LIMIT = 3600.0


@dataclass(frozen=True)
class ImportRun:
    """One ``rli import DIR``: lists archived, wall seconds, CPU seconds."""

    lists: int
    seconds: float
    cpu_seconds: float


def write_files(lists: Iterable[ResourceList], folder: Path) -> int:
    """Each list as its canonical RLI document ``<id>.rli.xml`` in a new ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = 0
    for lst in lists:
        (folder / f"{lst.identifier}.rli.xml").write_bytes(binding.write_list(lst))
        written += 1
    return written


def rli_import(folder: Path, db: Path, expected: int) -> ImportRun:
    """``rli import folder`` into a new archive ``db``; its wall and CPU time."""
    for old in db.parent.glob(db.name + "*"):
        old.unlink()
    run = measured_rli(db, "import", str(folder), "--note", "bench", what="rli import",
                       time_limit=TIME_LIMIT)
    archived = sum(1 for line in run.done.stdout.splitlines() if ": version 1 (" in line)
    if archived != expected:
        raise BenchError(f"rli import archived {archived} lists, expected {expected}")
    return ImportRun(archived, run.seconds, run.cpu_seconds)
