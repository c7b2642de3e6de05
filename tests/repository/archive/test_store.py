"""The archive: immutable versions, tombstones, keyset change sequence, sets."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from crosswalks.rli import binding
from harvester.shared.db import open_db, transaction
from repository.archive import (
    Archive,
    ArchiveError,
    DuplicateList,
    InvalidList,
    ListDeleted,
    ListNotFound,
    VersionNotFound,
)
from repository.archive.index import sets_for
from tests import paths
from tests.conftest import Clock
from tests.factories import article, make_list


def test_first_save_is_version_1_and_exports_byte_identical(archive: Archive) -> None:
    lst = make_list()
    info = archive.add(lst, editor="amira", note="created")
    doc = archive.document(lst.identifier)
    assert info.version == 1
    assert info.sha256 == hashlib.sha256(doc).hexdigest()
    assert doc == binding.write_list(lst)
    assert archive.get(lst.identifier) == lst


def test_reimport_of_export_gives_same_sha(archive: Archive, tmp_path) -> None:
    lst = make_list()
    archive.add(lst, editor="a", note="n")
    exported = archive.document(lst.identifier)
    other = Archive(open_db(tmp_path / "other.db"))
    info = other.add(binding.read_list(exported), editor="b", note="reimport")
    assert info.sha256 == hashlib.sha256(exported).hexdigest()
    assert other.document(lst.identifier) == exported


def test_edit_makes_version_2_and_version_1_is_unchanged(archive: Archive, clock: Clock) -> None:
    lst = make_list()
    archive.add(lst, editor="a", note="v1")
    v1 = archive.document(lst.identifier, 1)
    clock.advance(60)
    info = archive.save(replace(lst, title="Renamed"), editor="b", note="retitle")
    assert info.version == 2
    assert archive.document(lst.identifier, 1) == v1
    assert archive.get(lst.identifier).title == "Renamed"
    assert [v.version for v in archive.history(lst.identifier)] == [1, 2]
    assert archive.history(lst.identifier)[1].editor == "b"


def test_saving_identical_content_makes_no_version(archive: Archive) -> None:
    lst = make_list()
    first = archive.add(lst, editor="a", note="v1")
    again = archive.save(lst, editor="a", note="same")
    assert again == first
    assert len(archive.history(lst.identifier)) == 1


def test_duplicate_identifier_refused(archive: Archive) -> None:
    archive.add(make_list(), editor="a", note="v1")
    with pytest.raises(DuplicateList):
        archive.add(make_list(title="Other"), editor="a", note="dup")
    assert len(archive.history("hist2041")) == 1


def test_delete_leaves_tombstone_and_keeps_versions(archive: Archive, clock: Clock) -> None:
    lst = make_list()
    archive.add(lst, editor="a", note="v1")
    before = archive.state(lst.identifier)
    clock.advance(5)
    archive.delete(lst.identifier, editor="b", note="course withdrawn")
    after = archive.state(lst.identifier)
    assert after.deleted and after.seq > before.seq and after.datestamp > before.datestamp
    assert archive.tombstone(lst.identifier)["note"] == "course withdrawn"
    assert archive.document(lst.identifier, 1)
    with pytest.raises(ListDeleted):
        archive.delete(lst.identifier, editor="b", note="again")


def test_saving_a_deleted_list_reactivates_it(archive: Archive) -> None:
    lst = make_list()
    archive.add(lst, editor="a", note="v1")
    archive.delete(lst.identifier, editor="a", note="gone")
    info = archive.save(lst, editor="a", note="reactivated")
    assert info.version == 2
    assert not archive.state(lst.identifier).deleted
    assert archive.tombstone(lst.identifier) is None


@pytest.mark.parametrize("call", [
    lambda a: a.document("nope"),
    lambda a: a.get("nope"),
    lambda a: a.history("nope"),
    lambda a: a.state("nope"),
    lambda a: a.delete("nope", editor="x", note="y"),
])
def test_unknown_list(archive: Archive, call) -> None:
    with pytest.raises(ListNotFound):
        call(archive)


def test_unknown_version(archive: Archive) -> None:
    archive.add(make_list(), editor="a", note="v1")
    with pytest.raises(VersionNotFound):
        archive.document("hist2041", 7)


def test_changes_page_by_keyset_in_change_order(archive: Archive, clock: Clock) -> None:
    for n in range(7):
        archive.add(make_list(f"l{n}", items=1), editor="a", note="v1")
        clock.advance()
    seen: list[str] = []
    after = 0
    while True:
        page = archive.changes(after=after, limit=3)
        if not page:
            break
        seen += [s.list_id for s in page]
        after = page[-1].seq
    assert seen == [f"l{n}" for n in range(7)]
    assert archive.count_changes() == 7
    # An edit moves the list to the end of the sequence, once.
    archive.save(replace(make_list("l2", items=1), title="edited"), editor="a", note="v2")
    assert [s.list_id for s in archive.changes(after=0, limit=10)][-1] == "l2"
    assert archive.count_changes() == 7


def test_changes_filter_by_set_and_dates(archive: Archive, clock: Clock) -> None:
    archive.add(make_list("a", courses=("LAW1",), items=1), editor="x", note="n")
    clock.advance(3600)
    archive.add(make_list("b", courses=("LAW2",), items=1), editor="x", note="n")
    clock.advance(3600)
    archive.add(make_list("c", courses=("LAW1",), owner="prof.b", items=1), editor="x", note="n")
    ids = lambda **kw: [s.list_id for s in archive.changes(limit=10, **kw)]  # noqa: E731
    assert ids(set_spec="course:LAW1") == ["a", "c"]
    assert ids(set_spec="course") == ["a", "b", "c"]
    assert ids(set_spec="owner:prof.b") == ["c"]
    assert ids(from_="2026-01-05T10:00:00Z") == ["b", "c"]
    assert ids(until="2026-01-05T10:00:00Z") == ["a", "b"]
    assert archive.count_changes(set_spec="course:LAW1") == 2
    assert ("course:LAW1", "Course LAW1") in archive.sets()


@pytest.mark.parametrize("courses", [
    ("X1",), (), ('LAW "1"', "C:\\path", "Ökonomie 1", 'a","b', "tab\tcode"),
])
def test_changes_give_each_list_its_sets_as_state_does(
    archive: Archive, courses: tuple[str, ...],
) -> None:
    # changes() reads the sets in its own query (SQLite's JSON text), state() in another
    archive.add(make_list("a", courses=courses, items=1), editor="x", note="n")
    [state] = archive.changes(limit=5)
    assert state.sets == archive.state("a").sets == sets_for(archive.get("a"))
    assert {f"course:{c}" for c in courses} <= set(state.sets)


def test_membership_change_bumps_datestamp(archive: Archive, clock: Clock) -> None:
    archive.add(make_list("a", courses=("X1",), items=1), editor="x", note="n")
    clock.advance(10)
    archive.save(make_list("a", courses=("X2",), items=1), editor="x", note="moved course")
    state = archive.state("a")
    assert "course:X2" in state.sets and "course:X1" not in state.sets
    assert state.datestamp == "2026-01-05T09:00:10Z"
    assert [s.list_id for s in archive.changes(limit=5, set_spec="course:X1")] == []
    assert "course:X1" not in dict(archive.sets())  # an emptied set is no longer offered
    assert "course:X2" in dict(archive.sets())


def test_datestamps_never_go_backwards(archive: Archive, clock: Clock) -> None:
    archive.add(make_list("a", items=1), editor="x", note="n")
    clock.now -= timedelta(hours=2)
    archive.add(make_list("b", items=1), editor="x", note="n")
    a, b = archive.state("a"), archive.state("b")
    assert b.seq > a.seq and b.datestamp >= a.datestamp


def test_failed_transaction_leaves_archive_as_it_was(archive: Archive) -> None:
    archive.add(make_list("a", items=1), editor="x", note="n")
    with pytest.raises(RuntimeError), transaction(archive.db):
        archive.add(make_list("b", items=1), editor="x", note="n")
        archive.save(replace(make_list("a", items=1), title="new"), editor="x", note="n")
        raise RuntimeError("boom")
    assert not archive.exists("b")
    assert archive.get("a").title == make_list("a", items=1).title
    assert archive.count_changes() == 1


def test_a_version_keeps_no_item_resource_or_annotation_rows(archive: Archive) -> None:
    # its document holds them; per-item rows were half of what a list took on disk
    archive.add(make_list(items=3), editor="x", note="n")
    tables = {r[0] for r in archive.db.conn.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"list_items", "resources", "annotations"}


def test_sets_for_adds_parents() -> None:
    lst = make_list(courses=("HIST2041",), owner="amira")
    assert sets_for(lst, ["source:uni"]) == (
        "course", "course:HIST2041", "owner", "owner:amira", "source", "source:uni",
    )


def test_a_colon_in_a_course_or_owner_makes_no_parent_set() -> None:
    # found in review: "course:http" and "owner:urn" were offered as sets of their own,
    # each holding every list whose course code or owner started that way
    lst = make_list(courses=("http://lms.example.org/c/7", "HIST:2041"), owner="urn:x:amira")
    assert sets_for(lst) == ("course", "course:HIST:2041", "course:http://lms.example.org/c/7",
                             "owner", "owner:urn:x:amira")


def test_harvested_source_set_kept_across_versions(archive: Archive) -> None:
    lst = make_list(items=1)
    archive.save(lst, editor="harvest:x", note="n", sets=["source:x"], origin=b"<o/>")
    archive.save(replace(lst, title="T2"), editor="harvest:x", note="n")
    assert "source:x" in archive.state(lst.identifier).sets
    assert archive.origin(lst.identifier, 1) == b"<o/>"
    # saved with no origin of its own: the provenance before, marked changed here
    assert archive.origin(lst.identifier) == b'<o altered="true"/>'
    archive.save(replace(lst, title="T3"), editor="x", note="n", origin=b"<p/>")
    assert archive.origin(lst.identifier) == b"<p/>"  # an origin given is the one kept


def test_resource_article_round_trip(archive: Archive) -> None:
    from crosswalks.rli import Item
    lst = replace(make_list(items=0), items=(Item("a1", article()),))
    archive.add(lst, editor="x", note="n")
    assert archive.get(lst.identifier) == lst


def test_restore_keeps_the_tombstone_as_history(archive: Archive, clock: Clock) -> None:
    lst = make_list()
    archive.add(lst, editor="a", note="v1")
    clock.advance()
    archive.delete(lst.identifier, editor="b", note="withdrawn")
    clock.advance()
    info = archive.restore(lst.identifier, editor="c", note="course runs again")
    assert info.version == 2 and not archive.state(lst.identifier).deleted
    assert archive.document(lst.identifier, 2) == archive.document(lst.identifier, 1)
    rows = archive.db.conn.execute(
        "SELECT editor, note, restored_at FROM tombstones WHERE list_id = ?", (lst.identifier,)
    ).fetchall()
    assert rows == [("b", "withdrawn", "2026-01-05T09:00:02Z")]
    assert archive.tombstone(lst.identifier) is None
    archive.delete(lst.identifier, editor="d", note="again")
    assert archive.tombstone(lst.identifier)["editor"] == "d"
    archive.add(make_list("live", items=1), editor="x", note="n")
    with pytest.raises(ArchiveError, match="not deleted"):
        archive.restore("live", editor="x", note="not deleted")


@contextmanager
def _written_as_restore_begins(
    archive: Archive, clock: Clock, db_path: Path, write: Callable[[Archive], object]
) -> Iterator[list[str]]:
    """A deleted list hist2041; inside the block, ``write`` runs through a second
    connection exactly when ``archive``'s next transaction begins (once; the list it
    yields says whether it ran)."""
    archive.add(make_list(), editor="a", note="v1")
    archive.delete("hist2041", editor="b", note="withdrawn")
    other = Archive(open_db(db_path), clock=clock)
    came: list[str] = []

    def between(sql: str) -> None:
        if sql == "BEGIN IMMEDIATE" and not came:
            came.append(sql)
            write(other)

    archive.db.conn.set_trace_callback(between)
    try:
        yield came
    finally:
        archive.db.conn.set_trace_callback(None)


def test_a_list_restored_by_another_writer_meanwhile_is_not_restored_twice(
    archive: Archive, clock: Clock, db_path: Path
) -> None:
    # restore() checked that the list was deleted before its transaction: another process
    # restoring it in between made both write version 2, and the second failed with
    # sqlite3.IntegrityError instead of the archive's own error
    def restore(other: Archive) -> None:
        other.restore("hist2041", editor="other", note="restored there first")

    with (_written_as_restore_begins(archive, clock, db_path, restore) as came,
          pytest.raises(ArchiveError, match="not deleted")):
        archive.restore("hist2041", editor="c", note="restored here")
    assert came and [v.editor for v in archive.history("hist2041")] == ["a", "other"]


def test_a_list_saved_and_deleted_again_meanwhile_is_restored_with_its_new_content(
    archive: Archive, clock: Clock, db_path: Path
) -> None:
    # found in review: restore() read the content to bring back before its transaction;
    # another writer saving new content and deleting the list again in between made the
    # new version's document the new content but its search entry and saved oai_dc
    # metadata the old one
    import zlib

    def save_and_delete(other: Archive) -> None:
        other.save(replace(make_list(), title="Saved there meanwhile"), editor="other",
                   note="v3")
        other.delete("hist2041", editor="other", note="withdrawn again")

    with _written_as_restore_begins(archive, clock, db_path, save_and_delete) as came:
        archive.restore("hist2041", editor="c", note="restored here")
    assert came and archive.get("hist2041").title == "Saved there meanwhile"
    version, data = archive.db.conn.execute(
        "SELECT version, data FROM saved_metadata WHERE list_id = 'hist2041'").fetchone()
    assert version == archive.history("hist2041")[-1].version
    assert b"Saved there meanwhile" in zlib.decompressobj(-15).decompress(data)
    indexed = archive.db.conn.execute(
        "SELECT count(*) FROM list_search_docs WHERE title LIKE 'Saved there%'").fetchone()[0]
    assert indexed == 1


def test_a_windows_count_is_of_one_state_of_the_archive(
    archive: Archive, clock: Clock, db_path: Path
) -> None:
    # found in review: count_changes read a window's two ends in separate statements with
    # no read transaction of its own (the provider's caller had one); a list saved by
    # another writer between them, from before the window to after it, was counted
    # twice over (7 of a window of 6)
    for n in range(20):  # seq n + 1, one second apart
        archive.add(make_list(f"l{n:02d}", items=1), editor="a", note="n")
        clock.advance()
    window = {"from_": archive.state("l10").datestamp, "until": archive.state("l15").datestamp}
    other = Archive(open_db(db_path), clock=clock)
    blocks: list[str] = []

    def save_between(sql: str) -> None:
        if "FROM seq_blocks" in sql:
            blocks.append(sql)
            if len(blocks) == 2:  # the second end
                other.save(replace(other.get("l02"), title="moved on"), editor="b", note="n")

    archive.db.conn.set_trace_callback(save_between)
    try:
        counted = archive.count_changes(**window)
    finally:
        archive.db.conn.set_trace_callback(None)
    assert len(blocks) == 2 and archive.state("l02").seq == 21
    assert counted == 6 == archive.count_changes(**window)


@pytest.mark.parametrize("bad", ["", "a b", "a/b", "x%41", "-lead", "é", "a" * 201])
def test_unusable_list_identifiers_refused(archive: Archive, bad: str) -> None:
    with pytest.raises(InvalidList):
        archive.add(make_list(bad, items=1), editor="x", note="n")
    assert archive.count_changes() == 0


def test_version_zero_is_not_latest(archive: Archive) -> None:
    archive.add(make_list(items=1), editor="x", note="n")
    with pytest.raises(VersionNotFound):
        archive.document("hist2041", 0)


def test_a_list_whose_items_share_an_id_is_refused(archive: Archive) -> None:
    # found in review: merges, diffs and --item find items by id; two items "a" made a
    # three-way merge silently replace one with the other
    from crosswalks.rli import Item, Section
    from repository.archive import InvalidList

    lst = make_list()
    twice = replace(lst, items=(Item("a", Section("first")),
                                Item("s", Section("second", items=(Item("a", Section("inner")),)))))
    with pytest.raises(InvalidList, match="item id 'a' is used twice"):
        archive.save(twice, editor="t", note="n")
    assert not archive.exists(lst.identifier)


def test_an_archive_made_before_kept_counts_gets_them_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "old.db"  # made by an earlier rli, before sets and seqs kept counts
    path.write_bytes(gzip.decompress(
        (paths.SAMPLES / "archives" / "rli-search-v1.db.gz").read_bytes()))
    archive = Archive(open_db(path))
    counted = dict(archive.db.conn.execute("SELECT spec, members FROM sets"))
    actual = dict(archive.db.conn.execute("SELECT spec, count(*) FROM set_members GROUP BY spec"))
    assert counted == actual and sum(actual.values()) > 5
    assert archive.count_changes(set_spec="course") == actual["course"]
    lists = archive.db.conn.execute("SELECT count(*), min(datestamp) FROM lists").fetchone()
    assert archive.count_changes() == lists[0] > 5
    assert archive.count_changes(from_=lists[1]) == lists[0]
    assert archive.db.conn.execute("SELECT total(lists) FROM seq_blocks").fetchone()[0] == lists[0]


def test_save_refuses_what_was_written_for_another_list() -> None:
    # Archive.save(written=...) takes a list's canonical document made beforehand (a
    # replicated history compares it first); one made for another list is refused, not
    # stored under that list's identifier unchecked
    archive = Archive(open_db(":memory:"))
    good, other = make_list("good"), make_list("bad id/../x")
    with pytest.raises(ValueError, match="another list"):
        archive.save(good, editor="t", note="n",
                     written=binding.clean_and_write(replace(other, history=())))
    assert list(archive.summaries()) == []
    info = archive.save(good, editor="t", note="n",
                        written=binding.clean_and_write(replace(good, history=())))
    assert info.sha256 == hashlib.sha256(binding.write_list(good)).hexdigest()
