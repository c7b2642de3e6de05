"""The ``rli`` group: global options, every command group attached, and the entry point.

Every command parses its input, calls the library and turns library errors
into one line on stderr and a non-zero exit. The database path comes from
``--db``, else ``RLI_DB``, else ``./rli.db``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from repository.cli import archive, changes, convert, demo, harvest, serve
from repository.cli.context import Env


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


for _group in (archive, changes, convert, harvest, serve, demo):
    _group.register(cli)


def main() -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # last resort: one line, non-zero exit
        click.echo(f"rli: error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(70)
