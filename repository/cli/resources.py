"""``rli resources`` and ``rli resources show``: the harvested records and their RLI readings.

A thin shell over :mod:`harvester.query`; the citation writers are imported
here, so ``rli harvest`` never loads them.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

import click

from crosswalks.citations import to_bibtex, to_csl_json, to_ris
from crosswalks.rli.binding import write_resource
from harvester.query import harvested_resource, resource_rows
from repository.cli.context import to_stdout, user_errors
from repository.cli.harvest import harvest_db

if TYPE_CHECKING:
    from repository.cli.context import Env

SHOW_FORMATS = ("rli", "ris", "bibtex", "csl-json", "oai")


def register(group: click.Group) -> None:
    """Attach ``rli resources`` to ``group``."""
    group.add_command(resources)


@click.group(invoke_without_command=True)
@click.option("--source", "source_name", help="Only records harvested from this source.")
@click.option("--json", "as_json", is_flag=True, help="JSON array instead of a table.")
@click.pass_context
def resources(ctx: click.Context, source_name: str | None, as_json: bool) -> None:
    """List harvested records and the RLI resources read from them; `show` one."""
    if ctx.invoked_subcommand is not None:
        return
    env: Env = ctx.obj
    with harvest_db(env) as db, user_errors():
        rows = resource_rows(db, source_name)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=2,
                              ensure_ascii=False))
        return
    for r in rows:
        flag = "deleted" if r.deleted else r.status
        click.echo(f"{r.id}\t{flag}\t{r.datestamp}\t{r.title}")


@resources.command("show")
@click.argument("resource_id", metavar="SOURCE:OAI_IDENTIFIER")
@click.option("--format", "fmt", type=click.Choice(SHOW_FORMATS), default="rli",
              show_default=True, help="oai: the raw record as harvested.")
@click.pass_obj
def resources_show(env: Env, resource_id: str, fmt: str) -> None:
    """One harvested resource as RLI XML, a citation, or its raw OAI-PMH record."""
    with harvest_db(env) as db, user_errors():
        found = harvested_resource(db, resource_id)
    if fmt == "oai":
        to_stdout(found.record)
    elif fmt == "rli":
        to_stdout(write_resource(found.resource))
    else:
        writers = {"ris": to_ris, "bibtex": to_bibtex, "csl-json": to_csl_json}
        click.echo(writers[fmt]([found.resource]), nl=False)
