"""The review queue the pages show: pending changes with the version each list is at.

A form to accept or reject a change carries the list's version at the time
the page was made, so the decision is a compare-and-set on it
(:mod:`repository.archive.decide`, ``if_version``): a list changed since
refuses the decision and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from repository.archive.changes import PendingChange, pending, pending_count, pending_counts
from repository.archive.store import Archive

SHOWN = 200  # the oldest this many pending changes are shown


@dataclass(frozen=True)
class Review:
    """A pending change and the version of its list the decision is made on."""

    change: PendingChange
    version: int


@dataclass(frozen=True)
class Queue:
    reviews: tuple[Review, ...]
    more: bool


def review_queue(archive: Archive, list_id: str | None = None, limit: int = SHOWN) -> Queue:
    """The ``limit`` oldest pending changes (of one list, or all), each with its list's version.

    Raises ListNotFound for an unknown ``list_id``.
    """
    if list_id is not None:
        archive.state(list_id)
    found = list(islice(pending(archive.db.conn, list_id), limit + 1))
    versions: dict[str, int] = {}
    for change in found[:limit]:
        if change.list not in versions:
            versions[change.list] = archive.state(change.list).version
    return Queue(tuple(Review(c, versions[c.list]) for c in found[:limit]), len(found) > limit)


def waiting(archive: Archive, list_id: str) -> int:
    """How many changes wait for a decision on ``list_id`` (the list page's badge)."""
    return pending_count(archive.db.conn, list_id)


def waiting_total(archive: Archive) -> int:
    """How many changes wait for a decision in the whole archive (the front page)."""
    return sum(pending_counts(archive.db.conn).values())
