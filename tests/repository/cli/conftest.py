"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalks.rli import binding
from tests.factories import make_list
from tests.repository.cli.test_archive import rli


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """An archive holding one list (make_list(items=5)) at version 1."""
    db = tmp_path / "rli.db"
    src = tmp_path / "hist.xml"
    src.write_bytes(binding.write_list(make_list(items=5)))
    rli(db, "import", str(src))
    return db
