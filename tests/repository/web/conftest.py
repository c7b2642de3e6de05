"""Fixtures for the pages: the demo archive in a real SQLite file, an editor, the Flask app.

Tests here use Flask's test client in process; ``test_end_to_end`` runs a real
``rli serve``. Browser tests (phase 2) get their own fixture beside these.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
