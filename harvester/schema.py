"""The harvest log's tables (plain SQL, portable to PostgreSQL), applied by db.migrate.

harvest_sources      one row per registered provider (+ incremental mark; ``other_hosts``:
                     redirects may leave the base URL's host)
harvest_runs         one row per run: window, counts, outcome
harvest_checkpoints  per (source, set): the token of the last committed page
harvest_records      every raw version of every record, with provenance
harvest_resources    the current state of each harvested record as RLI
"""

from __future__ import annotations

COMPONENT = "harvester"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE harvest_sources (
        name TEXT PRIMARY KEY,
        base_url TEXT NOT NULL,
        prefix TEXT NOT NULL,
        sets TEXT NOT NULL DEFAULT '',
        every_seconds INTEGER,
        from_date TEXT,
        granularity TEXT NOT NULL,
        earliest_datestamp TEXT NOT NULL DEFAULT '',
        repository_name TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        mark TEXT
    );
    CREATE TABLE harvest_runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        full_harvest INTEGER NOT NULL DEFAULT 0,
        from_date TEXT,
        first_response_date TEXT,
        pages INTEGER NOT NULL DEFAULT 0,
        records INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        stripped INTEGER NOT NULL DEFAULT 0,
        restarts INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    CREATE INDEX harvest_runs_source ON harvest_runs (source, id);
    CREATE TABLE harvest_checkpoints (
        source TEXT NOT NULL,
        set_spec TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        from_date TEXT,
        first_response_date TEXT NOT NULL,
        token TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source, set_spec)
    );
    CREATE TABLE harvest_records (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        identifier TEXT NOT NULL,
        datestamp TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        header BLOB NOT NULL,
        metadata BLOB,
        about BLOB,
        metadata_namespace TEXT NOT NULL DEFAULT '',
        base_url TEXT NOT NULL,
        harvested_at TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE INDEX harvest_records_identifier ON harvest_records (source, identifier, id);
    CREATE TABLE harvest_resources (
        source TEXT NOT NULL,
        identifier TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        datestamp TEXT NOT NULL,
        set_specs TEXT NOT NULL DEFAULT '',
        deleted INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        losses TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        list_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (source, identifier)
    );
    """,
    """
    ALTER TABLE harvest_sources ADD COLUMN other_hosts INTEGER NOT NULL DEFAULT 0;
    """,
    # The runs of a source are those with a greater id (a source of that name removed
    # before left its runs as history; ids grow whatever the clock says).
    """
    ALTER TABLE harvest_sources ADD COLUMN first_run INTEGER NOT NULL DEFAULT 0;
    """,
]
