"""Change propagation over real HTTP: changed or deleted records flag the lists citing them.

An upstream `rli serve` (a copy of the demo archive) is harvested in oai_dc (in
MODS, rli's lists are harvested as lists) by a second archive whose lists are
made of those records (`rli new --from-source`); upstream then retitles one
list and deletes another, and the next harvest gives each citing list one
`item-updated` and one `item-withdrawn` pending change, which `rli accept` /
`rli reject` decide.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from crosswalks.rli import binding, iter_resources
from crosswalks.rli.model import Citation, Item, Origin, Resource, ResourceList
from harvester.envelope import Identity
from harvester.query import metadata_sha256
from harvester.shared.blobs import unpack_optional
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source
from repository.archive import Archive
from repository.archive.propagate import propagate
from tests.harvester.test_records import ctx, dc, keep, record_el
from tests.test_end_to_end import Server, harvested, rli

RLIX = "urn:x-rli:extension:1.0"



def test_changed_and_deleted_records_flag_the_lists_citing_them(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    db = harvested(tmp_path / "local.db", srv.url, "m", "oai_dc")
    rli(db, "new", "--title", "Reserves", "--owner", "lib", "--from-source", "m")
    rli(db, "new", "--title", "Law reserves", "--owner", "lib", "--from-source", "m",
        "--set", "course:LAW2210")
    rli(db, "new", "--title", "Local only", "--owner", "lib")
    # one resource picked into a list (rli edit --add-resource) keeps its origin too
    rli(db, "new", "--title", "Picked", "--owner", "lib")
    rli(db, "edit", "picked", "--add-resource", "m:oai:rli.localhost:law2210-2026",
        "--note", "picked from the harvest")
    archive = Archive(open_db(db))
    origins = [r.origin for _, r in iter_resources(archive.get("reserves").items)]
    assert all(o is not None and o.source == "m" for o in origins)
    assert "oai:rli.localhost:law2210-2026" in {o.identifier for o in origins if o}

    # the origin travels in the rli export and is read back on import
    exported = rli(db, "export", "law-reserves").stdout.encode()
    assert etree.fromstring(exported).find(f".//{{{RLIX}}}origin") is not None
    copy_db = tmp_path / "copy.db"
    (tmp_path / "law.xml").write_bytes(exported)
    rli(copy_db, "import", str(tmp_path / "law.xml"))
    assert Archive(open_db(copy_db)).get("law-reserves") == archive.get("law-reserves")

    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    rli(up_db, "delete", "film1203-2026", "--note", "course withdrawn")
    time.sleep(1.1)  # the provider's granularity is one second
    out = rli(db, "harvest", "m").stdout
    assert "m: 4 new pending changes (`rli changes`)" in out

    found = json.loads(rli(db, "changes", "--json").stdout)
    assert sorted((c["list"], c["kind"]) for c in found) == [
        ("law-reserves", "item-updated"), ("picked", "item-updated"),
        ("reserves", "item-updated"), ("reserves", "item-withdrawn")]
    assert all({"id", "list", "kind", "source", "summary", "created"} <= c.keys() for c in found)
    updated = next(c for c in found if c["list"] == "reserves" and c["kind"] == "item-updated")
    assert "title: 'Jurisprudence' -> 'Jurisprudence (2027)'" in updated["details"]
    withdrawn = next(c for c in found if c["kind"] == "item-withdrawn")
    assert "oai:rli.localhost:film1203-2026 was deleted upstream" in withdrawn["summary"]
    # nothing changed in the lists themselves yet, and they say so
    assert [v.version for v in archive.history("reserves")] == [1]
    assert "(2 pending changes)" in rli(db, "lists").stdout
    assert "1 pending change from upstream" in rli(db, "show", "law-reserves").stdout
    assert "pending" not in rli(db, "show", "local-only").stdout

    before = archive.get("reserves")
    done = rli(db, "accept", "reserves", str(updated["id"]), "--if-version", "1").stdout
    assert done.startswith("reserves: version 2")
    after = archive.get("reserves")
    titles = [r.title for _, r in iter_resources(after.items)]
    assert "Jurisprudence (2027)" in titles and "Jurisprudence" not in titles
    assert len(titles) == len(iter_resources(before.items))
    rli(db, "reject", "reserves", str(withdrawn["id"]), "--note", "we keep our copy")
    assert [v.version for v in archive.history("reserves")] == [1, 2]
    assert [c["list"] for c in json.loads(rli(db, "changes", "--json").stdout)] == [
        "law-reserves", "picked"]
    # the accepted reading is now what the list cites: a harvest proposes nothing again
    rli(db, "harvest", "m", "--full")
    assert len(json.loads(rli(db, "changes", "--json").stdout)) == 2
    doc = binding.read_list(archive.document("reserves"))
    assert doc == after


def test_a_change_upstream_while_a_list_is_deleted_waits_for_its_restore(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # propagation skipped deleted lists and moved its mark past the record: the restored
    # list kept the old citation with no pending change, ever
    up_db, srv = upstream
    db = harvested(tmp_path / "local.db", srv.url, "m", "oai_dc")
    rli(db, "new", "--id", "mine", "--title", "Reserves", "--owner", "lib", "--from-source", "m")
    rli(db, "delete", "mine", "--note", "not this term")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    time.sleep(1.1)  # the provider's granularity is one second
    rli(db, "harvest", "m")
    rli(db, "restore", "mine")
    found = json.loads(rli(db, "changes", "mine", "--json").stdout)
    assert [c["kind"] for c in found] == ["item-updated"]
    assert "title: 'Jurisprudence' -> 'Jurisprudence (2027)'" in found[0]["details"]
    assert rli(db, "accept", "mine", str(found[0]["id"])).stdout.startswith("mine: version 3")


def test_an_older_version_sent_again_flags_no_list(tmp_path: Path) -> None:
    # kept raw but not current (older than the current version), it was still read as an
    # upstream change: "title: 'New' -> 'Old'" and a withdrawal of a live record
    db = open_db(tmp_path / "a.db")
    archive = Archive(db)
    add_source(db, Source("src", "http://peer/oai", "oai_dc"),
               Identity("p", "http://peer/oai", "2.0", "2000-01-01", "persistent",
                        Granularity.DAY, ""), datetime(2026, 1, 1, tzinfo=timezone.utc))
    keep(db, ctx(), record_el("oai:x:1", "2026-01-02", dc("New")))
    meta = db.conn.execute("SELECT metadata FROM harvest_records").fetchone()[0]
    origin = Origin("src", "oai:x:1", "2026-01-02", metadata_sha256(unpack_optional(meta)))
    cited = Resource(Citation(title="New"), origin=origin)
    archive.save(ResourceList("l1", "L", "me", items=(Item("i1", cited),)), editor="e", note="n")
    assert propagate(archive, "src") == []
    keep(db, ctx(), record_el("oai:x:1", "2026-01-01", dc("Old")))
    keep(db, ctx(), record_el("oai:x:1", "2025-12-31", None, deleted=True))
    assert db.conn.execute("SELECT count(*) FROM harvest_records").fetchone()[0] == 3
    assert propagate(archive, "src") == []
