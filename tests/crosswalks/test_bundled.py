"""crosswalks.bundled: the installed data/ folder, found through importlib.resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalks import validation
from crosswalks.bundled import bundled
from tests.paths import DATA


def test_bundled_is_the_one_copy_in_data() -> None:
    # In a checkout (editable install) the package rli_data is the data/ folder itself.
    assert bundled().resolve() == DATA.resolve()
    assert bundled("schemas", "rli", "rli.xsd").is_file()
    assert sorted(p.name for p in bundled("lists").glob("*.xml")) == sorted(
        p.name for p in (DATA / "lists").glob("*.xml"))


def test_schemas_come_from_the_bundle_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RLI_SCHEMA_DIR", raising=False)
    assert validation.schema_dir() == bundled("schemas")
    monkeypatch.setenv("RLI_SCHEMA_DIR", str(tmp_path))
    assert validation.schema_dir() == tmp_path
