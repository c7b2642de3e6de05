"""Where the harvester's log goes for ``rli harvest``: stderr as the terminal or cron wants
it (``--quiet``), and a file (``--log-file``)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click


class _StderrHandler(logging.Handler):
    """Log lines to whatever stderr is now (click's test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def harvest_log(quiet: bool = False, log_file: Path | None = None) -> None:
    """Plain lines on stderr (on a terminal only warnings: the progress line says the rest;
    with ``quiet`` none: the command prints one line per failed source itself), and every
    line from INFO up in ``log_file`` if given."""
    logger = logging.getLogger("harvester")
    for old in [h for h in logger.handlers if isinstance(h, (_StderrHandler, _FileHandler))]:
        logger.removeHandler(old)
        old.close()
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.CRITICAL + 1 if quiet
                     else logging.WARNING if sys.stderr.isatty() else logging.INFO)
    logger.addHandler(handler)
    if log_file is not None:
        to_file = _FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        to_file.setLevel(logging.INFO)
        logger.addHandler(to_file)
    logger.propagate = False
    logger.setLevel(logging.INFO)


class _FileHandler(logging.FileHandler):
    """The ``--log-file`` handler (a class of its own so a later call can replace it)."""
