"""``rli search`` and ``rli reindex``: full-text search over harvested resources and lists."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from crosswalks.rli import ResourceType
from harvester.shared.fulltext import Filters
from repository import search as searching
from repository.cli.context import Env, open_archive, user_errors

TYPES = click.Choice([t.value for t in ResourceType] + ["list"])


# A query may start with an exclusion (`rli search "-film law"`): an unknown option is
# the query, not an error (click would read "-film law" as options -f, -i, ...).
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@click.option("--in", "where", type=click.Choice(searching.KINDS),
              help="Only harvested resources, or only archived lists (default: both).")
@click.option("--source", help="Only what was harvested from this source.")
@click.option("--type", "type_", type=TYPES, help="Only resources of this type.")
@click.option("--year", type=click.IntRange(0, 9999), help="Only this publication year.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of hits.")
@click.pass_obj
def search(
    env: Env, query: str, where: str | None, source: str | None, type_: str | None,
    year: int | None, limit: int, as_json: bool,
) -> None:
    """Find harvested resources and lists: words, "phrases", prefix*, OR, -exclusions
    (AND and NOT in capitals work too)."""
    archive = open_archive(env.db_path)
    kinds = (where,) if where else searching.KINDS
    with user_errors():
        if source is not None and not searching.source_known(archive.db, source):
            raise click.ClickException(  # a mistake, not "nothing found"
                f"no source called {source!r} (see `rli source list`)")
        hits = searching.search(archive.db, query, kinds=kinds, limit=limit,
                                filters=Filters(source=source, type=type_, year=year))
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo(f"nothing found for {query!r}", err=True)
    for h in hits:
        about = ", ".join(x for x in ("; ".join(h.creators), h.date) if x)
        kind = h.kind if h.kind == "list" else h.type
        click.echo(f"{h.id:<24} {h.title}  ({about})  <{kind}>" if about
                   else f"{h.id:<24} {h.title}  <{kind}>")


@click.command()
@click.option("--reread", is_flag=True,
              help="Read every harvested record again through its crosswalk first.")
@click.pass_obj
def reindex(env: Env, reread: bool) -> None:
    """Rebuild the full-text index of harvested resources and archived lists."""
    archive = open_archive(env.db_path)
    with user_errors():
        done = searching.reindex(archive.db, reread=reread)
    click.echo(f"reindexed {done.resources} harvested resources and {done.lists} lists")


def register(group: click.Group) -> None:
    """Attach the search commands to ``group``."""
    group.add_command(search)
    group.add_command(reindex)
