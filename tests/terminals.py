"""Pseudo-terminals for tests: what a program wrote to one."""

from __future__ import annotations

import os


def read_all(leader: int) -> bytes:
    """Everything written to the terminal whose leader end is ``leader``, once the other end
    is closed by every process holding it."""
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        seen += chunk
    return seen
