"""Importing many files in batches (repository.archive.batch_import) gives the archive that
importing them one by one gives: every table, change sequence and datestamps included, and
every refusal with the same message; `rli import DIR` the same as one `rli import` per file."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks import ims_cp
from crosswalks.rli import Item, ResourceList, binding
from harvester.shared.db import open_db, transaction
from repository.archive import Archive
from repository.archive.batch_import import (
    BATCH_ITEMS,
    BATCH_LISTS,
    PARALLEL_FROM,
    FileImport,
    WorkerLost,
    expand,
    import_files,
)
from repository.archive.exporting import export_package
from repository.archive.importing import FileRead, ImportRefused, import_lists, read_file
from tests.bench.generate import make_lists
from tests.conftest import Clock
from tests.factories import make_list
from tests.paths import SAMPLES
from tests.repository.archive.test_bulk import all_tables, rows, sample_lists
from tests.repository.archive.test_importing import _get_record
from tests.repository.cli.test_archive import RLI, dump, rli


def _numbered_lists(folder: Path, count: int, *, items: int) -> Path:
    """``folder`` made, with ``count`` RLI files of ``items``-item lists c0000000,
    c0000001, ... (files 00000.xml, ... in the same order)."""
    folder.mkdir()
    document = binding.write_list(make_list("c0000000", items=items))
    for n in range(count):
        (folder / f"{n:05d}.xml").write_bytes(document.replace(b"c0000000", b"c%07d" % n))
    return folder


def _package(path: Path, lists: list[ResourceList]) -> Path:
    path.write_bytes(ims_cp.write_package([(f"entry{n}", binding.write_list(x))
                                           for n, x in enumerate(lists)]))
    return path


def _history_package(path: Path, lst: ResourceList) -> Path:
    """A package with two versions of ``lst`` (rli export --format ims-cp --history)."""
    source = Archive(open_db(":memory:"), clock=Clock())
    source.save(lst, editor="ed", note="first")
    source.save(replace(lst, title=lst.title + " (revised)"), editor="ed2", note="second")
    path.write_bytes(export_package(source, [lst.identifier], history=True))
    return path


def mixed_files(folder: Path) -> list[Path]:
    """Files of every kind `rli import` takes, with refused ones among them."""
    folder.mkdir()
    lists = sample_lists(24)
    twin = lists[5].items[0]
    files = [folder / f"{n:02d}-{x.identifier}.xml" for n, x in enumerate(lists[:8])]
    for path, lst in zip(files, lists):
        path.write_bytes(binding.write_list(lst))
    (folder / "08-broken.xml").write_text("<not-closed>")
    files.insert(4, folder / "08-broken.xml")  # a bad file in the middle
    files += [
        _package(folder / "09-three.zip", lists[8:11]),
        _package(folder / "10-same-id-twice.zip", [lists[11], lists[12], lists[11]]),
        _package(folder / "11-bad-list-in-the-middle.zip",
                 [lists[13], replace(lists[14], items=(twin, twin)), lists[15]]),
        folder / "01-again.xml",  # a list an earlier file brought: refused
        _history_package(folder / "12-history.zip", lists[16]),
        folder / "13-getrecord.xml",
        SAMPLES / "discovery-plus" / "dc2rli-list-tudelft.rli.xml",
        SAMPLES / "mods" / "bibutils-collection-2articles-1book.mods.xml",
        folder / "14-bad-id.xml",
    ]
    (folder / "01-again.xml").write_bytes(binding.write_list(replace(lists[1], title="Again")))
    document = binding.write_list(lists[17]).split(b"?>", 1)[1]
    (folder / "13-getrecord.xml").write_bytes(_get_record(document))
    (folder / "14-bad-id.xml").write_bytes(binding.write_list(replace(lists[18], identifier="a b")))
    for n, lst in enumerate(lists[19:], 15):
        files.append(folder / f"{n}-{lst.identifier}.xml")
        files[-1].write_bytes(binding.write_list(lst))
    return files


def one_by_one(archive: Archive, paths: list[Path], **options: object) -> list[FileImport]:
    """What importing each file alone gives (one transaction each, as before batching)."""
    results = []
    for path in paths:
        try:
            got = read_file(path)
        except ImportRefused as exc:
            results.append(FileImport(path, error=str(exc)))
            continue
        try:
            done = import_lists(archive, got.lists, editor="ed", note="n", source=str(path),
                                origins=got.origins, versions=got.versions,
                                **options)  # type: ignore[arg-type]
        except ImportRefused as exc:
            results.append(FileImport(path, got, error=str(exc)))
            continue
        results.append(FileImport(path, got, tuple(done)))
    return results


def same_tables(a: Path, b: Path) -> None:
    tables = all_tables(a)
    assert tables == all_tables(b)
    for table in tables:
        assert rows(a, table) == rows(b, table), table


def _reports(results: list[FileImport]) -> list[FileImport]:
    """``results`` without the lists read (a worker process sends back only the report)."""
    return [replace(r, read=replace(r.read, lists=())) if r.read else r for r in results]


@pytest.mark.parametrize(("batch", "jobs"), [(1, 1), (4, 1), (500, 1), (4, 2), (500, 2)])
def test_batches_give_the_archive_one_by_one_gives(tmp_path: Path, batch: int, jobs: int) -> None:
    files = mixed_files(tmp_path / "in")
    apart = Archive(open_db(tmp_path / "apart.db"), clock=Clock())
    together = Archive(open_db(tmp_path / "together.db"), clock=Clock())
    expected = one_by_one(apart, files)
    got = list(import_files(lambda: together, files, read_file, editor="ed", note="n",
                            batch=batch, jobs=jobs, parallel_from=1))
    assert (got if jobs == 1 else _reports(got)) == (expected if jobs == 1 else _reports(expected))
    if jobs > 1:  # what the workers read came back without its lists
        assert sum(1 for r in got if r.read is not None and not r.read.lists) >= 15
    errors = [r.error.removeprefix(str(r.path)) for r in got if r.error]
    assert len(errors) == 5, errors
    assert [e.split(": ", 2)[1][:24] for e in errors] == [
        "line 1", "list identifier 'list000", "list 'list0000014'", "list 'list0000001' alrea",
        "list identifier 'a b' is"]
    assert sum(len(r.done) for r in got) == 20
    same_tables(tmp_path / "apart.db", tmp_path / "together.db")
    # again with --new-version: every list a next version (or unchanged), same as alone
    for n, lst in enumerate(sample_lists(24)[:8:2]):
        path = tmp_path / "in" / f"{2 * n:02d}-{lst.identifier}.xml"
        path.write_bytes(binding.write_list(replace(lst, title=lst.title + " v2")))
    expected = one_by_one(apart, files, new_version=True)
    got = list(import_files(lambda: together, files, read_file, editor="ed", note="n",
                            new_version=True, batch=batch, jobs=jobs, parallel_from=1))
    assert (got if jobs == 1 else _reports(got)) == (expected if jobs == 1 else _reports(expected))
    same_tables(tmp_path / "apart.db", tmp_path / "together.db")


def test_a_batch_the_archive_refuses_keeps_nothing_of_that_batch(tmp_path: Path) -> None:
    files = [tmp_path / f"{x.identifier}.xml" for x in sample_lists(6)]
    for path, lst in zip(files, sample_lists(6)):
        path.write_bytes(binding.write_list(lst))
    archive = Archive(open_db(tmp_path / "a.db"), clock=Clock())
    with transaction(archive.db):  # a trigger stands for a failure inside the batch
        archive.db.conn.execute(
            "CREATE TRIGGER no_fifth BEFORE INSERT ON list_versions"
            f" WHEN NEW.list_id = '{sample_lists(6)[4].identifier}'"
            " BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END")
    before = dump(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError, match="trigger"):
        list(import_files(lambda: archive, files, read_file, editor="ed", note="n"))
    assert dump(tmp_path / "a.db") == before


def test_a_batch_of_big_lists_is_written_before_it_holds_more_than_batch_items(
    tmp_path: Path,
) -> None:
    # Only lists were counted: 500 of them waited in memory, whatever their size (250
    # files of 200-item lists read in one process took 329 MB at once).
    per_list = BATCH_ITEMS // 10
    folder = _numbered_lists(tmp_path / "in", 12, items=per_list)
    db = tmp_path / "rli.db"
    archive = Archive(open_db(db), clock=Clock())
    seen: dict[str, int] = {}

    def read(path: Path) -> FileRead:  # what is archived when each file is read
        with contextlib.closing(sqlite3.connect(db)) as conn:
            seen[path.name] = conn.execute("SELECT count(*) FROM lists").fetchone()[0]
        return read_file(path)

    done = list(import_files(lambda: archive, sorted(folder.iterdir()), read,
                             editor="ed", note="n"))
    assert [r.error for r in done] == [""] * 12
    assert seen["00010.xml"] == 10  # ten lists of BATCH_ITEMS / 10: written as one batch
    assert seen["00009.xml"] == 0
    assert archive.db.conn.execute("SELECT count(*) FROM lists").fetchone()[0] == 12


def test_directories_expand_to_their_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ("b.xml", "a.xml", "sub/c.xml", ".hidden.xml", "sub/.x"):
        (tmp_path / "d" / name).write_text("x")
    (tmp_path / "d" / ".git").mkdir()
    (tmp_path / "d" / ".git" / "HEAD").write_text("x")
    single = tmp_path / "single.xml"
    folder = tmp_path / "d"
    assert list(expand([single, folder])) == [
        single, folder / "a.xml", folder / "b.xml", folder / "sub" / "c.xml"]


def _facts(db: Path) -> dict[str, object]:
    search = {q: json.loads(rli(db, "search", q, "--json", "--limit", "1000").stdout)
              for q in ("history", "power", "smith", "week")}
    return {"versions": rows(db, "list_versions", "list_id, version, sha256, editor, note"),
            "sets": rows(db, "sets"), "members": rows(db, "set_members", "spec, list_id"),
            "saved": rows(db, "saved_metadata"), "origins": rows(db, "item_origins"),
            "indexed": rows(db, "list_search_docs"),
            "changes": rows(db, "changes", "seq, list_id, kind"), "search": search}


def test_rli_import_of_a_directory_is_importing_each_file(tmp_path: Path) -> None:
    files = mixed_files(tmp_path / "in")
    for path in files:  # the samples too, so that the directory holds every file
        if path.parent != tmp_path / "in":
            (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    files = sorted(expand([tmp_path / "in"]))
    together = rli(tmp_path / "together.db", "import", str(tmp_path / "in"), check=False)
    assert together.returncode == 1 and "Traceback" not in together.stderr
    errors = together.stderr.strip().splitlines()
    assert len(errors) == 5 and all(e.startswith("Error: ") for e in errors)
    assert ["01-list0000001.xml" in errors[0], "broken" in errors[1], "same-id-twice" in errors[2],
            "bad-list-in-the-middle" in errors[3], "bad-id" in errors[4]] == [True] * 5
    apart = [rli(tmp_path / "apart.db", "import", str(p), check=False) for p in files]
    assert together.stdout == "".join(p.stdout for p in apart)  # ids, versions, sha256s, report
    assert together.stderr == "".join(p.stderr for p in apart)
    assert _facts(tmp_path / "together.db") == _facts(tmp_path / "apart.db")


def test_rli_import_in_worker_processes_gives_what_one_process_gives(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lists = list(make_lists(PARALLEL_FROM + 9, seed=5))
    for n, lst in enumerate(lists):
        (folder / f"{n:04d}.xml").write_bytes(binding.write_list(lst))
    (folder / "0100.xml").write_text("<not-closed>")  # refused, among the workers' files
    (folder / "0101.xml").write_bytes(binding.write_list(lists[3]))  # a list already read
    serial = rli(tmp_path / "one.db", "import", str(folder), "--jobs", "1", check=False)
    parallel = rli(tmp_path / "two.db", "import", str(folder), "--jobs", "2", check=False)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr
    assert parallel.stdout.count(": version 1 (") == PARALLEL_FROM + 7
    assert "0100.xml" in parallel.stderr and "list0000003" in parallel.stderr
    assert _facts(tmp_path / "two.db") == _facts(tmp_path / "one.db")


def test_pipes_among_many_files_are_read_once_by_the_importing_process(tmp_path: Path) -> None:
    """Found in review: with workers, a pipe (``<(...)``) was opened by a worker, where
    its descriptor does not exist, and a FIFO naming a list already archived was read a
    second time inside the write transaction, which waited for ever."""
    folder = _numbered_lists(tmp_path / "in", PARALLEL_FROM, items=2)
    document = (folder / "00000.xml").read_bytes()
    extra = tmp_path / "extra.xml"
    extra.write_bytes(document.replace(b"c0000000", b"extra01"))
    fifo = tmp_path / "again.fifo"
    os.mkfifo(fifo)
    runs = []
    for jobs in ("1", "2"):
        writer = threading.Thread(target=lambda: (fifo.write_bytes(
            document.replace(b"c0000000", b"c0000005"))), daemon=True)
        writer.start()
        runs.append(subprocess.run(
            ["bash", "-c", '"$@" <(cat "$EXTRA") "$FIFO"', "bash", *RLI,
             "--db", str(tmp_path / f"jobs{jobs}.db"), "import", str(folder), "--jobs", jobs],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "RLI_EDITOR": "tester", "EXTRA": str(extra), "FIFO": str(fifo)}))
        writer.join(5)
        assert not writer.is_alive(), "the FIFO was never read"
    serial, parallel = runs
    assert serial.returncode == parallel.returncode == 1
    assert "extra01: version 1" in serial.stdout and "already exists" in serial.stderr
    assert (parallel.stdout, parallel.stderr) == (serial.stdout, serial.stderr)


def _fails_at_0105(path: Path) -> FileRead:
    """read_file, but reading ``00105.xml`` raises what a crosswalk bug would."""
    if path.name == "00105.xml":
        raise RuntimeError("a bug reading 00105.xml")
    return read_file(path)


def test_an_unexpected_error_in_a_worker_stops_where_serial_stops(tmp_path: Path) -> None:
    """Found in review: an error in a worker failed its whole task of 16 files, so a batch
    that ends before the bad file (files 0..99, batch 100) was not archived, where reading
    one file after another archives it before reaching the bad file."""
    folder = _numbered_lists(tmp_path / "in", 130, items=2)
    kept = []
    for jobs in (1, 2):
        archive = Archive(open_db(tmp_path / f"jobs{jobs}.db"), clock=Clock())
        with pytest.raises(RuntimeError, match="0105"):
            list(import_files(lambda a=archive: a, sorted(folder.iterdir()), _fails_at_0105,
                              editor="ed", note="n", batch=100, jobs=jobs, parallel_from=1))
        kept.append(archive.db.conn.execute("SELECT count(*) FROM lists").fetchone()[0])
    assert kept == [100, 100]


def _dies_at_0300(path: Path) -> FileRead:
    """read_file, but the worker process reading ``00300.xml`` exits at once (status 9)."""
    if path.name == "00300.xml":
        os._exit(9)
    return read_file(path)


def _killed_at_0300(path: Path) -> FileRead:
    """read_file, but the worker process reading ``00300.xml`` is killed (SIGKILL, as the
    system's out-of-memory killer does)."""
    if path.name == "00300.xml":
        os.kill(os.getpid(), signal.SIGKILL)
    return read_file(path)


def _signalled_at_0300(path: Path) -> FileRead:
    """read_file, but the worker process reading ``00300.xml`` ends on a real-time signal
    (one with no name in the signal module)."""
    if path.name == "00300.xml":
        os.kill(os.getpid(), signal.SIGRTMIN + 3)
    return read_file(path)


@pytest.mark.parametrize(("read", "how"), [
    (_dies_at_0300, "(exit status 9)"),
    (_killed_at_0300, "(killed by SIGKILL: by hand, or by the system when memory ran out)"),
    (_signalled_at_0300, f"(killed by signal {signal.SIGRTMIN + 3})"),
], ids=["exit", "sigkill", "realtime-signal"])
def test_a_worker_that_dies_stops_the_import_with_whole_batches_kept(
    tmp_path: Path, read: Callable[[Path], FileRead], how: str,
) -> None:
    """The import stops in one line that says how the worker ended; whole batches stay."""
    folder = _numbered_lists(tmp_path / "in", 400, items=2)
    archive = Archive(open_db(tmp_path / "rli.db"), clock=Clock())
    done: list[FileImport] = []
    with pytest.raises(WorkerLost, match="ended abruptly") as lost:
        for result in import_files(lambda: archive, sorted(folder.iterdir()), read,
                                   editor="ed", note="n", batch=100, jobs=2, parallel_from=1):
            done.append(result)
    assert how in str(lost.value)
    kept = archive.db.conn.execute("SELECT count(*) FROM lists").fetchone()[0]
    assert kept == len(done) and kept % 100 == 0 and kept < 300


def _in_session(session: int) -> list[str]:
    """The live processes of ``session`` now."""
    ps = subprocess.run(["ps", "-o", "stat=,args=", "-s", str(session)],
                        capture_output=True, text=True, check=False).stdout
    return [line for line in ps.splitlines() if line.strip() and not line.startswith("Z")]


def _running_in_session(session: int, patience: float = 10.0) -> list[str]:
    """Processes of ``session`` still alive (zombies are done), once they have had
    ``patience`` seconds to end (multiprocessing's resource tracker outlives its parent
    by a moment)."""
    deadline = time.monotonic() + patience
    while True:
        alive = _in_session(session)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_ctrl_c_during_a_parallel_import_keeps_whole_batches_and_shows_no_traceback(
    tmp_path: Path,
) -> None:
    folder = _numbered_lists(tmp_path / "in", 5000, items=5)
    db = tmp_path / "rli.db"
    # Ctrl-C as in a terminal: a test run started in the background (``&`` in a script)
    # hands its children SIGINT ignored, and Python then never raises KeyboardInterrupt
    in_terminal = [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT,"
                   " signal.default_int_handler); from repository.cli import main; main()"]
    proc = subprocess.Popen([*in_terminal, "--db", str(db), "import", str(folder), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "RLI_EDITOR": "tester"}, start_new_session=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first batch is archived: the workers are busy
    assert b": version 1 (" in first
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: to the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, "the import ended before the interrupt: too few files"
    assert b"Traceback" not in err and b"Aborted" in err, err.decode()[-2000:]
    printed = (first + out).count(b": version 1 (")
    kept = sqlite3.connect(db).execute("SELECT count(*) FROM lists").fetchone()[0]
    # whole batches kept (the interrupted one rolled back); its report may stop short
    assert 0 < kept < 5000 and kept % BATCH_LISTS == 0 and printed <= kept
    assert _running_in_session(proc.pid) == []  # no worker left behind


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.3, 0.45])
def test_ctrl_c_while_the_workers_start_shows_no_traceback(tmp_path: Path, delay: float) -> None:
    """Found in review: Ctrl-C while worker processes were starting printed 45-113 lines
    of tracebacks from the workers and the pool's thread. The signal goes ``delay``
    seconds after the first worker process appears (a spawned worker takes about half a
    second to import what it needs and run its initializer)."""
    folder = _numbered_lists(tmp_path / "in", 1000, items=2)
    in_terminal = [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT,"
                   " signal.default_int_handler); from repository.cli import main; main()"]
    proc = subprocess.Popen([*in_terminal, "--db", str(tmp_path / "rli.db"), "import",
                             str(folder), "--jobs", "2"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "RLI_EDITOR": "tester"},
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_in_session(proc.pid)) < 2 and proc.poll() is None:  # the leader, a worker
            assert time.monotonic() < deadline, "no worker process started"
            time.sleep(0.01)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: to the whole process group
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode != 0, "the import ended before the interrupt: too few files"
    assert err.decode().strip() == "Aborted!", err.decode()[-3000:]
    assert _running_in_session(proc.pid) == []  # no worker left behind


def test_a_parallel_import_and_another_writer_process_both_finish(tmp_path: Path) -> None:
    """rli import of a directory (workers, one transaction a batch) while another rli
    process imports single lists, one after another: the other writer waits between
    batches (busy timeout), never fails with "database is locked", every list of both
    is archived once, at version 1, and the singles landed between the bulk's batches."""
    folder = _numbered_lists(tmp_path / "in", 1500, items=5)
    document = (folder / "00000.xml").read_bytes()
    singles = []
    for n in range(6):
        single = tmp_path / f"single{n}.xml"
        single.write_bytes(document.replace(b"c0000000", b"s%07d" % n))
        singles.append(single)
    db = tmp_path / "rli.db"
    rli(db, "import", str(singles[0]))  # the archive exists before both start
    env = {**os.environ, "RLI_EDITOR": "tester"}
    bulk = subprocess.Popen([*RLI, "--db", str(db), "import", str(folder), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert bulk.stdout is not None
    assert b": version 1 (" in bulk.stdout.readline()  # the bulk import is under way
    drained: list[bytes] = []  # its report read meanwhile: a full pipe would stall it
    reader = threading.Thread(target=lambda: drained.append(bulk.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    others = [subprocess.run([*RLI, "--db", str(db), "import", str(single)],
                             capture_output=True, env=env, timeout=120)
              for single in singles[1:]]  # each waits for a batch's transaction to end
    _, err = bulk.communicate(timeout=300)
    reader.join(30)
    assert bulk.returncode == 0, err.decode()[-2000:]
    assert [o.returncode for o in others] == [0] * 5, [o.stderr for o in others]
    with sqlite3.connect(db) as conn:
        counts = conn.execute("SELECT count(*), count(DISTINCT list_id), max(version)"
                              " FROM list_versions").fetchone()
        bulk_rows = conn.execute("SELECT min(rowid), max(rowid) FROM list_versions"
                                 " WHERE list_id LIKE 'c%'").fetchone()
        single_rows = [r[0] for r in conn.execute(
            "SELECT rowid FROM list_versions WHERE list_id LIKE 's%' AND list_id != 's0000000'")]
        kept = dict(conn.execute("SELECT spec, members FROM sets"))  # both writers counted
        members = dict(conn.execute("SELECT spec, count(*) FROM set_members GROUP BY spec"))
    assert counts == (1506, 1506, 1)
    assert kept == members and max(members.values()) == 1506
    between = [r for r in single_rows if bulk_rows[0] < r < bulk_rows[1]]
    assert between, "no single list was archived while the bulk import ran"


def test_a_refused_file_leaves_the_archive_as_it_was(tmp_path: Path) -> None:
    lists = list(make_lists(5, seed=3))
    db = tmp_path / "rli.db"
    first = tmp_path / "first.xml"
    first.write_bytes(binding.write_list(lists[0]))
    rli(db, "import", str(first))
    bad = replace(lists[2], items=(Item("i1", lists[2].items[0].content),) * 2)
    package = _package(tmp_path / "p.zip", [lists[1], bad, lists[3]])
    before = dump(db)
    proc = rli(db, "import", str(package), check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"Error: {package}") and "i1" in proc.stderr
    assert dump(db) == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_all_refused_creates_no_archive(tmp_path: Path, jobs: int) -> None:
    """Found in review: a file read but refused by the archive (an unusable list
    identifier, two lists with one identifier, a bad item id) created the archive that
    was to receive it; with ``fresh`` none is opened, and each refusal reads as it does
    when an archive is there."""
    files = [p for p in mixed_files(tmp_path / "in")
             if p.name in ("08-broken.xml", "10-same-id-twice.zip",
                           "11-bad-list-in-the-middle.zip", "14-bad-id.xml")]
    expected = one_by_one(Archive(open_db(":memory:"), clock=Clock()), files)
    assert all(r.error for r in expected) and len(expected) == 4

    def archive() -> Archive:
        raise AssertionError("the archive was opened")

    got = list(import_files(archive, files, read_file, editor="ed", note="n", fresh=True,
                            batch=2, jobs=jobs, parallel_from=1))
    assert got == expected
    # an archive that exists already refuses them with the same words
    there = Archive(open_db(tmp_path / "there.db"), clock=Clock())
    assert list(import_files(lambda: there, files, read_file, editor="ed", note="n")) == expected
    # one file to archive among them: the archive is opened, and every file archived in turn
    files.insert(2, tmp_path / "in" / "00-list0000000.xml")
    new = Archive(open_db(tmp_path / "new.db"), clock=Clock())
    got = list(import_files(lambda: new, files, read_file, editor="ed", note="n", fresh=True,
                            batch=2))
    assert [bool(r.error) for r in got] == [True, True, False, True, True]
    assert [s.id for s in new.summaries()] == ["list0000000"]


def test_workers_end_when_the_importing_process_is_killed(tmp_path: Path) -> None:
    """Found in review: after kill -9 of `rli import --jobs 2`, its workers (and the
    resource tracker) ran on for good, holding the caller's pipes open: a script reading
    the import's output waited for ever."""
    folder = _numbered_lists(tmp_path / "in", 3000, items=2)
    proc = subprocess.Popen([*RLI, "--db", str(tmp_path / "rli.db"), "import", str(folder),
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "RLI_EDITOR": "tester"}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_in_session(proc.pid)) < 4 and proc.poll() is None:  # leader, tracker, 2
            assert time.monotonic() < deadline, "no worker process started"
            time.sleep(0.01)
        assert proc.poll() is None, "the import ended before the kill: too few files"
        proc.kill()
        proc.wait()
        assert _running_in_session(proc.pid) == []
        # nothing holds the pipes: reading them ends
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read()
        proc.stderr.read()
    finally:
        if _in_session(proc.pid):  # (the test failed: nothing left behind it)
            os.killpg(proc.pid, signal.SIGKILL)
