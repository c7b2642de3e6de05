"""Keeping one harvested record: raw versions, statuses, re-reading pending ones (records.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlite_utils
from lxml import etree

from crosswalks.rli import ResourceList
from crosswalks.xmlsafe import parse_untrusted
from harvester.envelope import read_record
from harvester.pending import reread_pending
from harvester.records import (
    Context,
    Outcome,
    harvested_list_id,
    prepare,
    rebuild_record,
    store_record,
)
from harvester.shared.blobs import is_current, unpack
from harvester.shared.db import open_db, transaction
from harvester.shared.protocol import OAI_NS, PROVENANCE_NS
from tests import paths

O = f"{{{OAI_NS}}}"  # noqa: E741
EXAMPLE = paths.SAMPLES / "oai" / "provenance-guidelines-example.xml"
HAS_DC = importlib.util.find_spec("crosswalks.dc") is not None


def record_el(
    identifier: str, datestamp: str, payload: etree._Element | None, about: int = 0,
    deleted: bool = False,
) -> etree._Element:
    el = etree.Element(f"{O}record", nsmap={"oai": OAI_NS})
    header = etree.SubElement(el, f"{O}header")
    if deleted:
        header.set("status", "deleted")
    etree.SubElement(header, f"{O}identifier").text = identifier
    etree.SubElement(header, f"{O}datestamp").text = datestamp
    if payload is not None:
        etree.SubElement(el, f"{O}metadata").append(payload)
    for _ in range(about):
        etree.SubElement(el, f"{O}about").append(parse_untrusted(EXAMPLE.read_bytes()))
    return el


def dc(title: str) -> etree._Element:
    root = etree.Element("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    etree.SubElement(root, "{http://purl.org/dc/elements/1.1/}title").text = title
    return root


def ctx(prefix: str = "oai_dc", sink: object = None) -> Context:
    return Context("src", "http://peer/oai", prefix, 1, "2026-03-01T00:00:00Z", sink)  # type: ignore[arg-type]


def keep(db: sqlite_utils.Database, c: Context, el: etree._Element) -> tuple[Outcome, str]:
    with transaction(db):
        return store_record(db, c, read_record(el))


def versions(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM harvest_records").fetchone()[0])


def test_outcomes_and_raw_versions(db: sqlite_utils.Database) -> None:
    first = record_el("oai:x:1", "2026-01-01", dc("One"))
    assert keep(db, ctx(), first)[0] is Outcome.NEW
    assert keep(db, ctx(), record_el("oai:x:1", "2026-01-01", dc("One")))[0] is Outcome.UNCHANGED
    assert versions(db) == 1
    assert keep(db, ctx(), record_el("oai:x:1", "2026-01-02", dc("One, 2nd ed.")))[0] is (
        Outcome.CHANGED)
    assert keep(db, ctx(), record_el("oai:x:1", "2026-01-03", None, deleted=True))[0] is (
        Outcome.DELETED)
    assert versions(db) == 3
    # the first version sent again, as a stale mirror or a list repeating it would: older
    # than the deletion, so it neither undoes it nor is stored again
    assert keep(db, ctx(), first)[0] is Outcome.UNCHANGED
    assert versions(db) == 3
    state = "SELECT deleted, status FROM harvest_resources WHERE identifier = 'oai:x:1'"
    assert db.conn.execute(state).fetchone()[0] == 1
    # back to the first content, dated after the deletion: a new version again
    assert keep(db, ctx(), record_el("oai:x:1", "2026-01-04", dc("One")))[0] is Outcome.CHANGED
    assert db.conn.execute(state).fetchone() == (0, "ok" if HAS_DC else "pending")


def test_record_without_metadata_is_failed_but_kept(db: sqlite_utils.Database) -> None:
    assert keep(db, ctx(), record_el("oai:x:2", "2026-01-01", None)) == (Outcome.NEW, "failed")
    reason = db.conn.execute("SELECT reason FROM harvest_resources").fetchone()[0]
    assert reason == "record has no metadata"
    assert versions(db) == 1


def test_about_elements_are_kept_and_rebuilt(db: sqlite_utils.Database) -> None:
    keep(db, ctx(), record_el("oai:x:3", "2026-01-01", dc("Three"), about=2))
    header, metadata, about = db.conn.execute(
        "SELECT header, metadata, about FROM harvest_records"
    ).fetchone()
    assert is_current(metadata) and is_current(about)  # kept compressed
    rebuilt = rebuild_record(bytes(header), unpack(metadata), unpack(about))
    assert rebuilt.header.identifier == "oai:x:3"
    assert [el.tag for el in rebuilt.about] == [f"{{{PROVENANCE_NS}}}provenance"] * 2
    assert rebuilt.metadata is not None and rebuilt.metadata.findtext(
        "{http://purl.org/dc/elements/1.1/}title") == "Three"


class Sink:
    def __init__(self) -> None:
        self.saved: list[tuple[ResourceList, bytes | None]] = []

    def save(self, lst: ResourceList, *, editor: str, note: str, origin: bytes | None = None,
             sets: Sequence[str] = ()) -> object:
        self.saved.append((lst, origin))
        return None

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        raise LookupError(list_id)


def test_pending_lists_are_read_once_a_sink_is_there(db: sqlite_utils.Database) -> None:
    rli_xml = pytest.importorskip("crosswalks.rli.binding")
    payload = rli_xml.list_to_element(ResourceList("list-4", "Week 1", "owner@uni.example"))
    keep(db, ctx("rli"), record_el("oai:x:4", "2026-01-01", payload, about=1))
    assert db.conn.execute("SELECT status FROM harvest_resources").fetchone()[0] == "pending"
    with transaction(db):
        assert reread_pending(db, ctx("rli")) == 0  # still no sink: still pending
    sink = Sink()
    with transaction(db):
        reread_pending(db, ctx("rli", sink))
    status, reason = db.conn.execute("SELECT status, reason FROM harvest_resources").fetchone()
    assert status == "list", reason
    ((lst, origin),) = sink.saved
    assert lst.title == "Week 1"
    assert origin is not None and origin.count(b"<prov:originDescription ") == 3  # ours + 2 hops
    with transaction(db):
        assert reread_pending(db, ctx("rli", sink)) == 0  # nothing pending any more


def test_deleting_an_unknown_list_is_ignored(db: sqlite_utils.Database) -> None:
    sink = Sink()
    db.conn.execute(
        "INSERT INTO harvest_records (source, identifier, datestamp, header, base_url,"
        " harvested_at, run_id, sha256) VALUES ('src', 'oai:x:5', 'd', x'00', 'u', 'h', 1, 's')"
    )
    db.conn.execute(
        "INSERT INTO harvest_resources (source, identifier, record_id, datestamp, status,"
        " list_id, updated_at) VALUES ('src', 'oai:x:5', 1, 'd', 'list', 'gone', 'h')"
    )
    outcome = keep(db, ctx("rli", sink), record_el("oai:x:5", "2026-02-01", None, deleted=True))
    assert outcome == (Outcome.DELETED, "list")
    assert db.conn.execute(
        "SELECT deleted FROM harvest_resources WHERE identifier = 'oai:x:5'"
    ).fetchone()[0] == 1


PUBLIC_RLI = paths.SAMPLES / "discovery-plus" / "dc2rli-list-tudelft.rli.xml"
# The OAI identifiers made safe, plus ten hex digits of their sha256.
TUDELFT_ID = "oai-elf.example-lists-tudelft-1-d6a658598b"
ELF2_ID = "oai-elf.example-2-42e3e044ea"


def test_public_shape_rli_list_is_named_after_its_oai_identifier(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    """A list as Discovery+ writes it names no identifier: harvested, it takes its record's.

    It used to reach the sink with an empty identifier (a real archive refused it).
    """
    payload = parse_untrusted(PUBLIC_RLI.read_bytes())
    sink = Sink()
    record = record_el("oai:elf.example:lists/tudelft 1", "2026-01-01", payload)
    assert keep(db, ctx("rli", sink), record) == (Outcome.NEW, "list")
    ((lst, _),) = sink.saved
    assert (lst.identifier, lst.title, lst.owner) == (
        TUDELFT_ID, "My Resource List", "unknown")
    list_id, losses = db.conn.execute("SELECT list_id, losses FROM harvest_resources").fetchone()
    assert list_id == TUDELFT_ID
    assert f"supplied: list identifier '{TUDELFT_ID}' (from the OAI identifier)" \
        in losses.splitlines()

    from repository.archive import Archive
    from repository.archive.harvest_sink import HarvestedLists

    archive = Archive(open_db(tmp_path / "archive.db"))
    lists = HarvestedLists(archive)
    assert keep(db, ctx("rli", lists), record_el("oai:elf.example:2", "2026-01-01", payload)) == (
        Outcome.NEW, "list")
    assert archive.get(ELF2_ID).title == "My Resource List"
    # the stored id lets a deleted header tombstone the list
    keep(db, ctx("rli", lists), record_el("oai:elf.example:2", "2026-02-01", None, deleted=True))
    assert archive.tombstone(ELF2_ID) is not None


def test_oai_identifiers_that_look_alike_made_safe_name_different_lists(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    """``lists/1``, ``lists:1`` and ``lists 1`` all became ``lists-1``: the second record's
    list was archived as a new version of the first's, and deleting the first tombstoned it."""
    from repository.archive import Archive
    from repository.archive.harvest_sink import HarvestedLists

    payload = parse_untrusted(PUBLIC_RLI.read_bytes())
    archive = Archive(open_db(tmp_path / "archive.db"))
    lists = HarvestedLists(archive)
    long = "oai:x:" + "a" * 300
    identifiers = ["oai:x:lists/1", "oai:x:lists:1", "oai:x:lists 1", long + "1", long + "2",
                   "oai-x-lists-1"]
    for identifier in identifiers:
        assert keep(db, ctx("rli", lists), record_el(identifier, "2026-01-01", payload)) == (
            Outcome.NEW, "list")
    names = [harvested_list_id(identifier) for identifier in identifiers]
    assert harvested_list_id("").startswith("list-") and harvested_list_id(":").startswith("list-")
    assert len(set(names)) == len(identifiers) and names[-1] == "oai-x-lists-1"
    assert all(len(name) <= 200 for name in names)
    assert all(len(archive.history(name)) == 1 for name in names)
    keep(db, ctx("rli", lists), record_el("oai:x:lists/1", "2026-02-01", None, deleted=True))
    assert archive.tombstone(names[0]) is not None
    assert archive.tombstone(names[1]) is None


# A ListRecords response as providers write it: OAI's namespace the default one, the
# record's metadata and two <about> declaring namespaces of their own.
_RESPONSE = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><responseDate>2026-01-01T00:00:00Z
</responseDate><request verb="ListRecords">http://x.org/oai</request><ListRecords><record>
<header><identifier>oai:x:1</identifier><datestamp>2026-01-01</datestamp><setSpec>a</setSpec>
</header><metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>One</dc:title></oai_dc:dc></metadata>
<about>%s</about><about><rights xmlns="http://www.openarchives.org/OAI/2.0/rights/"
 xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/rights/ x.xsd"><rightsReference
 ref="http://x.org/r"/></rights></about></record></ListRecords></OAI-PMH>"""


def test_a_record_keeps_the_digest_earlier_releases_gave_it() -> None:
    """The raw parts' digest decides whether a harvested record changed: were the bytes
    serialised differently, every record harvested again after an upgrade would be
    stored again as changed. The digest below is what the release of 2026-12-02 gave."""
    root = parse_untrusted(_RESPONSE % EXAMPLE.read_bytes())
    raw = prepare(read_record(root.find(f"{O}ListRecords/{O}record")))
    assert unpack(raw.about or b"").startswith(
        b'<oai:record xmlns:oai="http://www.openarchives.org/OAI/2.0/"><oai:about>')
    assert raw.sha256 == "2c1cd89d95272fcadd43945c2fb9b47edbcebea55f2cd6eb8f25b16fbdab30bb"
