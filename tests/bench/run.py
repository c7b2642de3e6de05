"""Benchmark: rli's provider and harvester at scale, side by side with pyoai and Sickle.

Usage::

    python tests/bench/run.py [--lists N | --quick] [--json FILE] [--rss-compare M]
                              [--skip-peers] [--workdir DIR]
    python -m tests.bench.run ...          (the same)

Generates N realistic lists (default 100,000; ``--quick`` 10,000), archives
them, serves them with ``rli serve`` (2 gunicorn workers) and with a pyoai
``BatchingServer`` over SQLite (2 gunicorn workers) on 127.0.0.1, and
measures, in oai_dc at 100 records per page:

==========================  ==============================================
key                         what
==========================  ==============================================
serve_records_per_s         full ListRecords walk of rli by a minimal
                            client (httpx page loop, lxml parse, count);
                            the faster of two walks after a first one
                            (``*_first_walk_*``: that first walk, right
                            after start, with no stored renderings;
                            each server's database file is read once
                            just before (rli's before it starts,
                            ``*_read_through_s``), so a file paged out
                            during a pause is not read from the disk;
                            ``*_identity_*``:
                            without gzip, as the peer sends)
peer_serve_records_per_s    the same client against the pyoai peer
serve_cpu_us_per_record     user+sys CPU of rli's master and workers
                            (``/proc/PID/stat``) over the two warm walks,
                            per record served (``peer_*``: the peer's)
harvest_records_per_s       ``rli harvest`` of rli's provider (fetch,
                            parse, keep raw, crosswalk, store), wall time
                            of the subprocess
sickle_records_per_s        Sickle ListRecords of rli's provider
dump_records_per_s          ``rli harvest -l URL -o FILE`` of rli's provider:
                            pyoaiharvest's one-shot job (every record into
                            one XML file, nothing archived), wall time of the
                            subprocess
foreign_harvest_records_    ``rli harvest`` (and ``foreign_sickle_*``:
per_s                       Sickle) of a foreign provider: the pyoai peer
                            serving N single-item MODS records
first_page_ms/last_page_ms  median of 15 requests of page 1 / last token
set_first_page_ms           the same for page 1 of a set (``course``, every
window_first_page_ms        list) and of a from/until window (the middle
                            third of the lists): each page of these costs
                            what a page of every list costs, not in
                            proportion to what follows or precedes it
getrecord_rps               GetRecord/s, 8 threads, random identifiers, each
                            a kept-alive socket (not httpx, which cost
                            more CPU a request than either server)
                            (``getrecord_client_cpu_*``: the CPU of those
                            threads per request, which shares the cores)
server_peak_rss_mb          VmHWM summed over rli's master and workers
harvester_peak_rss_mb       ru_maxrss of the ``rli harvest`` subprocess
                            (its own: see :mod:`tests.bench.rusage`)
parse_limit_records_per_s   parse_untrusted over the saved pages only
harvest_cpu_us_per_record   user+sys CPU of ``rli harvest`` / records
parse_cpu_us_per_record     CPU of the pure parse / records
archive_lists_per_s         the archive build (bulk path, generation
                            excluded)
rli_import_lists_per_s      ``rli import DIR`` of the first 2,000 lists
                            as RLI files, wall time of the subprocess
                            (``rli_import_cpu_ms_per_list``: its CPU)
==========================  ==============================================

plus the ratios and their targets (TARGETS: server CPU per record <= 1/10
of the peer's, first walk >= the peer's, GetRecord >= 3x, last page <=
1.2x first (and so the first page of a set or window), harvest >= 1.5x
Sickle and >= 2x on foreign records, harvest CPU <= 4x parse CPU, bulk
import >= 1,000 lists/s, archive and RSS budgets). Every server is stopped
on the way out. Errors end in one ``bench:`` line and exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crosswalks.rli import ResourceList
from harvester.shared.protocol import format_datestamp, utc_now
from tests.bench import measure
from tests.bench.generate import (
    build_archive,
    build_foreign,
    build_peer,
    make_lists,
    make_resources,
)
from tests.bench.harvest import rli_dump, rli_harvest
from tests.bench.import_files import rli_import, write_files
from tests.bench.servers import (
    BenchError,
    cpu_seconds,
    forget_renderings,
    free_port,
    peak_rss_mb,
    peer_command,
    read_through,
    rli_command,
    running,
    wait_for_line,
)

FULL, QUICK, WORKERS = 100_000, 10_000, 2

# (ratio key, numerator, denominator, comparison, target, label)
TARGETS: tuple[tuple[str, str, str, str, float, str], ...] = (
    ("serve_cpu_vs_peer", "serve_cpu_us_per_record", "peer_serve_cpu_us_per_record", "<=", 0.1,
     "serve CPU / peer serve CPU per record"),
    ("first_walk_vs_peer", "serve_first_walk_records_per_s",
     "peer_serve_first_walk_records_per_s", ">=", 1.0, "first walk / peer first walk"),
    ("getrecord_vs_peer", "getrecord_rps", "peer_getrecord_rps", ">=", 3.0,
     "GetRecord / peer GetRecord"),
    ("last_vs_first_page", "last_page_ms", "first_page_ms", "<=", 1.2,
     "last page / first page"),
    ("set_vs_first_page", "set_first_page_ms", "first_page_ms", "<=", 1.2,
     "first page of a set / first page"),
    ("window_vs_first_page", "window_first_page_ms", "first_page_ms", "<=", 1.2,
     "first page of a window / first page"),
    ("harvest_vs_sickle", "harvest_records_per_s", "sickle_records_per_s", ">=", 1.5,
     "harvest / Sickle"),
    ("foreign_harvest_vs_sickle", "foreign_harvest_records_per_s",
     "foreign_sickle_records_per_s", ">=", 2.0, "foreign harvest / Sickle"),
    ("harvest_cpu_vs_parse_cpu", "harvest_cpu_us_per_record", "parse_cpu_us_per_record", "<=",
     4.0, "harvest CPU / parse CPU"),
    ("bulk_import_vs_target", "archive_lists_per_s", "bulk_import_target", ">=", 1.0,
     "bulk import lists/s / 1,000"),
    ("rli_import_vs_target", "rli_import_lists_per_s", "bulk_import_target", ">=", 1.0,
     "rli import DIR lists/s / 1,000"),
    ("archive_bytes_vs_budget", "archive_bytes_per_list", "archive_bytes_budget", "<=", 1.0,
     "archive bytes per list / 12 KB"),
    ("server_rss_vs_budget", "server_peak_rss_max_process_mb", "rss_budget_mb", "<=", 1.0,
     "largest server process RSS / 100 MB"),
    ("harvester_rss_vs_budget", "harvester_peak_rss_mb", "rss_budget_mb", "<=", 1.0,
     "harvester RSS / 100 MB"),
)

ARCHIVE_BYTES_BUDGET = 12 * 1024  # per 30-item list version, indexes included (storage issue)
BULK_IMPORT_TARGET = 1000.0  # lists/s archived by the bulk path (issue 15)
IMPORT_SAMPLE = 2000  # lists written as files for the `rli import DIR` figure
RSS_BUDGET_MB = 100.0  # per server process, and the harvester (issue 15)

ROWS: tuple[tuple[str, str, str], ...] = (
    ("lists", "lists (= records)", ""),
    ("serve_records_per_s", "rli serve, minimal client", "records/s"),
    ("serve_first_walk_records_per_s", "  (first walk after start)", "records/s"),
    ("serve_identity_records_per_s", "  (uncompressed: Accept-Encoding identity)", "records/s"),
    ("peer_serve_records_per_s", "pyoai peer, minimal client", "records/s"),
    ("peer_serve_first_walk_records_per_s", "  (first walk after start)", "records/s"),
    ("serve_cpu_us_per_record", "rli server CPU, warm walk", "us/record"),
    ("peer_serve_cpu_us_per_record", "pyoai server CPU, warm walk", "us/record"),
    ("harvest_records_per_s", "rli harvest of rli", "records/s"),
    ("sickle_records_per_s", "Sickle of rli", "records/s"),
    ("dump_records_per_s", "rli harvest -l URL -o FILE (one-shot) of rli", "records/s"),
    ("foreign_harvest_records_per_s", "rli harvest of pyoai, single-item MODS", "records/s"),
    ("foreign_sickle_records_per_s", "Sickle of pyoai, single-item MODS", "records/s"),
    ("foreign_harvest_cpu_us_per_record", "rli harvest CPU, single-item MODS", "us/record"),
    ("first_page_ms", "first ListRecords page", "ms"),
    ("last_page_ms", "last ListRecords page", "ms"),
    ("set_first_page_ms", "first page of a set (course: every list)", "ms"),
    ("window_first_page_ms", "first page of a from/until window (middle third)", "ms"),
    ("getrecord_rps", "GetRecord, 8 clients", "req/s"),
    ("peer_getrecord_rps", "pyoai peer GetRecord, 8 clients", "req/s"),
    ("getrecord_cpu_us_per_request", "rli server CPU per GetRecord", "us"),
    ("peer_getrecord_cpu_us_per_request", "pyoai server CPU per GetRecord", "us"),
    ("getrecord_client_cpu_us_per_request", "measuring client CPU per GetRecord", "us"),
    ("server_peak_rss_mb", "rli server peak RSS (sum)", "MB"),
    ("server_peak_rss_max_process_mb", "rli server peak RSS (largest process)", "MB"),
    ("harvester_peak_rss_mb", "rli harvest peak RSS", "MB"),
    ("harvester_peak_rss_small_mb", "rli harvest peak RSS, --rss-compare size", "MB"),
    ("parse_limit_records_per_s", "parse limit (parse_untrusted)", "records/s"),
    ("harvest_cpu_us_per_record", "rli harvest CPU", "us/record"),
    ("parse_cpu_us_per_record", "pure parse CPU", "us/record"),
    ("rli_startup_s", "rli serve start (port answers)", "s"),
    ("rli_prerender_wait_s", "  wait after first walk for start-up prerender", "s"),
    ("rli_read_through_s", "rli archive read through before its start", "s"),
    ("peer_read_through_s", "pyoai database read through before its first walk", "s"),
    ("archive_lists_per_s", "bulk import (save_many), generation excluded", "lists/s"),
    ("rli_import_lists_per_s", "rli import DIR of RLI files (wall)", "lists/s"),
    ("rli_import_cpu_ms_per_list", "  CPU of rli import per list", "ms"),
    ("generate_s", "generation (lists + archive + peer)", "s"),
    ("archive_bytes_per_list", "archive on disk per list, as built", "bytes"),
    ("archive_bytes_per_list_served", "  (after serving: stored renderings too)", "bytes"),
)


def _timed(label: str, step: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    print(f"bench: {label} ...", file=sys.stderr, flush=True)
    value = step()
    print(f"bench: {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return value


def generate(count: int, work: Path) -> dict[str, float]:
    """Lists, rli archive and peer database in ``work``; returns generation figures.

    A ``work`` that holds a finished generation of ``count`` lists is reused as it is.
    """
    marker = work / "generated.json"
    if marker.exists():
        done: dict[str, float] = json.loads(marker.read_text())
        if done.get("lists") == count:
            if not (work / "foreign.db").exists():  # a work folder from before issue 15
                build_foreign(make_resources(count), work / "foreign.db",
                              format_datestamp(utc_now()))
            done.setdefault("archive_bytes_per_list", archive_bytes(work / "archive.db") / count)
            if "rli_import_lists_per_s" not in done:  # a work folder from before the figure
                done.update(import_figures(count, work))
            return {k: v for k, v in done.items() if k != "lists"}
    for old in [*work.glob("archive.db*"), *work.glob("peer.db*"), *work.glob("foreign.db*")]:
        old.unlink()
    start = time.perf_counter()
    stamp = format_datestamp(utc_now())
    # The peers' databases are built in a second process while this one archives: on two
    # cores that takes a third off a 1,000,000-list generation. The archive figure is
    # still this process's own (its generation time taken out).
    peers = multiprocessing.get_context("fork").Process(
        target=_build_peers, args=(count, work, stamp), name="bench-peers")
    peers.start()
    try:
        making = _Stopwatch(make_lists(count))  # lists streamed: 100k do not fit
        build_archive(making, work / "archive.db")
        saved = time.perf_counter()
    except BaseException:  # the archive failed (or ^C): do not wait out the peers' build
        peers.terminate()
        raise
    finally:
        peers.join()
    if peers.exitcode != 0:
        raise BenchError(f"building the peers' databases failed (exit {peers.exitcode})")
    figures = {"archive_lists_per_s": count / (saved - start - making.seconds),
               "generate_s": time.perf_counter() - start,
               "archive_bytes_per_list": archive_bytes(work / "archive.db") / count}
    figures.update(_timed("rli import", lambda: import_figures(count, work)))
    marker.write_text(json.dumps({"lists": count, **figures}))
    return figures


def _build_peers(count: int, work: Path, stamp: str) -> None:
    """The pyoai peer's database and the foreign provider's (run in a child process)."""
    build_peer(make_lists(count), work / "peer.db", stamp)
    build_foreign(make_resources(count), work / "foreign.db", stamp)


def import_figures(count: int, work: Path) -> dict[str, float]:
    """``rli import`` of a directory of the first IMPORT_SAMPLE lists as RLI files."""
    sample = min(count, IMPORT_SAMPLE)
    write_files(make_lists(sample), work / "import-files")
    run = rli_import(work / "import-files", work / "import.db", sample)
    shutil.rmtree(work / "import-files", ignore_errors=True)
    return {"rli_import_lists": sample, "rli_import_lists_per_s": run.lists / run.seconds,
            "rli_import_cpu_ms_per_list": run.cpu_seconds / run.lists * 1e3}


class _Stopwatch:
    """An iterator that counts the seconds spent making its items (taken out of the
    bulk import figure: generating a list is not archiving it)."""

    def __init__(self, items: Iterator[ResourceList]) -> None:
        self.items = items
        self.seconds = 0.0

    def __iter__(self) -> Iterator[ResourceList]:
        return self

    def __next__(self) -> ResourceList:
        start = time.perf_counter()
        try:
            return next(self.items)
        finally:
            self.seconds += time.perf_counter() - start


def archive_bytes(path: Path) -> int:
    """The archive's size on disk, write-ahead log folded in first."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def measure_all(
    count: int, work: Path, getrecord_seconds: float, peers: bool = True
) -> dict[str, float]:
    """Serve both providers and take every measurement (module docstring); without
    ``peers``, only rli's own figures (no pyoai walks, GetRecords or foreign harvest)."""
    rli_port, peer_port = free_port(), free_port()
    peer_env = {"BENCH_PEER_DB": str(work / "peer.db"),
                "BENCH_PEER_URL": f"http://127.0.0.1:{peer_port}/oai"}
    out: dict[str, float] = {}
    for old in work.glob("harvest.*"):
        old.unlink()
    log = work / "rli-serve.log"
    offset = log.stat().st_size if log.exists() else 0
    forget_renderings(work / "archive.db")  # the first walk meets none stored
    # the file in memory (as the peer's below), read before rli starts: its start-up
    # prerender would store renderings while it is read
    out["rli_read_through_s"] = _seconds(lambda: read_through(work / "archive.db"))
    with contextlib.ExitStack() as stack:
        rli = stack.enter_context(running(
            rli_command(work / "archive.db", rli_port, WORKERS), rli_port, log=log,
            timeout=_startup_limit(count)))
        peer = stack.enter_context(running(
            peer_command(peer_port, WORKERS), peer_port, env=peer_env,
            log=work / "peer.log")) if peers else None
        out["rli_startup_s"] = rli.startup_s
        # The first walk right after start (rli renders what its start-up prerender did
        # not store), then the steady state: the faster of two walks (the machine is shared).
        cold = _timed("walk rli (first)", lambda: measure.walk(rli.base_url))
        # the steady state: after the start-up prerender (a child of the master) is done
        out["rli_prerender_wait_s"] = wait_for_line(
            log, "records rendered and stored", offset=offset, timeout=_startup_limit(count))
        used = cpu_seconds(rli.pid)
        mine = _timed("walk rli", lambda: _faster(
            measure.walk(rli.base_url, keep=True), measure.walk(rli.base_url, keep=True)))
        out["serve_cpu_us_per_record"] = (cpu_seconds(rli.pid) - used) / (2 * count) * 1e6
        plain = _timed("walk rli (identity)", lambda: measure.walk(rli.base_url, gzip=False))
        walks = [("rli", cold), ("rli", mine), ("rli", plain)]
        if peer is not None:
            out["peer_read_through_s"] = _seconds(lambda: read_through(work / "peer.db"))
            peer_cold = _timed("walk peer (first)", lambda: measure.walk(peer.base_url))
            used = cpu_seconds(peer.pid)
            theirs = _timed("walk peer", lambda: _faster(
                measure.walk(peer.base_url), measure.walk(peer.base_url)))
            out["peer_serve_cpu_us_per_record"] = (
                cpu_seconds(peer.pid) - used) / (2 * count) * 1e6
            walks += [("peer", peer_cold), ("peer", theirs)]
            out["peer_serve_records_per_s"] = theirs.records_per_s
            out["peer_serve_first_walk_records_per_s"] = peer_cold.records_per_s
        for name, result in walks:
            if result.records != count:
                raise BenchError(f"{name} served {result.records} records, expected {count}")
        out["serve_records_per_s"] = mine.records_per_s
        out["serve_first_walk_records_per_s"] = cold.records_per_s
        out["serve_identity_records_per_s"] = plain.records_per_s
        first = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        last = {"verb": "ListRecords", "resumptionToken": mine.tokens[-1]} if mine.tokens else first
        # a set holding every list (what follows its page 1 is all of it), and a window
        # from a third of the way to two thirds (before and after it, a third each)
        out.update(measure.median_ms(rli.base_url, {
            "first_page_ms": first, "last_page_ms": last,
            "set_first_page_ms": {**first, "set": "course"},
            "window_first_page_ms": {**first, **_middle_window(work / "archive.db")}}))
        used, mine_cpu = cpu_seconds(rli.pid), time.process_time()
        out["getrecord_rps"] = _timed("GetRecord rli", lambda: measure.getrecord_rps(
            rli.base_url, mine.identifiers, seconds=getrecord_seconds))
        requests = out["getrecord_rps"] * getrecord_seconds
        out["getrecord_cpu_us_per_request"] = (cpu_seconds(rli.pid) - used) / requests * 1e6
        # the measuring client's own CPU (this process: its eight threads) caps what
        # any server can show on the same cores
        out["getrecord_client_cpu_us_per_request"] = (
            time.process_time() - mine_cpu) / requests * 1e6
        if peer is not None:
            peer_ids = [i.replace(mine.identifiers[0].rpartition(":")[0], "oai:pyoai.bench")
                        for i in mine.identifiers]
            used = cpu_seconds(peer.pid)
            out["peer_getrecord_rps"] = _timed("GetRecord peer", lambda: measure.getrecord_rps(
                peer.base_url, peer_ids, seconds=getrecord_seconds))
            out["peer_getrecord_cpu_us_per_request"] = (cpu_seconds(peer.pid) - used) / (
                out["peer_getrecord_rps"] * getrecord_seconds) * 1e6
        out["sickle_records_per_s"] = _timed(
            "Sickle", lambda: measure.sickle_records_per_s(rli.base_url, count))
        run = _timed("rli harvest", lambda: rli_harvest(work / "harvest.db", rli.base_url, count))
        out["harvest_records_per_s"] = run.records / run.seconds
        out["harvest_cpu_us_per_record"] = run.cpu_seconds / run.records * 1e6
        out["harvester_peak_rss_mb"] = run.peak_rss_mb
        dump = _timed("rli harvest -l -o", lambda: rli_dump(work / "dump.xml", rli.base_url,
                                                             count))
        out["dump_records_per_s"] = dump.records / dump.seconds
        out["server_peak_rss_mb"], out["server_peak_rss_max_process_mb"] = peak_rss_mb(rli.pid)
    if peers:
        out.update(measure_foreign(count, work))
    limit = measure.parse_limit(mine.pages, mine.records)
    out["parse_limit_records_per_s"] = limit.records_per_s
    out["parse_cpu_us_per_record"] = limit.cpu_us_per_record
    return out


def measure_foreign(count: int, work: Path) -> dict[str, float]:
    """``rli harvest`` and Sickle over a pyoai provider of ``count`` single-item MODS records."""
    port = free_port()
    env = {"BENCH_PEER_DB": str(work / "foreign.db"),
           "BENCH_PEER_URL": f"http://127.0.0.1:{port}/oai"}
    for old in work.glob("foreign-harvest.*"):
        old.unlink()
    with running(peer_command(port, WORKERS), port, env=env, log=work / "foreign.log") as peer:
        sickle = _timed("Sickle (foreign)", lambda: measure.sickle_records_per_s(
            peer.base_url, count, prefix="mods"))
        run = _timed("rli harvest (foreign)", lambda: rli_harvest(
            work / "foreign-harvest.db", peer.base_url, count, name="foreign", prefix="mods"))
    return {"foreign_sickle_records_per_s": sickle,
            "foreign_harvest_records_per_s": run.records / run.seconds,
            "foreign_harvest_cpu_us_per_record": run.cpu_seconds / run.records * 1e6}


def _middle_window(db: Path) -> dict[str, str]:
    """``from`` and ``until`` a third and two thirds of the way through the archive's
    datestamps (by change seq), as OAI arguments."""
    conn = sqlite3.connect(db)
    try:
        low, high = conn.execute("SELECT min(seq), max(seq) FROM lists").fetchone()
        bound = ("SELECT datestamp FROM lists WHERE seq >= ? ORDER BY seq LIMIT 1")
        third = (high - low) // 3
        return {"from": conn.execute(bound, (low + third,)).fetchone()[0],
                "until": conn.execute(bound, (high - third,)).fetchone()[0]}
    finally:
        conn.close()


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _startup_limit(count: int) -> float:
    """Seconds ``rli serve`` may take to answer: it renders missing oai_dc records first."""
    return 120.0 + count * 0.05


def _faster(a: measure.Walk, b: measure.Walk) -> measure.Walk:
    return a if a.seconds <= b.seconds else b


def harvester_rss(count: int, work: Path) -> float:
    """Peak RSS of ``rli harvest`` over a separate archive of ``count`` lists."""
    work.mkdir(exist_ok=True)
    generate(count, work)
    for old in work.glob("harvest.*"):
        old.unlink()
    port = free_port()
    with running(rli_command(work / "archive.db", port, WORKERS), port,
                 log=work / "rli-serve.log", timeout=_startup_limit(count)) as rli:
        return rli_harvest(work / "harvest.db", rli.base_url, count).peak_rss_mb


def with_ratios(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` plus each target ratio and a ``targets`` map of ratio -> passed."""
    passed: dict[str, bool] = {}
    for key, num, den, op, target, _label in TARGETS:
        if num not in results or den not in results:  # not measured (--skip-peers)
            continue
        ratio = results[num] / results[den] if results[den] else float("inf")
        results[key] = ratio
        passed[key] = ratio >= target if op == ">=" else ratio <= target
    results["targets"] = passed
    return results


def table(results: dict[str, Any]) -> str:
    """The results as a plain text table, targets with PASS/FAIL."""
    lines = [f"{'measure':<44} {'value':>12}  unit", "-" * 68]
    for key, label, unit in ROWS:
        if key in results:
            value = results[key]
            text = f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"
            lines.append(f"{label:<44} {text:>12}  {unit}")
    lines += ["", f"{'target':<44} {'ratio':>12}  goal      result", "-" * 68]
    for key, _num, _den, op, target, label in TARGETS:
        if key not in results["targets"]:
            lines.append(f"{label:<44} {'-':>12}  {op} {target:<6}  not measured")
            continue
        verdict = "PASS" if results["targets"][key] else "FAIL"
        lines.append(f"{label:<44} {results[key]:>12.2f}  {op} {target:<6}  {verdict}")
    return "\n".join(lines)


def bench(
    count: int, work: Path, getrecord_seconds: float, rss_compare: int | None,
    peers: bool = True,
) -> dict[str, Any]:
    """Generate, measure, and return every figure with its ratios."""
    results: dict[str, Any] = {"lists": count, "peers_measured": peers}
    results.update(_timed("generate", lambda: generate(count, work)))
    results.update(measure_all(count, work, getrecord_seconds, peers))
    results["archive_bytes_per_list_served"] = archive_bytes(work / "archive.db") / count
    results["archive_bytes_budget"] = ARCHIVE_BYTES_BUDGET
    results["bulk_import_target"] = BULK_IMPORT_TARGET
    results["rss_budget_mb"] = RSS_BUDGET_MB
    if rss_compare:
        results["rss_compare_lists"] = rss_compare
        results["harvester_peak_rss_small_mb"] = _timed(
            "rss compare", lambda: harvester_rss(rss_compare, work / "small"))
    return with_ratios(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--lists", type=int, default=FULL, help="number of lists (default 100000)")
    size.add_argument("--quick", action="store_const", const=QUICK, dest="lists",
                      help="10,000 lists (CI-sized)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--rss-compare", type=int, metavar="M",
                        help="also harvest an archive of M lists and report its peak RSS")
    parser.add_argument("--getrecord-seconds", type=float, default=5.0)
    parser.add_argument("--workdir", type=Path, help="keep databases and logs here")
    parser.add_argument("--skip-peers", action="store_true",
                        help="measure rli only (no pyoai walks, GetRecords or foreign"
                             " harvest; at 1,000,000 lists 17 min against 29 for a full run)")
    args = parser.parse_args(argv)
    if args.lists < 1:
        parser.error("--lists must be at least 1")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="rli-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args.lists, work, args.getrecord_seconds, args.rss_compare,
                        peers=not args.skip_peers)
    except (BenchError, OSError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
