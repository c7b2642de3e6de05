"""Bulk archiving (repository.archive.bulk) and `rli import` of many files: the same archive
as saving or importing one by one, on real SQLite files and real `rli` processes."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks.rli import Annotation, ResourceList, binding
from harvester.shared.db import open_db
from repository.archive import Archive, DuplicateList
from repository.archive.bulk import save_many
from tests.bench.generate import make_lists
from tests.conftest import Clock
from tests.repository.cli.test_archive import rli

TABLES = ("lists", "list_versions", "changes", "sets", "set_members", "tombstones")


def rows(db: Path, table: str, columns: str = "*") -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
    finally:
        conn.close()


def all_tables(db: Path) -> list[str]:
    """Every table, a full-text index compared by its rows rather than its b-tree segments
    (FTS5's shadow tables depend on how the inserts were batched, not on what they hold)."""
    conn = sqlite3.connect(db)
    try:
        names = [str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        fts = [str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'")]
    finally:
        conn.close()
    shadow = {f"{name}_{part}" for name in fts
              for part in ("data", "idx", "docsize", "config", "content")}
    return [name for name in names if name not in shadow]


def sample_lists(count: int) -> list[ResourceList]:
    lists = list(make_lists(count, seed=11))
    # a string the canonical form cleans (a control character) and a list-level note
    lists[3] = replace(lists[3], title=lists[3].title + "\x07",
                       annotations=(Annotation("bulk\x01 note", author="a"),))
    return lists


def test_save_many_gives_the_archive_save_gives_one_by_one(tmp_path: Path) -> None:
    lists = sample_lists(37)
    one = Archive(open_db(tmp_path / "one.db"), clock=Clock())
    for lst in lists:
        one.save(lst, editor="ed", note="n")
    many = Archive(open_db(tmp_path / "many.db"), clock=Clock())
    done = list(save_many(many, lists, editor="ed", note="n", batch=10))
    assert [lid for lid, _ in done] == [lst.identifier for lst in lists]
    # every row of every table (and any table a later change adds, such as a search
    # index kept in step with saves), seq and datestamp included (same clock)
    tables = all_tables(tmp_path / "one.db")
    assert tables == all_tables(tmp_path / "many.db") and set(TABLES) <= set(tables)
    for table in tables:
        assert rows(tmp_path / "many.db", table) == rows(tmp_path / "one.db", table), table
    for lid, info in done:
        assert info == one.history(lid)[-1]


def test_save_many_versions_existing_lists_like_save(tmp_path: Path) -> None:
    first, later = sample_lists(12), list(make_lists(20, seed=12))
    # lists 0-11 exist; a second pass brings 0-5 unchanged, 6-11 changed, 12-19 new
    second = first[:6] + [replace(lst, identifier=first[n + 6].identifier)
                          for n, lst in enumerate(later[6:12])] + later[12:]
    one = Archive(open_db(tmp_path / "one.db"), clock=Clock())
    many = Archive(open_db(tmp_path / "many.db"), clock=Clock())
    for lst in first:
        one.save(lst, editor="ed", note="n")
    list(save_many(many, first, editor="ed", note="n"))
    for lst in second:
        one.save(lst, editor="ed", note="n")
    done = dict(save_many(many, second, editor="ed", note="n", batch=7))
    assert [done[lst.identifier].version for lst in second] == [1] * 6 + [2] * 6 + [1] * 8
    facts = "list_id, version, sha256"
    assert rows(tmp_path / "many.db", "list_versions", facts) == rows(
        tmp_path / "one.db", "list_versions", facts)
    for table in ("sets", "set_members"):
        columns = "spec, list_id" if table == "set_members" else "*"
        assert rows(tmp_path / "many.db", table, columns) == rows(
            tmp_path / "one.db", table, columns), table


def test_save_many_without_new_versions_refuses_a_batch_whole(tmp_path: Path) -> None:
    archive = Archive(open_db(tmp_path / "a.db"), clock=Clock())
    lists = sample_lists(8)
    list(save_many(archive, lists[:3], editor="ed", note="n"))
    before = {t: rows(tmp_path / "a.db", t) for t in TABLES}
    with pytest.raises(DuplicateList, match="already exists"):
        list(save_many(archive, lists[3:] + lists[:1], editor="ed", note="n", new_version=False))
    with pytest.raises(DuplicateList, match="twice"):
        list(save_many(archive, [lists[5], lists[6], lists[5]], editor="ed", note="n"))
    assert {t: rows(tmp_path / "a.db", t) for t in TABLES} == before


def test_rli_import_of_many_files_matches_importing_them_one_by_one(tmp_path: Path) -> None:
    lists = sample_lists(9)
    paths = []
    for lst in lists:
        path = tmp_path / f"{lst.identifier}.xml"
        path.write_bytes(binding.write_list(lst))
        paths.append(path)
    bad = tmp_path / "broken.xml"
    bad.write_text("<not-closed>")
    args = [*map(str, paths[:4]), str(bad), *map(str, paths[4:]), str(paths[2])]
    together = rli(tmp_path / "together.db", "import", *args, check=False)
    assert together.returncode == 1
    errors = together.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("Error: ") for e in errors)
    assert "broken.xml" in errors[0] and "already exists" in errors[1]
    apart = [rli(tmp_path / "apart.db", "import", str(p)).stdout.strip() for p in paths]
    assert together.stdout.strip().splitlines() == apart  # id, version, sha256, file
    for table, columns in (("list_versions", "list_id, version, sha256"), ("sets", "*"),
                           ("set_members", "spec, list_id")):
        assert rows(tmp_path / "together.db", table, columns) == rows(
            tmp_path / "apart.db", table, columns), table
