"""README is tested: its two commands, its tour, and that it names every command and format."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from crosswalks.registry import FORMATS
from repository.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def test_two_commands_for_a_fresh_machine() -> None:
    demo, tests = (b.strip() for b in shell_blocks(section("Two commands")))
    assert demo.startswith("python3 -m venv .venv") and demo.endswith("rli demo")
    assert tests.startswith("python3 -m venv .venv") and "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    install, _, run = tests.partition(" && .venv/bin/python -m pytest")
    assert install in ci, "CI must install exactly as README says"
    assert ".venv/bin/python -m pytest" + run.split("&&")[0] in ci


def test_every_command_is_in_readme() -> None:
    names: list[str] = []
    with click.Context(cli) as ctx:
        commands = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    for name, command in commands.items():
        if isinstance(command, click.Group):
            names += [f"rli {name} {sub}" for sub in command.commands]
        else:
            names.append(f"rli {name}")
    missing = [n for n in names if n not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_metadata_prefix_is_in_readme() -> None:
    serving = section("Serving OAI-PMH")
    assert all(f"`{prefix}`" in serving for prefix in FORMATS)


def test_tour_runs_as_shown(tmp_path: Path) -> None:
    """Each `$ rli ...` line of the tour runs, in order, on a fresh archive, and exits 0."""
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    env = {**os.environ, "RLI_DB": str(tmp_path / "rli.db"), "RLI_EDITOR": "librarian"}
    run_tour(RLI, tmp_path, env)


def run_tour(rli: Sequence[str], cwd: Path, env: Mapping[str, str]) -> None:
    """Run the tour's `$ rli ...` lines in ``cwd`` with the command ``rli``, checking output."""
    lines = [ln[2:] for ln in section("A short tour").splitlines() if ln.startswith("$ rli ")]
    expected_fail = {"rli import README.md", "rli show no-such-list"}
    assert len(lines) >= 10
    for line in lines:
        args = shlex.split(line)[1:]
        proc = subprocess.run([*rli, *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120)
        if line in expected_fail:
            assert proc.returncode == 1 and proc.stderr.startswith("Error:"), line
        else:
            assert proc.returncode == 0, f"{line}: {proc.stderr}"
            shown = section("A short tour").split(f"$ {line}\n", 1)[1].split("\n$ ", 1)[0]
            first = shown.splitlines()[0] if shown.strip() else ""
            first = "" if first.startswith(("$ ", "```")) else first
            # Timestamps and temp paths differ run to run; everything else must match.
            if first and "archive:" not in first and not first.startswith("v1 "):
                got = proc.stdout.splitlines()[0]
                if first.endswith("..."):
                    assert got.startswith(first[:60]), line
                else:
                    assert got == first, line
