"""The archive of resource lists: immutable versions, tombstones, sets, edits.

============  ===============================================================
module        one idea
============  ===============================================================
schema        the archive's tables as ordered plain-SQL migrations
store         Archive: save a new version, delete, restore, read, list, history
index         derived tables: set membership, each version's items and resources
editing       edits as pure functions over a list value
writes        every change as a compare-and-set in one write transaction
events        a list's history as events: versions, deletions, restores
origins       pending-change tables; which lists cite which harvested record
changes       pending changes (UC8): propose, list, load, decide; upstream bases
propagate     changed / deleted harvested records flag the lists citing them
upstream      a harvested list edited here: upstream's version held as a change
merge         three-way merge of a list, item by item
decide        accepting (merging) or rejecting a pending change
replicate     copying another archive's versions with their numbers and sha256s
diff          what changed between two versions
importing     reading files for import (RLI, IMS CP, MODS / DC / LOM)
exporting     an archived list in any format rli writes
harvest_sink  the archive as the harvester's sink, guarded per source
search        the lists' full-text index, kept in every archive write
origin        where an item picked from the harvest came from (an extension)
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
