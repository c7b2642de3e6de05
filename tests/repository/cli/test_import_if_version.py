"""``rli import --if-version``: a file made from an old version is refused, not archived over
the work made since (the compare-and-set ``rli edit --if-version`` has), with real ``rli``
processes on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from crosswalks.rli import Item, binding
from tests.factories import article, make_list
from tests.repository.cli.test_archive import RLI, assert_refused, dump, rli


def _edited(db: Path, tmp_path: Path, name: str, title: str) -> Path:
    """The list exported as it is now, retitled: what an editor sends back."""
    exported = rli(db, "export", make_list().identifier).stdout.encode()
    path = tmp_path / name
    path.write_bytes(binding.write_list(replace(binding.read_list(exported), title=title)))
    return path


def test_two_editors_of_one_version_the_second_is_refused(seeded: Path, tmp_path: Path) -> None:
    alice = _edited(seeded, tmp_path, "alice.xml", "Alice's title")
    bob = _edited(seeded, tmp_path, "bob.xml", "Bob's title")
    done = rli(seeded, "import", "--new-version", "--if-version", "1", str(alice))
    assert ": version 2 (" in done.stdout
    before = dump(seeded)

    refused = rli(seeded, "import", "--new-version", "--if-version", "1", str(bob), check=False)

    assert_refused(refused, "is at version 2, not 1")
    assert dump(seeded) == before
    listing = rli(seeded, "lists").stdout
    assert "v2" in listing and "Alice's title" in listing and "Bob's title" not in listing


def test_the_version_it_names_is_the_latest_so_it_is_seeded(seeded: Path,
                                                              tmp_path: Path) -> None:
    edited = _edited(seeded, tmp_path, "edited.xml", "Retitled")
    done = rli(seeded, "import", "--new-version", "--if-version", "1", str(edited))
    assert ": version 2 (" in done.stdout
    assert "Retitled" in rli(seeded, "lists").stdout


def test_adding_resources_to_a_changed_list_is_refused(seeded: Path, tmp_path: Path) -> None:
    rli(seeded, "import", "--new-version", str(_edited(seeded, tmp_path, "a.xml", "New")))
    one = tmp_path / "one.xml"
    one.write_bytes(binding.write_list(replace(make_list("other", items=0),
                                               items=(Item("x1", article()),))))
    before = dump(seeded)

    refused = rli(seeded, "import", "--to", make_list().identifier, "--if-version", "1",
                  str(one), check=False)

    assert_refused(refused, "is at version 2, not 1")
    assert dump(seeded) == before
    added = rli(seeded, "import", "--to", make_list().identifier, "--if-version", "2", str(one))
    assert "version 3" in added.stdout


@pytest.mark.parametrize("args", [
    ("--if-version", "1"),  # a new list has no version to check
    ("--new-version", "--if-version", "1", "DIR"),
    ("--new-version", "--if-version", "1", "FILE", "FILE"),
])
def test_if_version_names_one_files_change(seeded: Path, tmp_path: Path,
                                           args: tuple[str, ...]) -> None:
    path = _edited(seeded, tmp_path, "e.xml", "Changed")
    given = [str(tmp_path) if a == "DIR" else str(path) if a == "FILE" else a for a in args]
    if "FILE" not in args and "DIR" not in args:
        given.append(str(path))
    before = dump(seeded)
    assert_refused(rli(seeded, "import", *given, check=False), "--if-version")
    assert dump(seeded) == before


def test_a_list_not_seeded_is_refused_and_no_archive_made(tmp_path: Path) -> None:
    path = tmp_path / "new.xml"
    path.write_bytes(binding.write_list(make_list(items=2)))
    missing = tmp_path / "none.db"
    assert_refused(rli(missing, "import", "--new-version", "--if-version", "1", str(path),
                       check=False))
    assert not missing.exists()


def test_a_file_of_several_lists_is_refused(seeded: Path, tmp_path: Path) -> None:
    package = tmp_path / "two.zip"
    other = tmp_path / "other.xml"
    other.write_bytes(binding.write_list(make_list("other-list", items=1)))
    rli(seeded, "import", str(other))
    rli(seeded, "export", "--format", "ims-cp", "-o", str(package), make_list().identifier,
        "other-list")
    before = dump(seeded)
    refused = rli(seeded, "import", "--new-version", "--if-version", "1", str(package),
                  check=False)
    assert_refused(refused, "holds 2 lists")
    assert dump(seeded) == before


def test_help_names_the_option(tmp_path: Path) -> None:
    assert "--if-version" in rli(tmp_path / "rli.db", "import", "--help").stdout


def test_editors_importing_at_once_from_one_version_make_one_version(seeded: Path,
                                                                     tmp_path: Path) -> None:
    # four real processes import their edits of version 1 at once: one becomes version 2,
    # the other three are refused, none archived over another's
    files = [_edited(seeded, tmp_path, f"e{n}.xml", f"Title {n}") for n in range(4)]
    env = {**os.environ, "RLI_EDITOR": "racer"}
    racers = [subprocess.Popen([*RLI, "--db", str(seeded), "import", "--new-version",
                                "--if-version", "1", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env) for path in files]
    outcomes = [racer.communicate(timeout=120) + (racer.returncode,) for racer in racers]
    won = [out for out, _, code in outcomes if code == 0]
    refused = [err for _, err, code in outcomes if code != 0]
    assert len(won) == 1 and ": version 2 (" in won[0]
    assert len(refused) == 3 and all("is at version 2, not 1" in err for err in refused)
    assert "Traceback" not in "".join(refused)
    history = json.loads(rli(seeded, "lists", "--json").stdout)
    assert [h["version"] for h in history] == [2]
