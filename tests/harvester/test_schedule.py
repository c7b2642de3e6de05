"""Several sources at once: per-host workers, one connection per host (harvester/schedule.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from harvester.envelope import Identity
from harvester.schedule import Settings, host_of, run_sources
from harvester.shared.db import open_db
from harvester.shared.protocol import Granularity
from harvester.sources import Source, add_source, ensure_schema, get_source
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
IDENTITY = Identity("P", "", "2.0", "2020-01-01", "persistent", Granularity.SECONDS, "")


class Concurrency:
    """WSGI middleware counting how many requests are in flight at most."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.now = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self.app(environ, start_response)
        finally:
            with self.lock:
                self.now -= 1


def test_host_of_groups_by_scheme_and_authority() -> None:
    assert host_of("http://A.example:8080/oai?x=1") == "http://a.example:8080"
    assert host_of("https://a.example/oai") != host_of("http://a.example/oai")


def test_sources_on_one_host_never_overlap(tmp_path: Path) -> None:
    records = [Rec(f"oai:p:{i}", T0 - timedelta(hours=i), f"T {i}", ("s1",) if i % 2 else ("s2",))
               for i in range(8)]
    peer = Concurrency(CatalogPeer(records, page_size=2, delay=0.05))
    db_path = tmp_path / "rli.db"
    db = open_db(db_path)
    ensure_schema(db)
    with serve(peer) as url:
        for name, spec in (("one", "s1"), ("two", "s2"), ("both", "")):
            sets = (spec,) if spec else ()
            add_source(db, Source(name, url, "oai_dc", sets), IDENTITY, T0)
        chosen = [get_source(db, n) for n in ("one", "two", "both")]
        results = run_sources(db_path, chosen, Settings(keep_dir=tmp_path / "broken"))
    assert [r.source for r in results] == ["one", "two", "both"]
    assert [r.records for r in results] == [4, 4, 8]
    assert all(r.ok for r in results)
    assert peer.most == 1
    db.conn.close()
