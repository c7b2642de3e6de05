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


def test_accept_on_a_deleted_list_is_refused_and_a_no_op_makes_no_version(
    archive: Archive,
) -> None:
    import pytest

    from repository.archive import ListDeleted
    from repository.archive.decide import accept

    lst = make_list(items=1)
    archive.add(lst, editor="a", note="v1")
    conn = archive.db.conn
    change = propose(conn, lst.identifier, "item-withdrawn", "src",
                     Proposal("oai:x:9", "deleted", "gone upstream", ()), "t1")
    assert change is not None
    archive.delete(lst.identifier, editor="a", note="paused")
    with pytest.raises(ListDeleted):
        accept(archive, lst.identifier, change, editor="a")
    archive.restore(lst.identifier, editor="a", note="back")
    info = accept(archive, lst.identifier, change, editor="a")  # the list cites no such record
    assert info.version == 2 and list(pending(conn)) == []
