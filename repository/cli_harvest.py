"""``rli source ...``, ``rli harvest ...`` and ``rli resources``: the harvester's commands."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Attach the harvester's commands to ``group``."""
