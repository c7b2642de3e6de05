"""A real upstream: a copy of the demo archive served by `rli serve` on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_end_to_end import Server, rli


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    """The upstream database (edit it with `rli`) and its running server."""
    db = tmp_path / "upstream.db"
    rli(db, "demo", "--no-serve")
    srv = Server(db)
    try:
        yield db, srv
    finally:
        srv.stop()
