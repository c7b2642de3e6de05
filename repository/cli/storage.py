"""``rli init`` and ``rli vacuum``: create or convert an archive, and give freed space back."""

from __future__ import annotations

from collections.abc import Callable

import click

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.compact import (
    has_item_tables,
    recompress_documents,
    recompress_records,
    stale_documents,
    stale_records,
    vacuum,
)
from repository.cli.context import Env, open_archive, user_errors


@click.command()
@click.pass_obj
def init(env: Env) -> None:
    """Create an empty archive, or migrate an existing one (saying what it does)."""
    with user_errors():
        db = open_db(env.db_path)
        if has_item_tables(db):  # said before the archive opens: opening migrates the schema
            click.echo(f"{env.db_path}: dropping the per-version item, resource and annotation"
                       " tables (rows nothing reads; the version documents hold the same)")
        archive = Archive(db)
        converted = 0
        stale = stale_documents(archive.db)
        if stale:
            click.echo(f"{env.db_path}: {stale} version documents are stored uncompressed or as"
                       " zlib; compressing them as zstd (their bytes and sha256 stay the same;"
                       " if interrupted, run rli init again to carry on)")
            converted += recompress_documents(archive.db, _progress(stale))
        stale = stale_records(archive.db)
        if stale:
            click.echo(f"{env.db_path}: {stale} harvested records keep their metadata"
                       " uncompressed; compressing it (if interrupted, run rli init again)")
            converted += recompress_records(archive.db, _progress(stale))
        if converted:
            click.echo(f"compressed {converted} documents and records; run `rli vacuum` to"
                       " return the freed space to the file system")
    click.echo(f"archive ready at {env.db_path}")


@click.command("vacuum")
@click.pass_obj
def vacuum_(env: Env) -> None:
    """Rewrite the archive file to return the space freed by deletions and compression."""
    archive = open_archive(env.db_path)
    with user_errors():
        done = vacuum(archive.db, env.db_path)
    click.echo(f"{env.db_path}: {done.before:,} -> {done.after:,} bytes")
    if not done.log_emptied:
        click.echo(f"{env.db_path}: its write-ahead log ({env.db_path.name}-wal) could not be"
                   " emptied while other processes used the archive; run `rli vacuum` again"
                   " when they are idle", err=True)


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
