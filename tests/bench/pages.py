"""Page benchmark: latency of ``/lists/<id>`` and ``/search`` over a large archive.

Generates N lists (:func:`tests.bench.generate.make_lists`: 10-50 citations,
course code, owner, notes) and saves them through the archive exactly as
``rli import`` does (:func:`tests.bench.generate.build_archive`: versions
archived, list search index kept), starts a real ``rli serve`` (two gunicorn
workers, no oai_dc prerendering) on 127.0.0.1, then times, with one client,
GET of ``/lists/<id>`` for ``--requests`` lists drawn at random and GET of
``/search?q=...`` over a fixed mix of queries (a word of the generated titles,
rare to common; two words; a prefix; lists only; a facet), each a
full HTTP round trip including rendering. Reports median and p95 in ms.

Usage::

    .venv/bin/python -m tests.bench.pages --lists 100000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx

from tests.bench.generate import WORDS, build_archive, make_lists
from tests.live_server import rli_serve


def queries() -> list[dict[str, str]]:
    """The /search mix: single words of the generated titles, pairs, a prefix, narrowed ones."""
    words = list(WORDS)
    mix: list[dict[str, str]] = [{"q": w} for w in words[:8]]
    mix += [{"q": f"{a} {b}"} for a, b in zip(words[:4], words[4:8], strict=True)]
    mix += [{"q": words[0][:4] + "*"}, {"q": words[1], "in": "lists"},
            {"q": words[2], "in": "lists", "course": "HIST2041"},
            {"q": f'"{words[3]} {words[4]}"'}]
    return mix


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: {response.status_code}")
    return elapsed


def bench(count: int, requests: int, work: Path) -> dict[str, Any]:
    db = work / "pages.db"
    start = time.perf_counter()
    build_archive(make_lists(count), db)
    built = time.perf_counter() - start
    rng = random.Random(7)
    results: dict[str, Any] = {"lists": count, "build_lists_per_s": round(count / built, 1)}
    with rli_serve(db, "--prerender", "", workers=2) as served, httpx.Client(timeout=60) as c:
        timed(c, served.root + "/search", {"q": WORDS[0]})  # warm both workers a little
        timed(c, served.root + "/lists/list0000000")
        lists = [timed(c, f"{served.root}/lists/list{rng.randrange(count):07d}")
                 for _ in range(requests)]
        mix = queries()
        searches = [timed(c, served.root + "/search", mix[n % len(mix)])
                    for n in range(requests)]
    for name, values in (("list_page", lists), ("search_page", searches)):
        results[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        results[f"{name}_p95_ms"] = round(percentile(values, 0.95), 1)
        results[f"{name}_max_ms"] = round(max(values), 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, help="folder for the archive (default: temporary)")
    args = parser.parse_args(argv)
    with TemporaryDirectory(dir=args.work) as folder:
        results = bench(args.lists, args.requests, Path(folder))
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
