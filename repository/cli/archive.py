"""The archive's commands: import, lists, show, history, diff, new, edit, annotate, ...

... delete and export. Each parses input, calls the library and prints the outcome.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path

import click

from crosswalks.rli import Resource, ResourceList, VersionInfo, binding, count_resources
from crosswalks.xmlsafe import clean_text
from harvester.outfile import replacing
from harvester.shared.protocol import utc_now
from repository.archive import Archive, editing, importing
from repository.archive.batch_import import PARALLEL_FROM, FileImport, expand, import_files
from repository.archive.changes import pending_count, pending_counts
from repository.archive.diff import diff_lists
from repository.archive.events import history_events
from repository.archive.exporting import EXPORTERS, export_list, export_package
from repository.archive.importing import FileRead, ImportRefused, add_to_list, read_file
from repository.archive.upstream import upstream_item_ids
from repository.archive.writes import change_list, delete_list, restore_list
from repository.cli.context import Env, default_editor, open_archive, to_stdout, user_errors
from repository.cli.text import render_history, render_list, summary_table

VERSION = click.IntRange(1, 2**63 - 1)

if_version_option = click.option(
    "--if-version", type=VERSION,
    help="Refuse (nothing written) unless the latest version is still this one.")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--new-version", is_flag=True,
              help="A file for an existing list becomes its next version.")
@click.option("--note", default="imported", show_default=True, help="Change note for the versions.")
@click.option("--owner", help="Owner for a list whose file names none (default: 'unknown' for"
              " RLI and harvested records, you for a MODS/DC/LOM record).")
@click.option("--id", "list_id", help="Identifier for the list (default: the file's, else the"
              " file name). One file only.")
@click.option("--to", "to_list", help="Add the file's resources to this archived list instead.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Processes reading the files when there"
              f" are {PARALLEL_FROM} or more (default: one per CPU, at most 8).")
@click.option("--if-version", type=VERSION, help="With --new-version or --to, one file: refuse"
              " it (nothing written) unless the list's latest version is still this one.")
@click.pass_obj
def import_(
    env: Env, paths: tuple[Path, ...], new_version: bool, note: str, owner: str | None,
    list_id: str | None, to_list: str | None, jobs: int | None, if_version: int | None,
) -> None:
    """Import RLI XML (rli's or others'), IMS content packages, MODS/DC/LOM records, or
    OAI-PMH responses and harvest dumps; each file all-or-nothing, with a report."""
    if list_id is not None and (len(paths) > 1 or paths[0].is_dir()):
        raise click.ClickException("--id names one list: give one file")
    if list_id == "":  # it was taken for no --id at all
        raise click.ClickException("--id must not be empty")
    if to_list is not None and (list_id is not None or new_version):
        raise click.ClickException("--to adds to an existing list: not with --id or --new-version")
    if if_version is not None and (len(paths) > 1 or paths[0].is_dir()
                                   or not (new_version or to_list is not None)):
        raise click.ClickException("--if-version checks the version one file changes: give one"
                                   " file, with --new-version or --to")
    opened: list[Archive] = []  # opened (created) only once a file has been read

    def archive() -> Archive:
        if not opened:
            opened.append(open_archive(env.db_path,
                                       must_exist=to_list is not None or if_version is not None))
        return opened[0]

    read = partial(read_file, owner=owner, list_id=list_id, default_owner=default_editor())
    files = expand(paths)
    if to_list is not None:
        add = partial(_add, archive, to_list, note, if_version)
        results: Iterator[FileImport] = (_one_file(path, read, add) for path in files)
    elif if_version is not None:
        results = (_one_file(path, read, partial(_next_version, archive, note, if_version))
                   for path in files)
    else:
        results = import_files(archive, files, read, editor=default_editor(), note=note,
                               new_version=new_version, jobs=jobs or _cpus(),
                               fresh=not env.db_path.exists())
    failed = seen = 0
    with user_errors():
        for result in results:
            seen += 1
            if result.error:
                failed += 1
                click.echo(f"Error: {result.error}", err=True)
            elif result.read is not None:
                _report_import(result.path, result.read, list(result.done), to_list, archive())
    if not seen:  # only directories were given, and they hold no file
        names = ", ".join(str(p) for p in paths)
        raise click.ClickException(f"{names}: no file to import (names starting with . are"
                                   " skipped)")
    if failed:
        raise SystemExit(1)


def _cpus() -> int:
    """CPUs this process may run on, at most 8."""
    return min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


Write = Callable[[Path, FileRead], Sequence[tuple[str, VersionInfo]]]


def _one_file(path: Path, read: Callable[[Path], FileRead], write: Write) -> FileImport:
    """``path`` read and archived by ``write`` (``--to``, ``--if-version``), alone."""
    try:
        with user_errors():
            got = read(path)
            done = tuple(write(path, got))
    except click.ClickException as exc:
        return FileImport(path, error=exc.format_message())
    except ImportRefused as exc:
        return FileImport(path, error=str(exc))
    return FileImport(path, got, done)


def _add(archive: Callable[[], Archive], to_list: str, note: str, if_version: int | None,
         path: Path, got: FileRead) -> Sequence[tuple[str, VersionInfo]]:
    """``--to``: the file's resources appended to ``to_list`` as one new version."""
    return [(to_list, add_to_list(archive(), to_list, got.resources, editor=default_editor(),
                                  note=note, source=str(path), if_version=if_version))]


def _next_version(archive: Callable[[], Archive], note: str, if_version: int, path: Path,
                  got: FileRead) -> Sequence[tuple[str, VersionInfo]]:
    """``--new-version --if-version``: the file's list as its next version, if its latest
    is still ``if_version``."""
    return importing.import_lists(archive(), got.lists, editor=default_editor(), note=note,
                                  new_version=True, source=str(path), origins=got.origins,
                                  versions=got.versions, if_version=if_version)


def _report_import(
    path: Path, got: FileRead, done: list[tuple[str, VersionInfo]], to_list: str | None,
    archive: Archive,
) -> None:
    for ident, info in done:
        click.echo(f"{ident}: version {info.version} ({info.sha256[:12]}) from {path}")
        deleted_at = archive.restored_by(ident, info)
        if deleted_at is not None and not got.gives_deletion(ident, deleted_at):
            click.echo(f"  restored: {ident} was deleted; this version brings it back")
        if archive.state(ident).deleted:
            click.echo(f"  deleted: {ident} was deleted after this version where the package"
                       " comes from, and is deleted here too")
    if to_list is not None:
        click.echo(f"  added: {len(got.resources)} resource(s) to {to_list}")
    elif got.single:
        click.echo("  a single resource: imported as a one-item list (--to LIST adds it to a"
                   " list instead)")
    if to_list is None:
        for value in got.supplied:
            click.echo(f"  supplied: {value}")
    for value in got.unread:
        click.echo(f"  not kept: {value}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--all", "include_deleted", is_flag=True, help="Include deleted lists.")
@click.pass_obj
def lists(env: Env, as_json: bool, include_deleted: bool) -> None:
    """List the archived lists."""
    archive = open_archive(env.db_path)
    rows = list(archive.summaries(include_deleted=include_deleted or as_json))
    waiting = pending_counts(archive.db.conn)
    if as_json:
        click.echo(json.dumps([{**asdict(r), "pending_changes": waiting.get(r.id, 0)}
                               for r in rows], indent=2, ensure_ascii=False))
        return
    for line in summary_table(rows, pending=waiting):
        click.echo(line)


@click.command()
@click.argument("list_id")
@click.option("--version", type=VERSION, help="Show this version (default: latest).")
@click.option("--resolver", envvar="RLI_RESOLVER",
              help="Library link-resolver base URL: show an OpenURL link for each resource.")
@click.pass_obj
def show(env: Env, list_id: str, version: int | None, resolver: str | None) -> None:
    """Show a list as a readable outline."""
    from crosswalks.openurl import OpenURLError, openurl_link

    archive = open_archive(env.db_path)
    with user_errors():
        lst = archive.get(list_id, version)
        number = version if version is not None else archive.state(list_id).version
        if resolver:  # check the base once, before rendering
            try:
                openurl_link(Resource(), resolver)
            except OpenURLError as exc:
                raise click.ClickException(str(exc)) from exc
        link = (lambda res: openurl_link(res, resolver)) if resolver else None
        click.echo(render_list(lst, version=number, link=link))
        stone = archive.tombstone(list_id)
        waiting = pending_count(archive.db.conn, list_id)
    if stone:
        click.echo(f"\n(deleted {stone['deleted_at']} by {stone['editor']}: {stone['note']})")
    if waiting:
        click.echo(f"\n({waiting} pending change{'s' if waiting > 1 else ''} from upstream:"
                   f" `rli changes {list_id}`)")


@click.command()
@click.argument("list_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def history(env: Env, list_id: str, as_json: bool) -> None:
    """Every version, deletion and restore of a list: when, who, why, sha256."""
    archive = open_archive(env.db_path)
    with user_errors():
        versions = history_events(archive, list_id)
    if as_json:
        click.echo(json.dumps([asdict(v) for v in versions], indent=2, ensure_ascii=False))
    else:
        click.echo(render_history(versions))


@click.command()
@click.argument("list_id")
@click.argument("a", type=VERSION)
@click.argument("b", type=VERSION)
@click.pass_obj
def diff(env: Env, list_id: str, a: int, b: int) -> None:
    """What changed from version A to version B of a list."""
    archive = open_archive(env.db_path)
    with user_errors():
        result = diff_lists(archive.get(list_id, a), archive.get(list_id, b))
    click.echo("\n".join(result.lines()))


@click.command()
@click.option("--title", required=True)
@click.option("--owner", required=True)
@click.option("--course", "courses", multiple=True, help="Course code (repeatable).")
@click.option("--id", "list_id", help="List identifier (default: made from the title).")
@click.option("--description", default="")
@click.option("--from-source", "source", help="Fill the list with this harvest source's resources.")
@click.option("--set", "set_spec", help="With --from-source: only records in this OAI set.")
@click.pass_obj
def new(
    env: Env, title: str, owner: str, courses: tuple[str, ...], list_id: str | None,
    description: str, source: str | None, set_spec: str | None,
) -> None:
    """Create a new list (version 1): empty, or made of harvested resources."""
    if set_spec is not None and source is None:
        raise click.ClickException("--set goes with --from-source")
    if _blank(title) or _blank(owner) or any(map(_blank, courses)):
        raise click.ClickException("--title, --owner and --course must not be empty")
    archive = open_archive(env.db_path, must_exist=False)
    ident = list_id or editing.slug(title)
    lst = ResourceList(
        identifier=ident, title=title, owner=owner, courses=courses, description=description,
        created=utc_now().strftime("%Y-%m-%d"),
    )
    with user_errors():
        note = "created"
        if source is not None:
            found = _harvested(archive, source, set_spec)
            if not found:
                where = f" in set {set_spec!r}" if set_spec else ""
                raise click.ClickException(
                    f"source {source!r} has no harvested resources{where}; no list made"
                )
            lst = editing.append_resources(lst, found)
            note = f"created from harvest source {source} {set_spec or ''}".rstrip()
        info = archive.add(lst, editor=default_editor(), note=note)
    click.echo(f"{ident}: version {info.version} created with {count_resources(lst)} items")


def _harvested(archive: Archive, source: str, set_spec: str | None) -> list[Resource]:
    from harvester.query import harvested_resources

    return list(harvested_resources(archive.db, source, set_spec))


def _picked(archive: Archive, resource_id: str) -> Resource:
    """A harvested resource as a list item's content, carrying where it came from."""
    from harvester.query import harvested_resource

    return harvested_resource(archive.db, resource_id).resource


def _blank(text: str) -> bool:
    """Whether ``text`` is empty once what XML cannot carry is gone (as the archive stores
    it): only spaces or control characters would archive an empty value."""
    return not clean_text(text).strip()


@click.command()
@click.argument("list_id")
@click.option("--title")
@click.option("--description")
@click.option("--add-file", "add_files", multiple=True, type=click.Path(path_type=Path),
              help="RLI resource XML file to append (repeatable).")
@click.option("--add-resource", "add_resources", multiple=True, metavar="SOURCE:OAI_IDENTIFIER",
              help="Harvested resource to append, keeping its origin (repeatable).")
@click.option("--remove", "removes", multiple=True, help="Item id to remove (repeatable).")
@click.option("--move", "move_id", help="Item id to move.")
@click.option("--to", "move_to", type=VERSION, help="1-based position for --move.")
@click.option("--note", required=True, help="Why: the change note for the new version.")
@if_version_option
@click.pass_obj
def edit(
    env: Env, list_id: str, title: str | None, description: str | None,
    add_files: tuple[Path, ...], add_resources: tuple[str, ...], removes: tuple[str, ...],
    move_id: str | None, move_to: int | None, note: str, if_version: int | None,
) -> None:
    """Change a list; every call makes exactly one new version."""
    if (move_id is None) != (move_to is None):
        raise click.ClickException("--move and --to go together")
    if title is not None and _blank(title):
        raise click.ClickException("--title must not be empty")
    archive = open_archive(env.db_path)
    with user_errors():
        added = [binding.read_resource(path.read_bytes(), source=str(path)) for path in add_files]
        added += [_picked(archive, resource_id) for resource_id in add_resources]

        def change(lst: ResourceList) -> ResourceList:
            if title is not None:
                lst = replace(lst, title=title)
            if description is not None:
                lst = replace(lst, description=description)
            taken = upstream_item_ids(archive, list_id) if added else frozenset()
            for res in added:
                lst = editing.add_resource(lst, res, taken=taken)
            for item_id in removes:
                lst = editing.remove_item(lst, item_id)
            if move_id is not None and move_to is not None:
                lst = editing.move_item(lst, move_id, move_to)
            return lst

        info = change_list(archive, list_id, change, editor=default_editor(), note=note,
                           if_version=if_version)
    click.echo(f"{list_id}: version {info.version} ({note})")


@click.command()
@click.argument("list_id")
@click.argument("text")
@click.option("--item", "item_id", help="Annotate this item (default: the list).")
@click.option("--kind", default="note", show_default=True,
              help="Tag such as note, essential, recommended, optional.")
@if_version_option
@click.pass_obj
def annotate(
    env: Env, list_id: str, text: str, item_id: str | None, kind: str, if_version: int | None
) -> None:
    """Add an annotation to a list or one of its items (a new version)."""
    if _blank(text):
        raise click.ClickException("the annotation text is empty")
    if _blank(kind):
        raise click.ClickException("--kind must not be empty")
    archive = open_archive(env.db_path)
    note = f"annotated {item_id or 'list'}"
    with user_errors():
        info = change_list(
            archive, list_id,
            lambda lst: editing.annotate(lst, text, item_id=item_id, kind=kind,
                                         author=default_editor(),
                                         date=utc_now().strftime("%Y-%m-%d")),
            editor=default_editor(), note=note, if_version=if_version)
    click.echo(f"{list_id}: version {info.version} ({note})")


@click.command()
@click.argument("list_id")
@click.option("--note", default="deleted", show_default=True)
@if_version_option
@click.pass_obj
def delete(env: Env, list_id: str, note: str, if_version: int | None) -> None:
    """Delete a list: its versions stay, a tombstone records the deletion."""
    archive = open_archive(env.db_path)
    with user_errors():
        delete_list(archive, list_id, editor=default_editor(), note=note, if_version=if_version)
    click.echo(f"{list_id}: deleted (versions kept)")


@click.command()
@click.argument("list_id")
@click.option("--note", default="restored", show_default=True)
@if_version_option
@click.pass_obj
def restore(env: Env, list_id: str, note: str, if_version: int | None) -> None:
    """Bring a deleted list back (a new version of its last content; the tombstone stays)."""
    archive = open_archive(env.db_path)
    with user_errors():
        info = restore_list(archive, list_id, editor=default_editor(), note=note,
                            if_version=if_version)
    click.echo(f"{list_id}: restored as version {info.version}")


@click.command()
@click.argument("list_ids", nargs=-1, required=True)
@click.option("--version", type=VERSION)
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), default="rli",
              show_default=True)
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (default: stdout).")
@click.option("--history", is_flag=True,
              help="With --format ims-cp: every version of each list (rli import restores them).")
@click.pass_obj
def export(
    env: Env, list_ids: tuple[str, ...], version: int | None, fmt: str, output: Path | None,
    history: bool,
) -> None:
    """Export a list (a version of it) as RLI XML or another format; several lists as ims-cp."""
    if len(list_ids) > 1 and (fmt != "ims-cp" or version is not None):
        raise click.ClickException("several lists go only into one --format ims-cp package")
    if history and (fmt != "ims-cp" or version is not None):
        raise click.ClickException("--history goes with --format ims-cp (and no --version)")
    archive = open_archive(env.db_path)
    with user_errors():
        if len(list_ids) > 1 or history:
            data = export_package(archive, list(list_ids), history=history)
        else:
            data = export_list(archive, list_ids[0], fmt, version)
        if output is None:
            to_stdout(data)
        else:
            with replacing(output, database=env.db_path) as file:
                file.write(data)


# Letters NFKD does not split into a base letter and an accent.
COMMANDS = (import_, lists, show, history, diff, new, edit, annotate, delete, restore,
            export)


def register(group: click.Group) -> None:
    """Attach the archive's commands to ``group``."""
    for command in COMMANDS:
        group.add_command(command)
