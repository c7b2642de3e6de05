"""The ``rli`` group: global options, every command group attached, and the entry point.

Every command parses its input, calls the library and turns library errors
into one line on stderr and a non-zero exit. The database path comes from
``--db`` (before or after the command name: ``rli --db x.db lists`` and
``rli lists --db x.db`` alike), else ``RLI_DB``, else ``./rli.db``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from repository.cli import (
    archive,
    changes,
    convert,
    demo,
    harvest,
    search,
    serve,
    storage,
    users,
)
from repository.cli.context import Env

DB_HELP = "SQLite database file (also accepted before the command; env RLI_DB)."


def _db_after(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = Env(db_path=value)


def _accept_db(command: click.Command) -> None:
    """Give ``command`` (and, for a group, each of its commands) its own ``--db``."""
    if not any(p.name == "db" for p in command.params):
        command.params.append(click.Option(
            ["--db", "db_after"], type=click.Path(dir_okay=False, path_type=Path),
            expose_value=False, callback=_db_after, help=DB_HELP,
        ))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_db(sub)


@click.group()
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="RLI_DB",
    default=Path("rli.db"),
    show_default=True,
    help="SQLite database file (env RLI_DB).",
)
@click.version_option(package_name="rli")
@click.pass_context
def cli(ctx: click.Context, db: Path) -> None:
    """rli: an OAI-PMH repository and harvester for course resource lists (IMS RLI)."""
    ctx.obj = Env(db_path=db)


for _group in (storage, archive, changes, convert, harvest, search, serve, demo, users):
    _group.register(cli)
for _command in cli.commands.values():
    _accept_db(_command)


def main() -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # last resort: one line, non-zero exit
        click.echo(f"rli: error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(70)
