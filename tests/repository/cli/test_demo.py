"""repository.cli.demo: the bundled demo archive, and no silent empty demo."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from repository.cli.main import cli


def test_demo_without_lists_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "data"
    (empty / "lists").mkdir(parents=True)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "demo.db"), "demo", "--no-serve", "--data", str(empty)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: no bundled lists in {empty / 'lists'} (is rli fully installed?)"]
    assert not (tmp_path / "demo.db").exists()  # found in review: it was left behind


def test_demo_reads_the_installed_lists(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "demo.db"), "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"archive: {tmp_path / 'demo.db'} (10 versions archived, 1 pending change)"
    assert [line.split()[0] for line in lines[1:]] == [
        "biol2003-2026", "comp2150-2026", "econ1001-2026", "film1203-2026", "hist2041-2026",
        "law2210-2026", "musi2310-2026", "nurs1105-2026"]


def test_demo_again_over_its_archive_archives_nothing(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "demo.db")]
    assert CliRunner().invoke(cli, [*db, "demo", "--no-serve"]).exit_code == 0
    edited = CliRunner().invoke(cli, [*db, "edit", "hist2041-2026", "--title", "Mine now",
                                      "--note", "taken over"])
    assert edited.exit_code == 0, edited.output
    before = CliRunner().invoke(cli, [*db, "history", "hist2041-2026"]).output
    again = CliRunner().invoke(cli, [*db, "demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[0] == (
        f"archive: {tmp_path / 'demo.db'} (0 versions archived; its lists are there already,"
        " left as they are)")
    assert CliRunner().invoke(cli, [*db, "history", "hist2041-2026"]).output == before
    assert "Mine now" in CliRunner().invoke(cli, [*db, "show", "hist2041-2026"]).output
