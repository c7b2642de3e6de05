"""``rli changes``, ``rli accept`` and ``rli reject``: pending changes from upstream (UC8)."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from repository.archive.changes import pending
from repository.archive.decide import PREFER, accept, reject
from repository.cli.context import Env, default_editor, open_archive, user_errors

CHANGE = click.IntRange(1, 2**63 - 1)
VERSION = click.IntRange(1, 2**63 - 1)


@click.command()
@click.argument("list_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def changes(env: Env, list_id: str | None, as_json: bool) -> None:
    """Pending changes from upstream, of one list or all, oldest first."""
    archive = open_archive(env.db_path)
    with user_errors():
        if list_id is not None:
            archive.state(list_id)  # ListNotFound for an unknown list
        found = list(pending(archive.db.conn, list_id))
    if as_json:
        click.echo(json.dumps([asdict(c) for c in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no pending changes")
    for c in found:
        click.echo(f"{c.list}  change {c.id}: {c.kind} from {c.source} (proposed {c.created})")
        click.echo(f"  {c.summary}")
        for line in c.details:
            click.echo(f"    {line}")


@click.command("accept")
@click.argument("list_id")
@click.argument("change_id", type=CHANGE)
@click.option("--note", default="", help="Why (default: names the change).")
@click.option("--prefer", type=click.Choice(PREFER),
              help="How to resolve merge conflicts: take upstream's side or keep this one's.")
@click.option("--if-version", type=VERSION,
              help="Refuse (nothing written) unless the latest version is still this one.")
@click.pass_obj
def accept_(
    env: Env, list_id: str, change_id: int, note: str, prefer: str | None,
    if_version: int | None,
) -> None:
    """Accept a pending change: one new version (an upstream version is merged three-way)."""
    archive = open_archive(env.db_path)
    with user_errors():
        before = archive.state(list_id).version
        info = accept(archive, list_id, change_id, editor=default_editor(), note=note,
                      prefer=prefer, if_version=if_version)
    if archive.state(list_id).deleted:
        click.echo(f"{list_id}: deleted (change {change_id} accepted)")
    elif info.version == before:
        click.echo(f"{list_id}: change {change_id} accepted; version {info.version} had it"
                   " already")
    else:
        click.echo(f"{list_id}: version {info.version} ({info.note})")


@click.command("reject")
@click.argument("list_id")
@click.argument("change_id", type=CHANGE)
@click.option("--note", default="", help="Why.")
@click.option("--if-version", type=VERSION,
              help="Refuse (nothing written) unless the latest version is still this one.")
@click.pass_obj
def reject_(env: Env, list_id: str, change_id: int, note: str, if_version: int | None) -> None:
    """Reject a pending change; the same upstream state is not proposed again."""
    archive = open_archive(env.db_path)
    with user_errors():
        reject(archive, list_id, change_id, editor=default_editor(), note=note,
               if_version=if_version)
    click.echo(f"{list_id}: change {change_id} rejected")


def register(group: click.Group) -> None:
    """Attach the pending-change commands to ``group``."""
    for command in (changes, accept_, reject_):
        group.add_command(command)
