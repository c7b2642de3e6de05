"""The archived lists' full-text index (repository/archive/search.py), kept in each archive write.

Save, edit, annotate, delete and restore each leave the index matching the
latest live versions (FTS5's integrity check included); a write that fails
leaves the index as it was; an archive made before the index is indexed
when opened.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks.rli import Annotation, Citation, Creator, Item, Resource, ResourceList
from harvester.shared.db import open_db, transaction
from harvester.shared.fulltext import Filters, Hit, match_expression
from repository.archive import Archive
from repository.archive import search as list_search
from repository.archive.editing import add_resource, annotate
from tests.bench.generate import build_archive, make_lists
from tests.conftest import Clock
from tests.factories import article, book

ANY = Filters()


def find(archive: Archive, query: str, filters: Filters = ANY) -> list[Hit]:
    return list_search.search_lists(archive.db, match_expression(query), filters, 50)


def ids(hits: list[Hit]) -> list[str]:
    return sorted(h.id for h in hits)


def assert_in_step(archive: Archive) -> None:
    conn = archive.db.conn
    conn.execute("INSERT INTO list_search (list_search) VALUES ('integrity-check')")
    live = conn.execute("SELECT id FROM lists WHERE deleted = 0 ORDER BY id").fetchall()
    assert conn.execute("SELECT list_id FROM list_search_docs ORDER BY 1").fetchall() == live


def brontes() -> ResourceList:
    eyre = Resource(citation=Citation(title="Jane Eyre", creators=(Creator("Brontë, Charlotte"),),
                                      publication_date="1847"))
    return ResourceList(
        identifier="engl2001", title="The Victorian Novel", owner="dr.ruth.ashby",
        courses=("ENGL2001",), description="Fiction of the 1840s and after.", created="2025-09-01",
        items=(Item("i1", eyre, annotations=(Annotation("Read over the summer", "essential"),)),
               Item("i2", book())),
    )


def test_saved_lists_are_found_by_every_indexed_field(archive: Archive) -> None:
    archive.save(brontes(), editor="t", note="new")
    assert_in_step(archive)
    for query in ("victorian", "ENGL2001", "ashby", "1840s", "bronte", "eyre", "thompson",
                  "summer", "essential", "9780140210002", '"victorian novel"', "vict*"):
        assert ids(find(archive, query)) == ["engl2001"], query
    hit = find(archive, "victorian")[0]
    assert (hit.kind, hit.title, hit.creators, hit.date, hit.type) == (
        "list", "The Victorian Novel", ("dr.ruth.ashby",), "2025-09-01", "list")
    assert ids(find(archive, "victorian", Filters(year=2025))) == ["engl2001"]
    assert find(archive, "victorian", Filters(year=2024)) == []
    assert find(archive, "victorian", Filters(type="book")) == []
    assert find(archive, "victorian", Filters(source="lib")) == []


def test_every_write_keeps_the_index_in_step(archive: Archive, clock: Clock) -> None:
    archive.save(brontes(), editor="t", note="new")
    lst = add_resource(archive.get("engl2001"), article())
    lst = annotate(replace(lst, title="Victorian Fiction and Science"), "Compare with Darwin",
                   item_id=None, kind="note", author="t", date="2026-01-01")
    clock.advance()
    archive.save(lst, editor="t", note="edited")
    assert_in_step(archive)
    assert ids(find(archive, "nucleic")) == ["engl2001"]
    assert ids(find(archive, "darwin")) == ["engl2001"]
    assert find(archive, '"victorian novel"') == []  # the old title left with its version
    archive.delete("engl2001", editor="t", note="withdrawn")
    assert_in_step(archive)
    assert find(archive, "nucleic") == []
    archive.restore("engl2001", editor="t", note="back")
    assert_in_step(archive)
    assert ids(find(archive, "nucleic")) == ["engl2001"]


def test_a_failed_write_leaves_the_index_as_it_was(archive: Archive) -> None:
    archive.save(brontes(), editor="t", note="new")
    with pytest.raises(RuntimeError), transaction(archive.db):
        archive.save(replace(brontes(), title="Gothic Fiction"), editor="t", note="edit")
        raise RuntimeError("the caller's transaction fails after the save")
    assert_in_step(archive)
    assert find(archive, "gothic") == []
    assert ids(find(archive, "victorian")) == ["engl2001"]


def test_an_archive_made_before_the_index_is_indexed_when_opened(
    archive: Archive, db_path: object, clock: Clock
) -> None:
    archive.save(brontes(), editor="t", note="new")
    archive.save(replace(brontes(), identifier="gone", title="Gone Fiction"), editor="t",
                 note="new")
    archive.delete("gone", editor="t", note="x")
    archive.db.conn.executescript(
        "DROP TABLE list_search; DROP TABLE list_search_docs; DROP TABLE search_stale;"
        f" DELETE FROM schema_migrations WHERE component = '{list_search.COMPONENT}';"
    )
    archive.db.conn.close()
    reopened = Archive(open_db(str(db_path)), clock=clock)
    assert_in_step(reopened)
    assert ids(find(reopened, "fiction")) == ["engl2001"]


def test_rebuild_restores_a_damaged_index(archive: Archive) -> None:
    archive.save(brontes(), editor="t", note="new")
    archive.db.conn.execute("INSERT INTO list_search (list_search) VALUES ('delete-all')")
    assert find(archive, "victorian") == []
    assert list_search.rebuild(archive.db) == 1
    assert_in_step(archive)
    assert ids(find(archive, "victorian")) == ["engl2001"]


def test_lists_harvested_from_a_source_are_found_by_it(archive: Archive) -> None:
    archive.save(brontes(), editor="harvest:lib", note="harvested", sets=("source:lib",))
    archive.save(replace(brontes(), identifier="local"), editor="t", note="new")
    assert ids(find(archive, "victorian", Filters(source="lib"))) == ["engl2001"]
    assert find(archive, "victorian", Filters(source="other")) == []
    assert ids(find(archive, "victorian")) == ["engl2001", "local"]


def test_an_edit_takes_out_exactly_the_values_its_version_was_indexed_with(
    archive: Archive, clock: Clock
) -> None:
    """The contentless index re-reads the indexed version to take it out; no rebuild needed."""
    save_two(archive)
    rowid_of_other = row_id(archive, "other")
    edit(archive, clock)
    assert row_id(archive, "other") == rowid_of_other  # not rebuilt: only the edited list moved
    assert_in_step(archive)
    assert find(archive, '"victorian novel"') == []
    assert ids(find(archive, "gothic")) == ["engl2001"]
    assert ids(find(archive, "eyre")) == ["engl2001", "other"]


def test_values_that_cannot_be_read_again_rebuild_the_index_instead(
    archive: Archive, clock: Clock
) -> None:
    save_two(archive)
    # As if the indexed fields had changed without a migration: the digest no longer matches.
    archive.db.conn.execute("UPDATE list_search_docs SET digest = digest + 1")
    edit(archive, clock)
    assert_in_step(archive)
    assert find(archive, '"victorian novel"') == []
    assert ids(find(archive, "gothic")) == ["engl2001"]
    assert ids(find(archive, '"other fiction"')) == ["other"]
    archive.delete("other", editor="t", note="x")
    assert find(archive, '"other fiction"') == []


def test_the_list_index_keeps_no_text_and_fits_3_kb_a_list(tmp_path: Path) -> None:
    """Issue 18's budget: the list FTS tables at most 3 KB a list on the benchmark's lists."""
    db_path = tmp_path / "lists.db"
    count = 200
    assert build_archive(make_lists(count), db_path) == count
    conn = sqlite3.connect(db_path)
    try:
        (size,) = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'list_search%'"
            " OR name = 'sqlite_autoindex_list_search_docs_1'").fetchone()
        columns = {r[1] for r in conn.execute("PRAGMA table_info(list_search_docs)")}
        hits = conn.execute("SELECT count(*) FROM list_search WHERE list_search MATCH 'week'")
        assert hits.fetchone()[0] > count // 2
    finally:
        conn.close()
    assert not columns & {"citations", "annotations", "description"}
    assert size / count <= 3072, f"{size / count:.0f} bytes a list"


def row_id(archive: Archive, list_id: str) -> int:
    row = archive.db.conn.execute("SELECT id FROM list_search_docs WHERE list_id = ?",
                                  (list_id,)).fetchone()
    return int(row[0])


def save_two(archive: Archive) -> None:
    archive.save(brontes(), editor="t", note="new")
    archive.save(replace(brontes(), identifier="other", title="Other Fiction"), editor="t",
                 note="new")


def edit(archive: Archive, clock: Clock) -> None:
    clock.advance()
    archive.save(replace(brontes(), title="Gothic Fiction"), editor="t", note="edit")
