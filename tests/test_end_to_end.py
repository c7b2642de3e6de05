"""The three packages together, as users run them: real processes, real sockets, real files.

`rli demo --no-serve` builds the bundled archive; `rli serve` serves it on
127.0.0.1; Sickle and rli's own harvester harvest it; a second rli archive
re-serves what it harvested, with the provenance chain. Every OAI-PMH page
fetched here is validated against the XSDs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from lxml import etree
from sickle import Sickle

from crosswalks.validation import validate
from harvester.shared.db import open_db
from harvester.shared.protocol import OAI_NS, PROVENANCE_NS
from repository.archive import Archive

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
PREFIXES = ("oai_dc", "rli", "mods", "lom")


def rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "RLI_EDITOR": "e2e"})
    assert proc.returncode == 0, f"rli {args}: {proc.stderr}"
    return proc


def harvested(db: Path, url: str, name: str, prefix: str) -> Path:
    """``db`` after registering ``url`` as source ``name`` in ``prefix`` and harvesting it."""
    rli(db, "source", "add", name, url, "--prefix", prefix)
    rli(db, "harvest", name)
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A real `rli serve` process on 127.0.0.1, stopped when the test is done."""

    def __init__(self, db: Path, page_size: int = 3) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/oai"
        self.proc = subprocess.Popen(
            [*RLI, "--db", str(db), "serve", "--port", str(self.port), "--workers", "2",
             "--page-size", str(page_size), "--identifiers-page-size", str(page_size)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url, params={"verb": "Identify"}, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("rli serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    rli(db, "demo", "--no-serve")
    return db


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[Server]:
    srv = Server(demo_db)
    yield srv
    srv.stop()


def live_lists(db: Path) -> list[str]:
    return [s.id for s in Archive(open_db(db)).summaries(include_deleted=False)]


def walk(url: str, **params: str) -> Iterator[etree._Element]:
    """Every page of a list request, each validated against the OAI-PMH and payload XSDs."""
    with httpx.Client(timeout=10) as client:
        args: dict[str, str] = dict(params)
        for _ in range(100):
            root = etree.fromstring(client.get(url, params=args).content)
            validate(root, "oai-pmh")
            yield root
            token = root.find(f".//{{{OAI_NS}}}resumptionToken")
            if token is None or not (token.text or "").strip():
                return
            args = {"verb": params["verb"], "resumptionToken": token.text.strip()}
        raise AssertionError("more than 100 pages")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_page_of_every_format_validates(server: Server, demo_db: Path, prefix: str) -> None:
    pages = list(walk(server.url, verb="ListRecords", metadataPrefix=prefix))
    records = [r for p in pages for r in p.iter(f"{{{OAI_NS}}}record")]
    assert len(pages) == 3  # 8 lists at 3 a page
    assert len(records) == len(live_lists(demo_db)) == 8


@pytest.mark.parametrize("prefix", PREFIXES)
def test_sickle_harvests_every_format(server: Server, demo_db: Path, prefix: str) -> None:
    sickle = Sickle(server.url, max_retries=0)
    ids = [r.header.identifier for r in sickle.ListRecords(metadataPrefix=prefix)]
    assert sorted(i.rsplit(":", 1)[1] for i in ids) == sorted(live_lists(demo_db))
    headers = list(sickle.ListIdentifiers(metadataPrefix=prefix, set="course:HIST2041"))
    assert [h.identifier for h in headers] == ["oai:rli.localhost:hist2041-2026"]


def test_rli_harvest_copies_lists_and_reserves_them_with_provenance(
    server: Server, demo_db: Path, tmp_path: Path
) -> None:
    mirror = tmp_path / "mirror.db"
    rli(mirror, "source", "add", "up", server.url, "--prefix", "rli")
    rli(mirror, "harvest", "up")
    original, copy = Archive(open_db(demo_db)), Archive(open_db(mirror))
    assert live_lists(mirror) == live_lists(demo_db)
    for list_id in live_lists(demo_db):
        assert copy.get(list_id) == replace(original.get(list_id), history=())
        assert "source:up" in copy.state(list_id).sets
    second = Server(mirror)
    try:
        pages = list(walk(second.url, verb="ListRecords", metadataPrefix="oai_dc", set="source:up"))
        origins = [o for p in pages for o in p.iter(f"{{{PROVENANCE_NS}}}originDescription")]
        assert len(origins) == 8
        assert {o.findtext(f"{{{PROVENANCE_NS}}}baseURL") for o in origins} == {server.url}
    finally:
        second.stop()


def test_harvest_then_edit_then_incremental_harvest(
    demo_db: Path, tmp_path: Path
) -> None:
    upstream = tmp_path / "upstream.db"
    upstream.write_bytes(demo_db.read_bytes())
    srv = Server(upstream)
    try:
        mirror = tmp_path / "mirror.db"
        rli(mirror, "source", "add", "up", srv.url, "--prefix", "rli")
        rli(mirror, "harvest", "up")
        rli(upstream, "edit", "law2210-2026", "--title", "Jurisprudence (2027)",
            "--note", "retitle")
        time.sleep(1.1)  # the provider's granularity is one second
        rli(mirror, "harvest", "up")
        copy = Archive(open_db(mirror))
        assert copy.get("law2210-2026").title == "Jurisprudence (2027)"
        assert [v.version for v in copy.history("law2210-2026")] == [1, 2]
        assert [v.version for v in copy.history("econ1001-2026")] == [1]
    finally:
        srv.stop()


def test_new_list_from_harvested_dc(server: Server, tmp_path: Path) -> None:
    # in oai_dc rli's lists are records (in mods and lom they are harvested as lists)
    db = tmp_path / "dc.db"
    rli(db, "source", "add", "m", server.url, "--prefix", "oai_dc")
    rli(db, "harvest", "m")
    out = rli(db, "new", "--title", "Everything on offer", "--owner", "librarian",
              "--from-source", "m", "--set", "course:HIST2041").stdout
    assert "with 1 items" in out
    lst = Archive(open_db(db)).get("everything-on-offer")
    assert lst.items[0].content.title == "Industry, Class and Culture: Britain 1750-1914"


def test_harvest_never_takes_over_a_local_list(server: Server, tmp_path: Path) -> None:
    db = tmp_path / "local.db"
    rli(db, "new", "--id", "law2210-2026", "--title", "My own jurisprudence list",
        "--owner", "me")
    proc = subprocess.run([*RLI, "--db", str(db), "harvest", "up"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0  # no such source yet: one line, no traceback
    assert "Traceback" not in proc.stderr
    rli(db, "source", "add", "up", server.url, "--prefix", "rli")
    subprocess.run([*RLI, "--db", str(db), "harvest", "up"], capture_output=True, text=True,
                   timeout=120)
    local = Archive(open_db(db))
    assert local.get("law2210-2026").title == "My own jurisprudence list"
    assert [v.editor for v in local.history("law2210-2026")] == ["e2e"]
    assert local.get("econ1001-2026").title == "Great Ideas in Economics"
    out = rli(db, "resources", "--source", "up").stdout
    failed = [ln for ln in out.splitlines() if "law2210-2026" in ln]
    assert failed and "failed" in failed[0]


def test_post_form_with_and_without_content_length(server: Server) -> None:
    form = b"verb=ListIdentifiers&metadataPrefix=oai_dc&set=course%3AHIST2041"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    plain = httpx.post(server.url, content=form, headers=headers, timeout=10)
    chunked = httpx.post(server.url, content=iter([form[:20], form[20:]]), headers=headers,
                         timeout=10)
    assert "Content-Length" not in chunked.request.headers
    for response in (plain, chunked):
        root = etree.fromstring(response.content)
        validate(root, "oai-pmh")
        ids = [e.text for e in root.iter(f"{{{OAI_NS}}}identifier")]
        assert ids == ["oai:rli.localhost:hist2041-2026"]
