"""rli as a package: the wheel works outside the checkout, and the checkout names no machine.

``test_wheel_works_outside_the_checkout`` builds an sdist and a wheel with
``python -m build`` (the wheel made from the sdist), checks that a wheel built
straight from the tree is the same, installs the wheel (not editable) into a
fresh virtual environment with the machine's package index, as README's
commands do, and runs ``rli`` from an empty directory outside the checkout:
demo, import of a bundled list into a new archive, convert, and serve
answering Identify on 127.0.0.1; then README's tour, also from an empty
directory. Every file rli reads at run time must come from the installed
package for that to work.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from tests.paths import ROOT
from tests.test_docs import run_tour
from tests.test_end_to_end import free_port

PACKAGES = ("crosswalks", "harvester", "repository")
# Left out of the copy that is built: what a clean clone does not have.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.py[cod]", "*.egg-info", "build", "dist",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "*.db", "*.db-wal", "*.db-shm",
)
# An absolute path of a machine: a home or work folder (built so this file does not match).
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:" + "|".join(["work", "root", "home", "Users"]) + r")/")


def run_time_files() -> list[str]:
    """What the wheel must carry, as wheel paths: every module, the stylesheet, the data."""
    found = [str(p.relative_to(ROOT)) for package in PACKAGES
             for p in (ROOT / package).rglob("*") if p.suffix in (".py", ".xsl")]
    data = ROOT / "data"
    found += [f"rli_data/{p.relative_to(data)}" for folder in ("lists", "versions", "schemas")
              for p in (data / folder).rglob("*") if p.is_file()]
    return found


def version() -> str:
    """The version in pyproject.toml, the one place it is written."""
    found = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found, "no version in pyproject.toml"
    return found[1]


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def wheel_contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as whl:
        return {name: whl.read(name) for name in whl.namelist()}


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would find the checkout's modules."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "RLI_DATA", "RLI_SCHEMA_DIR",
                        "RLI_DB")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ folder of a fresh venv with rli installed from its wheel (built from the sdist)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    env = clean_env()
    run(sys.executable, "-m", "build", "--outdir", work / "dist", src, cwd=work, env=env)
    run(sys.executable, "-m", "build", "--wheel", "--outdir", work / "direct", src,
        cwd=work, env=env)
    name = f"rli-{version()}"
    assert sorted(p.name for p in (work / "dist").iterdir()) == [
        f"{name}-py3-none-any.whl", f"{name}.tar.gz"]
    wheel = work / "dist" / f"{name}-py3-none-any.whl"
    contents = wheel_contents(wheel)
    assert contents == wheel_contents(work / "direct" / wheel.name), (
        "the wheel built from the sdist differs from the one built from the tree")
    missing = sorted(set(run_time_files()) - set(contents))
    assert missing == [], f"not in the wheel: {missing}"
    with tarfile.open(work / "dist" / f"{name}.tar.gz") as sdist:  # its tests read .ci/run
        assert f"{name}/.ci/run" in sdist.getnames(), "the sdist lacks .ci/run"
    xsd = "schemas/rli/rli.xsd"
    assert contents[f"rli_data/{xsd}"] == (ROOT / "data" / xsd).read_bytes()
    run(sys.executable, "-m", "venv", work / "venv", cwd=work, env=env)
    run(work / "venv" / "bin" / "pip", "install", "-q", wheel, cwd=work, env=env)
    yield work / "venv" / "bin"


@pytest.mark.slow
def test_wheel_works_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    env = clean_env(RLI_EDITOR="packaging-test")
    rli = installed / "rli"

    def cli(*args: str | Path) -> str:
        return run(rli, *args, cwd=tmp_path, env=env)

    assert cli("--version").strip() == f"rli, version {version()}"
    where = run(installed / "python", "-c",
                "import sysconfig, repository; "
                "print(sysconfig.get_paths()['purelib']); print(repository.__file__)",
                cwd=tmp_path, env=env).split()
    venv = installed.parent.resolve()
    assert Path(where[1]).resolve().is_relative_to(venv), "rli ran from the checkout"
    bundled_list = Path(where[0]) / "rli_data" / "lists" / "law2210-2026.xml"

    demo = cli("--db", "demo.db", "demo", "--no-serve").splitlines()
    assert demo[0] == "archive: demo.db (10 versions archived, 1 pending change)"
    assert len(demo) == 9

    imported = cli("--db", "new.db", "import", bundled_list)
    assert imported.startswith("law2210-2026: version 1 (")
    assert "Jurisprudence" in cli("--db", "new.db", "show", "law2210-2026")

    cli("convert", bundled_list, "--from", "rli", "--to", "mods", "-o", "law.mods.xml", "--quiet")
    validate(etree.parse(str(tmp_path / "law.mods.xml")), "mods")

    port = free_port()
    server = subprocess.Popen([rli, "--db", "new.db", "serve", "--port", str(port),
                               "--workers", "1"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        root = identify(f"http://127.0.0.1:{port}/oai", server)
        validate(root, "oai-pmh")
        assert root.findtext(".//{*}repositoryName")
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr


@pytest.mark.slow
def test_readme_tour_runs_from_an_empty_directory(installed: Path, tmp_path: Path) -> None:
    run_tour([str(installed / "rli")], tmp_path,
             clean_env(RLI_DB=str(tmp_path / "rli.db"), RLI_EDITOR="librarian"))


def identify(url: str, server: subprocess.Popen[str]) -> etree._Element:
    """The Identify response of a server that is starting up (fails if it exits first)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            response = httpx.get(url, params={"verb": "Identify"}, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        assert response.status_code == 200
        return etree.fromstring(response.content)
    raise AssertionError(f"rli serve did not answer (exit code {server.poll()})")


def tracked_files() -> list[Path]:
    """The checkout's files under version control (all of its source files without git)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and not {
            ".git", ".venv", "__pycache__"} & set(p.relative_to(ROOT).parts)]
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_no_file_names_a_machine_path() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
        for path in tracked_files() if path.is_file()
        for n, line in enumerate(path.read_text("utf-8", "replace").splitlines(), 1)
        if MACHINE_PATH.search(line)
    ]
    assert found == []


def test_no_module_finds_files_from_its_own_location() -> None:
    """Run-time files come through importlib.resources, never a path built from __file__."""
    found = [
        str(path.relative_to(ROOT))
        for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
        if "__file__" in path.read_text()
    ]
    assert found == []
