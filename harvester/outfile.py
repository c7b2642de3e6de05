"""Output files (``-o FILE``) written whole or not at all.

The bytes go to a temporary file beside the target (``.NAME.<random>.part``,
beside the file a symlink names, so the link is written through and stays a
link), are flushed and fsynced, and the temporary file is renamed onto the
target: a failed or interrupted write leaves the old file as it was and no
temporary file behind (only ``kill -9`` can leave one). The old file's
permission bits are kept; a new file gets what a plain ``open`` would give it.
A target that names one of the process's own files (``/dev/stdout``, whatever
stdout is) is written through that descriptor; one that exists and is not a
regular file (a FIFO, a device) is written directly. A file the user may not
write is refused, as a plain ``open`` would (a rename needs only its folder
writable). A hard link to the target is not kept.

Raises errors.OutputError, naming the target, when it cannot be written or is
part of the database the command works on (refused before anything is written).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from harvester.errors import OutputError


@contextmanager
def replacing(target: Path, *, database: Path | None = None) -> Iterator[BinaryIO]:
    """A binary file whose content replaces ``target`` when the ``with`` block ends
    without an error (and is thrown away if it ends with one). OSError raised in the
    block is taken for a write error and becomes OutputError naming ``target``.

    Raises OutputError if ``target`` is ``database`` or its -wal, -shm or -journal file.
    """
    if database is not None and _part_of(target, database):
        raise OutputError(f"{target}: is part of the database {database};"
                          " choose another output file")
    try:
        out, tmp, real = _open(target)
        try:
            yield out
            out.flush()
            if tmp is not None:
                os.fsync(out.fileno())
            out.close()
            if tmp is not None:
                os.replace(tmp, real)
        except BaseException:
            with suppress(OSError):  # closing flushes what is buffered: it may fail again
                out.close()
            if tmp is not None:
                with suppress(OSError):
                    tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:  # lxml and some OSErrors do not name the file
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc


def _open(target: Path) -> tuple[BinaryIO, Path | None, Path]:
    """(file to write, temporary path or None when writing ``target`` directly, real target)."""
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    descriptor = _descriptor(target)
    if descriptor is not None:  # this process's stdout (or another of its files) itself
        return os.fdopen(os.dup(descriptor), "wb"), None, target
    if mode is not None and not stat.S_ISREG(mode):
        return open(target, "wb"), None, target
    if mode is not None and not os.access(target, os.W_OK):
        # a rename needs only the folder writable: it would replace a file not ours to write
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    real = Path(os.path.realpath(target))
    tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, stat.S_IMODE(mode))
        return os.fdopen(fd, "wb"), tmp, real
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise


_OWN_FILE = re.compile(r"/dev/(stdout|stderr)|/dev/fd/([0-9]+)|/proc/self/fd/([0-9]+)")


def _descriptor(target: Path) -> int | None:
    """The file descriptor ``target`` names (``/dev/stdout`` is 1), if it names one of this
    process's: written through it, at its offset, as a program writes its stdout (a
    rename would cut a regular file from the shell that opened it)."""
    found = _OWN_FILE.fullmatch(os.path.abspath(target))
    if found is None:
        return None
    name, fd, proc_fd = found.groups()
    return {"stdout": 1, "stderr": 2}[name] if name else int(fd or proc_fd)


def _part_of(target: Path, database: Path) -> bool:
    """Whether ``target`` names ``database`` or one of the files SQLite keeps beside it."""
    real = os.path.realpath(database)
    files = [database, *(Path(f"{base}{end}") for base in {str(database), real}
                         for end in ("-wal", "-shm", "-journal"))]
    return any(_same(target, f) for f in files)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they lead
        return os.path.realpath(a) == os.path.realpath(b)
