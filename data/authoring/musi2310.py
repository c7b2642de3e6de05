"""MUSI2310 Analysing Popular Music -- a course shell: the list exists, its items do not yet.

An empty list is valid RLI and the archive must carry it (owner, course,
description and a note, but zero items).
"""

from __future__ import annotations

from cite import note

from crosswalks.rli import ResourceList

OWNER = "dr.nadia.petrova"


def v1() -> ResourceList:
    return ResourceList(
        identifier="musi2310-2026",
        title="Analysing Popular Music",
        owner=OWNER,
        description="Reading and listening for MUSI2310, autumn 2026.",
        courses=("MUSI2310",),
        language="en-GB",
        created="2026-03-02T10:00:00Z",
        modified="2026-03-02T10:00:00Z",
        annotations=(
            note("Course shell created by the timetabling import; the reading list will be"
                 " published before week 0.", author="library.readinglists", date="2026-03-02"),
        ),
    )


def versions() -> tuple[ResourceList, ...]:
    return (v1(),)
