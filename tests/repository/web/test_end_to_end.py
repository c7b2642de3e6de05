"""A real ``rli serve`` (gunicorn, 2 workers) on 127.0.0.1: the pages beside OAI-PMH, over HTTP.

The session key, CSRF tokens and login throttle live in the database, so a
login made on one worker holds on the other. Browser tests (Chromium) come in
a separate module on top of the same ``site`` fixture.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from harvester.shared.db import open_db
from repository.archive import Archive, editing
from tests.repository.web.conftest import CSRF, EDITOR

RESOLVER = "https://resolver.example.edu/openurl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def rli_process(*args: str, **popen: Any) -> Iterator[subprocess.Popen[str]]:
    """``rli ARGS`` as a child process, ended (terminate, then kill) on the way out."""
    script = Path(sys.executable).parent / "rli"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "repository"]
    proc = subprocess.Popen([*command, *args], text=True, **popen)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(url: str, proc: subprocess.Popen[str], log: Path | None = None) -> httpx.Response:
    """The first answer from ``url`` once the server listens (at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("server did not start" + (f":\n{log.read_text()}" if log else ""))
        time.sleep(0.2)


@pytest.fixture(scope="module")
def site(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo archive served by ``rli serve``; (base URL, database path)."""
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "rli.db"
    shutil.copy(demo_file, db_path)
    port = _free_port()
    log = folder / "server.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink, rli_process(
        "serve", "--db", str(db_path), "--host", "127.0.0.1", "--port", str(port),
        "--workers", "2", "--resolver", RESOLVER, "--prerender", "",
        stdout=sink, stderr=subprocess.STDOUT,
    ) as proc:
        assert wait_for(base + "/", proc, log).status_code == 200
        yield base, db_path
    assert "Traceback" not in log.read_text()


def token(page: str) -> str:
    found = CSRF.search(page)
    assert found
    return found.group(1)


def test_every_page_answers_on_the_demo_archive(site: tuple[str, Path]) -> None:
    base, _ = site
    with httpx.Client(base_url=base) as http:
        for path in ("/", "/sources", "/lists/law2210-2026", "/lists/hist2041-2026/versions",
                     "/lists/hist2041-2026/versions/2", "/lists/hist2041-2026/diff/1/3",
                     "/login", "/assets/web.css"):
            response = http.get(path)
            assert response.status_code == 200, path
        page = http.get("/lists/law2210-2026").text
        assert f'href="{RESOLVER}?url_ver=Z39.88-2004' in page
        for fmt in ("rli", "oai_dc", "mods", "lom", "ris", "bibtex", "csl-json", "ims-cp"):
            assert http.get(f"/lists/law2210-2026/export/{fmt}").status_code == 200, fmt
        assert http.get("/lists/no-such-list").status_code == 404
        assert http.get("/lists/law2210-2026/versions/99").status_code == 404


def test_oai_is_unchanged_beside_the_pages(site: tuple[str, Path]) -> None:
    base, db_path = site
    with httpx.Client(base_url=base) as http:
        response = http.get("/oai", params={"verb": "Identify"})
        assert response.status_code == 200
        root = etree.fromstring(response.content)
        validate(root, "oai-pmh")
        expected = Archive(open_db(db_path)).document("hist2041-2026", 1)
        assert http.get("/lists/hist2041-2026/versions/1.xml").content == expected


def test_login_annotate_csrf_and_stale_forms(site: tuple[str, Path]) -> None:
    base, db_path = site
    store = Archive(open_db(db_path))
    start = store.state("econ1001-2026").version
    with httpx.Client(base_url=base) as http:
        csrf = token(http.get("/login").text)
        response = http.post("/login", data={"csrf": csrf, "name": EDITOR[0],
                                             "password": EDITOR[1]})
        assert response.status_code == 302
        page = http.get("/lists/econ1001-2026").text
        assert "Change item" in page and f"{EDITOR[0]} (editor)" in page
        csrf = token(page)
        version = re.search(r'name="version" value="(\d+)"', page)
        assert version and int(version.group(1)) == start

        # An annotation from the browser makes exactly one new version.
        response = http.post("/lists/econ1001-2026/annotate", data={
            "csrf": csrf, "version": str(start), "item": "e1", "kind": "essential",
            "text": "Start here"})
        assert response.status_code == 302
        assert store.state("econ1001-2026").version == start + 1
        assert store.history("econ1001-2026")[-1].editor == EDITOR[0]
        assert "Saved as version" in http.get("/lists/econ1001-2026").text

        # Without the CSRF token: refused, nothing saved.
        response = http.post("/lists/econ1001-2026/annotate", data={
            "version": str(start + 1), "item": "e1", "kind": "note", "text": "forged"})
        assert response.status_code == 400
        assert store.state("econ1001-2026").version == start + 1

        # A form made from an older version: refused with a message, nothing saved.
        store.save(editing.annotate(store.get("econ1001-2026"), "from the CLI"),
                   editor="cli", note="elsewhere")
        response = http.post("/lists/econ1001-2026/remove", data={
            "csrf": csrf, "version": str(start + 1), "item": "e2"})
        assert response.status_code == 409
        assert f"made from version {start + 1}, the latest is version {start + 2}" in (
            response.text)
        assert store.state("econ1001-2026").version == start + 2


def test_demo_prints_the_web_address_beside_the_oai_one(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RLI_DB": ""}
    with rli_process("demo", "--port", str(port), stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, cwd=tmp_path, env=env) as proc:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Web pages:"):
                break
        assert f"OAI-PMH base URL: http://127.0.0.1:{port}/oai\n" in lines
        assert lines[-1] == f"Web pages:        http://127.0.0.1:{port}/\n"
        response = wait_for(f"http://127.0.0.1:{port}/lists/law2210-2026", proc)
        assert response.status_code == 200 and "<h1>Jurisprudence</h1>" in response.text
