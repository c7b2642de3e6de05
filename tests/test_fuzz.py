"""Seeded fuzzing of a real ``rli serve``: 10,000 requests, every answer checked.

Requests mix the six verbs and junk verbs; every argument name, repeated or
missing; values that are valid, near-valid or hostile (bad dates, non-URI
identifiers, broken percent-encoding, invalid UTF-8, control characters,
long strings, mutated resumption tokens picked up from earlier answers);
GET and form POST; with and without gzip. No answer may be a 5xx; each
``/oai`` answer (200; gunicorn itself refuses over-long request lines with
414) must be well-formed and valid against OAI-PMH.xsd with the payload schemas; the
server log must hold no traceback. ``RLI_FUZZ_SEED`` and
``RLI_FUZZ_REQUESTS`` change the seed and the count (10,000 by default).
"""

from __future__ import annotations

import gzip
import http.client
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from crosswalks.validation import schema
from tests.oai_fixtures import Clock, fill, new_archive
from tests.rli_server import rli_serve

SEED = int(os.environ.get("RLI_FUZZ_SEED", "20261130"))
REQUESTS = int(os.environ.get("RLI_FUZZ_REQUESTS", "10000"))
TIME_LIMIT = 240.0

VERBS = ["Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords",
         "GetRecord"]
JUNK_VERBS = ["", "identify", "ListThings", "GetRecord\x00", "Identify Identify", "ListRecords "]
NAMES = ["metadataPrefix", "from", "until", "set", "identifier", "resumptionToken"]
JUNK_NAMES = ["verb", "foo", "metadataprefix", "", "set[]", "from ", "identifier\x7f"]
PREFIXES = ["oai_dc", "rli", "mods", "lom", "marc21", "oai_dc ", "", "oai dc", "!~*'()"]
DATES = ["2026-01-05", "2026-01-05T09:00:03Z", "2025-12-31", "2030-01-01", "2026-13-01",
         "2026-01-05T09:00:00", "2026-01-05T25:00:00Z", "9999-12-31", "0001-01-01", "yesterday",
         "2026-1-5", "2026-01-05T09:00:00+01:00"]
SETS = ["course", "course:C0", "course:C1", "owner", "source", "nosuch", "course:", ":",
        "a b", "~zz", "course:C~30", "~"]
HOSTILE = ["%", "a%zz", "[x", "::", "a#b#c", "\x00", "\ud800", "\u202e", "é" * 300,
           "x" * 5000, "&", "=", "%00", "<tag>", "]]>", "&amp;", "\t", "\r\n", "∞", "😀"]
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def _value(rng: random.Random, name: str, ids: list[str], tokens: list[str]) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(HOSTILE)
    if name == "metadataPrefix":
        return rng.choice(PREFIXES)
    if name in ("from", "until"):
        return rng.choice(DATES)
    if name == "set":
        return rng.choice(SETS)
    if name == "identifier":
        return rng.choice([*ids, "oai:rli.localhost:nosuch", "oai:other:l001", "l001"])
    if name == "resumptionToken" and tokens:
        token = rng.choice(tokens)
        cut = rng.randrange(len(token))
        return rng.choice([token, token[:cut], token[:cut] + "x" + token[cut + 1:], token * 2])
    return rng.choice(HOSTILE)


def _encode(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.05:  # barely encoded: the server must cope with whatever arrives
        return quote(text, safe="%[]:#&=+;,/?@!$'()*", errors="surrogatepass")
    if roll < 0.08:
        return "%ff%fe" + quote(text, safe="", errors="surrogatepass")  # not UTF-8
    return quote(text, safe="", errors="surrogatepass")


def _request(rng: random.Random, ids: list[str], tokens: list[str]) -> str:
    pairs: list[tuple[str, str]] = []
    if rng.random() < 0.95:
        pairs.append(("verb", rng.choice(VERBS) if rng.random() < 0.85 else rng.choice(JUNK_VERBS)))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        name = rng.choice(NAMES) if rng.random() < 0.9 else rng.choice(JUNK_NAMES)
        pairs.append((name, _value(rng, name, ids, tokens)))
    if pairs and rng.random() < 0.05:
        pairs.append(rng.choice(pairs))  # repeated argument
    rng.shuffle(pairs)
    return "&".join(f"{_encode(rng, k)}={_encode(rng, v)}" for k, v in pairs)


def _send(conn: http.client.HTTPConnection, rng: random.Random, query: str) -> tuple[int, bytes]:
    headers = {"Accept-Encoding": "gzip"} if rng.random() < 0.3 else {}
    if rng.random() < 0.2:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST", "/oai", body=query.encode("ascii", "replace"), headers=headers)
    else:
        conn.request("GET", "/oai?" + query, headers=headers)
    answer = conn.getresponse()
    body = answer.read()
    if answer.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return answer.status, body


def test_fuzzed_requests_to_a_real_server(tmp_path: Path) -> None:
    db_path = tmp_path / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    ids = [f"oai:rli.localhost:{i}" for i in fill(archive, clock, 12)]
    archive.delete("l004", editor="t", note="gone")
    archive.db.conn.close()
    rng = random.Random(SEED)
    oai = schema("oai-pmh")
    tokens: list[str] = []
    failures: list[str] = []
    log = tmp_path / "serve.log"
    with rli_serve(db_path, "--page-size", "3", "--identifiers-page-size", "4",
                   "--sets-page-size", "2", "--prerender", "", log=log) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        started = time.monotonic()
        done = refused = 0
        while done < REQUESTS and time.monotonic() - started < TIME_LIMIT:
            query = _request(rng, ids, tokens)
            try:
                status, body = _send(conn, rng, query)
            except (http.client.HTTPException, OSError) as exc:
                conn.close()
                failures.append(f"{query[:300]!r}: {exc.__class__.__name__}: {exc}")
                continue
            finally:
                done += 1
            if status >= 500:
                failures.append(f"{query[:300]!r}: HTTP {status}")
                continue
            if status != 200:  # gunicorn's own refusal (414 URI too long): not an OAI answer
                refused += 1
                continue
            try:
                root = etree.fromstring(body)
            except etree.XMLSyntaxError as exc:
                failures.append(f"{query[:300]!r}: not well-formed: {exc}")
                continue
            if not oai.validate(root):
                failures.append(f"{query[:300]!r}: {oai.error_log.last_error}")
            found = TOKEN.search(body)
            if found and len(tokens) < 200:
                tokens.append(found.group(1).decode())
        elapsed = time.monotonic() - started
        conn.close()
    text = log.read_text(errors="replace")
    assert done >= REQUESTS, f"only {done} requests in {elapsed:.0f}s"
    assert not failures, f"{len(failures)} bad answers of {done}; first: " + "\n".join(failures[:5])
    assert "Traceback" not in text, text[text.index("Traceback") - 500:][:3000]
    assert tokens, "no resumption token was ever seen: the fuzzing did not reach paging"
    assert refused < done // 10, f"{refused} requests refused before reaching /oai"
