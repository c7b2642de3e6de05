"""Shared fixtures: a real SQLite archive in a temp dir, a controllable clock, headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from harvester.shared.db import open_db
from repository.archive import Archive
from tests.browser import chromium, require_browser


class Clock:
    """A clock the test moves by hand (whole seconds, UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rli.db"


@pytest.fixture
def archive(db_path: Path, clock: Clock) -> Archive:
    return Archive(open_db(db_path), clock=clock)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (tests/browser.py): skipped when missing, a failure under CI."""
    require_browser()
    with chromium() as driver:
        yield driver
