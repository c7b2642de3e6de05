"""`rli history` tells deletions and restores as events: who, when, why."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from crosswalks.rli import binding
from tests.factories import make_list
from tests.repository.cli.test_archive import RLI


def run(db: Path, editor: str, *args: str) -> str:
    proc = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "RLI_EDITOR": editor})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_history_shows_delete_and_restore_events(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    src = tmp_path / "list.xml"
    lst = make_list(items=2)
    src.write_bytes(binding.write_list(lst))
    run(db, "amira", "import", str(src))
    run(db, "amira", "annotate", lst.identifier, "first note")
    run(db, "registrar", "delete", lst.identifier, "--note", "course withdrawn")
    run(db, "grace", "restore", lst.identifier, "--note", "course runs again")
    lines = run(db, "x", "history", lst.identifier).splitlines()
    assert [ln.split()[0] for ln in lines] == ["v1", "v2", "deleted", "v3"]
    assert "registrar" in lines[2] and lines[2].endswith("course withdrawn")
    assert "grace" in lines[3] and "restored" in lines[3] and "course runs again" in lines[3]
    events = json.loads(run(db, "x", "history", lst.identifier, "--json"))
    assert [(e["event"], e["version"], e["editor"], e["note"]) for e in events] == [
        ("version", 1, "amira", "imported"),
        ("version", 2, "amira", "annotated list"),
        ("deleted", None, "registrar", "course withdrawn"),
        ("restored", 3, "grace", "course runs again"),
    ]
    assert all(e["at"] for e in events)
