"""What every ``rli`` command shares: opening the archive, library errors as one line."""

from __future__ import annotations

import getpass
import math
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from crosswalks.ims_cp import PackageError
from crosswalks.rli.binding import RLIFormatError
from crosswalks.xmlsafe import XMLInputError
from harvester.errors import HarvestError
from harvester.shared.db import StoreError, open_db
from harvester.shared.fulltext import QueryError
from harvester.shared.protocol import OAIError
from repository.archive import Archive, ArchiveError
from repository.archive.editing import EditError
from repository.archive.importing import ImportRefused
from repository.cli import terminal


@dataclass(frozen=True)
class Env:
    """What every command receives: where the database is."""

    db_path: Path


# Library errors a user can cause; each becomes "Error: <message>" and exit 1.
USER_ERRORS: tuple[type[Exception], ...] = (
    ArchiveError,
    EditError,
    ImportRefused,
    RLIFormatError,
    XMLInputError,
    StoreError,
    HarvestError,
    QueryError,
    PackageError,
)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace and control characters one space (what a
    provider or a file said may hold newlines; an error is one line)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate library errors into click errors (one line, exit 1, no traceback)."""
    try:
        yield
    except OAIError as exc:
        raise click.ClickException(one_line(f"provider error {exc.code}: {exc.message}")) from exc
    except USER_ERRORS as exc:
        raise click.ClickException(one_line(str(exc))) from exc
    except sqlite3.Error as exc:
        raise click.ClickException(f"database: {exc}") from exc
    except OSError as exc:
        name = getattr(exc, "filename", None)
        raise click.ClickException(f"{name + ': ' if name else ''}{exc.strerror or exc}") from exc


class Seconds(click.FloatRange):
    """A finite number of seconds within the range (click's FloatRange takes nan and inf)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        number: float = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


TIMEOUT = Seconds(min=0, min_open=True, max=86_400)  # a request's, up to a day
LONG = Seconds(min=1, max=10_000_000)  # a run's or a page's, up to about 115 days


def open_archive(db_path: Path, *, must_exist: bool = True) -> Archive:
    """The archive in ``db_path``. Raises ClickException if it is missing and must exist."""
    if must_exist:
        require_db(db_path, "run `rli init` or give --db")
    with user_errors():
        return Archive(open_db(db_path))


def require_db(db_path: Path, hint: str) -> None:
    """Raise ClickException (with ``hint``: what makes one) if there is no file at
    ``db_path``: a command that only reads or works on an archive never makes one."""
    if str(db_path) != ":memory:" and not db_path.exists():
        raise click.ClickException(f"no archive at {db_path} ({hint})")


def default_editor() -> str:
    """Who is making a change: RLI_EDITOR, else the login name."""
    try:
        return os.environ.get("RLI_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def to_stdout(data: bytes) -> None:
    """Write ``data`` to standard output as it is; one Error: line if that is closed."""
    if sys.stdout is None:  # started with ``>&-``
        raise click.ClickException("standard output is closed: nowhere to write (give -o FILE"
                                   " where the command takes it)")
    if sys.stdout.isatty():  # shown, not kept: no control character from the data
        data = terminal.shown_bytes(data)
    sys.stdout.buffer.write(data)
