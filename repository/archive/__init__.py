"""The archive of resource lists: immutable versions, tombstones, sets, edits.

============  ===============================================================
module        one idea
============  ===============================================================
schema        the archive's tables as ordered plain-SQL migrations
store         Archive: save a new version, delete, restore, read, list, history
index         derived tables: set membership, each version's items and resources
editing       edits as pure functions over a list value
writes        every change as a compare-and-set in one write transaction
diff          what changed between two versions
importing     reading files for import (RLI, IMS CP, MODS / DC / LOM)
exporting     an archived list in any format rli writes
harvest_sink  the archive as the harvester's sink, guarded per source
demo          the demo archive from the bundled lists in ``data/``
============  ===============================================================
"""

from repository.archive.store import (
    Archive,
    ArchiveError,
    DuplicateList,
    InvalidList,
    ListDeleted,
    ListNotFound,
    ListState,
    ListSummary,
    VersionNotFound,
)

__all__ = [
    "Archive",
    "ArchiveError",
    "DuplicateList",
    "InvalidList",
    "ListDeleted",
    "ListNotFound",
    "ListState",
    "ListSummary",
    "VersionNotFound",
]
