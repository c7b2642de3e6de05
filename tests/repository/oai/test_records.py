"""repository.oai.records: the three rendering tiers never serve a stale record."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks.registry import FORMATS
from repository.archive import Archive
from repository.oai import store as oai_store
from repository.oai.compression import rendered
from repository.oai.provider import Provider
from repository.oai.records import RecordRenderer, RenderCache, fingerprint
from repository.serve import prepare_database
from tests.oai_fixtures import SECRET, Clock, config, fill, new_archive

DC = FORMATS["oai_dc"]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 5)
    archive.delete("l003", editor="t", note="n")
    oai_store.prepare(archive)
    return archive


def _renderer(archive: Archive, stamp: str = "s1", size: int = 100) -> RecordRenderer:
    provider = Provider(archive, config(), secret=SECRET)
    return RecordRenderer(archive, identifier=provider.oai_identifier,
                          version_url=provider.version_url, cache=RenderCache(size), stamp=stamp)


def _stored(archive: Archive) -> list[tuple[str, str]]:
    return archive.db.conn.execute(
        "SELECT list_id, stamp FROM provider_records ORDER BY list_id").fetchall()


def test_renders_store_and_reuse(archive: Archive) -> None:
    states = archive.changes(limit=10)
    first = _renderer(archive).records(states, DC)
    assert len(first) == 5
    assert [r for r, _ in _stored(archive)] == ["l000", "l001", "l002", "l004"]  # not deleted
    # a fresh process (empty LRU) serves the stored bytes, identical
    assert _renderer(archive).records(states, DC) == first
    # poison the store: only a fresh renderer with the same stamp would show it
    archive.db.conn.execute("UPDATE provider_records SET record = ? WHERE list_id = 'l000'",
                            (b"<record>stored</record>",))
    assert _renderer(archive).records(states[:1], DC)[0].raw == b"<record>stored</record>"
    assert _renderer(archive, stamp="s2").records(states[:1], DC) == first[:1]


def test_new_version_is_rendered_again(archive: Archive) -> None:
    renderer = _renderer(archive)
    before = renderer.records([archive.state("l001")], DC)[0]
    archive.save(replace(archive.get("l001"), title="A new title"), editor="t", note="v2")
    after = renderer.records([archive.state("l001")], DC)[0]
    assert b"A new title" in after.raw and b"A new title" not in before.raw


def test_lru_is_bounded(archive: Archive) -> None:
    renderer = _renderer(archive, size=2)
    renderer.records(archive.changes(limit=10), DC)
    assert len(renderer.cache) == 2


def test_read_only_database_still_serves(archive: Archive, tmp_path: Path) -> None:
    uri = f"file:{tmp_path / 'rli.db'}?mode=ro"
    ro = Archive.__new__(Archive)
    ro.db = type(archive.db)(sqlite3.connect(uri, uri=True, isolation_level=None))
    states = archive.changes(limit=10)
    renderer = RecordRenderer(ro, identifier=str, version_url=lambda i, n: f"u/{i}/{n}",
                              cache=RenderCache(10), stamp="ro")
    assert len(renderer.records(states, DC)) == 5
    assert oai_store.store_records(ro, "oai_dc", "ro", [("l000", 1, rendered(b"x"))]) is False


def test_prerender_makes_only_what_is_missing(archive: Archive, tmp_path: Path) -> None:
    assert prepare_database(tmp_path / "rli.db", config(), ["oai_dc"]) == {"oai_dc": 4}
    assert prepare_database(tmp_path / "rli.db", config(), ["oai_dc"]) == {"oai_dc": 0}
    assert prepare_database(tmp_path / "rli.db", config(base_url="https://x.org/oai"),
                            ["oai_dc"]) == {"oai_dc": 4}


def test_fingerprint_depends_on_settings() -> None:
    assert fingerprint("a") == fingerprint("a")
    assert fingerprint("a") != fingerprint("b")


class _Stop(Exception):
    pass


def test_prerender_starts_from_the_newest_change(tmp_path: Path) -> None:
    # A first harvest walks oldest first while `rli serve` prerenders beside it: the
    # prerender starting from the newest change meets the harvest in the middle
    # instead of rendering the same records alongside it (issue 15).
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 12)
    oai_store.prepare(archive)
    archive.delete("l010", editor="t", note="n")  # now the newest change, and not rendered

    def stop(done: int) -> None:
        raise _Stop

    with pytest.raises(_Stop):
        _renderer(archive).prerender(DC, batch=4, progress=stop)
    assert sorted(lid for lid, _ in _stored(archive)) == ["l008", "l009", "l011"]
    assert _renderer(archive).prerender(DC, batch=4) == 11 - 3
