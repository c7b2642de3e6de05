"""Archives written by earlier releases of rli, opened by this one (real files, real `rli`).

Each test leaves a file as an earlier release left it (the steps it recorded in
``schema_migrations`` and the tables they made), then runs today's `rli` over it: every
read works, and a full harvest of every format serves the same identifiers, datestamps
and sets as before, each page valid against the XSDs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from repository.archive import schema
from repository.oai import store
from tests.repository.cli.test_archive import rli
from tests.rli_server import rli_serve
from tests.test_end_to_end import OAI_NS, walk

PREFIXES = ("oai_dc", "rli", "mods", "lom")


def headers(db: Path) -> dict[str, dict[str, tuple[str, str | None, tuple[str, ...]]]]:
    """What a full ListRecords harvest of each format gives: identifier -> (datestamp,
    status, setSpecs), from a real `rli serve` over ``db``."""
    found: dict[str, dict[str, tuple[str, str | None, tuple[str, ...]]]] = {}
    with rli_serve(db) as server:
        for prefix in PREFIXES:
            records = found.setdefault(prefix, {})
            for page in walk(server.url, verb="ListRecords", metadataPrefix=prefix):
                for header in page.iter(f"{{{OAI_NS}}}header"):
                    records[header.findtext(f"{{{OAI_NS}}}identifier", "")] = (
                        header.findtext(f"{{{OAI_NS}}}datestamp", ""), header.get("status"),
                        tuple(s.text or "" for s in header.iter(f"{{{OAI_NS}}}setSpec")))
    return found


def steps(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute(
            "SELECT component, max(step) FROM schema_migrations GROUP BY component"))
    finally:
        conn.close()


def test_an_archive_whose_provider_made_the_changes_at_index_opens(tmp_path: Path) -> None:
    """rli at 3e1c0f4 made the index changes (at) as provider step 5; the next commit moved
    it to archive step 6. Such a file failed every command ("index changes_at already
    exists") and, once past that, was refused as "migrated by a newer release"."""
    db = tmp_path / "old.db"
    rli(db, "demo", "--no-serve")
    rli(db, "delete", "law2210-2026")
    before = headers(db)
    assert "oai:rli.localhost:law2210-2026" in before["rli"]
    conn = sqlite3.connect(db)
    with conn:  # the archive at 5 steps; the provider's fifth made the index
        conn.execute("DELETE FROM schema_migrations WHERE component = 'archive' AND step > 5")
        conn.execute("DELETE FROM schema_migrations WHERE component = 'provider' AND step > 4")
        conn.execute("INSERT INTO schema_migrations (component, step) VALUES ('provider', 5)")
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'changes_at'").fetchone()
    conn.close()

    listed = rli(db, "lists").stdout
    assert "hist2041-2026" in listed and "law2210-2026" not in listed
    assert "deleted" in rli(db, "history", "law2210-2026").stdout
    assert headers(db) == before
    assert steps(db)["archive"] == len(schema.MIGRATIONS)
    assert steps(db)["provider"] == len(store.MIGRATIONS) == 5
    rli(db, "edit", "econ1001-2026", "--title", "Edited after the upgrade", "--note", "n")
    after = headers(db)["oai_dc"]
    assert after["oai:rli.localhost:econ1001-2026"][0] >= before["oai_dc"][
        "oai:rli.localhost:econ1001-2026"][0]
