"""``rli demo``: build an archive from the bundled lists, print them, and serve it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import click
from click.core import ParameterSource

from repository.archive.demo import build_demo, bundled_lists, propose_demo_revisions
from repository.cli.context import Env, open_archive, user_errors
from repository.cli.text import summary_table


@click.command()
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the archive over OAI-PMH after building it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder with lists/ and versions/ (default: the lists installed with rli).")
@click.pass_context
def demo(
    ctx: click.Context, serve: bool, host: str, port: int, data_dir: Path | None
) -> None:
    """Build an archive from the bundled lists (temporary unless --db is given) and serve it.

    A temporary archive lives in a folder removed when the command ends (Ctrl-C included).
    """
    env: Env = ctx.obj
    if _explicit_db(ctx):
        _build_and_serve(env.db_path, serve, host, port, data_dir)
        return
    with tempfile.TemporaryDirectory(prefix="rli-demo-") as folder:
        _build_and_serve(Path(folder) / "demo.db", serve, host, port, data_dir)


def _explicit_db(ctx: click.Context) -> bool:
    """Whether the user chose the database (``--db`` before or after ``demo``, or RLI_DB)."""
    given = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    parent = ctx.parent
    return (parent is not None and parent.get_parameter_source("db") in given) or (
        ctx.get_parameter_source("db_after") in given)


def _build_and_serve(
    db_path: Path, serve: bool, host: str, port: int, data_dir: Path | None
) -> None:
    if serve:  # a port in use is said before the archive is built, not after
        _server_errors(_checked_address, host, port)
    with user_errors():  # and no lists to build it from before it is created
        bundled_lists(data_dir)
    archive = open_archive(db_path, must_exist=False)
    try:
        with user_errors():
            done = build_demo(archive, data_dir)
            offered = propose_demo_revisions(archive, data_dir, {list_id for list_id, _ in done})
        waiting = f", {offered} pending change{'s' if offered != 1 else ''}" if offered else ""
        there = "" if done else "; its lists are there already, left as they are"
        click.echo(f"archive: {db_path} ({len(done)} versions archived{waiting}{there})")
        for line in summary_table(list(archive.summaries()), indent="  ", owner_width=22):
            click.echo(line)
    finally:
        archive.db.conn.close()
    if not serve:
        return
    from repository.cli.serve import web_address
    from repository.serve import ProviderConfig
    from repository.serve import serve as run_server
    from repository.web.config import WebConfig

    base = f"{web_address(host, port)}oai"
    click.echo(f"\nOAI-PMH base URL: {base}")
    click.echo(f"Web pages:        {web_address(host, port)}")
    # Only what `pip install .` brings: rli's own harvester, no test extras.
    click.echo(f"Try, in another terminal: rli harvest -l {base} -o demo-harvest.xml -m rli")
    _server_errors(lambda: run_server(db_path, host=host, port=port, workers=2,
                                      config=ProviderConfig(base_url=base), pages=WebConfig()))


def _checked_address(host: str, port: int) -> None:
    from repository.cli.serve import web_address
    from repository.serve import ProviderConfig, check_address

    ProviderConfig(base_url=f"{web_address(host, port)}oai")
    check_address(host, port)


def _server_errors(call: Callable[..., None], *args: object) -> None:
    """``call(*args)``, a provider setting it refuses (a port in use) one Error line."""
    from repository.oai.provider import ProviderConfigError

    try:
        call(*args)
    except ProviderConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def register(group: click.Group) -> None:
    group.add_command(demo)
