"""repository.archive.renderings: each saved version's oai_dc metadata, written with it."""

from __future__ import annotations

import shutil
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from crosswalks.bundled import bundled
from crosswalks.registry import FORMATS
from crosswalks.rli import binding
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.renderings import code_stamp, save, saved, stamp, writer_sources
from repository.oai.compression import inflate_segment
from tests.factories import make_list
from tests.oai_fixtures import Clock

DC = FORMATS["oai_dc"]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(open_db(tmp_path / "rli.db"), clock=Clock())


def _from_document(archive: Archive, list_id: str) -> bytes:
    """What rendering the archived document gives (the slow path the payload replaces)."""
    return bytes(etree.tostring(DC.write_list(archive.get(list_id)), encoding="UTF-8"))


def _payload(archive: Archive, list_id: str, version: int) -> bytes | None:
    found = saved(archive.db.conn, "oai_dc", [(list_id, version)]).get(list_id)
    if found is None:
        return None
    data = inflate_segment(found.segment)
    assert (found.crc, found.size) == (zlib.crc32(data), len(data))
    return data


@pytest.mark.parametrize("path", sorted((bundled() / "lists").glob("*.xml")), ids=lambda p: p.stem)
def test_saved_payload_is_what_the_archived_document_gives(archive: Archive, path: Path) -> None:
    lst = binding.read_list(path.read_bytes(), source=str(path))
    archive.save(lst, editor="ed", note="n")
    assert _payload(archive, lst.identifier, 1) == _from_document(archive, lst.identifier)


def test_only_the_latest_version_is_kept_and_matched(archive: Archive) -> None:
    archive.save(make_list("a1"), editor="ed", note="v1")
    archive.save(replace(make_list("a1"), title="Two"), editor="ed", note="v2")
    assert _payload(archive, "a1", 1) is None  # asked for the old version: nothing
    assert _payload(archive, "a1", 2) == _from_document(archive, "a1")
    rows = archive.db.conn.execute("SELECT version, stamp FROM saved_metadata").fetchall()
    assert rows == [(2, code_stamp("oai_dc"))]


def test_restore_saves_the_restored_version(archive: Archive) -> None:
    archive.save(make_list("a1"), editor="ed", note="v1")
    archive.delete("a1", editor="ed", note="gone")
    archive.restore("a1", editor="ed", note="back")
    assert _payload(archive, "a1", 2) == _from_document(archive, "a1")


def test_other_code_stamp_is_not_used(archive: Archive) -> None:
    archive.save(make_list("a1"), editor="ed", note="v1")
    archive.db.conn.execute("UPDATE saved_metadata SET stamp = 'older code'")
    assert _payload(archive, "a1", 1) is None


def test_an_older_version_never_replaces_a_newer_payload(archive: Archive) -> None:
    archive.save(make_list("a1"), editor="ed", note="v1")
    first = archive.get("a1")
    archive.save(replace(first, title="Two"), editor="ed", note="v2")
    save(archive.db.conn, [("a1", 1, first)])  # e.g. a provider that read version 1 late
    assert _payload(archive, "a1", 2) == _from_document(archive, "a1")


def test_the_stamp_follows_the_writer_not_the_readers(tmp_path: Path) -> None:
    """An upgrade that changes a reader, or another format, keeps every saved payload
    (it used to make them all stale: the stamp hashed every crosswalk source)."""
    import crosswalks

    package = tmp_path / "crosswalks"
    shutil.copytree(Path(crosswalks.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = stamp("oai_dc", package)
    assert before == code_stamp("oai_dc")  # the same sources as the running code
    for kept in ("dc/read.py", "mods/read.py", "mods/write.py", "lom/read.py", "registry.py",
                 "oai_file.py", "convert.py", "__init__.py", "dc/__init__.py"):
        with (package / kept).open("a") as fh:
            fh.write("\n# a change that writes no oai_dc differently\n")
        assert stamp("oai_dc", package) == before, kept
    # the writer's modules, and those that read an archived document back (the provider
    # saves payloads of lists it read so: a reader fix must not leave them standing)
    for changed in ("dc/write.py", "dc/names.py", "dc/strings.py", "rli/model.py", "xmlsafe.py",
                    "rli/read.py", "rli/binding.py"):
        edited = package / changed
        original = edited.read_bytes()
        edited.write_bytes(original + b"\n# a writer change\n")
        assert stamp("oai_dc", package) != before, changed
        edited.write_bytes(original)
    assert stamp("oai_dc", package) == before


def test_writer_sources_follow_imports_at_any_depth(tmp_path: Path) -> None:
    package = tmp_path / "crosswalks"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("import os\n")
    (package / "sub" / "__init__.py").write_text("from crosswalks.sub.inner import x\n")
    (package / "sub" / "inner.py").write_text("x = 1\n")
    (package / "sub" / "unused.py").write_text("y = 2\n")
    (package / "lazy.py").write_text("z = 3\n")
    (package / "named.py").write_text("w = 4\n")
    (package / "start.py").write_text(
        "import json\nfrom crosswalks.sub import x\nfrom crosswalks import named\n"
        "def later():\n    import crosswalks.lazy\n")
    assert sorted(writer_sources("crosswalks.start", package)) == [
        "crosswalks", "crosswalks.lazy", "crosswalks.named", "crosswalks.start",
        "crosswalks.sub", "crosswalks.sub.inner"]
    # relative imports too (found in review: they were left out of the stamp)
    (package / "sub" / "relative.py").write_text(
        "from .unused import y\nfrom . import inner\nfrom ..named import w\n")
    assert sorted(writer_sources("crosswalks.sub.relative", package)) == [
        "crosswalks.named", "crosswalks.sub", "crosswalks.sub.inner",
        "crosswalks.sub.relative", "crosswalks.sub.unused"]


def test_every_crosswalk_function_a_payload_runs_is_in_the_stamp(archive: Archive) -> None:
    """Traced, not listed by hand: reading each bundled list back from the archive (as the
    provider does before saving a payload) and writing its payload runs only code whose
    module the stamp covers."""
    import sys

    import crosswalks
    from repository.archive.renderings import READER, payload

    root = Path(crosswalks.__file__).resolve().parent
    lists = [binding.read_list(p.read_bytes(), source=str(p))
             for p in sorted((bundled() / "lists").glob("*.xml"))]
    for lst in lists:
        archive.save(lst, editor="ed", note="n")
    ran: set[str] = set()

    def tracer(frame: object, event: str, arg: object) -> None:
        ran.add(frame.f_code.co_filename)  # type: ignore[attr-defined]

    sys.settrace(tracer)
    try:
        for lst in lists:
            assert payload(archive.get(lst.identifier), "oai_dc") is not None
    finally:
        sys.settrace(None)
    ran_here = {str(Path(f).resolve().relative_to(root)) for f in ran
                if Path(f).resolve().is_relative_to(root)}
    sources = {**writer_sources(DC.write_module(), root), **writer_sources(READER, root)}
    stamped = set()
    for name in sources:
        parts = name.split(".")[1:]
        module = Path(*parts) if parts else Path()
        stamped.add(str(module.with_suffix(".py")) if (root / module).with_suffix(".py").is_file()
                    else str(module / "__init__.py"))
    assert "dc/write.py" in ran_here and "rli/read.py" in ran_here
    assert ran_here <= stamped, ran_here - stamped
