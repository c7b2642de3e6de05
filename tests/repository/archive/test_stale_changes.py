"""A pending change upstream has since taken back is not left waiting to be accepted.

Real processes over real HTTP: an upstream `rli serve` and a second archive
harvesting it (its lists as oai_dc records, cited by a list made with
`rli new --from-source`, or as whole lists with `--prefix rli`). Every OAI-PMH
page the tests read themselves is validated (``walk``).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS
from repository.archive import Archive
from tests.test_end_to_end import RLI, Server, harvested, rli, walk


def pending(db: Path) -> list[tuple[str, str, str]]:
    """(list, kind, summary) of every pending change."""
    return [(c["list"], c["kind"], c["summary"])
            for c in json.loads(rli(db, "changes", "--json").stdout)]


def upstream_harvest(db: Path) -> None:
    time.sleep(1.1)  # the provider's granularity is one second
    rli(db, "harvest", "dc")


def test_a_record_taken_back_upstream_leaves_no_pending_change(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # found in review: a record withdrawn and then restored upstream (or changed and changed
    # back) left its item-withdrawn (item-updated) change pending: accepting it removed the
    # item (or applied the abandoned reading); a record changed and then deleted had two
    # pending changes, the stale item-updated beside the item-withdrawn
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "dc", "oai_dc")
    rli(db, "new", "--title", "Readings", "--owner", "me", "--from-source", "dc", "--id", "rd")
    records = [r for page in walk(srv.url, verb="ListRecords", metadataPrefix="oai_dc")
               for r in page.iter(f"{{{OAI_NS}}}record")]
    assert len(records) == 8

    rli(up_db, "delete", "film1203-2026", "--note", "withdrawn for now")
    upstream_harvest(db)
    assert [kind for _, kind, _ in pending(db)] == ["item-withdrawn"]
    rli(up_db, "restore", "film1203-2026")
    rli(up_db, "edit", "econ1001-2026", "--title", "Great Ideas B", "--note", "retitle")
    upstream_harvest(db)
    assert pending(db) == [("rd", "item-updated", "i3: oai:rli.localhost:econ1001-2026 changed"
                            " upstream: title: 'Great Ideas in Economics' -> 'Great Ideas B'")]
    rli(up_db, "edit", "econ1001-2026", "--title", "Great Ideas in Economics", "--note", "back")
    rli(up_db, "edit", "comp2150-2026", "--title", "Ideas C", "--note", "retitle")
    upstream_harvest(db)
    assert [(kind, summary.split(":")[0]) for _, kind, summary in pending(db)] == [
        ("item-updated", "i2")]
    rli(up_db, "delete", "comp2150-2026", "--note", "gone")
    upstream_harvest(db)
    assert [(kind, summary.split(":")[0]) for _, kind, summary in pending(db)] == [
        ("item-withdrawn", "i2")]
    (change,) = json.loads(rli(db, "changes", "--json").stdout)
    rli(db, "accept", "rd", str(change["id"]))
    titles = [item.content.citation.title  # type: ignore[union-attr]
              for item in Archive(open_db(db)).get("rd").items]
    assert len(titles) == 7
    assert "Introduction to Film Studies" in titles and "Great Ideas in Economics" in titles


def test_an_upstream_version_taken_back_is_no_longer_pending(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # found in review: upstream's new version of a list edited here waited as a change; when
    # upstream went back to the version this archive had taken in, the change still waited
    # and accepting it merged the abandoned version in
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    rli(db, "annotate", "law2210-2026", "Local note")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    assert [kind for _, kind, _ in pending(db)] == ["upstream-version"]
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence", "--note", "back")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    upstream_doc = subprocess.run(
        [*RLI, "--db", str(up_db), "export", "law2210-2026"], capture_output=True, timeout=60)
    assert b"Jurisprudence (2027)" not in upstream_doc.stdout
    assert pending(db) == []
    assert Archive(open_db(db)).get("law2210-2026").title == "Jurisprudence"


def test_a_list_deleted_upstream_after_an_edit_here_waits_as_a_change(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    # found in review: upstream's deletion of a list edited here was dropped without a word
    # (no pending change, nothing in the harvest's output), and its pending upstream
    # version stayed to be accepted; a --mirror source did not follow the deletion either
    up_db, srv = upstream
    db = harvested(tmp_path / "here.db", srv.url, "up", "rli")
    mirror = tmp_path / "mirror.db"
    rli(mirror, "source", "add", "up", srv.url, "--prefix", "rli", "--mirror")
    rli(mirror, "harvest", "up")
    for target in (db, mirror):
        for list_id in ("law2210-2026", "nurs1105-2026"):
            rli(target, "annotate", list_id, "Local note")
    rli(up_db, "edit", "law2210-2026", "--title", "Jurisprudence (2027)", "--note", "retitle")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    rli(up_db, "delete", "law2210-2026", "--note", "withdrawn upstream")
    rli(up_db, "delete", "nurs1105-2026", "--note", "withdrawn upstream")
    time.sleep(1.1)
    out = rli(db, "harvest", "up").stdout
    assert "up: 2 new pending changes (`rli changes`)" in out
    rli(mirror, "harvest", "up")
    here = Archive(open_db(db))
    assert not here.state("law2210-2026").deleted  # nothing changes before a decision
    found = json.loads(rli(db, "changes", "--json").stdout)
    assert [(c["list"], c["kind"]) for c in found] == [
        ("law2210-2026", "upstream-version"), ("nurs1105-2026", "upstream-version")]
    assert all("deleted upstream" in c["summary"] for c in found)
    assert json.loads(rli(mirror, "changes", "--json").stdout) == []
    assert Archive(open_db(mirror)).state("law2210-2026").deleted  # a mirror follows
    # accepting it deletes the list here; rejecting keeps it, and it is not proposed again
    out = rli(db, "accept", "law2210-2026", str(found[0]["id"])).stdout
    assert out.startswith("law2210-2026: deleted"), out
    rli(db, "reject", "nurs1105-2026", str(found[1]["id"]))
    assert here.state("law2210-2026").deleted and not here.state("nurs1105-2026").deleted
    rli(db, "harvest", "up", "--full")
    assert json.loads(rli(db, "changes", "--json").stdout) == []
    assert "Local note" in [a.text for a in here.get("nurs1105-2026").annotations]
