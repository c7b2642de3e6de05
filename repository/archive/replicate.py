"""Whole histories over a harvest: every upstream version of an rli list, as the same version here.

A list harvested with ``--prefix rli`` from another rli archive lists all its
versions (number, sha256, archived-at, editor, note and URL). While this
archive's versions of the list are a prefix of upstream's (same numbers and
sha256s), the versions it lacks are fetched from their URLs and archived
with their own numbers, sha256s, editors, dates and notes, each with the
harvest's provenance. All or nothing per list: if a version cannot be
fetched or does not match its sha256, nothing of it is kept and the caller
falls back to archiving the latest version alone. At most MAX_VERSIONS per
list are copied (a longer history falls back too). A version with the same
content as the one before it (what a restore makes, or a save over a deleted
list) is copied as its own version too, although saving it here would make
none. A deletion the history gives (a history package carries them) is made
here too, with its editor, note and date, after a version copied now or after
the last version this archive had, if the list is live here: the list ends
deleted if it ended deleted there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace

from crosswalks.rli import ResourceList, VersionInfo, binding
from harvester.shared.db import transaction
from harvester.shared.protocol import BadArgument, parse_datestamp
from repository.archive.store import Archive, InvalidList
from repository.archive.upstream import took_upstream

MAX_VERSIONS = 10_000


def urls_to_fetch(archive: Archive, lst: ResourceList) -> list[tuple[str, str]]:
    """The (URL, sha256) of each version :func:`replicate_history` would fetch for ``lst``
    now (the versions this archive lacks, but the last, which ``lst`` is), in order;
    none if its history cannot be followed here. Reads only: a harvest fetches them
    before its page's write transaction.

    The last version is taken to be ``lst`` without writing ``lst``'s canonical document
    to compare (a third of storing a harvested list): for an upstream whose record is
    not its history's last version, :func:`replicate_history` (which compares) asks for
    that one too when it stores the list."""
    plan = _plan(archive, lst)
    if plan is None:
        return []
    have, upstream = plan
    return [(v.url, v.sha256) for v in upstream[len(have):-1]]


def _plan(
    archive: Archive, lst: ResourceList
) -> tuple[list[VersionInfo], list[VersionInfo]] | None:
    """(the versions here, upstream's in order) while the first are a prefix of the second;
    None if the history cannot be followed (none given, too long, gaps, diverged)."""
    upstream = sorted(lst.history, key=lambda v: v.version)
    if not upstream or len(upstream) > MAX_VERSIONS:
        return None
    if [v.version for v in upstream] != list(range(1, len(upstream) + 1)):
        return None
    have = archive.history(lst.identifier) if archive.exists(lst.identifier) else []
    if len(have) > len(upstream) or any(
        (h.version, h.sha256) != (u.version, u.sha256) for h, u in zip(have, upstream)
    ):
        return None
    return have, upstream


def replicate_history(
    archive: Archive,
    lst: ResourceList,
    *,
    source: str | None,
    origin: bytes | None,
    sets: Sequence[str],
    fetch: Callable[[str], bytes],
) -> VersionInfo | None:
    """Copy the upstream versions of ``lst`` this archive lacks; the latest, or None.

    None means the history cannot be followed here (none given, too long, or
    diverged from this archive's); the caller then archives ``lst`` as usual.
    Raises what ``fetch`` raises, or InvalidList / RLIFormatError for a
    version that does not match its sha256 or cannot be read.
    """
    plan = _plan(archive, lst)
    if plan is None:
        return None
    have, upstream = plan
    for wanted in upstream[len(have) - 1 if have else 0:]:
        _check_dates(lst.identifier, wanted)
    if len(have) == len(upstream):
        if upstream[-1].deleted_at:  # (no write transaction for an unchanged list)
            with transaction(archive.db):
                _follow_deletion(archive, lst.identifier, upstream[-1])
        return have[-1]
    latest = binding.clean_and_write(replace(lst, history=()))  # what save writes of lst
    latest_sha = hashlib.sha256(latest[1]).hexdigest()
    info = have[-1] if have else None
    with transaction(archive.db):
        if have:
            _follow_deletion(archive, lst.identifier, upstream[len(have) - 1])
        for wanted in upstream[len(have):]:
            written = None
            if wanted.sha256 == latest_sha:
                version, written = lst, latest
            else:
                data = fetch(wanted.url)
                if hashlib.sha256(data).hexdigest() != wanted.sha256:
                    raise InvalidList(
                        f"{wanted.url}: not the sha256 the history gives for version"
                        f" {wanted.version} of {lst.identifier!r}"
                    )
                version = binding.read_list(data, source=wanted.url)
            repeat = info is not None and info.sha256 == wanted.sha256
            info = archive.save(version, editor=wanted.editor, note=wanted.note, origin=origin,
                                sets=sets, written=written, repeat=repeat)
            if (info.version, info.sha256) != (wanted.version, wanted.sha256):
                raise InvalidList(
                    f"version {wanted.version} of {lst.identifier!r} does not follow here")
            archive.db.conn.execute(  # upstream's date, not the harvest's
                "UPDATE list_versions SET archived_at = ? WHERE list_id = ? AND version = ?",
                (wanted.archived_at, lst.identifier, wanted.version))
            archive.db.conn.execute(  # the restore this version made there, if it did
                "UPDATE tombstones SET restored_at = ? WHERE list_id = ? AND last_version = ?",
                (wanted.archived_at, lst.identifier, wanted.version - 1))
            info = replace(info, archived_at=wanted.archived_at)
            if wanted.deleted_at:
                _delete_as_there(archive, lst.identifier, wanted)
        if source is not None:  # a harvest (not an import): the upstream base for merges
            took_upstream(archive, lst.identifier, source,
                          archive.document(lst.identifier, upstream[-1].version))
    return info


def _check_dates(list_id: str, version: VersionInfo) -> None:
    """Raise InvalidList unless ``version``'s dates are UTC datestamps to the second (what
    an rli archive writes; one that is not would be shown and served as it came)."""
    for name, value in (("archivedAt", version.archived_at), ("deletedAt", version.deleted_at)):
        if value or name == "archivedAt":
            try:
                parse_datestamp(value)
            except BadArgument:
                raise InvalidList(f"version {version.version} of {list_id!r}: {name} {value!r}"
                                  " is not a UTC datestamp (YYYY-MM-DDThh:mm:ssZ)") from None


def _follow_deletion(archive: Archive, list_id: str, last_here: VersionInfo) -> None:
    """Delete ``list_id``, live here at version ``last_here``, if the copied history says
    it was deleted after that version (a package exported since its deletion there)."""
    if last_here.deleted_at and not archive.state(list_id).deleted:
        _delete_as_there(archive, list_id, last_here)


def _delete_as_there(archive: Archive, list_id: str, after: VersionInfo) -> None:
    """Delete ``list_id`` as the copied history says it was deleted after version ``after``
    (who, why and when there; its OAI datestamp is this change's, here)."""
    archive.delete(list_id, editor=after.deleted_by, note=after.deletion_note)
    archive.db.conn.execute(
        "UPDATE tombstones SET deleted_at = ? WHERE list_id = ? AND last_version = ?",
        (after.deleted_at, list_id, after.version))
