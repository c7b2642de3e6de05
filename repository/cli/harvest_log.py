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
# Whose lines a harvest writes: the harvester's, and the archive's as harvested lists land
# in it (a logger with no handler would go to Python's last resort: stderr, even --quiet).
HARVEST_LOGGERS = ("harvester", "repository.archive")


def harvest_log(quiet: bool = False, log_file: Path | None = None) -> LogFile | None:
    """Plain lines on stderr (on a terminal only warnings: the progress line says the rest;
    with ``quiet`` none: the command prints one line per failed source itself), and every
    line from INFO up in ``log_file`` if given: its handler is returned, to ask afterwards
    whether it could write every line. Raises OSError if ``log_file`` cannot be opened."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.CRITICAL + 1 if quiet
                     else logging.WARNING if sys.stderr.isatty() else logging.INFO)
    handlers: list[logging.Handler] = [handler]
    to_file = None
    if log_file is not None:
        to_file = LogFile(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        to_file.setLevel(logging.INFO)
        handlers.append(to_file)
    for name in HARVEST_LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, (_StderrHandler, LogFile))]:
            logger.removeHandler(old)
            old.close()
        for new in handlers:
            logger.addHandler(new)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    return to_file


class LogFile(logging.FileHandler):
    """The ``--log-file`` handler (a class of its own so a later call can replace it).

    A line it cannot write (a full disk, an I/O error) is said once on stderr, in one
    line, and the lines after it are dropped; ``lost`` says so afterwards (logging's own
    handling printed a traceback for every line, and the command ended as if all was well).
    """

    lost: bool = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if self.lost:
            return
        self.lost = True
        exc = sys.exc_info()[1]
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"Error: {self.baseFilename}: {why}; the rest of the harvest log is lost",
                   err=True)
