"""The ``rli`` group: global options, every command group attached, and the entry point.

Every command parses its input, calls the library and turns library errors
into one line on stderr and a non-zero exit. The database path comes from
``--db`` (before or after the command name: ``rli --db x.db lists`` and
``rli lists --db x.db`` alike), else ``RLI_DB``, else ``./rli.db``.

A command's module is imported only when that command runs (``COMMANDS``
says which module holds which command), so ``rli harvest`` never loads the
web pages or the provider; ``rli --help`` loads them all.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from repository.cli import terminal
from repository.cli.context import Env

DB_HELP = "SQLite database file (also accepted before the command; env RLI_DB)."

# Command name -> the module (under repository.cli) whose register() attaches it.
COMMANDS: dict[str, str] = {
    "init": "storage", "vacuum": "storage",
    **dict.fromkeys(("import", "lists", "show", "history", "diff", "new", "edit", "annotate",
                     "delete", "restore", "export"), "archive"),
    "changes": "changes", "accept": "changes", "reject": "changes",
    "convert": "convert",
    "source": "harvest", "harvest": "harvest", "resources": "resources",
    "search": "search", "reindex": "search",
    "serve": "serve",
    "demo": "demo",
    "user": "users",
}


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


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f"repository.cli.{COMMANDS[cmd_name]}")
            module.register(self)
            for name in [n for n, m in COMMANDS.items() if m == COMMANDS[cmd_name]]:
                _accept_db(self.commands[name])
        return self.commands.get(cmd_name)


@click.group(cls=_LazyGroup)
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


def main() -> None:
    """Console entry point: never lets a traceback reach the user, nor a control
    character from the data a terminal (:mod:`repository.cli.terminal`)."""
    terminal.guard()
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # last resort: one line, non-zero exit
        click.echo(f"rli: error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(70)
