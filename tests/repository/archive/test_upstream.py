"""A harvested list edited here keeps its local work: upstream's next version waits for accept.

Real processes over real HTTP: an upstream `rli serve` and a second archive
harvesting it with `--prefix rli`.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

from crosswalks.rli import Resource, binding
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS
from repository.archive import Archive
from tests.factories import article, book
from tests.test_end_to_end import RLI, Server, harvested, rli, walk

RLIX = "urn:x-rli:extension:1.0"


def notes(archive: Archive, list_id: str) -> list[str]:
    return [a.text for a in archive.get(list_id).annotations]


def test_harvest_edit_upstream_change_harvest_then_accept_merges_both(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    db = tmp_path / "here.db"
    mirror = tmp_path / "mirror.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(mirror, "source", "add", "up", srv.url, "--prefix", "rli", "--mirror")
    for target in (db, mirror):
        rli(target, "harvest", "up")
        rli(target, "annotate", "law2210-2026", "Local: check the 2026 reprint")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    rli(up_db, "edit", "econ1001-2026", "--title", "Great Ideas (2027)", "--note", "retitle")
    time.sleep(1.1)  # the provider's granularity is one second
    assert "up: 1 new pending change (`rli changes`)" in rli(db, "harvest", "up").stdout
    assert "pending" not in rli(mirror, "harvest", "up").stdout

    here = Archive(open_db(db))
    # the local note is kept: upstream's version waits as one pending change
    assert [v.version for v in here.history("law2210-2026")] == [1, 2]
    assert "Local: check the 2026 reprint" in notes(here, "law2210-2026")
    assert here.get("law2210-2026").title == "Jurisprudence"
    found = json.loads(rli(db, "changes", "--json").stdout)
    assert [(c["list"], c["kind"], c["source"]) for c in found] == [
        ("law2210-2026", "upstream-version", "up")]
    assert "~ title: 'Jurisprudence' -> 'Jurisprudence (2027)'" in found[0]["details"]
    # the provider serves versions only, never the pending change (pages XSD-validated)
    served = Server(db)
    try:
        pages = list(walk(served.url, verb="ListRecords", metadataPrefix="rli"))
    finally:
        served.stop()
    law = [r for p in pages for r in p.iter(f"{{{OAI_NS}}}record")
           if r.findtext(f".//{{{OAI_NS}}}identifier", "").endswith(":law2210-2026")]
    assert len(law) == 1
    versions = law[0].findall(f".//{{{RLIX}}}history/{{{RLIX}}}version")
    assert [v.get("number") for v in versions][-1] == "2"
    assert b"Jurisprudence (2027)" not in etree.tostring(law[0])
    # a list not edited here simply follows upstream
    assert here.get("econ1001-2026").title == "Great Ideas (2027)"
    # a --mirror source follows upstream even over local edits (the old behaviour)
    copy = Archive(open_db(mirror))
    assert copy.get("law2210-2026").title == "Jurisprudence (2027)"
    assert json.loads(rli(mirror, "changes", "--json").stdout) == []

    # a stale accept is refused, nothing written
    stale = subprocess.run([*RLI, "--db", str(db), "accept", "law2210-2026",
                            str(found[0]["id"]), "--if-version", "1"],
                           capture_output=True, text=True, timeout=60)
    assert stale.returncode == 1 and stale.stderr.startswith("Error:")
    out = rli(db, "accept", "law2210-2026", str(found[0]["id"]), "--if-version", "2").stdout
    assert out.startswith("law2210-2026: version 3")
    merged = here.get("law2210-2026")
    assert merged.title == "Jurisprudence (2027)"
    assert "Local: check the 2026 reprint" in notes(here, "law2210-2026")
    assert json.loads(rli(db, "changes", "--json").stdout) == []

    # upstream changes again: merged against what was accepted, local note still kept
    rli(up_db, "annotate", "law2210-2026", "Upstream: new edition ordered")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    again = json.loads(rli(db, "changes", "law2210-2026", "--json").stdout)
    assert len(again) == 1
    rli(db, "accept", "law2210-2026", str(again[0]["id"]))
    assert notes(here, "law2210-2026")[-2:] == [
        "Upstream: new edition ordered", "Local: check the 2026 reprint"]


def test_conflicting_edits_need_prefer(upstream: tuple[Path, Server], tmp_path: Path) -> None:
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    rli(db, "edit", "law2210-2026", "--title", "Jurisprudence (ours)", "--note", "local title")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (theirs)", "--note", "retitle")
    rli(up_db, "annotate", "law2210-2026", "Upstream note")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    change = json.loads(rli(db, "changes", "--json").stdout)[0]["id"]
    refused = subprocess.run([*RLI, "--db", str(db), "accept", "law2210-2026", str(change)],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"Error: change {change} conflicts with edits here (list title: changed here and"
        " upstream); give --prefer upstream or --prefer local"]
    rli(db, "accept", "law2210-2026", str(change), "--prefer", "local")
    here = Archive(open_db(db))
    assert here.get("law2210-2026").title == "Jurisprudence (ours)"
    assert "Upstream note" in notes(here, "law2210-2026")


def test_a_list_deleted_here_stays_deleted_when_upstream_changes_it(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # the harvest archived upstream's version over the deletion, restoring the list with
    # no pending change and no "(restored)" in its history
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    rli(db, "delete", "law2210-2026", "--note", "we withdrew it here")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    rli(up_db, "delete", "econ1001-2026", "--note", "withdrawn upstream")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    here = Archive(open_db(db))
    assert here.state("law2210-2026").deleted
    assert here.state("econ1001-2026").deleted  # the harvest's own deletion
    found = json.loads(rli(db, "changes", "--json").stdout)
    assert [(c["list"], c["kind"]) for c in found] == [("law2210-2026", "upstream-version")]
    assert "deleted here since" in found[0]["summary"]
    refused = subprocess.run([*RLI, "--db", str(db), "accept", "law2210-2026",
                              str(found[0]["id"])], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "rli restore law2210-2026" in refused.stderr
    # a deletion upstream then made undone upstream: the list follows upstream back
    rli(up_db, "restore", "econ1001-2026")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    assert not here.state("econ1001-2026").deleted


def test_a_list_changed_here_keeps_its_provenance_marked_altered(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # a local edit (and a restore) stored no origin: the OAI record's <about> lost the
    # provenance its harvested version had
    _, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    rli(db, "annotate", "film1203-2026", "Local note")
    rli(db, "delete", "econ1001-2026", "--note", "not this year")
    rli(db, "restore", "econ1001-2026")
    served = Server(db)
    try:
        pages = {ident: next(walk(served.url, verb="GetRecord", metadataPrefix="rli",
                                  identifier=f"oai:rli.localhost:{ident}"))
                 for ident in ("film1203-2026", "econ1001-2026", "law2210-2026")}
    finally:
        served.stop()
    prov = "{http://www.openarchives.org/OAI/2.0/provenance}originDescription"
    altered = {ident: [d.get("altered") for d in page.iter(prov)][:1]
               for ident, page in pages.items()}
    assert altered == {"film1203-2026": ["true"],  # annotated here: altered
                       "econ1001-2026": ["false"],  # restored as it was: not altered
                       "law2210-2026": ["false"]}


def test_rejected_upstream_state_is_not_proposed_again(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    rli(db, "annotate", "law2210-2026", "Local note")
    rli(up_db, "annotate", "law2210-2026", "Upstream note")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    change = json.loads(rli(db, "changes", "--json").stdout)[0]["id"]
    rli(db, "reject", "law2210-2026", str(change), "--note", "not for our course")
    with open_db(db).conn as conn:  # forget the harvest's raw copy: the same state comes again
        conn.execute("DELETE FROM harvest_records")
        conn.execute("DELETE FROM harvest_resources")
    rli(db, "harvest", "up", "--full")
    assert json.loads(rli(db, "changes", "--json").stdout) == []
    assert notes(Archive(open_db(db)), "law2210-2026")[-1] == "Local note"


def test_an_unchanged_upstream_list_harvested_before_bases_were_kept_is_not_proposed(
    archive: Archive,
) -> None:
    # found in review: with no stored base, a re-harvest of the very version the harvest
    # last brought became an upstream-version change saying "(no differences)"
    from dataclasses import replace

    from repository.archive.changes import pending
    from repository.archive.upstream import hold_if_edited
    from tests.factories import make_list

    upstream = make_list()
    archive.save(upstream, editor="harvest:src", note="harvested")
    archive.save(replace(upstream, title=upstream.title + " (local)"), editor="eve", note="edit")
    latest = archive.history(upstream.identifier)[-1]
    assert hold_if_edited(archive, upstream, source="src", origin=None) == latest
    assert list(pending(archive.db.conn, upstream.identifier)) == []


def test_an_upstream_version_held_is_not_read_back_from_the_document_just_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Holding upstream's new version wrote its canonical document, then read that document
    # back into the model to diff it (about 3.5 ms for 30 items): the value written is
    # the one read back, so the diff takes it as it is
    from dataclasses import replace

    from crosswalks.rli import binding
    from repository.archive import upstream
    from repository.archive.changes import load, pending
    from tests.factories import make_list

    archive = Archive(open_db(tmp_path / "rli.db"))
    harvested = make_list("law2210", items=4)
    archive.save(harvested, editor="harvest:up", note="harvested")
    upstream.took_upstream(archive, "law2210", "up", archive.document("law2210", 1))
    archive.save(replace(harvested, title="Edited here"), editor="ed", note="local edit")
    newer = replace(harvested, description="Changed upstream")
    written = binding.write_list(replace(newer, history=()))
    reads: list[bytes] = []
    real_read = binding.read_list

    def counted(data: bytes, **kw: object) -> object:
        reads.append(data)
        return real_read(data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(binding, "read_list", counted)
    held = upstream.hold_if_edited(archive, newer, source="up", origin=None)
    assert held is not None and held.version == 2  # held, not archived
    (change,) = pending(archive.db.conn, "law2210")
    stored = load(archive.db.conn, "law2210", change.id)
    assert stored.upstream == written
    assert any("Changed upstream" in line for line in change.details), change.details
    assert written not in reads


def test_an_item_added_here_never_takes_the_id_of_upstreams_rejected_addition(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # found in review: upstream added a book as i21, rejected here; an article added here
    # was then handed i21 too, and upstream's later note on its book was merged onto the
    # article with no conflict (the merge takes one id for one item)
    up_db, srv = upstream
    list_id = "law2210-2026"
    here_db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    x, z = tmp_path / "x.xml", tmp_path / "z.xml"
    x.write_bytes(binding.write_resource(book(7)))
    z.write_bytes(binding.write_resource(article()))
    rli(up_db, "edit", list_id, "--add-file", str(x), "--note", "upstream adds a book")
    rli(here_db, "annotate", list_id, "Local note")
    time.sleep(1.1)  # the provider's granularity is one second
    rli(here_db, "harvest", "up")
    [proposed] = json.loads(rli(here_db, "changes", "--json").stdout)
    rli(here_db, "reject", list_id, str(proposed["id"]), "--note", "not this book")
    rli(here_db, "edit", list_id, "--add-file", str(z), "--note", "an article here")
    def item_titled(db: Path, title: str) -> str:
        return next(i.id for i in Archive(open_db(db)).get(list_id).items
                    if isinstance(i.content, Resource) and i.content.citation.title == title)

    book_id = item_titled(up_db, book(7).citation.title)
    article_id = item_titled(here_db, article().citation.title)
    assert article_id != book_id
    rli(up_db, "annotate", list_id, "Upstream: about the book", "--item", book_id)
    time.sleep(1.1)
    rli(here_db, "harvest", "up")
    [second] = json.loads(rli(here_db, "changes", "--json").stdout)
    # the book, rejected (removed here), changed upstream: a conflict, named as the book's
    refused = subprocess.run([*RLI, "--db", str(here_db), "accept", list_id, str(second["id"])],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert f"item {book_id}: removed here, changed upstream" in refused.stderr
    rli(here_db, "accept", list_id, str(second["id"]), "--prefer", "local")
    merged = Archive(open_db(here_db)).get(list_id)
    assert [a.text for i in merged.items if i.id == article_id for a in i.annotations] == []
    assert book_id not in {i.id for i in merged.items}
