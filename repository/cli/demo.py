"""``rli demo``: build an archive from the bundled lists, print them, and serve it."""

from __future__ import annotations

import shlex
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
from click.core import ParameterSource

from repository.archive.demo import NotTheDemos, bundled_lists, make_demo
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
    An archive named by --db or RLI_DB is used only if it is new or one the demo made.
    """
    env: Env = ctx.obj
    chosen = _chosen_by(ctx)
    if chosen:
        _build_and_serve(env.db_path, serve, host, port, data_dir, chosen)
        return
    with tempfile.TemporaryDirectory(prefix="rli-demo-") as folder:
        _build_and_serve(Path(folder) / "demo.db", serve, host, port, data_dir, "")


def _chosen_by(ctx: click.Context) -> str:
    """How the user chose the database: ``--db`` (before or after ``demo``), ``RLI_DB``,
    or "" (not at all)."""
    sources = [ctx.get_parameter_source("db_after")]
    if ctx.parent is not None:
        sources.append(ctx.parent.get_parameter_source("db"))
    if ParameterSource.COMMANDLINE in sources:
        return "--db"
    return "RLI_DB" if ParameterSource.ENVIRONMENT in sources else ""


def _build_and_serve(
    db_path: Path, serve: bool, host: str, port: int, data_dir: Path | None, chosen: str
) -> None:
    if serve:  # a port in use is said before the archive is built, not after
        _server_errors(_checked_address, host, port)
    with user_errors():  # and no lists to build it from before it is created
        bundled_lists(data_dir)
    archive = open_archive(db_path, must_exist=False)
    try:
        with user_errors():
            try:
                done, offered = make_demo(archive, data_dir)
            except NotTheDemos as exc:  # the demo's lists would stay there for good
                hint = "give another --db" + (", or unset RLI_DB" if chosen == "RLI_DB" else "")
                raise click.ClickException(
                    f"{db_path} is not a demo archive (it holds {exc.named}): the demo goes"
                    f" into a new archive or one it made ({hint})") from exc
        waiting = f", {offered} pending change{'s' if offered != 1 else ''}" if offered else ""
        there = "" if done else "; its lists are there already, left as they are"
        click.echo(f"archive: {db_path} ({len(done)} versions archived{waiting}{there})")
        for line in summary_table(list(archive.summaries()), indent="  ", owner_width=22):
            click.echo(line)
    finally:
        archive.db.conn.close()
    if not serve:
        return
    from repository.serve import ProviderConfig
    from repository.serve import serve as run_server
    from repository.web.config import WebConfig

    base = f"{_shown_address(host, port)}oai"
    click.echo(f"\nOAI-PMH base URL: {base}")
    click.echo(f"Web pages:        {_shown_address(host, port)}")
    # Only what `pip install .` brings: rli's own harvester, no test extras.
    click.echo(f"Try, in another terminal: {_this_rli()} harvest -l {base}"
               " -o demo-harvest.xml -m rli")
    _server_errors(lambda: run_server(db_path, host=host, port=port, workers=2,
                                      config=ProviderConfig(base_url=base), pages=WebConfig()))


def _this_rli() -> str:
    """How to run this rli from another terminal: ``rli`` if that is the one on PATH, else
    the script's full path (README's ``.venv/bin/rli demo`` leaves no ``rli`` on PATH), or
    ``python -m repository`` with this Python."""
    ran = Path(sys.argv[0])
    if ran.name == "__main__.py" and ran.parent.name == "repository":
        return f"{shlex.quote(sys.executable)} -m repository"
    if ran.name != "rli":  # rli called from Python code: no script to name
        return "rli"
    on_path = shutil.which("rli")
    if on_path is not None and Path(on_path).resolve() == ran.resolve():
        return "rli"
    return shlex.quote(str(ran.absolute()))


def _shown_address(host: str, port: int) -> str:
    """The demo's address: on every interface (``--host 0.0.0.0``), this machine's name,
    which others on the network can use (``0.0.0.0`` is no address to give out)."""
    from repository.cli.serve import every_interface, web_address
    from repository.serve import ProviderConfig, ProviderConfigError

    if every_interface(host):
        named = web_address(socket.gethostname(), port)
        try:
            ProviderConfig(base_url=f"{named}oai")
        except ProviderConfigError:  # a name no URL can hold: the address as bound
            return web_address(host, port)
        return named
    return web_address(host, port)


def _checked_address(host: str, port: int) -> None:
    from repository.serve import ProviderConfig, check_address

    ProviderConfig(base_url=f"{_shown_address(host, port)}oai")
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
