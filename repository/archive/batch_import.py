"""Importing many files at once: the outcome of importing them one by one, in batches.

:func:`import_files` reads each file (:func:`repository.archive.importing.read_file`),
prepares its lists before any transaction (:func:`repository.archive.bulk.prepare`:
the canonical document, sha256 and derived rows) and archives about ``batch`` lists
per transaction. Files whose lists are all new go through the bulk writer
(:func:`repository.archive.bulk.insert_new`, one ``executemany`` per table); any
other file (a list already archived, a history package, a list the archive
refuses) goes through :func:`repository.archive.importing.import_lists` in a
savepoint of the batch, so it gets exactly what importing it alone gives it,
error message included. Each file stays all-or-nothing, and files are archived
in the order given, so versions, sha256s, sets, indexes and the change sequence
are those of importing the files one after the other.

A directory stands for the files in it and below it, in name order (names starting
with ``.`` skipped).

Exception tree: none of its own; a file's refusal is reported in its
:class:`FileImport` (``error``), the archive's errors pass through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crosswalks.rli import VersionInfo
from crosswalks.rli.binding import RLIFormatError
from harvester.shared.db import transaction
from repository.archive.bulk import Prepared, insert_new, prepare
from repository.archive.importing import FileRead, ImportRefused, import_lists
from repository.archive.store import Archive, ArchiveError

BATCH_LISTS = 500


@dataclass(frozen=True)
class FileImport:
    """What importing one file did: its lists' versions (and the report of reading it),
    or why it was refused (nothing of it archived)."""

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

    @property
    def lists(self) -> int:
        return len(self.read.lists) if self.read is not None else 0


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
) -> Iterator[FileImport]:
    """Import each file of ``paths`` with ``read``, all-or-nothing per file, about ``batch``
    lists per transaction; yields one FileImport per path, in order.

    ``archive`` is called (once) when a file has been read, so input that is all
    refused creates no archive. Raises what the archive raises for a batch (then
    nothing of that batch is kept; earlier batches are).
    """
    pending: list[_Ready] = []
    size = 0
    for path in paths:
        pending.append(_read(path, read))
        size += pending[-1].lists
        if size >= batch:
            yield from _flush(archive, pending, editor=editor, note=note,
                              new_version=new_version)
            pending, size = [], 0
    yield from _flush(archive, pending, editor=editor, note=note, new_version=new_version)


def _read(path: Path, read: Callable[[Path], FileRead]) -> _Ready:
    try:
        got = read(path)
    except ImportRefused as exc:
        return _Ready(path, None, error=str(exc))
    ids = [lst.identifier for lst in got.lists]
    if len(set(ids)) != len(ids) or (got.versions and any(lst.history for lst in got.lists)):
        return _Ready(path, got)  # refused, or a history to restore: import_lists does it
    try:
        ready = tuple(prepare(lst, got.origins.get(lst.identifier)) for lst in got.lists)
    except (ArchiveError, RLIFormatError):
        return _Ready(path, got)  # import_lists refuses it with the one-by-one message
    return _Ready(path, got, ready)


def _flush(
    archive: Callable[[], Archive], pending: Sequence[_Ready], *, editor: str, note: str,
    new_version: bool,
) -> Iterator[FileImport]:
    if not pending:
        return
    if all(r.read is None for r in pending):
        yield from (FileImport(r.path, error=r.error) for r in pending)
        return
    store = archive()
    with transaction(store.db):
        results = _write(store, pending, editor=editor, note=note, new_version=new_version)
    yield from results


def _write(
    archive: Archive, pending: Sequence[_Ready], *, editor: str, note: str, new_version: bool
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
