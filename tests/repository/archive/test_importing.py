"""repository/archive/importing.py in process: what a file holds, what was supplied, origins."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from crosswalks.rli import Resource, binding
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.events import history_events
from repository.archive.importing import (
    ImportRefused,
    add_to_list,
    file_list_id,
    import_lists,
    read_file,
)
from tests import paths
from tests.factories import make_list

PROV = "http://www.openarchives.org/OAI/2.0/provenance"


def _get_record(metadata: bytes, identifier: str = "oai:peer:list-1") -> bytes:
    """An OAI-PMH GetRecord response carrying ``metadata`` (built here, as a provider sends it)."""
    return (
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b"<responseDate>2026-03-01T12:00:00Z</responseDate>"
        b'<request verb="GetRecord" identifier="' + identifier.encode() + b'"'
        b' metadataPrefix="rli">http://peer.example.org/oai</request>'
        b"<GetRecord><record><header><identifier>" + identifier.encode() + b"</identifier>"
        b"<datestamp>2026-02-27T08:00:00Z</datestamp></header><metadata>" + metadata
        + b"</metadata></record></GetRecord></OAI-PMH>"
    )


def test_rli_list_in_a_get_record_keeps_its_origin(archive: Archive, tmp_path: Path) -> None:
    lst = make_list("peer-list")
    document = binding.write_list(lst).split(b"?>", 1)[1]
    path = tmp_path / "getrecord.xml"
    path.write_bytes(_get_record(document))
    got = read_file(path)
    assert [x.identifier for x in got.lists] == ["peer-list"]
    assert got.lists[0] == lst
    import_lists(archive, got.lists, editor="t", note="imported", origins=got.origins)
    origin = archive.origin("peer-list")
    assert origin is not None
    el = etree.fromstring(origin)
    assert el.findtext(f"{{{PROV}}}identifier") == "oai:peer:list-1"
    assert el.findtext(f"{{{PROV}}}baseURL") == "http://peer.example.org/oai"
    assert el.get("harvestDate") == "2026-03-01T12:00:00Z"


def test_lom_unit_with_aggregation_level_4_is_a_one_item_list(tmp_path: Path) -> None:
    path = paths.SAMPLES / "lom" / "lomfr-unit-ori-wf-1-4369-aggregation4-no-haspart.lom.xml"
    got = read_file(path, default_owner="librarian")
    (lst,) = got.lists
    assert got.single and lst.owner == "librarian"
    assert lst.identifier == "lomfr-unit-ori-wf-1-4369-aggregation4-no-haspart"
    (res,) = got.resources
    assert res.title.startswith("Anglais (Kit de gestion")
    assert lst.courses == ()  # keywords are the resource's subjects, not courses
    assert res.subjects
    assert "metaMetadata dropped" in got.unread


def test_add_to_list_makes_one_version(archive: Archive) -> None:
    archive.add(make_list("target", items=2), editor="t", note="made")
    info = add_to_list(archive, "target", [Resource(), Resource()], editor="t", note="more")
    assert info.version == 2
    assert [i.id for i in archive.get("target").items] == ["i1", "i2", "i3", "i4"]
    with pytest.raises(ImportRefused, match="nosuch"):
        add_to_list(archive, "nosuch", [Resource()], editor="t", note="x")


@pytest.mark.parametrize(("name", "ident"), [
    ("dc2rli-list-tudelft.rli.xml", "dc2rli-list-tudelft"),
    ("week 3 reading.xml", "week-3-reading"),
    ("record.mods.xml", "record"),
    ("...xml", "list"),
])
def test_file_list_id(name: str, ident: str) -> None:
    assert file_list_id(Path(name)) == ident


def test_a_history_package_over_the_deleted_list_restores_it_with_new_version(
    archive: Archive, tmp_path: Path
) -> None:
    """Found in review: importing a list's history package over that list, deleted here
    since, with ``--new-version`` reported its latest version and left the list deleted
    (the package adds no version, so copying the history wrote nothing)."""
    from repository.archive.exporting import export_package

    archive.add(make_list("l1"), editor="ed", note="first")
    archive.save(make_list("l1", items=4), editor="ed", note="more")
    package = tmp_path / "l1.zip"
    package.write_bytes(export_package(archive, ["l1"], history=True))
    archive.delete("l1", editor="ed", note="paused")
    got = read_file(package)

    with pytest.raises(ImportRefused, match="is deleted here.*--new-version restores it"):
        import_lists(archive, got.lists, editor="imp", note="again", versions=got.versions)
    assert archive.state("l1").deleted and len(archive.history("l1")) == 2

    [(list_id, info)] = import_lists(archive, got.lists, editor="imp", note="again",
                                     new_version=True, versions=got.versions)
    assert (list_id, info.version, info.editor, info.note) == ("l1", 3, "imp", "again")
    assert not archive.state("l1").deleted and archive.restored_by("l1", info)
    assert archive.document("l1", 3) == archive.document("l1", 2)


def test_a_history_package_that_lengthens_a_list_deleted_here_needs_new_version(
    archive: Archive, tmp_path: Path
) -> None:
    """Found in review: a package adding versions to a list deleted here brought it back
    without ``--new-version`` (a package adding none is refused without it), and the
    version that brought it back was not known as a restore (``restored_by`` matched the
    tombstone's date against the version's, which the copy sets to upstream's date)."""
    source = Archive(open_db(tmp_path / "source.db"))  # its own clock: other dates
    source.add(make_list("l1"), editor="ed", note="first")
    first = read_file(_package(tmp_path / "v1.zip", source))
    source.save(make_list("l1", items=4), editor="ed", note="more")
    longer = read_file(_package(tmp_path / "v2.zip", source))

    import_lists(archive, first.lists, editor="imp", note="copy", versions=first.versions)
    archive.delete("l1", editor="here", note="withdrawn")

    with pytest.raises(ImportRefused, match="is deleted here.*--new-version restores it"):
        import_lists(archive, longer.lists, editor="imp", note="again",
                     versions=longer.versions)
    assert archive.state("l1").deleted and len(archive.history("l1")) == 1

    [(_, info)] = import_lists(archive, longer.lists, editor="imp", note="again",
                               new_version=True, versions=longer.versions)
    assert info.version == 2 and info.archived_at == source.history("l1")[1].archived_at
    assert not archive.state("l1").deleted and archive.restored_by("l1", info)
    assert not archive.restored_by("l1", archive.history("l1")[0])
    assert [(e.event, e.version) for e in history_events(archive, "l1")] == [
        ("version", 1), ("deleted", None), ("restored", 2)]


def _package(path: Path, archive: Archive) -> Path:
    from repository.archive.exporting import export_package

    path.write_bytes(export_package(archive, ["l1"], history=True))
    return path


def test_a_history_package_carries_deletions_and_restores(
    archive: Archive, tmp_path: Path
) -> None:
    """Found in review: a history package held no deletion, so a list deleted and restored
    there was never deleted here, and one deleted there came back live here."""
    source = Archive(open_db(tmp_path / "source.db"))
    source.add(make_list("l1"), editor="ed", note="first")
    source.delete("l1", editor="ed", note="paused for the term")
    source.restore("l1", editor="ed", note="back")
    source.save(make_list("l1", items=4), editor="ed", note="more")
    source.delete("l1", editor="keeper", note="course withdrawn")
    got = read_file(_package(tmp_path / "l1.zip", source))

    [(_, info)] = import_lists(archive, got.lists, editor="imp", note="copy",
                               versions=got.versions)

    assert info.version == 3 and archive.state("l1").deleted
    assert history_events(archive, "l1") == history_events(source, "l1")
    assert archive.tombstone("l1") == source.tombstone("l1")
    assert archive.restored_by("l1", archive.history("l1")[1])
    assert read_file(_package(tmp_path / "again.zip", archive)).lists == got.lists


@pytest.mark.parametrize("date", ["yesterday", "9999-99-99T99:99:99Z", ""])
def test_a_history_package_with_a_date_that_is_none_is_refused(
    archive: Archive, tmp_path: Path, date: str
) -> None:
    """Found in review: archivedAt="yesterday" was imported and shown by ``rli history``."""
    from crosswalks import ims_cp

    source = Archive(open_db(tmp_path / "source.db"))
    source.add(make_list("l1"), editor="ed", note="first")
    source.save(make_list("l1", items=4), editor="ed", note="more")
    documents = ims_cp.read_package(_package(tmp_path / "l1.zip", source).read_bytes())
    stamp = source.history("l1")[0].archived_at.encode()
    (name, latest), *versions = documents
    bad = latest.replace(b'archivedAt="' + stamp, b'archivedAt="' + date.encode(), 1)
    assert bad != latest
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(ims_cp.write_package([(name, bad), *versions]))
    got = read_file(tampered)

    with pytest.raises(ImportRefused, match="archivedAt .* is not a UTC datestamp"):
        import_lists(archive, got.lists, editor="imp", note="copy", versions=got.versions)
    assert not archive.exists("l1")


def test_an_identifier_given_for_a_package_is_refused(archive: Archive, tmp_path: Path) -> None:
    # found in review: --id was silently ignored for a package
    from repository.archive.exporting import export_package

    archive.add(make_list("l1"), editor="ed", note="first")
    package = tmp_path / "l1.zip"
    package.write_bytes(export_package(archive, ["l1"]))
    with pytest.raises(ImportRefused, match="a package's lists keep their own identifiers"):
        read_file(package, list_id="other")
    assert [lst.identifier for lst in read_file(package).lists] == ["l1"]


def test_a_package_exported_since_a_deletion_there_deletes_the_list_here(
    archive: Archive, tmp_path: Path
) -> None:
    """Found in review: a package of a list deleted at the source since the last import
    added no version, so the deletion was not made and the list stayed live here; and
    importing the same package twice was refused ("deleted here"), as was the next one
    after the source restored and changed it."""
    source = Archive(open_db(tmp_path / "source.db"))
    source.add(make_list("l1"), editor="ed", note="first")
    live = read_file(_package(tmp_path / "live.zip", source))
    import_lists(archive, live.lists, editor="imp", note="copy", versions=live.versions)
    source.delete("l1", editor="keeper", note="withdrawn")
    gone = read_file(_package(tmp_path / "gone.zip", source))

    for _ in range(2):  # the second time changes nothing and is not refused
        [(_, info)] = import_lists(archive, gone.lists, editor="imp", note="again",
                                   versions=gone.versions)
        assert info.version == 1 and archive.state("l1").deleted
        assert history_events(archive, "l1") == history_events(source, "l1")

    source.restore("l1", editor="ed", note="back")
    source.save(make_list("l1", items=4), editor="ed", note="more")
    again = read_file(_package(tmp_path / "again.zip", source))
    [(_, info)] = import_lists(archive, again.lists, editor="imp", note="sync",
                               versions=again.versions)
    assert info.version == 3 and not archive.state("l1").deleted
    assert history_events(archive, "l1") == history_events(source, "l1")
