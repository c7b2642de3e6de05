"""The command line as an operator meets it (repository/cli/main.py, archive.py, demo.py):
``--db`` anywhere, ids from any title, wide ids in ``rli lists``, the demo's temporary
folder and its printed harvest, every ``RLI_*`` variable documented."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from crosswalks.rli import binding
from harvester.shared.db import open_db
from repository.cli import cli
from tests.factories import make_list
from tests.repository.cli.test_harvest import RLI
from tests.rli_server import free_port
from tests.terminals import read_all

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"RLI_EDITOR": "tester"}).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_db_is_accepted_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run("init", "--db", str(db))[0] == 0 and db.exists()
    code, out, err = run("new", "--db", str(db), "--title", "Reading", "--owner", "me")
    assert code == 0, err
    assert run("lists", "--db", str(db))[1] == run("--db", str(db), "lists")[1]
    assert "reading" in run("lists", "--db", str(db))[1]
    assert run("source", "list", "--db", str(db), "--json")[1].strip() == "[]"


def test_new_makes_a_usable_id_from_any_title(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("--db", db, "init")
    for title, expected in [("Introduction à la sociologie", "introduction-a-la-sociologie"),
                            ("Œuvres complètes", "oeuvres-completes")]:
        code, out, err = run("--db", db, "new", "--title", title, "--owner", "me")
        assert code == 0, err
        assert out.startswith(f"{expected}: version 1 created")
    code, out, err = run("--db", db, "new", "--title", "社会学入門", "--owner", "me")
    assert code == 0 and re.match(r"list-[0-9a-f]{10}: version 1 created", out), err


def test_lists_columns_survive_long_ids(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    for ident in ("short", "a-very-long-list-identifier-of-forty-chars"):
        src = tmp_path / f"{ident}.xml"
        src.write_bytes(binding.write_list(make_list(ident, items=2)))
        assert run("--db", str(db), "import", str(src))[0] == 0
    lines = run("--db", str(db), "lists")[1].splitlines()
    columns = [line.index(" v1 ") for line in lines]
    assert len(lines) == 2 and columns[0] == columns[1], lines


def test_every_rli_environment_variable_is_in_the_readme() -> None:
    used: set[str] = set()
    for package in ("repository", "harvester", "crosswalks"):
        for path in (ROOT / package).rglob("*.py"):
            for line in path.read_text().splitlines():
                if "env" in line.lower():
                    used |= set(re.findall(r'"(RLI_[A-Z_]+)"', line))
    readme = (ROOT / "README.md").read_text()
    assert len(used) >= 10, used
    assert sorted(v for v in used if f"`{v}`" not in readme) == []


def _rli_temp_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("rli-demo-*")}


def test_demo_removes_its_temporary_folder_and_its_harvest_example_works(
    tmp_path: Path,
) -> None:
    before = _rli_temp_folders()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "RLI_DB"}
    log = tmp_path / "demo.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([*RLI, "demo", "--port", str(port)], cwd=tmp_path, env=env,
                                stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while "Try, in another terminal:" not in log.read_text() or not _listening(port):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        example = next(x for x in log.read_text().splitlines() if x.startswith("Try,"))
        command = example.split(": ", 1)[1].split()
        assert command[0] == "rli"
        done = subprocess.run([*RLI, *command[1:]], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "wrote 8 records" in done.stdout and (tmp_path / "demo-harvest.xml").exists()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    text = log.read_text()
    assert "Traceback" not in text, text
    assert _rli_temp_folders() <= before, "the demo left its temporary folder behind"


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_command_table_names_what_each_module_registers() -> None:
    """main.COMMANDS (which module to import for a command) matches each module's register()."""
    import importlib

    import click

    from repository.cli.main import COMMANDS

    for module in set(COMMANDS.values()):
        group = click.Group()
        importlib.import_module(f"repository.cli.{module}").register(group)
        assert sorted(group.commands) == sorted(n for n, m in COMMANDS.items() if m == module)


def test_harvest_loads_neither_the_provider_nor_the_web_pages(tmp_path: Path) -> None:
    """``rli harvest`` starts without importing what only ``rli serve`` needs (start-up time)."""
    open_db(tmp_path / "x.db").conn.close()
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from repository.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['--db', {str(tmp_path / 'x.db')!r}, 'harvest',"
        " '--all'])\n"
        "assert result.exit_code == 0 and 'nothing to harvest' in result.output, result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith(('repository.oai', 'repository.web',"
        " 'flask', 'jinja2', 'gunicorn', 'repository.cli.serve', 'repository.cli.archive',"
        " 'crosswalks.citations', 'harvester.oneshot'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _on_a_terminal(*args: str) -> bytes:
    """What ``rli ARGS`` writes to a terminal (a pseudo-terminal as both outputs)."""
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen([*RLI, *args], stdin=subprocess.DEVNULL, stdout=follower,
                                stderr=follower)
        os.close(follower)
        shown = read_all(leader)
        assert proc.wait(timeout=60) == 0, shown
        return shown
    finally:
        os.close(leader)


def test_a_terminal_is_shown_no_control_character_from_the_data(tmp_path: Path) -> None:
    # XML 1.0 allows C1 controls: CSI (U+009B) and OSC (U+009D) in an imported list's
    # title and owner reached the terminal, to recolour, retitle or rewrite it
    db = tmp_path / "rli.db"
    hostile = "Title \x9b31mRED\x9b0m \x9d0;pwned\x9c"
    path = tmp_path / "list.xml"
    path.write_bytes(binding.write_list(make_list(title=hostile, owner="own\x9b2Jer")))
    assert run("--db", str(db), "import", str(path))[0] == 0
    for command in (("lists",), ("show", make_list().identifier),
                    ("export", make_list().identifier)):
        shown = _on_a_terminal("--db", str(db), *command)
        assert "Title \ufffd31mRED\ufffd0m".encode() in shown, shown
        assert not re.search("[\x1b\x80-\x9f]", shown.decode("utf-8", "replace")), shown
    # a pipe gets the text as it is (an export stays byte-exact)
    code, out, _ = run("--db", str(db), "export", make_list().identifier)
    assert code == 0 and binding.read_list(out.encode()).title == hostile
