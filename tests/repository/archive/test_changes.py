"""Pending changes: a newer upstream state supersedes a pending one; a rejected one stays away."""

from __future__ import annotations

from repository.archive import Archive
from repository.archive.changes import Proposal, decide, pending, propose
from tests.factories import make_list


def test_supersede_and_reject_memory(archive: Archive) -> None:
    lst = make_list(items=1)
    archive.add(lst, editor="a", note="v1")
    conn = archive.db.conn
    first = propose(conn, lst.identifier, "item-updated", "src",
                    Proposal("oai:x:1", "sha-a", "changed", ("title: 'A' -> 'B'",)), "t1")
    assert first is not None
    assert propose(conn, lst.identifier, "item-updated", "src",
                   Proposal("oai:x:1", "sha-a", "changed", ()), "t2") is None  # already pending
    second = propose(conn, lst.identifier, "item-updated", "src",
                     Proposal("oai:x:1", "sha-b", "changed again", ()), "t3")
    assert [(c.id, c.summary) for c in pending(conn)] == [(second, "changed again")]
    assert second is not None
    decide(conn, second, "rejected", at="t4", by="a", note="no")
    assert list(pending(conn)) == []
    assert propose(conn, lst.identifier, "item-updated", "src",
                   Proposal("oai:x:1", "sha-b", "changed again", ()), "t5") is None
    assert propose(conn, lst.identifier, "item-updated", "src",
                   Proposal("oai:x:1", "sha-c", "third", ()), "t6") is not None
