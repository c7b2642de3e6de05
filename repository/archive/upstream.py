"""Harvested lists edited here: upstream's new version becomes a pending change, not a version.

A harvested ``rli`` list follows upstream while nobody edits it here. Once it
was edited here since the upstream state this archive last took into account
(its *upstream base*), a new upstream version is held as an
``upstream-version`` pending change (base and upstream documents kept, so
accepting can merge three-way) instead of replacing the local work. Sources
added with ``--mirror`` always follow upstream.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from crosswalks.rli import ResourceList, VersionInfo, binding
from harvester.shared.protocol import format_datestamp
from repository.archive.changes import (
    Proposal,
    is_mirror,
    propose,
    set_upstream_base,
    supersede,
    upstream_base,
)
from repository.archive.diff import diff_lists
from repository.archive.editing import all_item_ids
from repository.archive.store import Archive


def upstream_item_ids(archive: Archive, list_id: str) -> frozenset[str]:
    """The item ids of the list's upstream base (none for a list made here): an item added
    here must not take one. Upstream's additions rejected here, or items removed here,
    are still upstream's under those ids, and the next merge would take an item added
    here under one of them for upstream's (its note or content put on another work)."""
    base = upstream_base(archive.db.conn, list_id)
    if base is None:
        return frozenset()
    return frozenset(all_item_ids(binding.read_list(base[0], source="upstream base").items))


def canonical(lst: ResourceList) -> tuple[ResourceList, bytes, str]:
    """The value, document and sha256 the archive would keep for ``lst`` (as
    ``Archive.save`` writes it: without the cleaning walk when nothing needs cleaning).
    For a list read from RLI XML, as both callers' are, the value is what reading the
    document gives back, so the diffs below take it rather than read the document they
    just wrote. (A value made in code with a URI identifier in one of the ``urn:ISBN:``
    ... forms would read back as that type instead: crosswalks/rli/read.py.)"""
    clean, document = binding.clean_and_write(replace(lst, history=()))
    return clean, document, hashlib.sha256(document).hexdigest()


def hold_if_edited(
    archive: Archive, lst: ResourceList, *, source: str, origin: bytes | None
) -> VersionInfo | None:
    """Hold ``lst`` (upstream's new version) as a pending change if the list was edited
    (or deleted) here.

    Returns the list's latest version when held (or when upstream brought
    nothing new), None when the caller should archive ``lst`` as usual.
    Call inside the harvest's transaction.
    """
    conn = archive.db.conn
    if is_mirror(conn, source):
        return None
    # A deletion made here is an edit made here: upstream's version waits for a person
    # (accepting it asks for `rli restore` first). One the harvest made (upstream deleted
    # the list) is not: upstream bringing the list back restores it.
    stone = archive.tombstone(lst.identifier)
    deleted_here = stone is not None and stone["editor"] != f"harvest:{source}"
    if stone is not None and not deleted_here:
        return None
    latest = archive.history(lst.identifier)[-1]
    base = upstream_base(conn, lst.identifier)
    if base is None:
        # Harvested before bases were kept: edited here if its last version is not the harvest's.
        harvested = [v for v in archive.history(lst.identifier) if v.editor == f"harvest:{source}"]
        if harvested and harvested[-1] == latest and not deleted_here:
            return None
        base_doc = archive.document(lst.identifier, harvested[-1].version) if harvested else None
    else:
        base_doc, base_sha = base
        if latest.sha256 == base_sha and not deleted_here:
            return None
    clean, document, sha = canonical(lst)
    if base is not None and sha == base[1]:
        # nothing new upstream (or upstream went back to it: what it offered since is gone)
        supersede(conn, lst.identifier, source, "", format_datestamp(archive.clock()))
        return latest
    if base is None and harvested and sha == harvested[-1].sha256:
        return latest  # nothing new upstream since the version the harvest last brought
    before = binding.read_list(base_doc) if base_doc is not None else archive.get(lst.identifier)
    lines = diff_lists(before, clean).lines()
    since = "deleted here since" if deleted_here else "edited here since"
    summary = f"upstream version from {source}: {len(lines)} difference(s); {since}"
    propose(conn, lst.identifier, "upstream-version", source,
            Proposal("", sha, summary, tuple(lines), base=base_doc, upstream=document,
                     origin=origin),
            format_datestamp(archive.clock()))
    return latest


def hold_deletion(archive: Archive, list_id: str, *, source: str, note: str) -> int | None:
    """Hold upstream's deletion of ``list_id``, edited here, as an ``upstream-version``
    pending change with no upstream document (accepting it deletes the list here).
    ``note`` (the harvest's, naming the deleted record and its datestamp) is its upstream
    state: a deletion rejected is not proposed again. Returns the change id, or None."""
    base = upstream_base(archive.db.conn, list_id)
    summary = f"deleted upstream by {source}; edited here since"
    return propose(archive.db.conn, list_id, "upstream-version", source,
                   Proposal("", f"deleted: {note}", summary, (f"- the list: {note}",),
                            base=base[0] if base is not None else None),
                   format_datestamp(archive.clock()))


def propose_version(
    archive: Archive, lst: ResourceList, *, source: str, base_version: int, note: str = ""
) -> int | None:
    """Offer ``lst``, a revision made elsewhere from ``base_version``, as a pending change.

    For revisions that arrive other than by harvest (the demo's bundled one).
    Returns the change id, or None if that state is already pending or was rejected.
    """
    base_doc = archive.document(lst.identifier, base_version)
    clean, document, sha = canonical(lst)
    lines = diff_lists(binding.read_list(base_doc), clean).lines()
    summary = note or (
        f"revision of version {base_version} from {source}: {len(lines)} difference(s)")
    return propose(archive.db.conn, lst.identifier, "upstream-version", source,
                   Proposal("", sha, summary, tuple(lines), base=base_doc, upstream=document),
                   format_datestamp(archive.clock()))


def took_upstream(archive: Archive, list_id: str, source: str, document: bytes) -> None:
    """Record ``document`` as the upstream state this archive last took into account."""
    set_upstream_base(archive.db.conn, list_id, source, document,
                      hashlib.sha256(document).hexdigest())
