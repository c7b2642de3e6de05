"""Fixtures for the pages: the demo archive in a real SQLite file, an editor, the Flask app.

Tests here use Flask's test client in process; ``site`` runs a real ``rli serve``
(gunicorn, two workers) on 127.0.0.1 for the end-to-end tests and, later, the
browser tests.
"""

from __future__ import annotations

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
from flask import Flask
from flask.testing import FlaskClient

from harvester.shared.db import open_db
from harvester.shared.protocol import utc_now
from repository.archive import Archive
from repository.archive.demo import build_demo
from repository.web.accounts import add_user
from repository.web.app import create_app
from repository.web.config import WebConfig

EDITOR = ("eve", "correct horse battery")
RESOLVER = "https://resolver.example.edu/openurl"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_db(path)
    build_demo(Archive(db))
    add_user(db, EDITOR[0], EDITOR[1], "editor", now=utc_now())
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo archive (with the editor account) for one test."""
    path = tmp_path / "rli.db"
    shutil.copy(demo_file, path)
    return path


def make_app(db_path: Path, **settings: object) -> Flask:
    app = create_app(db_path, WebConfig(**settings))  # type: ignore[arg-type]
    app.testing = True
    return app


@pytest.fixture
def app(demo_db: Path) -> Flask:
    return make_app(demo_db, resolver="https://resolver.example.edu/openurl")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def login(client: FlaskClient, name: str = EDITOR[0], password: str = EDITOR[1]) -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf": token, "name": name, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_of(client.get("/").get_data(as_text=True))


@pytest.fixture
def editor(client: FlaskClient) -> str:
    """The client logged in as the editor; the CSRF token."""
    return login(client)


def latest(db_path: Path, list_id: str) -> int:
    db = open_db(db_path)
    try:
        return Archive(db).state(list_id).version
    finally:
        db.conn.close()


def free_port() -> int:
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
    port = free_port()
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
