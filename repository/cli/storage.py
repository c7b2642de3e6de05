"""``rli init`` and ``rli vacuum``: create or convert an archive, and give freed space back."""

from __future__ import annotations

from collections.abc import Callable

import click

from repository.archive.compact import compress_documents, plain_documents, vacuum
from repository.cli.context import Env, open_archive, user_errors


@click.command()
@click.pass_obj
def init(env: Env) -> None:
    """Create an empty archive, or migrate an existing one (saying what it does)."""
    archive = open_archive(env.db_path, must_exist=False)
    with user_errors():
        plain = plain_documents(archive.db)
        if plain:
            click.echo(f"{env.db_path}: {plain} version documents are stored uncompressed;"
                       " compressing them (their bytes and sha256 stay the same; if interrupted,"
                       " run rli init again to carry on)")
            compress_documents(archive.db, _progress(plain))
            click.echo(f"compressed {plain} documents; run `rli vacuum` to return the freed"
                       " space to the file system")
    click.echo(f"archive ready at {env.db_path}")


@click.command("vacuum")
@click.pass_obj
def vacuum_(env: Env) -> None:
    """Rewrite the archive file to return the space freed by deletions and compression."""
    archive = open_archive(env.db_path)
    with user_errors():
        before, after = vacuum(archive.db, env.db_path)
    click.echo(f"{env.db_path}: {before:,} -> {after:,} bytes")


def _progress(total: int) -> Callable[[int], None]:
    step = max(total // 10, 1)
    shown = [0]

    def report(done: int) -> None:
        if done - shown[0] >= step or done == total:
            shown[0] = done
            click.echo(f"  {done}/{total}", err=True)

    return report


def register(group: click.Group) -> None:
    """Attach ``init`` and ``vacuum`` to the ``rli`` group."""
    group.add_command(init)
    group.add_command(vacuum_)
