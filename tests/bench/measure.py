"""The client-side measurements: harvest loops, page timings, GetRecord load, pure parsing.

Every loop is bounded (request timeouts, a page limit). Pages are parsed with
``crosswalks.xmlsafe.parse_untrusted``, the same strict parse the harvester
uses. Raises BenchError when a provider answers with something other than
the records expected (HTTP error, OAI error, a page limit reached).
"""

from __future__ import annotations

import random
import socket
import statistics
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx
from lxml import etree
from sickle import Sickle

from crosswalks.xmlsafe import XMLInputError, parse_untrusted
from harvester.shared.protocol import OAI_NS
from tests.bench.servers import BenchError

_O = f"{{{OAI_NS}}}"
TIMEOUT = httpx.Timeout(120.0)
MAX_PAGES = 100_000


@dataclass(frozen=True)
class Walk:
    """One full ListRecords harvest by the minimal client."""

    records: int
    seconds: float
    pages: tuple[bytes, ...]
    tokens: tuple[str, ...]
    identifiers: tuple[str, ...]

    @property
    def records_per_s(self) -> float:
        return self.records / self.seconds


def _page(client: httpx.Client, url: str, params: dict[str, str]) -> tuple[bytes, etree._Element]:
    response = client.get(url, params=params)
    if response.status_code != 200:
        raise BenchError(f"{url}: HTTP {response.status_code}")
    root = parse_untrusted(response.content, source="bench page")
    err = root.find(f"{_O}error")
    if err is not None:
        raise BenchError(f"{url}: OAI error {err.get('code')}: {err.text}")
    return response.content, root


def walk(url: str, *, keep: bool = False, prefix: str = "oai_dc", gzip: bool = True) -> Walk:
    """Harvest every record of ``url`` with a plain httpx page loop; ``keep`` saves the pages.

    ``gzip=False`` asks for uncompressed bodies (``Accept-Encoding: identity``).
    """
    pages: list[bytes] = []
    tokens: list[str] = []
    identifiers: list[str] = []
    records = 0
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    start = time.perf_counter()
    headers = {} if gzip else {"Accept-Encoding": "identity"}
    with httpx.Client(timeout=TIMEOUT, headers=headers) as client:
        for _ in range(MAX_PAGES):
            body, root = _page(client, url, params)
            found = root.findall(f"{_O}ListRecords/{_O}record")
            records += len(found)
            if keep:
                pages.append(body)
                identifiers.extend(str(r.findtext(f"{_O}header/{_O}identifier")) for r in found)
            token = root.findtext(f"{_O}ListRecords/{_O}resumptionToken")
            if not token:
                break
            tokens.append(token)
            params = {"verb": "ListRecords", "resumptionToken": token}
        else:
            raise BenchError(f"{url}: more than {MAX_PAGES} pages")
    seconds = time.perf_counter() - start
    return Walk(records, seconds, tuple(pages), tuple(tokens), tuple(identifiers))


def sickle_records_per_s(url: str, expected: int, *, prefix: str = "oai_dc") -> float:
    """Records/s of a full Sickle ListRecords harvest (fetch and parse only)."""
    start = time.perf_counter()
    sickle = Sickle(url, timeout=120, max_retries=0)
    count = sum(1 for _ in sickle.ListRecords(metadataPrefix=prefix, ignore_deleted=False))
    seconds = time.perf_counter() - start
    if count != expected:
        raise BenchError(f"Sickle harvested {count} records, expected {expected}")
    return count / seconds


def median_ms(
    url: str, requests: dict[str, dict[str, str]], repeats: int = 15
) -> dict[str, float]:
    """Median wall time in ms of each named request, asked ``repeats`` times (one warm-up
    each first). The requests take turns, each round starting with the next, so a machine
    whose speed drifts (a shared one moved by up to 40% within minutes) weighs on each
    alike: their ratios are what count."""
    times: dict[str, list[float]] = {name: [] for name in requests}
    with httpx.Client(timeout=TIMEOUT) as client:
        for params in requests.values():
            _page(client, url, params)
        names = list(requests)
        for round_ in range(repeats):  # each round begins with the next one
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                start = time.perf_counter()
                _page(client, url, requests[name])
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(taken) for name, taken in times.items()}


def getrecord_rps(
    url: str, identifiers: Sequence[str], *, clients: int = 8, seconds: float = 5.0,
    prefix: str = "oai_dc", seed: int = 8,
) -> float:
    """GetRecord requests/s over ``seconds`` from ``clients`` threads asking random ids.

    Each thread is a :class:`_Connection`, not httpx: httpx's client took about 1 ms of
    CPU a request, more than either server, so the figure measured the client.
    """
    if not identifiers:
        raise BenchError("no identifiers to ask for")
    counts = [0] * clients
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed + n)
        connection = _Connection(url)
        try:
            while time.perf_counter() < deadline:
                query = urlencode({"verb": "GetRecord", "metadataPrefix": prefix,
                                   "identifier": rng.choice(identifiers)})
                root = parse_untrusted(connection.get(query), source="bench GetRecord")
                if root.find(f"{_O}GetRecord/{_O}record") is None:
                    failures.append("GetRecord answer without a record")
                    return
                counts[n] += 1
        except (BenchError, OSError, XMLInputError) as exc:
            failures.append(str(exc))
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 130)
    elapsed = time.perf_counter() - start
    if failures:
        raise BenchError(f"GetRecord failed: {failures[0]}")
    return sum(counts) / elapsed


class _Connection:
    """A kept-alive HTTP/1.1 connection that GETs ``url?query`` and gives the body (gunzipped),
    reconnecting when the server closes: the least a client can do for each answer."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.hostname is None or parts.port is None:
            raise BenchError(f"{url}: no host and port")
        self.address = (parts.hostname, parts.port)
        self.start = f"GET {parts.path}?"
        self.end = f" HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept-Encoding: gzip\r\n\r\n"
        self.sock: socket.socket | None = None
        self.buffer = b""

    def get(self, query: str) -> bytes:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=TIMEOUT.read)
            self.buffer = b""
        self.sock.sendall(f"{self.start}{query}{self.end}".encode("ascii"))
        while b"\r\n\r\n" not in self.buffer:
            self._read()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        fields = {name.strip().lower(): value.strip()
                  for name, _, value in (line.partition(":") for line in lines)}
        if status.split()[1:2] != ["200"]:
            raise BenchError(f"{self.address}: {status}")
        if "content-length" not in fields:
            raise BenchError(f"{self.address}: an answer without Content-Length")
        length = int(fields["content-length"])
        while len(self.buffer) < length:
            self._read()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        if fields.get("connection", "").lower() == "close":
            self.close()
        if fields.get("content-encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        return body

    def _read(self) -> None:
        assert self.sock is not None
        data = self.sock.recv(1 << 16)
        if not data:
            raise BenchError(f"{self.address}: the server closed the connection mid-answer")
        self.buffer += data

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass(frozen=True)
class ParseLimit:
    """Pure parsing of saved pages: records/s and CPU microseconds per record."""

    records_per_s: float
    cpu_us_per_record: float


def parse_limit(pages: Sequence[bytes], records: int, rounds: int = 3) -> ParseLimit:
    """Best of ``rounds`` passes of ``parse_untrusted`` over ``pages`` (``records`` in all)."""
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for body in pages:
            parse_untrusted(body, source="bench page")
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return ParseLimit(records / best_wall, best_cpu / records * 1e6)
