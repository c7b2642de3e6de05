"""``rli demo``: build an archive from the bundled lists, print them, and serve it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from click.core import ParameterSource

from repository.archive.demo import DATA_DIR, build_demo, propose_demo_revisions
from repository.cli.context import Env, open_archive, user_errors


@click.command()
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the archive over OAI-PMH after building it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--data", "data_dir", default=DATA_DIR, type=click.Path(file_okay=False,
              path_type=Path), help="Folder with lists/ and versions/.")
@click.pass_context
def demo(ctx: click.Context, serve: bool, host: str, port: int, data_dir: Path) -> None:
    """Build an archive from the bundled lists (temporary unless --db is given) and serve it."""
    env: Env = ctx.obj
    parent = ctx.parent
    explicit = parent is not None and parent.get_parameter_source("db") in (
        ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    db_path = env.db_path if explicit else Path(tempfile.mkdtemp(prefix="rli-demo-")) / "demo.db"
    archive = open_archive(db_path, must_exist=False)
    with user_errors():
        done = build_demo(archive, data_dir)
        offered = propose_demo_revisions(archive, data_dir)
    waiting = f", {offered} pending change{'s' if offered != 1 else ''}" if offered else ""
    click.echo(f"archive: {db_path} ({len(done)} versions archived{waiting})")
    for r in archive.summaries():
        click.echo(f"  {r.id:<24} v{r.version:<3} {r.items:>3} items  {r.owner:<22} {r.title}")
    if not serve:
        return
    from repository.serve import ProviderConfig
    from repository.serve import serve as run_server

    base = f"http://{host}:{port}/oai"
    click.echo(f"\nOAI-PMH base URL: {base}")
    click.echo("Try: python -c \"from sickle import Sickle; "
               f"print(sum(1 for _ in Sickle('{base}').ListRecords(metadataPrefix='oai_dc')))\"")
    run_server(db_path, host=host, port=port, workers=2, config=ProviderConfig(base_url=base))


def register(group: click.Group) -> None:
    group.add_command(demo)
