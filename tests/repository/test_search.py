"""Searching both indexes (repository/search.py) in an archive made by an earlier rli.

``tests/samples/archives/rli-search-v1.db.gz`` holds the first search index
(list index with its text stored, prefix indexes); opening it migrates both
indexes to the current tables and they find what they found before.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from harvester.shared.db import open_db
from repository import search
from repository.archive import Archive
from tests import paths

FIRST_INDEX = paths.SAMPLES / "archives" / "rli-search-v1.db.gz"


def test_an_archive_with_the_first_index_is_migrated_and_still_found(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.write_bytes(gzip.decompress(FIRST_INDEX.read_bytes()))
    archive = Archive(open_db(path))
    db = archive.db
    try:
        found = {(h.kind, h.id) for h in search.search(db, "bronte OR molecular OR industry")}
        assert found == {("resource", "library:oai:library:eyre"), ("list", "biol2003-2026"),
                         ("resource", "journals:oai:journals:art")}  # "Molecular structure..."
        assert [h.id for h in search.search(db, "jurisprud*", kinds=("lists",))] == [
            "law2210-2026"]
        assert [h.id for h in search.search(db, "eyre", filters=search.Filters(year=1847))] == [
            "library:oai:library:eyre"]
        tables = dict(db.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN ('list_search', 'harvest_search')"))
        assert "content = ''" in tables["list_search"]
        assert "prefix" not in tables["list_search"] + tables["harvest_search"]
        automerge = "SELECT v FROM harvest_search_config WHERE k = 'automerge'"
        assert db.conn.execute(automerge).fetchone() == (16,)
        steps = set(db.conn.execute("SELECT component, step FROM schema_migrations"))
        assert {("archive-search", 2), ("harvester-search", 2)} <= steps
        assert db.conn.execute("SELECT count(*) FROM search_stale").fetchone() == (0,)
        for table in tables:
            db.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        archive.save(archive.get("law2210-2026"), editor="t", note="saved again")
        archive.delete("biol2003-2026", editor="t", note="gone")
        assert search.search(db, "molecular", kinds=("lists",)) == []
    finally:
        db.conn.close()
