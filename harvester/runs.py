"""A harvest run's rows: its ``harvest_runs`` row, its running totals, and the
checkpoints (one per set: the window and the token to resume from) it keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from harvester.shared.db import transaction
from harvester.shared.protocol import format_datestamp


@dataclass
class Counts:
    """Running totals of one run (mutable, local to the run).

    ``records`` counts each record of a list once: after ``badResumptionToken``
    the list starts again and sends its first pages again, so the records
    counted before are forgotten (:meth:`restart`) and counted as they come
    again (``deleted`` and ``failed`` count only what changed the store, which a
    record sent again does not); nor are the records of a page that is an earlier page
    of the list again (``Page.again``: a loop, or an offset shifted by an insertion).
    ``pages`` counts every page kept, sent again or not.
    """

    pages: int = 0
    records: int = 0
    deleted: int = 0
    failed: int = 0
    stripped: int = 0
    day_stamps: bool = False  # a record's datestamp was a day (whatever Identify says)

    def restart(self, records_before: int) -> None:
        """The list comes again from its start: forget the records counted since
        ``records_before`` (the count before the list began)."""
        self.records = records_before


@dataclass(frozen=True)
class Checkpoint:
    set_spec: str
    from_date: str | None
    first_response_date: str
    token: str | None
    done: bool


def start_run(db: sqlite_utils.Database, name: str, now: datetime, full: bool) -> int:
    with transaction(db):
        db.conn.execute(
            "UPDATE harvest_runs SET status = 'interrupted'"
            " WHERE source = ? AND status = 'running'",
            (name,),
        )
        cur = db.conn.execute(
            "INSERT INTO harvest_runs (source, started_at, status, full_harvest)"
            " VALUES (?, ?, 'running', ?)",
            (name, format_datestamp(now), int(full)),
        )
    return int(cur.lastrowid or 0)


def update_run(db: sqlite_utils.Database, run_id: int, counts: Counts) -> None:
    db.conn.execute(
        "UPDATE harvest_runs SET pages = ?, records = ?, deleted = ?, failed = ?, stripped = ?"
        " WHERE id = ?",
        (counts.pages, counts.records, counts.deleted, counts.failed, counts.stripped, run_id),
    )


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    status: str,
    counts: Counts,
    restarts: int,
    now: datetime,
    error: str,
    from_date: str | None,
) -> None:
    update_run(db, run_id, counts)
    db.conn.execute(
        "UPDATE harvest_runs SET status = ?, restarts = ?, finished_at = ?, error = ?,"
        " from_date = ? WHERE id = ?",
        (status, restarts, format_datestamp(now), error or None, from_date, run_id),
    )


def checkpoints(db: sqlite_utils.Database, name: str) -> list[Checkpoint]:
    rows = db.conn.execute(
        "SELECT set_spec, from_date, first_response_date, token, done FROM harvest_checkpoints"
        " WHERE source = ? ORDER BY set_spec",
        (name,),
    ).fetchall()
    return [Checkpoint(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def create_checkpoints(
    db: sqlite_utils.Database,
    name: str,
    run_id: int,
    specs: tuple[str, ...],
    from_date: str | None,
    first: str,
) -> None:
    with transaction(db):
        for spec in specs:
            db.conn.execute(
                "INSERT INTO harvest_checkpoints (source, set_spec, run_id, from_date,"
                " first_response_date) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, set_spec) DO UPDATE SET run_id = excluded.run_id",
                (name, spec, run_id, from_date, first),
            )


def drop_checkpoints(db: sqlite_utils.Database, name: str) -> None:
    db.conn.execute("DELETE FROM harvest_checkpoints WHERE source = ?", (name,))

def restart_list(db: sqlite_utils.Database, name: str, set_spec: str) -> None:
    """The next run asks for the list of ``set_spec`` from its start (same window)."""
    with transaction(db):
        db.conn.execute("UPDATE harvest_checkpoints SET token = NULL, done = 0"
                        " WHERE source = ? AND set_spec = ?", (name, set_spec))
