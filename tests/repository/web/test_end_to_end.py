"""A real ``rli serve`` (gunicorn, 2 workers) on 127.0.0.1: the pages beside OAI-PMH, over HTTP.

The session key, CSRF tokens and login throttle live in the database, so a
login made on one worker holds on the other. Browser tests (Chromium) go in a
module of their own on top of the same ``site`` fixture (conftest).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx
from lxml import etree

from crosswalks.validation import validate
from harvester.shared.db import open_db
from repository.archive import Archive, editing
from tests.repository.web.conftest import CSRF, EDITOR, RESOLVER, free_port, rli_process, wait_for


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
    port = free_port()
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
