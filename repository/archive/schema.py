"""The archive's tables, as ordered plain-SQL migrations (portable to PostgreSQL).

A step that must look at the file before it knows what to do (a table that an early
release made otherwise than step 1 makes it now) is a function of the connection.

``changes.seq`` is the ever-increasing change sequence the OAI provider pages
on (keyset, never OFFSET); ``lists.seq`` and ``set_members.seq`` repeat the
sequence of each list's latest change so both paths have a keyset index.
"""

from __future__ import annotations

import sqlite3

from harvester.shared.db import Step

# Change seqs a row of ``seq_blocks`` counts the lists of (migration 5 fills the table with
# it, :mod:`repository.archive.paging` keeps and reads it). A window's count reads at most
# half a block's lists at each end and sums a row for each block before it (about a
# thousand at 1,000,000 lists): 1,024 keeps both small. Changing it on an archive needs a
# migration that fills the table again.
SEQ_BLOCK = 1024

# What a deletion whose tombstone the first releases dropped (the list was saved again) is
# given for who and why when migration 8 finds it in the change log
UNRECORDED = ("(who and why not recorded: the release of rli that archived this deletion kept"
              " no record of it once the list was saved again)")


def tombstones_kept(conn: sqlite3.Connection) -> None:
    """8: tombstones as rli keeps them since 8b24c9e (the first day), from a file made before.

    Step 1 then made ``tombstones`` keyed by list, without ``seq`` or ``restored_at``, and
    saving a deleted list again dropped its tombstone; step 1 was changed in place, so such
    a file failed every read of a history ("no such column: restored_at") and every delete.
    Its tombstones (each of a list still deleted) take the seq of their deletion in
    ``changes``; each deletion that lost its tombstone comes back from ``changes`` too,
    restored by the version saved next, its editor and note unknown. A file made since has
    the columns and is left as it is.
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tombstones)")}
    if "restored_at" in columns:
        return
    conn.execute("""
        CREATE TABLE tombstones_v8 (
            seq INTEGER PRIMARY KEY,
            list_id TEXT NOT NULL REFERENCES lists (id),
            deleted_at TEXT NOT NULL,
            editor TEXT NOT NULL,
            note TEXT NOT NULL,
            last_version INTEGER NOT NULL,
            restored_at TEXT
        )""")
    conn.execute("""
        INSERT INTO tombstones_v8 (seq, list_id, deleted_at, editor, note, last_version)
        SELECT coalesce((SELECT max(c.seq) FROM changes c WHERE c.list_id = t.list_id
                         AND c.kind = 'delete'), l.seq),
               t.list_id, t.deleted_at, t.editor, t.note, t.last_version
        FROM tombstones t JOIN lists l ON l.id = t.list_id""")
    # those releases logged a 'version' change for each version and a 'delete' for each
    # deletion, nothing else: the version after a deletion is the one saved over it
    conn.execute("""
        INSERT INTO tombstones_v8 (seq, list_id, deleted_at, editor, note, last_version,
                                   restored_at)
        SELECT c.seq, c.list_id, c.at, '', ?, v.version - 1, v.archived_at
        FROM changes c JOIN list_versions v ON v.list_id = c.list_id AND v.version = 1 + (
            SELECT count(*) FROM changes s
            WHERE s.list_id = c.list_id AND s.kind = 'version' AND s.seq < c.seq)
        WHERE c.kind = 'delete' AND c.seq NOT IN (SELECT seq FROM tombstones_v8)""",
                 (UNRECORDED,))
    conn.execute("DROP TABLE tombstones")
    conn.execute("ALTER TABLE tombstones_v8 RENAME TO tombstones")
    conn.execute("CREATE INDEX tombstones_list ON tombstones (list_id)")


MIGRATIONS: list[Step] = [
    """
    CREATE TABLE lists (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        owner TEXT NOT NULL,
        version INTEGER NOT NULL,
        items INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL,
        datestamp TEXT NOT NULL
    );
    CREATE UNIQUE INDEX lists_seq ON lists (seq);
    CREATE INDEX lists_datestamp ON lists (datestamp);
    CREATE TABLE list_versions (
        list_id TEXT NOT NULL REFERENCES lists (id),
        version INTEGER NOT NULL,
        document BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        archived_at TEXT NOT NULL,
        editor TEXT NOT NULL,
        note TEXT NOT NULL,
        origin BLOB,
        PRIMARY KEY (list_id, version)
    );
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        list_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE resources (
        sha256 TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        document BLOB NOT NULL
    );
    CREATE TABLE list_items (
        list_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        parent_item TEXT,
        kind TEXT NOT NULL,
        resource_sha256 TEXT REFERENCES resources (sha256),
        section_title TEXT,
        PRIMARY KEY (list_id, version, position)
    );
    CREATE TABLE annotations (
        list_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        item_id TEXT,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        date TEXT NOT NULL
    );
    CREATE INDEX annotations_list ON annotations (list_id, version);
    CREATE TABLE tombstones (
        seq INTEGER PRIMARY KEY,
        list_id TEXT NOT NULL REFERENCES lists (id),
        deleted_at TEXT NOT NULL,
        editor TEXT NOT NULL,
        note TEXT NOT NULL,
        last_version INTEGER NOT NULL,
        restored_at TEXT
    );
    CREATE INDEX tombstones_list ON tombstones (list_id);
    CREATE TABLE sets (
        spec TEXT PRIMARY KEY,
        name TEXT NOT NULL
    );
    CREATE TABLE set_members (
        spec TEXT NOT NULL REFERENCES sets (spec),
        list_id TEXT NOT NULL REFERENCES lists (id),
        seq INTEGER NOT NULL,
        PRIMARY KEY (spec, list_id)
    );
    CREATE INDEX set_members_seq ON set_members (spec, seq);
    CREATE INDEX set_members_list ON set_members (list_id)
    """,
    # 2: resources keep no second copy of their XML (the version documents hold
    # it) and are keyed by 128 bits of their hash; both derived tables lose
    # their rowid and the separate primary-key index that came with it.
    """
    CREATE TABLE resources_v2 (
        key TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT NOT NULL
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO resources_v2 (key, type, title)
        SELECT substr(sha256, 1, 32), type, title FROM resources;
    CREATE TABLE list_items_v2 (
        list_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        parent_item TEXT,
        kind TEXT NOT NULL,
        resource_key TEXT,
        section_title TEXT,
        PRIMARY KEY (list_id, version, position)
    ) WITHOUT ROWID;
    INSERT INTO list_items_v2
        SELECT list_id, version, position, item_id, parent_item, kind,
               substr(resource_sha256, 1, 32), section_title FROM list_items;
    DROP TABLE list_items;
    DROP TABLE resources;
    ALTER TABLE resources_v2 RENAME TO resources;
    ALTER TABLE list_items_v2 RENAME TO list_items
    """,
    # 3: the per-version item, resource and annotation rows go: nothing reads them (the
    # documents hold all of it, the full-text index and item_origins answer the queries)
    # and they were half of what a list took on disk. set_members loses its rowid and the
    # separate primary-key index that came with it.
    """
    DROP INDEX annotations_list;
    DROP TABLE annotations;
    DROP TABLE list_items;
    DROP TABLE resources;
    CREATE TABLE set_members_v2 (
        spec TEXT NOT NULL REFERENCES sets (spec),
        list_id TEXT NOT NULL REFERENCES lists (id),
        seq INTEGER NOT NULL,
        PRIMARY KEY (spec, list_id)
    ) WITHOUT ROWID;
    INSERT INTO set_members_v2 (spec, list_id, seq) SELECT spec, list_id, seq FROM set_members;
    DROP TABLE set_members;
    ALTER TABLE set_members_v2 RENAME TO set_members;
    CREATE INDEX set_members_seq ON set_members (spec, seq);
    CREATE INDEX set_members_list ON set_members (list_id)
    """,
    # 4: each set keeps how many lists it holds (kept by index.set_membership and the bulk
    # insert), so a harvest of a set counts it for completeListSize without reading it:
    # at 1,000,000 lists, reading a set's members took 44 ms, the first page ten times
    # a page of everything
    """
    ALTER TABLE sets ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
    UPDATE sets SET members = (SELECT count(*) FROM set_members m WHERE m.spec = sets.spec)
    """,
    # 5: how many lists have their latest change in each block of SEQ_BLOCK change seqs
    # (kept by paging.count_moves where lists.seq is written), so completeListSize of
    # everything or of a from/until window sums blocks and reads the lists of its two end
    # blocks only: at 1,000,000 lists, counting a window of a third of them through the
    # datestamp index took 17 ms, the first page three times a page of everything. The
    # datestamp index takes the seq too, so a window's first and last seq is one seek
    # each, not a read of every list of that datestamp (5,000 in a second of bulk import).
    f"""
    CREATE TABLE seq_blocks (
        block INTEGER PRIMARY KEY,
        lists INTEGER NOT NULL
    );
    INSERT INTO seq_blocks (block, lists)
        SELECT seq / {SEQ_BLOCK}, count(*) FROM lists GROUP BY seq / {SEQ_BLOCK};
    DROP INDEX lists_datestamp;
    CREATE INDEX lists_datestamp_seq ON lists (datestamp, seq)
    """,
    # 6: a from/until window's first and last change of any list, one seek each
    # (paging.change_range): a harvest page places the lists changed since its harvest
    # began from the changes inside its window only, not from every change before it.
    # (One release made it as provider step 5: such a file has it already.)
    """
    CREATE INDEX IF NOT EXISTS changes_at ON changes (at)
    """,
    # 7: a ":" inside a course code or owner is the value's, not a level of the set
    # hierarchy; repository.archive.set_values gives the lists whose sets were split that
    # way their sets again, once, when it finds this marker
    """
    CREATE TABLE IF NOT EXISTS search_stale (component TEXT PRIMARY KEY);
    INSERT OR IGNORE INTO search_stale (component) VALUES ('archive-set-values')
    """,
    # 8: tombstones of files made before 8b24c9e take the columns step 1 makes now
    tombstones_kept,
]
