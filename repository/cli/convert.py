"""``rli convert``: one record or list file from one format to another, no archive involved."""

from __future__ import annotations

from pathlib import Path

import click

from crosswalks.convert import TEXT_TARGETS, XML_TARGETS, ConversionError, convert
from crosswalks.registry import FORMATS
from crosswalks.xmlsafe import MAX_INPUT_BYTES
from harvester.outfile import replacing
from repository.archive.importing import file_list_id, read_capped
from repository.cli.context import Env, to_stdout, user_errors


@click.command("convert")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--from", "from_", required=True, type=click.Choice(sorted(FORMATS)))
@click.option("--to", "to", required=True, type=click.Choice(sorted(XML_TARGETS + TEXT_TARGETS)))
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (default: stdout).")
@click.option("--resolver", default="", help="OpenURL link-resolver base URL (for --to openurl).")
@click.option("--quiet", is_flag=True, help="Do not report what the conversion lost.")
@click.pass_obj
def convert_command(
    env: Env, path: Path, from_: str, to: str, output: Path | None, resolver: str, quiet: bool
) -> None:
    """Convert FILE between DC, MODS, LOM and RLI, or to OpenURL, RIS, BibTeX, CSL-JSON."""
    with user_errors():
        data = read_capped(path, MAX_INPUT_BYTES)
    try:
        result = convert(data, from_, to, resolver=resolver, name=file_list_id(path),
                         source=str(path))
    except ConversionError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is None:
        to_stdout(result.data)
    else:
        with user_errors(), replacing(output, database=env.db_path) as file:
            file.write(result.data)
    if not quiet:
        for value in result.supplied:
            click.echo(f"supplied: {value}", err=True)
        for loss in result.losses:
            click.echo(f"lost: {loss}", err=True)


def register(group: click.Group) -> None:
    group.add_command(convert_command)
