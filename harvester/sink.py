"""Where harvested whole lists go: anything with the archive's ``save`` and ``delete``.

The repository's ``Archive`` satisfies this Protocol; the harvester never
imports the repository (imports run one way). A sink whose class sets
``copies_history = True`` is also given ``fetch`` (URL -> bytes) by the
harvest, to bring the past versions a harvested list's history names; if it
also has ``versions_to_fetch(lst, *, source) -> list[tuple[str, str]]`` (the
URLs ``save`` would fetch, with their sha256s, found by reading only), the
harvest fetches those before the page's write transaction opens
(:func:`harvester.records.prefetch_versions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from crosswalks.rli import ResourceList


class ListSink(Protocol):
    def save(
        self,
        lst: ResourceList,
        *,
        editor: str,
        note: str,
        origin: bytes | None = None,
        sets: Sequence[str] = (),
    ) -> object:
        """Archive ``lst`` as the next version of its list (version 1 if new)."""
        ...

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        """Tombstone a list; raises LookupError if it is unknown."""
        ...
