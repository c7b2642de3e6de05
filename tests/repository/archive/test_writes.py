"""Writes as compare-and-set: real `rli` processes racing on one SQLite file lose nothing."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crosswalks.rli import binding, iter_resources
from harvester.shared.db import open_db
from repository.archive import Archive
from tests.factories import make_list
from tests.repository.cli.test_archive import RLI, assert_refused, dump, rli


def _start(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "RLI_EDITOR": "racer"}
    return subprocess.Popen([*RLI, "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "rli.db"
    src = tmp_path / "list.xml"
    src.write_bytes(binding.write_list(make_list(items=3)))
    rli(db, "import", str(src))
    return db


def _notes(db: Path, list_id: str) -> set[str]:
    archive = Archive(open_db(db))
    return {a.text for a in archive.get(list_id).annotations}


def test_parallel_annotate_processes_keep_every_note(seeded: Path) -> None:
    list_id = Archive(open_db(seeded)).summaries().__next__().id
    landed: set[str] = set()
    for rnd in range(3):
        procs = {f"r{rnd}k{n}": _start(seeded, "annotate", list_id, f"r{rnd}k{n}")
                 for n in range(8)}
        for text, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            assert "Traceback" not in err, err
            if proc.returncode == 0:
                landed.add(text)
        assert landed <= _notes(seeded, list_id), landed - _notes(seeded, list_id)
    # waiting writers wait rather than fail: with a 30 s busy timeout all land
    assert len(landed) == 24


def test_parallel_add_and_retitle_keep_both(seeded: Path, tmp_path: Path) -> None:
    archive = Archive(open_db(seeded))
    list_id = next(archive.summaries()).id
    res = tmp_path / "res.xml"
    res.write_bytes(binding.write_resource(iter_resources(archive.get(list_id).items)[0][1]))
    before = len(iter_resources(archive.get(list_id).items))
    for rnd in range(4):
        a = _start(seeded, "edit", list_id, "--add-file", str(res), "--note", f"add {rnd}")
        b = _start(seeded, "edit", list_id, "--title", f"Title {rnd}", "--note", f"title {rnd}")
        for proc in (a, b):
            proc.communicate(timeout=120)
        assert a.returncode == 0 and b.returncode == 0
        lst = Archive(open_db(seeded)).get(list_id)
        assert lst.title == f"Title {rnd}"
        assert len(iter_resources(lst.items)) == before + rnd + 1


def _restore_when_all_are_ready(db: Path, list_id: str, ready: Any, outcomes: Any) -> None:
    """One racer (its own process): open the archive, wait for the others, restore."""
    archive = Archive(open_db(db))
    ready.wait(timeout=60)
    try:
        archive.restore(list_id, editor="racer", note="back")
        outcomes.put("restored")
    except Exception as exc:  # what each racer met, judged by the test
        outcomes.put(f"{type(exc).__name__}: {exc}")


def test_parallel_restores_bring_a_list_back_once_and_refuse_the_rest(seeded: Path) -> None:
    # restore() checked that the list was deleted before its transaction: processes
    # restoring at once could all pass it and all but one die with
    # sqlite3.IntegrityError instead of the archive's "is not deleted"
    context = multiprocessing.get_context("spawn")
    list_id = next(Archive(open_db(seeded)).summaries()).id
    for rnd in range(3):
        Archive(open_db(seeded)).delete(list_id, editor="t", note="gone")
        ready, outcomes = context.Barrier(4), context.Queue()
        racers = [context.Process(target=_restore_when_all_are_ready,
                                  args=(seeded, list_id, ready, outcomes)) for _ in range(4)]
        for racer in racers:
            racer.start()
        met = sorted(outcomes.get(timeout=120) for _ in racers)
        for racer in racers:
            racer.join(timeout=60)
        assert met == [f"ArchiveError: list {list_id!r} is not deleted"] * 3 + ["restored"], met
        versions = [v.version for v in Archive(open_db(seeded)).history(list_id)]
        assert versions == list(range(1, rnd + 3)), versions  # a delete makes no version


def test_if_version_refuses_a_stale_edit_and_writes_nothing(seeded: Path) -> None:
    list_id = next(Archive(open_db(seeded)).summaries()).id
    rli(seeded, "annotate", list_id, "first", "--if-version", "1")
    before = dump(seeded)
    for args in (
        ("annotate", list_id, "stale", "--if-version", "1"),
        ("edit", list_id, "--title", "T", "--note", "n", "--if-version", "1"),
        ("delete", list_id, "--if-version", "1"),
    ):
        assert_refused(rli(seeded, *args, check=False), "version 2")
    assert dump(seeded) == before
    rli(seeded, "delete", list_id, "--if-version", "2")
    assert_refused(rli(seeded, "restore", list_id, "--if-version", "1", check=False), "version")
    rli(seeded, "restore", list_id, "--if-version", "2")


def test_library_compare_and_set(archive: Archive) -> None:
    from repository.archive.writes import VersionConflict, change_list, delete_list, restore_list

    archive.add(make_list(items=1), editor="a", note="v1")
    list_id = next(archive.summaries()).id
    info = change_list(archive, list_id, lambda lst: lst.__class__(**{**lst.__dict__,
                       "title": "New"}), editor="a", note="retitle", if_version=1)
    assert info.version == 2
    with pytest.raises(VersionConflict):
        change_list(archive, list_id, lambda lst: lst, editor="a", note="x", if_version=1)
    with pytest.raises(VersionConflict):
        delete_list(archive, list_id, editor="a", note="x", if_version=1)
    delete_list(archive, list_id, editor="a", note="gone", if_version=2)
    with pytest.raises(VersionConflict):
        restore_list(archive, list_id, editor="a", note="back", if_version=1)
    assert restore_list(archive, list_id, editor="a", note="back", if_version=2).version == 3
