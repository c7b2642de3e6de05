"""Where harvested whole lists go: anything with the archive's ``save`` and ``delete``.

The repository's ``Archive`` satisfies this Protocol; the harvester never
imports the repository (imports run one way).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
        fetch: Callable[[str], bytes] | None = None,
    ) -> object:
        """Archive ``lst`` as the next version of its list (version 1 if new).

        ``fetch`` (URL -> bytes) may be used to bring the past versions that
        ``lst.history`` lists; it raises a HarvestError when it cannot.
        """
        ...

    def delete(self, list_id: str, *, editor: str, note: str) -> None:
        """Tombstone a list; raises LookupError if it is unknown."""
        ...
