"""Histories travel over a harvest: an rli harvest of another rli copies every version.

Real processes over real HTTP: the versions' URLs in the `rli` payload are
fetched from the upstream `rli serve`; the copy has the same numbers,
sha256s, editors, dates and notes, and each version keeps its provenance.
The last tests copy a history between two archives in process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crosswalks.rli import ResourceList, VersionInfo
from harvester.shared.blobs import pack, unpack
from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.replicate import replicate_history
from repository.oai.provider import ProviderConfig
from repository.oai.wsgi import make_app as oai_app
from tests.conftest import Clock
from tests.factories import make_list
from tests.peers.serve import serve
from tests.test_end_to_end import Server, rli


def histories(db: Path) -> dict[str, list[tuple[int, str, str, str, str]]]:
    archive = Archive(open_db(db))
    return {
        s.id: [(v.version, v.sha256, v.editor, v.archived_at, v.note)
               for v in archive.history(s.id)]
        for s in archive.summaries(include_deleted=False)
    }


def test_rli_harvest_copies_every_version(upstream: tuple[Path, Server], tmp_path: Path) -> None:
    up_db, srv = upstream
    rli(up_db, "annotate", "law2210-2026", "Checked again in March")
    db = tmp_path / "copy.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(db, "harvest", "up")
    assert histories(db) == histories(up_db)
    assert len(histories(db)["hist2041-2026"]) == 3
    copy = Archive(open_db(db))
    assert all(copy.origin("hist2041-2026", n) is not None for n in (1, 2, 3))

    # deletion, restore and new versions upstream follow, numbers and all
    rli(up_db, "delete", "law2210-2026", "--note", "course paused")
    time.sleep(1.1)  # the provider's granularity is one second
    rli(db, "harvest", "up")
    assert Archive(open_db(db)).state("law2210-2026").deleted
    rli(up_db, "restore", "law2210-2026", "--note", "course back")
    rli(up_db, "annotate", "econ1001-2026", "First note")
    rli(up_db, "annotate", "econ1001-2026", "Second note")
    time.sleep(1.1)
    rli(db, "harvest", "up")
    assert histories(db) == histories(up_db)
    assert [v[0] for v in histories(db)["econ1001-2026"]] == [1, 2, 3]
    assert [v[4] for v in histories(db)["law2210-2026"]] == [
        "bundled list", "annotated list", "course back"]


def test_a_version_that_does_not_match_its_sha256_is_not_kept(
    upstream: tuple[Path, Server], tmp_path: Path
) -> None:
    up_db, srv = upstream
    with open_db(up_db).conn as conn:  # upstream serves a v1 whose bytes no longer match
        where = " WHERE list_id = 'hist2041-2026' AND version = 1"
        (stored,) = conn.execute("SELECT document FROM list_versions" + where).fetchone()
        conn.execute("UPDATE list_versions SET document = ?" + where,
                     (pack(unpack(stored) + b" "),))
    db = tmp_path / "copy.db"
    rli(db, "source", "add", "up", srv.url, "--prefix", "rli")
    rli(db, "harvest", "up")
    copy = Archive(open_db(db))
    # falls back to the latest version alone, as before histories travelled
    assert [v.version for v in copy.history("hist2041-2026")] == [1]
    assert copy.history("hist2041-2026")[0].sha256 == histories(up_db)["hist2041-2026"][2][1]
    assert histories(db)["econ1001-2026"] == histories(up_db)["econ1001-2026"]


def _write_lock_refused(db: Path) -> str:
    """Why another writer cannot take ``db``'s write lock within a second ("" if it can)."""
    other = sqlite3.connect(db, timeout=1.0)
    try:
        other.execute("BEGIN IMMEDIATE")  # what any other writer does first
        other.execute("ROLLBACK")
        return ""
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


def test_past_versions_are_fetched_before_the_page_takes_the_write_lock(tmp_path: Path) -> None:
    """Found in review: a page's lists had their past versions fetched inside the page's
    write transaction, so every other writer (an edit on the web pages, an import) waited
    on the upstream provider, and failed after the 30 s busy timeout."""
    up_db = tmp_path / "upstream.db"
    rli(up_db, "demo", "--no-serve")
    asked, release = threading.Event(), threading.Event()
    served: dict[str, Callable[..., Iterable[bytes]]] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if "/versions/" in environ["PATH_INFO"] and not release.is_set():
            asked.set()  # the harvest is waiting on a past version now
            release.wait(60)
        return served["app"](environ, start_response)

    db = tmp_path / "copy.db"
    with serve(app) as url:
        served["app"] = oai_app(up_db, ProviderConfig(base_url=url))
        rli(db, "source", "add", "up", url, "--prefix", "rli")
        harvest = subprocess.Popen(
            [sys.executable, "-c", "from repository.cli import main; main()", "--db", str(db),
             "harvest", "up"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert asked.wait(60), "the harvest asked for no past version"
            locked = _write_lock_refused(db)
        finally:
            release.set()
            out, err = harvest.communicate(timeout=120)
    assert harvest.returncode == 0, err
    assert locked == "", "another writer was locked out while a version was fetched"
    assert histories(db) == histories(up_db)
    assert len(histories(db)["hist2041-2026"]) == 3


def test_prefetched_versions_answer_once_and_the_rest_is_fetched_when_asked(
    tmp_path: Path,
) -> None:
    from urllib.parse import urlsplit

    import httpx

    from crosswalks.validation import validate
    from harvester.client import OAIClient, oai_args
    from harvester.envelope import read_record
    from harvester.errors import TransportError
    from harvester.records import Context, prefetch_versions, prepare
    from harvester.shared.protocol import Verb
    from harvester.sources import ensure_schema
    from harvester.versions import version_fetcher
    from repository.archive.harvest_sink import HarvestedLists

    up_db = tmp_path / "upstream.db"
    rli(up_db, "demo", "--no-serve")
    rli(up_db, "annotate", "law2210-2026", "Checked again in March")  # now 2 versions
    asked: list[str] = []
    served: dict[str, Callable[..., Iterable[bytes]]] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        if "/versions/" in path:
            asked.append(path)
            if path.startswith("/lists/law2210-2026/"):  # this list's past versions fail
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"later"]
        return served["app"](environ, start_response)

    copy = open_db(tmp_path / "copy.db")
    ensure_schema(copy)
    sink = HarvestedLists(Archive(copy))
    with serve(app) as url, httpx.Client() as http:
        served["app"] = oai_app(up_db, ProviderConfig(base_url=url))
        client = OAIClient(url, http, keep_dir=tmp_path)
        (page,) = list(client.pages(Verb.LIST_RECORDS, oai_args(prefix="rli")))
        validate(page.root, "oai-pmh")
        raws = tuple(prepare(read_record(el)) for el in page.items)
        ctx = Context("up", url, "rli", 1, "2026-12-01T00:00:00Z", sink,
                      version_fetcher(client))
        base = url.removesuffix("/oai")

        fetch = prefetch_versions(copy, ctx, raws)
        assert sorted(asked) == ["/lists/hist2041-2026/versions/1.xml",
                                 "/lists/hist2041-2026/versions/2.xml",
                                 "/lists/law2210-2026/versions/1.xml"]
        assert fetch is not None and fetch is not ctx.fetch
        before = len(asked)
        document = fetch(f"{base}/lists/hist2041-2026/versions/1.xml")
        assert document == Archive(open_db(up_db)).document("hist2041-2026", 1)
        with pytest.raises(TransportError, match="503"):  # the failure, not asked again
            fetch(f"{base}/lists/law2210-2026/versions/1.xml")
        assert len(asked) == before
        fetch(f"{base}/lists/hist2041-2026/versions/3.xml")  # not foreseen: asked now
        assert len(asked) == before + 1

        asked.clear()  # a budget spent leaves the rest to be asked later
        assert prefetch_versions(copy, ctx, raws, budget=0) is not None
        assert asked == ["/lists/hist2041-2026/versions/1.xml"]

        # a URL the fetcher cannot even parse fails that list only, where save asks for it
        # (it used to escape and fail the page, so the harvest could never pass it)
        bad = "http://[provider/lists/hist2041-2026/versions/1.xml"
        for el in page.items:
            for version in el.iter():
                if version.get("url", "").endswith("/lists/hist2041-2026/versions/1.xml"):
                    version.set("url", bad)
        broken = tuple(prepare(read_record(el)) for el in page.items)
        asked.clear()
        fetch = prefetch_versions(copy, ctx, broken)
        assert fetch is not None and asked == ["/lists/law2210-2026/versions/1.xml"]
        # a TransportError, which save() answers by archiving the latest version alone
        # (a ValueError failed the list); so is a port past 65535 or a control character
        with pytest.raises(TransportError, match="IPv6"):
            fetch(bad)
        for other, why in ((base.replace(f":{urlsplit(base).port}", ":99999"), "not a usable"),
                           (f"{base}/lists/x/versions/\x01.xml", "InvalidURL")):
            with pytest.raises(TransportError, match=why):
                fetch(other)


def test_pending_lists_fetch_their_past_versions_before_the_write_lock(tmp_path: Path) -> None:
    """Found in review: records kept ``pending`` (harvested with no archive to receive
    them) are read again at the next run in one write transaction, and their lists'
    past versions were fetched inside it, holding every other writer off."""
    import httpx

    from harvester.client import OAIClient
    from harvester.job import run_harvest
    from harvester.query import resource_rows
    from harvester.sources import get_source
    from repository.archive.harvest_sink import HarvestedLists

    up_db = tmp_path / "upstream.db"
    rli(up_db, "demo", "--no-serve")
    block, asked, release = threading.Event(), threading.Event(), threading.Event()
    served: dict[str, Callable[..., Iterable[bytes]]] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if "/versions/" in environ["PATH_INFO"] and block.is_set() and not release.is_set():
            asked.set()
            release.wait(60)
        return served["app"](environ, start_response)

    db_path = tmp_path / "copy.db"
    db = open_db(db_path)
    with serve(app) as url, httpx.Client() as http:
        served["app"] = oai_app(up_db, ProviderConfig(base_url=url))
        rli(db_path, "source", "add", "up", url, "--prefix", "rli")
        client = OAIClient(url, http, keep_dir=tmp_path)
        first = run_harvest(db, get_source(db, "up"), client)  # no archive: kept pending
        assert first.ok and {r.status for r in resource_rows(db, "up")} == {"pending"}
        block.set()
        outcome: list[object] = []
        again = threading.Thread(target=lambda: outcome.append(run_harvest(
            db, get_source(db, "up"), client, sink=HarvestedLists(Archive(db)))))
        again.start()
        try:
            assert asked.wait(60), "no past version was asked for"
            locked = _write_lock_refused(db_path)
        finally:
            release.set()
            again.join(60)
    assert locked == "", "another writer was locked out while a pending list's version came"
    assert outcome and getattr(outcome[0], "ok", False)
    assert {r.status for r in resource_rows(db, "up")} == {"list"}
    assert histories(db_path) == histories(up_db)


def test_each_harvested_list_is_read_and_written_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading an rli list into the model and writing its canonical document are most of a
    harvested list's cost (about 2 ms each for 30 items): the lists read to plan which
    past versions to fetch before the write lock are the ones stored, not read again, and
    each version's canonical document is written once (the latest was written to compare
    it with upstream's history, then again by the save)."""
    import hashlib

    import httpx

    import harvester.records
    from crosswalks.rli import binding
    from harvester.client import OAIClient
    from harvester.job import run_harvest
    from harvester.sources import get_source
    from repository.archive.harvest_sink import HarvestedLists

    up_db = tmp_path / "upstream.db"
    rli(up_db, "demo", "--no-serve")
    rli(up_db, "annotate", "law2210-2026", "Checked again in March")  # now 2 versions
    reads: list[str] = []
    real = harvester.records._harvested_list

    def counted(record: Any, *rest: Any) -> Any:
        reads.append(record.header.identifier)
        return real(record, *rest)

    monkeypatch.setattr(harvester.records, "_harvested_list", counted)
    written: list[tuple[str, str]] = []
    write = binding._write  # what write_list and clean_and_write both write by

    def counted_write(lst: Any, *, cleaned: bool) -> bytes:
        document = write(lst, cleaned=cleaned)
        written.append((lst.identifier, hashlib.sha256(document).hexdigest()))
        return document

    monkeypatch.setattr(binding, "_write", counted_write)
    served: dict[str, Callable[..., Iterable[bytes]]] = {}
    db_path = tmp_path / "copy.db"
    db = open_db(db_path)
    with serve(lambda environ, start: served["app"](environ, start)) as url, \
            httpx.Client() as http:
        served["app"] = oai_app(up_db, ProviderConfig(base_url=url))  # its version URLs
        rli(db_path, "source", "add", "up", url, "--prefix", "rli")
        client = OAIClient(url, http, keep_dir=tmp_path)
        result = run_harvest(db, get_source(db, "up"), client, sink=HarvestedLists(Archive(db)))
    assert result.ok, result.error
    assert histories(db_path) == histories(up_db)  # every version copied, as before
    assert sorted(reads) == sorted(set(reads)) and len(reads) == result.records
    versions = [v for history in histories(db_path).values() for v in history]
    assert sorted(written) == sorted(set(written)) and len(written) == len(versions)
    assert {sha for _, sha in written} == {sha for _, sha, *_ in versions}



def _with_history(source: Archive, list_id: str, upto: int | None = None) -> ResourceList:
    """``list_id`` as the ``rli`` payload gives it, each version with a URL; its first
    ``upto`` versions only (as it was then) if given."""
    versions = tuple(replace(v, url=f"v{v.version}") for v in source.history(list_id))
    return replace(source.get(list_id, upto), history=versions[:upto])


def _copy(source: Archive, copy: Archive, list_id: str,
          upto: int | None = None) -> VersionInfo | None:
    return replicate_history(copy, _with_history(source, list_id, upto), source=None,
                             origin=None, sets=(),
                             fetch=lambda url: source.document(list_id, int(url[1:])))


def _restored(source: Archive, list_id: str) -> None:
    source.delete(list_id, editor="ed", note="paused")
    source.restore(list_id, editor="ed", note="back")


def _saved_over_deleted(source: Archive, list_id: str) -> None:  # import --new-version
    source.delete(list_id, editor="ed", note="paused")
    source.save(source.get(list_id), editor="ed", note="same file again")


@pytest.mark.parametrize("back", [_restored, _saved_over_deleted])
def test_a_version_with_the_content_of_the_one_before_is_copied(
    tmp_path: Path, back: Callable[[Archive, str], None]
) -> None:
    """Found in review: a history with a restore in it (a version whose content is the
    one before it) could not be copied, by a harvest or an import of a history package:
    the copy saved it, which makes no version of unchanged content."""
    clock = Clock()
    source = Archive(open_db(tmp_path / "source.db"), clock=clock)
    source.add(make_list("l1"), editor="ed", note="first")
    clock.advance()
    back(source, "l1")  # version 2: the content of version 1
    clock.advance()
    source.save(make_list("l1", items=4), editor="ed", note="more")  # version 3
    first, second, _ = source.history("l1")
    assert second.sha256 == first.sha256

    clock.advance(3600)
    copy = Archive(open_db(tmp_path / "copy.db"), clock=clock)
    info = _copy(source, copy, "l1")
    assert info is not None and info.version == 3
    assert copy.history("l1") == source.history("l1")  # numbers, sha256s, dates, notes
    assert [copy.document("l1", n) for n in (1, 2, 3)] == [
        source.document("l1", n) for n in (1, 2, 3)]
    assert not copy.state("l1").deleted and copy.tombstone("l1") is None
    assert [v.version for v in copy.history("l1")] == [1, 2, 3]

    # a copy made at version 1 follows the restore at its next copy
    later = Archive(open_db(tmp_path / "later.db"), clock=clock)
    assert _copy(source, later, "l1", upto=1) is not None
    assert [v.version for v in later.history("l1")] == [1]
    assert _copy(source, later, "l1") is not None
    assert later.history("l1") == source.history("l1")
