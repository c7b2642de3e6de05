"""Bytes on disk per archived list at growing sizes, and per harvested record.

Not part of the test run (tests/test_bench_storage.py runs it small)::

    python -m tests.bench.storage --sizes 1000,10000,50000 --harvest 1000 --json out.json

One archive grows through the bulk path (:func:`tests.bench.generate.build_archive`'s
``save_many``, the benchmark's lists) and is measured with SQLite's ``dbstat``
at each size: the whole file, the full-text list index (``list_search*``), and
everything else, each per list. Flat figures from size to size mean the
per-list cost does not grow with the archive. ``--harvest N`` serves the
first N lists with rli's OAI app on 127.0.0.1 and harvests them with
``rli harvest`` (oai_dc, as the main benchmark does, and rli), reporting the
bytes of ``harvest_records`` (table and index) per record and the harvester's
CPU per record.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.bulk import save_many
from repository.oai.provider import ProviderConfig
from repository.oai.wsgi import make_app
from tests.bench.generate import make_lists
from tests.bench.harvest import rli_harvest
from tests.peers.serve import serve

FTS_PREFIX = "list_search"


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes of pages each table and index takes (``dbstat``), write-ahead log folded in."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    return {str(name): int(size) for name, size in rows}


def grow(sizes: list[int], path: Path) -> Iterator[dict[str, object]]:
    """Archive the benchmark's lists into a new archive at ``path``, yielding the figures
    each time it holds the next of ``sizes`` lists."""
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    lists = make_lists(max(sizes))
    db = open_db(path)
    archive = Archive(db)
    held = 0
    try:
        for size in sorted(sizes):
            start = time.process_time()
            held += sum(1 for _ in save_many(archive, islice(lists, size - held),
                                             editor="bench", note="generated"))
            cpu = time.process_time() - start
            yield figures(path, held) | {"save_cpu_ms_per_list": 1000 * cpu / max(size, 1)}
    finally:
        db.conn.close()


def figures(path: Path, lists: int) -> dict[str, object]:
    """Per-list bytes of the archive at ``path`` holding ``lists`` lists."""
    tables = table_bytes(path)
    total = sum(tables.values())
    fts = sum(v for k, v in tables.items() if k.startswith(FTS_PREFIX))
    file_size = path.stat().st_size
    return {
        "lists": lists,
        "file_bytes_per_list": file_size / lists,
        "bytes_per_list": total / lists,
        "fts_bytes_per_list": fts / lists,
        "other_bytes_per_list": (total - fts) / lists,
        "tables": {k: round(v / lists) for k, v in sorted(tables.items(), key=lambda kv: -kv[1])
                   if v / lists >= 10},
    }


def harvest_figures(archive_path: Path, count: int, work: Path, prefix: str) -> dict[str, float]:
    """Serve ``archive_path`` on 127.0.0.1, harvest it in ``prefix`` with ``rli harvest``."""
    db = work / f"harvest-{prefix}.db"
    for old in work.glob(db.name + "*"):
        old.unlink()
    with serve(make_app(archive_path, ProviderConfig())) as url:
        run = rli_harvest(db, url, count, name="bench", prefix=prefix)
    tables = table_bytes(db)
    conn = sqlite3.connect(db)
    try:
        raw = conn.execute(
            "SELECT SUM(length(header)), SUM(length(metadata)), SUM(length(about)) "
            "FROM harvest_records").fetchone()
    finally:
        conn.close()
    kept = tables.get("harvest_records", 0) + tables.get("harvest_records_identifier", 0)
    return {
        f"harvest_{prefix}_bytes_per_record": kept / count,
        f"harvest_{prefix}_stored_metadata_bytes_per_record": (raw[1] or 0) / count,
        f"harvest_{prefix}_cpu_us_per_record": run.cpu_seconds / count * 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000",
                        help="comma-separated list counts to measure at (one archive grows)")
    parser.add_argument("--harvest", type=int, default=0,
                        help="harvest the first N lists (0: do not)")
    parser.add_argument("--workdir", type=Path, default=Path("bench-storage"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    args.workdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {"sizes": []}
    print(f"{'lists':>9} {'bytes/list':>11} {'FTS':>7} {'other':>7} {'file':>7} "
          f"{'save ms':>8}", flush=True)
    for row in grow(sizes, args.workdir / "archive.db"):
        out["sizes"].append(row)  # type: ignore[attr-defined]
        print(f"{row['lists']:>9,} {row['bytes_per_list']:>11,.0f} "
              f"{row['fts_bytes_per_list']:>7,.0f} {row['other_bytes_per_list']:>7,.0f} "
              f"{row['file_bytes_per_list']:>7,.0f} {row['save_cpu_ms_per_list']:>8.2f}",
              flush=True)
    print("tables at the largest size (bytes per list):",
          json.dumps(out["sizes"][-1]["tables"]), flush=True)  # type: ignore[index]
    if args.harvest:
        small = args.workdir / "harvested.db"
        for old in args.workdir.glob(small.name + "*"):
            old.unlink()
        for _ in grow([args.harvest], small):
            pass
        for prefix in ("oai_dc", "rli"):
            got = harvest_figures(small, args.harvest, args.workdir, prefix)
            out.update(got)
            print(json.dumps(got), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
