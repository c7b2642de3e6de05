"""The benchmark machinery end to end at a tiny size (tests/bench/): every JSON key, real servers.

The full benchmark is not part of the default run; this proves it works:
generation is deterministic and schema-valid, the pyoai peer answers valid
OAI-PMH with the same oai_dc content rli's writer gives, and one
``python -m tests.bench.run --lists 150`` run over real sockets writes every
figure and ratio.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from crosswalks.rli import ResourceType, binding, count_resources, iter_resources
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.shared.protocol import OAI_NS
from tests.bench.generate import build_peer, dc_fields, make_lists
from tests.bench.pyoai_peer import make_app
from tests.bench.run import TARGETS
from tests.bench.servers import BenchError, read_through
from tests.peers.serve import serve

ROOT = Path(__file__).resolve().parents[1]
DC_NS = "http://purl.org/dc/elements/1.1/"
KEYS = (
    "serve_records_per_s", "peer_serve_records_per_s", "harvest_records_per_s",
    "sickle_records_per_s", "first_page_ms", "last_page_ms", "getrecord_rps",
    "server_peak_rss_mb", "harvester_peak_rss_mb", "parse_limit_records_per_s",
    "harvest_cpu_us_per_record", "parse_cpu_us_per_record", "lists",
    "serve_cpu_us_per_record", "peer_serve_cpu_us_per_record", "foreign_harvest_records_per_s",
    "foreign_sickle_records_per_s", "archive_lists_per_s", "rli_import_lists_per_s",
    "rli_import_cpu_ms_per_list", "getrecord_client_cpu_us_per_request", "set_first_page_ms",
    "window_first_page_ms", "dump_records_per_s",
)
RATIOS = ("serve_cpu_vs_peer", "first_walk_vs_peer", "getrecord_vs_peer", "last_vs_first_page",
          "set_vs_first_page", "window_vs_first_page", "harvest_vs_sickle",
          "foreign_harvest_vs_sickle", "harvest_cpu_vs_parse_cpu",
          "bulk_import_vs_target", "rli_import_vs_target", "archive_bytes_vs_budget",
          "server_rss_vs_budget", "harvester_rss_vs_budget")


def test_generated_lists_are_deterministic_varied_and_schema_valid() -> None:
    first, again = list(make_lists(12, seed=7)), list(make_lists(12, seed=7))
    other = list(make_lists(12, seed=8))
    assert first == again
    assert first != other
    assert len({lst.identifier for lst in first}) == 12
    assert all(10 <= count_resources(lst) <= 50 for lst in first)
    types = {res.type for lst in first for _, res in iter_resources(lst.items)}
    assert {ResourceType.BOOK, ResourceType.JOURNAL_ARTICLE, ResourceType.BOOK_CHAPTER} <= types
    for lst in first[:4]:
        validate(parse_untrusted(binding.write_list(lst)), "rli")


def test_peer_serves_valid_oai_with_rli_dc_fields(tmp_path: Path) -> None:
    import httpx

    lists = list(make_lists(130, seed=3))
    build_peer(lists, tmp_path / "peer.db", "2026-01-02T03:04:05Z")
    with serve(make_app(str(tmp_path / "peer.db"))) as url, httpx.Client(timeout=30) as client:
        page = parse_untrusted(client.get(url, params={
            "verb": "ListRecords", "metadataPrefix": "oai_dc"}).content)
        validate(page, "oai-pmh")
        records = page.findall(f"{{{OAI_NS}}}ListRecords/{{{OAI_NS}}}record")
        token = page.findtext(f"{{{OAI_NS}}}ListRecords/{{{OAI_NS}}}resumptionToken")
        assert len(records) == 100 and token
        rest = parse_untrusted(client.get(url, params={
            "verb": "ListRecords", "resumptionToken": token}).content)
        validate(rest, "oai-pmh")
        assert len(rest.findall(f"{{{OAI_NS}}}ListRecords/{{{OAI_NS}}}record")) == 30
        one = parse_untrusted(client.get(url, params={
            "verb": "GetRecord", "metadataPrefix": "oai_dc",
            "identifier": f"oai:pyoai.bench:{lists[5].identifier}"}).content)
        validate(one, "oai-pmh")
    relations = [el.text for el in one.iter(f"{{{DC_NS}}}relation")]
    assert len(relations) == count_resources(lists[5])
    assert relations == dc_fields(lists[5])["relation"]
    assert one.findtext(f".//{{{DC_NS}}}title") == lists[5].title


def test_peer_pages_are_the_rows_offset_would_give(tmp_path: Path) -> None:
    import sqlite3

    from tests.bench.pyoai_peer import SQLiteStore

    build_peer(list(make_lists(250, seed=4)), tmp_path / "peer.db", "2026-01-02T03:04:05Z")
    conn = sqlite3.connect(tmp_path / "peer.db")
    store = SQLiteStore(conn, "http://127.0.0.1/oai")
    for cursor in (0, 1, 99, 100, 200, 249, 250):
        got = [h.identifier() for h in store.listIdentifiers(cursor=cursor, batch_size=100)]
        want = [f"{r[0]}" for r in conn.execute(
            "SELECT identifier FROM records ORDER BY n LIMIT 100 OFFSET ?", (cursor,))]
        assert got == want and len(got) == min(100, 250 - cursor), cursor


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], str]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.run", "--lists", "150", "--json", str(out),
         "--getrecord-seconds", "1", "--rss-compare", "40"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout


def test_bench_run_writes_every_figure(figures: tuple[dict[str, object], str]) -> None:
    results, _ = figures
    assert results["lists"] == 150
    for key in KEYS:
        value = results[key]
        assert isinstance(value, (int, float)) and math.isfinite(value), key
        # Server CPU is read to the nanosecond (clock_getcpuclockid): two warm walks of
        # 150 records (about 10 ms of rli's server) cannot read zero, as they could in
        # /proc's 10 ms ticks.
        assert value > 0, key
    # a page of 100 oai_dc records cannot come back in under 0.1 ms
    assert float(results["first_page_ms"]) > 0.1  # type: ignore[arg-type]
    assert float(results["harvester_peak_rss_small_mb"]) > 10  # type: ignore[arg-type]


def test_bench_ratios_and_verdicts_follow_the_figures(
    figures: tuple[dict[str, object], str],
) -> None:
    results, stdout = figures
    verdicts = results["targets"]
    assert isinstance(verdicts, dict) and set(verdicts) == set(RATIOS)
    for key, num, den, op, target, label in TARGETS:
        ratio = float(results[num]) / float(results[den])  # type: ignore[arg-type]
        assert float(results[key]) == pytest.approx(ratio)  # type: ignore[arg-type]
        assert verdicts[key] == (ratio >= target if op == ">=" else ratio <= target)
        line = next(x for x in stdout.splitlines() if x.startswith(label))
        assert line.endswith("PASS" if verdicts[key] else "FAIL")



def test_skip_peers_measures_rli_alone_and_says_what_it_left(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.run", "--lists", "120", "--json", str(out),
         "--getrecord-seconds", "1", "--skip-peers"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["peers_measured"] is False
    assert "peer_serve_records_per_s" not in results
    assert "foreign_harvest_records_per_s" not in results
    for key in ("serve_cpu_us_per_record", "last_page_ms", "getrecord_rps",
                "harvest_records_per_s", "sickle_records_per_s", "server_peak_rss_mb"):
        assert key in results, key
    skipped = {key for key, num, den, *_ in TARGETS
               if not (num in results and den in results)}
    assert skipped == {"serve_cpu_vs_peer", "first_walk_vs_peer", "getrecord_vs_peer",
                       "foreign_harvest_vs_sickle"}
    assert set(results["targets"]) == set(RATIOS) - skipped
    for key, *_rest, label in TARGETS:
        line = next(x for x in done.stdout.splitlines() if x.startswith(label))
        assert line.endswith("not measured") == (key in skipped), line


def test_read_through_reads_a_database_and_its_log_whole(tmp_path: Path) -> None:
    # Before the first walks (the benchmark machine pages out files left unread for a
    # minute, and a first walk then measured the disk): every byte of both files.
    db = tmp_path / "a.db"
    db.write_bytes(b"x" * 3_000_001)
    assert read_through(db, chunk=1 << 16) == 3_000_001
    (tmp_path / "a.db-wal").write_bytes(b"y" * 70_000)
    assert read_through(db, chunk=1 << 16) == 3_070_001
    with pytest.raises(BenchError, match="no database"):  # a wrong path is not skipped
        read_through(tmp_path / "elsewhere.db")
