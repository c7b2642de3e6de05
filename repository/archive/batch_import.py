"""Importing many files at once: the outcome of importing them one by one, in batches.

:func:`import_files` reads each file (:func:`repository.archive.importing.read_file`),
prepares its lists before any transaction (:func:`repository.archive.bulk.prepare`:
the canonical document, sha256 and derived rows) and archives about ``batch`` lists
per transaction, or fewer when they hold more than ``batch_items`` resources between them
(what a batch waiting to be written holds in memory grows with its resources: 250 files
of 200-item lists read in this process took 329 MB at once when only lists were
counted). Files whose lists are all new go through the bulk writer
(:func:`repository.archive.bulk.insert_new`, one ``executemany`` per table); any
other file (a list already archived, a history package, a list the archive
refuses) goes through :func:`repository.archive.importing.import_lists` in a
savepoint of the batch, so it gets exactly what importing it alone gives it,
error message included. Each file stays all-or-nothing, and files are archived
in the order given, so versions, sha256s, sets, indexes and the change sequence
are those of importing the files one after the other.

Reading and preparing are most of the cost (about 7 ms of CPU for a 30-item RLI
file, the database well under 1 ms), so with ``jobs`` above 1 and at least
:data:`PARALLEL_FROM` files they run in that many worker processes, a chunk of
files at a time, while this process archives what comes back, in the order given.
A worker sends back only what the batch writes (the :class:`Prepared` rows and
the reading report, not the lists read, whose pickling would eat the gain); a
file the bulk path does not take is read again here. Workers are started with
``spawn`` (nothing of this process, its database connection or threads, is
inherited), which costs about half a second: fewer files are read here.

A directory stands for the files in it and below it, in name order (names starting
with ``.`` skipped).

Exception tree::

    WorkerLost (an ArchiveError)   a worker process ended abruptly (the message says how)

A file's refusal is reported in its :class:`FileImport` (``error``), the
archive's errors pass through.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path

from crosswalks.rli import VersionInfo, count_resources
from crosswalks.rli.binding import RLIFormatError
from harvester.shared.db import transaction
from repository.archive.bulk import Prepared, insert_new, prepare
from repository.archive.importing import FileRead, ImportRefused, check_distinct, import_lists
from repository.archive.store import Archive, ArchiveError

BATCH_LISTS = 500
BATCH_ITEMS = 5_000  # resources; the benchmark's lists hold 10-50, so about 170 of them
PARALLEL_FROM = 200  # files; fewer are read in this process (a worker takes ~0.5 s to start)
CHUNK = 16  # files a worker reads per task
STOP_WAIT = 5.0  # seconds to wait for a worker's exit status after the pool broke
ORPHAN_CHECK = 0.5  # seconds between a worker's looks at whether the importing process lives


class WorkerLost(ArchiveError):
    """A worker process reading the files ended before answering."""


@dataclass(frozen=True)
class FileImport:
    """What importing one file did: its lists' versions (and the report of reading it:
    without its ``lists`` when a worker process read it), or why it was refused
    (nothing of it archived)."""

    path: Path
    read: FileRead | None = None
    done: tuple[tuple[str, VersionInfo], ...] = ()
    error: str = ""


@dataclass(frozen=True)
class _Ready:
    """One file read; ``prepared`` when every list in it can take the bulk path if new."""

    path: Path
    read: FileRead | None
    prepared: tuple[Prepared, ...] | None = None
    error: str = ""
    slim: bool = False  # read by a worker: ``read`` holds the report, not the lists
    refused: str = ""  # read, but refused by an archive holding none of its lists: why

    @property
    def lists(self) -> int:
        if self.prepared is not None:
            return len(self.prepared)
        return len(self.read.lists) if self.read is not None else 0

    @property
    def items(self) -> int:
        """The resources of its lists (a slim one's, counted when they were prepared)."""
        if self.prepared is not None:
            return sum(p.items for p in self.prepared)
        return sum(map(count_resources, self.read.lists)) if self.read is not None else 0


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """``paths`` with each directory replaced by the files in and below it, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file()
                              and not any(part.startswith(".")
                                          for part in p.relative_to(path).parts))
        else:
            yield path


def import_files(
    archive: Callable[[], Archive],
    paths: Iterable[Path],
    read: Callable[[Path], FileRead],
    *,
    editor: str,
    note: str,
    new_version: bool = False,
    batch: int = BATCH_LISTS,
    batch_items: int = BATCH_ITEMS,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    fresh: bool = False,
) -> Iterator[FileImport]:
    """Import each file of ``paths`` with ``read``, all-or-nothing per file, about ``batch``
    lists (at most about ``batch_items`` resources) per transaction; yields one FileImport
    per path, in order.

    With ``jobs`` above 1 and at least ``parallel_from`` files, ``jobs`` worker
    processes read them (``read`` must then be picklable: a module's function, or a
    partial of one). ``archive`` is called (once) for the first batch that has a file
    to archive: with ``fresh`` (no archive exists yet, ``archive`` creates it) a batch
    whose files are all refused, as any archive without their lists would refuse them,
    does not call it, so input that is all refused creates no archive. Raises what the
    archive raises for a batch (then nothing of that batch is kept; earlier batches are).
    """
    opened: list[Archive] = []

    def store() -> Archive:
        if not opened:
            opened.append(archive())
        return opened[0]

    pending: list[_Ready] = []
    size = items = 0
    for ready in _read_all(paths, read, jobs, parallel_from):
        pending.append(ready)
        size += ready.lists
        items += ready.items
        if size >= batch or items >= batch_items:
            yield from _flush(store, pending, read, editor=editor, note=note,
                              new_version=new_version, fresh=fresh and not opened)
            pending, size, items = [], 0, 0
    yield from _flush(store, pending, read, editor=editor, note=note, new_version=new_version,
                      fresh=fresh and not opened)


def _read_all(
    paths: Iterable[Path], read: Callable[[Path], FileRead], jobs: int, parallel_from: int
) -> Iterator[_Ready]:
    """Each path read and prepared, in order: here, or in ``jobs`` workers for many files."""
    source = iter(paths)
    head = list(islice(source, parallel_from)) if jobs > 1 else []
    if jobs <= 1 or len(head) < parallel_from:
        yield from (_read(path, read) for path in chain(head, source))
        return
    for ready in _read_in_workers(chain(head, source), read, jobs):
        yield _read(ready.path, read) if ready.read is None and not ready.error else ready


def _read_in_workers(
    paths: Iterator[Path], read: Callable[[Path], FileRead], jobs: int
) -> Iterator[_Ready]:
    """:func:`_read_slim` of ``paths`` in ``jobs`` processes, CHUNK files a task, in order;
    at most two tasks a worker in flight (memory stays flat however many files)."""
    others = set(multiprocessing.active_children())
    workers: dict[multiprocessing.process.BaseProcess, None] = {}  # in the order they start
    with _sigint_held():  # its queues' semaphores: one registered with multiprocessing's
        # tracker (a process it starts) and not yet set to be removed at exit, when Ctrl-C
        # came, was reported leaked by the tracker after "Aborted!"
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(os.getpid(),))
    with pool:
        window: deque[Future[list[_Ready]]] = deque()
        try:
            while chunk := list(islice(paths, CHUNK)):
                with _sigint_held():  # a submit may start a worker process
                    window.append(pool.submit(_read_slim, chunk, read))
                workers.update(dict.fromkeys(p for p in multiprocessing.active_children()
                                             if p not in others))
                if len(window) >= 2 * jobs:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        except BrokenProcessPool as exc:
            raise WorkerLost(
                f"a process reading the files ended abruptly ({_how_ended(workers)}):"
                " the files reported above are archived, the others are not"
                " (--jobs 1 reads them in this process)") from exc
        finally:
            for task in window:
                task.cancel()


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back in this thread (delivered when the block ends). A worker process
    started meanwhile inherits the mask, so Ctrl-C at the terminal, sent to the whole
    process group, never reaches a worker, even one still starting: one interrupted
    before its initializer ran printed its traceback and broke the pool, whose
    manager thread printed another (InvalidStateError on the futures cancelled here)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _how_ended(workers: Iterable[multiprocessing.process.BaseProcess]) -> str:
    """How a worker ended: the exit status or signal of one not stopped by the pool
    itself (once one is gone, the pool ends the others with SIGTERM). Never raises."""
    codes = []
    deadline = time.monotonic() + STOP_WAIT
    for worker in workers:
        # The pool's own thread reaps them too, and until it has, the status can read
        # None here although the process is gone: look again, briefly.
        while worker.exitcode is None and time.monotonic() < deadline:
            worker.join(0.05)
            time.sleep(0.01)  # join returns at once for a process already gone
        if worker.exitcode:
            codes.append(worker.exitcode)
    first = [c for c in codes if c != -signal.SIGTERM] or codes
    if not first:
        return "its exit status is not known"
    if first[0] == -signal.SIGKILL:
        return "killed by SIGKILL: by hand, or by the system when memory ran out"
    if first[0] < 0:
        try:
            return f"killed by {signal.Signals(-first[0]).name}"
        except ValueError:  # a real-time signal has no name
            return f"killed by signal {-first[0]}"
    return f"exit status {first[0]}"


def _worker_start(parent: int) -> None:
    """A worker leaves Ctrl-C to the importing process, which stops it (no traceback of
    its own on the terminal the user interrupted), and ends when that process is gone
    (``kill -9``; ``parent`` is its pid, as a worker still starting may be orphaned
    already): the workers hold one another's ends of the task queue, so none would ever
    see it close, and kept the caller's stdout and stderr open for good."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="rli-parent-watch", daemon=True).start()


def _read_slim(paths: list[Path], read: Callable[[Path], FileRead]) -> list[_Ready]:
    """In a worker: each regular file read and prepared, without the lists read (what
    the bulk path does not need); anything else (a pipe, a device) and a file the bulk
    path does not take, or whose reading raised something other than a refusal, come
    back as ``_Ready(path, None)``, for the importing process to read."""
    done = []
    for path in paths:
        if not path.is_file():  # a pipe or a device can be read once, and only by the
            done.append(_Ready(path, None))  # importing process (spawn closes its fds)
            continue
        try:
            ready = _read(path, read)
        except Exception:  # noqa: BLE001 - read again there, to raise where serial would
            done.append(_Ready(path, None))  # (after the batches before it are archived)
            continue
        if ready.prepared is not None and ready.read is not None:
            ready = replace(ready, read=replace(ready.read, lists=()), slim=True)
        elif ready.read is not None:
            ready = _Ready(path, None)
        done.append(ready)
    return done


def _read(path: Path, read: Callable[[Path], FileRead]) -> _Ready:
    try:
        got = read(path)
    except ImportRefused as exc:
        return _Ready(path, None, error=str(exc))
    try:
        check_distinct(got.lists, source=str(path))
    except ImportRefused as exc:
        return _Ready(path, got, refused=str(exc))  # import_lists refuses it so in any archive
    if got.versions and any(lst.history for lst in got.lists):
        return _Ready(path, got)  # a history to restore: import_lists does it
    try:
        ready = tuple(prepare(lst, got.origins.get(lst.identifier)) for lst in got.lists)
    except (ArchiveError, RLIFormatError) as exc:
        # import_lists refuses it with the one-by-one message: this one (its words) in an
        # archive holding none of its lists, a DuplicateList first in one that does
        return _Ready(path, got, refused=f"{path}: {exc}")
    return _Ready(path, got, ready)


def _flush(
    archive: Callable[[], Archive], pending: Sequence[_Ready], read: Callable[[Path], FileRead],
    *, editor: str, note: str, new_version: bool, fresh: bool,
) -> Iterator[FileImport]:
    """Archive ``pending`` in one transaction; with ``fresh`` (no archive yet), a batch of
    refusals only is reported without opening one."""
    if not pending:
        return
    if all(r.read is None or (fresh and r.refused) for r in pending):
        yield from (FileImport(r.path, r.read, error=r.error or r.refused) for r in pending)
        return
    store = archive()
    with transaction(store.db):
        results = _write(store, pending, read, editor=editor, note=note,
                         new_version=new_version)
    yield from results


def _write(
    archive: Archive, pending: Sequence[_Ready], read: Callable[[Path], FileRead], *,
    editor: str, note: str, new_version: bool,
) -> list[FileImport]:
    """Archive ``pending`` in order inside the open transaction; one FileImport each."""
    known = _existing(archive, [p.list_id for r in pending for p in r.prepared or ()])
    results: list[FileImport] = []
    fast: list[_Ready] = []

    def flush_fast() -> None:
        infos = insert_new(archive, [p for r in fast for p in r.prepared or ()],
                           editor=editor, note=note)
        results.extend(FileImport(r.path, r.read, tuple(
            (p.list_id, infos[p.list_id]) for p in r.prepared or ())) for r in fast)
        fast.clear()

    for ready in pending:
        ids = {p.list_id for p in ready.prepared or ()}
        if ready.prepared is not None and not ids & known:
            fast.append(ready)
            known |= ids  # a later file naming one of these lists finds it archived
            continue
        flush_fast()  # what comes before this file is archived before it
        if ready.slim:  # its lists exist already: import_lists needs them, read here
            ready = _read(ready.path, read)
        results.append(_one(archive, ready, editor=editor, note=note, new_version=new_version))
        known |= {ident for ident, _ in results[-1].done}
    flush_fast()
    return results


def _one(
    archive: Archive, ready: _Ready, *, editor: str, note: str, new_version: bool
) -> FileImport:
    """A file the bulk path does not take, as importing it alone would archive it."""
    if ready.read is None:
        return FileImport(ready.path, error=ready.error)
    got = ready.read
    try:
        done = import_lists(archive, got.lists, editor=editor, note=note,
                            new_version=new_version, source=str(ready.path),
                            origins=got.origins, versions=got.versions)
    except ImportRefused as exc:
        return FileImport(ready.path, got, error=str(exc))
    return FileImport(ready.path, got, tuple(done))


def _existing(archive: Archive, ids: Sequence[str], chunk: int = 500) -> set[str]:
    """Which of ``ids`` name a list in the archive (deleted ones included)."""
    found: set[str] = set()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        marks = ",".join("?" * len(part))
        found.update(r[0] for r in archive.db.conn.execute(
            f"SELECT id FROM lists WHERE id IN ({marks})", part))
    return found
