"""Archiving many new lists at once: the same rows as ``Archive.save``, batched.

:func:`save_many` takes lists in batches (one transaction each) and writes
each batch's rows with one ``executemany`` per table instead of a handful of
statements per list and item. A list new to the archive gets exactly what
``Archive.save`` gives it (version 1, the same canonical document and sha256,
the same sets and index rows; a test compares the two
archives table by table). A list that exists already goes through
``Archive.save`` itself (next version, or none if unchanged), so everything
that updates a list stays in one place; ``new_version=False`` refuses it
instead, before the batch writes anything.

The canonical serialisation and what the indexes take from the list
(:func:`prepare`) are pure, run before the batch's transaction opens, and are
most of the cost. A :class:`Prepared` holds plain values only (no model), so
``rli import`` makes them in worker processes that read the files
(:mod:`repository.archive.batch_import`). :func:`save_many`, given values in
this process, prepares them here: sending the models to a worker was tried,
and on the 2 shared cores measured pickling them ate the gain.

Where the time goes (profiled on the benchmark's 30-item lists): building the
canonical document ~2.7 ms (1.9 of it lxml elements made one by one), cleaning
the strings 0.35 ms, compressing 0.5 ms, the database well under 1 ms once
batched.

Exception tree: the archive's own (ArchiveError and its subclasses).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from crosswalks.rli import ResourceList, VersionInfo, count_resources
from crosswalks.rli import binding as rli_xml
from harvester.shared.blobs import pack
from harvester.shared.db import transaction
from repository.archive import origins, paging, renderings
from repository.archive.checks import check_identifier, check_item_ids
from repository.archive.index import count_members, set_name, sets_for
from repository.archive.origins import OriginRow
from repository.archive.search import ListText, index_list, list_text
from repository.archive.store import Archive, DuplicateList

BATCH = 500


@dataclass(frozen=True)
class Prepared:
    """A list ready to archive as version 1: its facts and its canonical document packed."""

    list_id: str
    title: str
    owner: str
    items: int
    sets: tuple[str, ...]
    packed: bytes
    sha256: str
    text: ListText  # what the batch writes to the full-text index,
    origins: tuple[OriginRow, ...]  # to the item-origin index
    rendered: tuple[renderings.Rendered, ...]  # and to the saved payloads
    origin: bytes | None = None  # the OAI originDescription of a harvested list


def prepare(lst: ResourceList, origin: bytes | None = None) -> Prepared:
    """``lst`` cleaned and serialised as ``Archive.save`` would; raises InvalidList,
    RLIFormatError (an extension that is not foreign XML)."""
    check_identifier(lst.identifier)
    check_item_ids(lst)
    clean, document = rli_xml.clean_and_write(replace(lst, history=()))
    return Prepared(clean.identifier, clean.title, clean.owner, count_resources(clean),
                    sets_for(clean), pack(document), hashlib.sha256(document).hexdigest(),
                    list_text(clean), origins.origin_rows(clean), renderings.rendered(clean),
                    origin)


def save_many(
    archive: Archive,
    lists: Iterable[ResourceList],
    *,
    editor: str,
    note: str,
    new_version: bool = True,
    batch: int = BATCH,
) -> Iterator[tuple[str, VersionInfo]]:
    """Archive ``lists`` (streamed), ``batch`` per transaction; yields (id, version) in order.

    Raises DuplicateList (without ``new_version``, for a list that exists or
    appears twice; nothing of that batch is kept), InvalidList, ArchiveError.
    """
    source = iter(lists)
    while chunk := list(islice(source, batch)):
        yield from _save_batch(archive, chunk, [prepare(lst) for lst in chunk], editor=editor,
                               note=note, new_version=new_version)


def _save_batch(
    archive: Archive,
    chunk: Sequence[ResourceList],
    ready: Sequence[Prepared],
    *,
    editor: str,
    note: str,
    new_version: bool,
) -> list[tuple[str, VersionInfo]]:
    ids = [p.list_id for p in ready]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise DuplicateList(f"list {twice!r} appears twice")
    conn = archive.db.conn
    done: list[tuple[str, VersionInfo]] = []
    with transaction(archive.db):
        marks = ",".join("?" * len(ids))
        known = {r[0] for r in conn.execute(f"SELECT id FROM lists WHERE id IN ({marks})", ids)}
        if known and not new_version:
            raise DuplicateList(f"list {sorted(known)[0]!r} already exists")
        infos = insert_new(archive, [p for p in ready if p.list_id not in known],
                            editor=editor, note=note)
        for lst, p in zip(chunk, ready):  # lists that exist: Archive.save, after the new ones
            info = archive.save(lst, editor=editor, note=note) if p.list_id in known else infos[
                p.list_id]
            done.append((p.list_id, info))
    return done


def insert_new(
    archive: Archive, fresh: Sequence[Prepared], *, editor: str, note: str
) -> dict[str, VersionInfo]:
    """Version 1 of each list in ``fresh`` (none in the archive yet, each id once), in the
    caller's open transaction, in order (their changes take the next numbers)."""
    conn = archive.db.conn
    stamped = [(p, *archive._next_change(p.list_id, "version")) for p in fresh]
    paging.count_moves(conn, [(None, seq) for _p, seq, _stamp in stamped])
    conn.executemany(
        "INSERT INTO lists (title, owner, version, items, seq, datestamp, id)"
        " VALUES (?, ?, 1, ?, ?, ?, ?)",
        [(p.title, p.owner, p.items, seq, stamp, p.list_id) for p, seq, stamp in stamped],
    )
    conn.executemany(
        "INSERT INTO list_versions (list_id, version, document, sha256, archived_at,"
        " editor, note, origin) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
        [(p.list_id, p.packed, p.sha256, stamp, editor, note, p.origin)
         for p, _seq, stamp in stamped],
    )
    members = [(spec, p.list_id, seq) for p, seq, _ in stamped for spec in p.sets]
    conn.executemany("INSERT OR IGNORE INTO sets (spec, name) VALUES (?, ?)",
                     sorted({(spec, set_name(spec)) for spec, _, _ in members}))
    conn.executemany("INSERT INTO set_members (spec, list_id, seq) VALUES (?, ?, ?)", members)
    count_members(conn, [(n, spec) for spec, n in Counter(m[0] for m in members).items()])
    for p, _seq, stamp in stamped:  # the same index writes as Archive.save
        index_list(conn, p.text, stamp)
        origins.index_origins(conn, p.list_id, p.origins)
    renderings.save_rendered(conn, [(p.list_id, 1, p.rendered) for p in fresh])  # as Archive.save
    return {p.list_id: VersionInfo(1, stamp, p.sha256, editor, note)
            for p, _seq, stamp in stamped}
