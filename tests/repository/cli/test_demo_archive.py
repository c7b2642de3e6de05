"""The first run (``rli demo``), with real ``rli`` processes and SQLite files: it never
writes into someone's archive, a demo stopped half-way leaves nothing that a second
run would not complete, and the harvest it suggests runs as printed."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from tests.live_server import build_demo, rli_serve
from tests.paths import DATA
from tests.repository.cli.test_archive import RLI, dump
from tests.test_end_to_end import free_port
from tests.test_packaging import identify


class Ran:
    """What one ``rli`` process did."""

    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.exit_code = proc.returncode
        self.output = proc.stdout + proc.stderr


def rli(db: Path | None, *args: str, **env: str) -> Ran:
    """``rli --db DB ARGS`` (``rli ARGS`` if ``db`` is None) as a process."""
    where = ["--db", str(db)] if db is not None else []
    return Ran(subprocess.run([*RLI, *where, *args], capture_output=True, text=True,
                              env={**os.environ, "RLI_EDITOR": "tester", **env}, timeout=120))

DEMO_LISTS = ["biol2003-2026", "comp2150-2026", "econ1001-2026", "film1203-2026",
              "hist2041-2026", "law2210-2026", "musi2310-2026", "nurs1105-2026"]


def list_ids(db: Path) -> list[str]:
    return [line.split()[0] for line in rli(db, "lists").output.splitlines()]


def own_archive(tmp_path: Path) -> Path:
    db = tmp_path / "mine.db"
    made = rli(db, "new", "--title", "My Real List", "--owner", "me", "--course", "X1")
    assert made.exit_code == 0, made.output
    return db


def test_demo_with_rli_db_set_leaves_an_archive_of_others_alone(tmp_path: Path) -> None:
    """Found in review: RLI_DB=/srv/archive.db in the profile, `rli demo` put the eight
    demo lists into that archive for good (a deletion leaves a tombstone served by OAI)."""
    db = own_archive(tmp_path)
    before = dump(db)
    result = rli(None, "demo", "--no-serve", RLI_DB=str(db))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"Error: {db} is not a demo archive (it holds list my-real-list): the demo goes into"
        " a new archive or one it made (give another --db, or unset RLI_DB)"]
    assert list_ids(db) == ["my-real-list"]
    assert dump(db) == before


def test_demo_with_db_given_leaves_an_archive_of_others_alone(tmp_path: Path) -> None:
    db = own_archive(tmp_path)
    result = rli(db, "demo", "--no-serve")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {db} is not a demo archive (it holds list my-real-list): the demo goes into"
        " a new archive or one it made (give another --db)"]
    assert list_ids(db) == ["my-real-list"]


def test_demo_leaves_a_harvesting_archive_alone(tmp_path: Path) -> None:
    """An archive with a harvest source and no list yet (`rli init`, `rli source add`) is
    someone's too: the demo's lists would be served beside what it harvests."""
    served_db = build_demo(tmp_path / "served.db")
    db = tmp_path / "harvests.db"
    with rli_serve(served_db) as served:
        response = httpx.get(served.oai, params={"verb": "Identify"}, timeout=10)
        validate(etree.fromstring(response.content), "oai-pmh")
        added = rli(db, "source", "add", "peer", served.oai, "-m", "rli")
        assert added.exit_code == 0, added.output
    before = dump(db)
    result = rli(None, "demo", "--no-serve", RLI_DB=str(db))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {db} is not a demo archive (it holds source peer): the demo goes into"
        " a new archive or one it made (give another --db, or unset RLI_DB)"]
    assert dump(db) == before


def test_demo_again_over_its_own_archive_with_a_list_added_is_fine(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert rli(db, "demo", "--no-serve").exit_code == 0
    assert rli(db, "new", "--title", "Contract Law", "--owner", "me").exit_code == 0
    again = rli(db, "demo", "--no-serve")
    assert again.exit_code == 0, again.output
    assert "0 versions archived" in again.output.splitlines()[0]


def test_demo_stopped_half_way_is_completed_by_the_next_run(tmp_path: Path) -> None:
    """Found in review: a demo stopped after the lists but before their later versions
    (Ctrl-C; here a broken revision file) left hist2041-2026 at version 1, and every later
    `rli demo` over that archive said its lists were there and left it so: no v2, v3 or
    pending change for README's tour. The demo is now archived all or nothing."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "lists", data / "lists")
    shutil.copytree(DATA / "versions", data / "versions")
    shutil.copytree(DATA / "proposals", data / "proposals")
    v3 = data / "versions" / "hist2041-2026" / "v3.xml"
    good = v3.read_bytes()
    v3.write_bytes(good[: len(good) // 2])
    db = tmp_path / "demo.db"

    broken = rli(db, "demo", "--no-serve", "--data", str(data))
    assert broken.exit_code == 1
    assert broken.output.startswith(f"Error: {v3}:")
    assert len(broken.output.splitlines()) == 1
    assert list_ids(db) == []  # nothing half made

    v3.write_bytes(good)
    again = rli(db, "demo", "--no-serve", "--data", str(data))
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[0] == (
        f"archive: {db} (10 versions archived, 1 pending change)")
    assert list_ids(db) == DEMO_LISTS
    assert len(rli(db, "history", "hist2041-2026").output.splitlines()) == 3
    assert rli(db, "changes").output.startswith("hist2041-2026  change 1: upstream-version")


def test_demo_says_a_harvest_command_that_runs_in_another_terminal(tmp_path: Path) -> None:
    """Found in review: README's `.venv/bin/rli demo` (no venv active) printed
    "Try, in another terminal: rli harvest ...", and in another terminal there is no `rli`
    (command not found). It now names the script it ran from when that is not the `rli`
    on PATH. Ctrl-C then stops the server and removes the temporary archive."""
    script = Path(sys.executable).parent / "rli"
    if not script.exists():
        pytest.skip(f"no rli script beside {sys.executable}")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("RLI_DB", None)
    assert shutil.which("rli", path=env["PATH"]) is None
    port = free_port()
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    with (tmp_path / "demo.err").open("w") as err:
        demo = subprocess.Popen([str(script), "demo", "--port", str(port)], cwd=here, env=env,
                                stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            lines = []
            for line in demo.stdout or []:
                lines.append(line)
                if line.startswith("Try, in another terminal: "):
                    break
            tried = lines[-1].removeprefix("Try, in another terminal: ").strip()
            base = f"http://127.0.0.1:{port}/oai"
            assert tried.startswith(f"{shlex.quote(str(script))} harvest -l {base}"), tried
            root = identify(base, demo)
            validate(root, "oai-pmh")
            harvest = subprocess.run(shlex.split(tried), cwd=there, env=env,
                                     capture_output=True, text=True, timeout=120)
            assert harvest.returncode == 0, harvest.stderr
            assert harvest.stdout.startswith("wrote 8 records (0 deleted)"), harvest.stdout
            assert (there / "demo-harvest.xml").stat().st_size > 0
        finally:
            demo.send_signal(signal.SIGINT)
            demo.communicate(timeout=60)
    archive = Path(lines[0].removeprefix("archive: ").split(" (")[0])
    assert archive.name == "demo.db" and archive.parent.name.startswith("rli-demo-")
    assert not archive.parent.exists()  # Ctrl-C removed the temporary archive


def test_closing_the_terminal_stops_the_demo(tmp_path: Path) -> None:
    """A hang-up (the terminal closed) reaches the whole process group. gunicorn reloads on
    SIGHUP, so the demo went on serving its temporary archive, holding the port: the next
    `rli demo` said 'address already in use'. It now stops as on Ctrl-C."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "RLI_DB"}
    with (tmp_path / "demo.err").open("w") as err:
        demo = subprocess.Popen([*RLI, "demo", "--port", str(port)], cwd=tmp_path, env=env,
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
        try:
            assert demo.stdout is not None
            first = demo.stdout.readline()
            validate(identify(f"http://127.0.0.1:{port}/oai", demo), "oai-pmh")
            os.killpg(demo.pid, signal.SIGHUP)
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                raise AssertionError("the demo went on serving after a hang-up") from None
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(demo.pid, signal.SIGKILL)
            demo.communicate(timeout=30)
    archive = Path(first.removeprefix("archive: ").split(" (")[0])
    assert archive.name == "demo.db" and not archive.parent.exists()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/oai", params={"verb": "Identify"}, timeout=2)
