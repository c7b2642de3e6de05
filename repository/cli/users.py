"""``rli user add|list|remove|logout|password|role``: accounts for writing lists in the browser.

The password is read from a hidden prompt (asked twice) on a terminal, else
the first line of standard input, and is never an argument (it would show in
the process list and the shell history).
"""

from __future__ import annotations

import sys

import click

from harvester.shared.protocol import utc_now
from repository.cli.context import Env, open_archive, user_errors
from repository.web.accounts import (
    ROLES,
    AccountError,
    add_user,
    all_users,
    end_sessions,
    remove_user,
    require_user,
    set_password,
    set_role,
)


@click.group()
def user() -> None:
    """Accounts for the web pages (editors and admins)."""


def _password() -> str:
    stdin = sys.stdin
    if stdin is None:  # started with its standard input closed (``<&-``)
        raise click.ClickException("no password: standard input is closed; type it on a"
                                   " terminal or give it as one line of standard input")
    try:
        if stdin.isatty():
            value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            value = stdin.readline().rstrip("\r\n")
        # Undecodable bytes fail the read, or (under surrogateescape) the hash later on.
        value.encode("utf-8")
    except UnicodeError as exc:
        raise click.ClickException("the password is not UTF-8 text") from exc
    return value


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.pass_obj
def user_add(env: Env, name: str, role: str) -> None:
    """Create an account; the password comes from a prompt or standard input."""
    archive = open_archive(env.db_path, must_exist=False)
    try:
        with user_errors():
            made = add_user(archive.db, name, _password(), role, now=utc_now())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {made.name} added ({made.role})")


@user.command("list")
@click.pass_obj
def user_list(env: Env) -> None:
    """The accounts: name, role, when made."""
    with user_errors():
        users = all_users(open_archive(env.db_path).db)
    for u in users:
        click.echo(f"{u.name}\t{u.role}\t{u.created_at}")


@user.command("remove")
@click.argument("name")
@click.pass_obj
def user_remove(env: Env, name: str) -> None:
    """Delete an account (the versions it made keep its name)."""
    try:
        with user_errors():
            remove_user(open_archive(env.db_path).db, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {name} removed")


@user.command("logout")
@click.argument("name")
@click.pass_obj
def user_logout(env: Env, name: str) -> None:
    """End every session of an account (a lost laptop, a copied cookie)."""
    try:
        with user_errors():
            ended = end_sessions(open_archive(env.db_path).db, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {name}: {ended} session{'' if ended == 1 else 's'} ended")


@user.command("password")
@click.argument("name")
@click.pass_obj
def user_password(env: Env, name: str) -> None:
    """Give an account a new password (read as `add` reads it); ends all its sessions."""
    try:
        with user_errors():
            db = open_archive(env.db_path).db
            require_user(db, name)  # before a prompt asks twice for nothing
            ended = set_password(db, name, _password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {name}: password changed, {ended} session{'' if ended == 1 else 's'}"
               " ended")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_obj
def user_role(env: Env, name: str, role: str) -> None:
    """Give an account another role; its sessions see it on their next request."""
    try:
        with user_errors():
            was = set_role(open_archive(env.db_path).db, name, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {name}: role {role} (was {was})")


def register(group: click.Group) -> None:
    group.add_command(user)
