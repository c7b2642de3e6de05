"""What the harvester's tests share: a real SQLite archive with the harvest tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from harvester.shared.db import open_db
from harvester.sources import ensure_schema


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(tmp_path / "rli.db")
    ensure_schema(database)
    yield database
    database.conn.close()
