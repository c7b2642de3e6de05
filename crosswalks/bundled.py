"""The data files rli reads at run time, found through ``importlib.resources``.

The repository's ``data/`` folder (the XSDs, the bundled lists and their later
versions) is installed as the package ``rli_data``: pyproject maps one onto the
other, so a wheel carries the same files that a checkout or an editable install
reads, and there is one copy of them.

``bundled(*parts)`` is a real directory or file on disk: lxml resolves an XSD's
imports relative to its file, so the schema tree must exist as files.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

DATA_PACKAGE = "rli_data"


@cache
def _root() -> Path:
    try:
        root = files(DATA_PACKAGE)
    except ModuleNotFoundError as exc:  # a broken install: say so rather than a traceback
        raise FileNotFoundError(
            errno.ENOENT, f"rli's bundled data is not installed (no package {DATA_PACKAGE})"
        ) from exc
    if isinstance(root, Path):  # an ordinary install: the files are on disk already
        return root
    # A zipped install: extract once, removed when the process ends (a directory can be
    # extracted from Python 3.12 on; pip and pipx never install zipped).
    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(as_file(root))


def bundled(*parts: str) -> Path:
    """The bundled file or folder ``data/<parts...>`` as installed (it may not exist).

    Raises FileNotFoundError if the data package itself is missing.
    """
    return _root().joinpath(*parts)
