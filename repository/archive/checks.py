"""What a list must be to be archived: a usable identifier and item ids used once.

Both raise :class:`InvalidList`, whose message is one line for a person.
"""

from __future__ import annotations

import re

from crosswalks.rli import ResourceList, Section
from repository.archive.errors import InvalidList

# List ids travel in OAI identifiers and URL paths: keep them to unreserved characters.
_LIST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")


def check_identifier(list_id: str) -> None:
    """Raise InvalidList unless ``list_id`` can name a list (see ``_LIST_ID``)."""
    if not _LIST_ID.fullmatch(list_id):
        raise InvalidList(f"list identifier {list_id!r} is not usable: 1-200 characters of"
                          " letters, digits and . _ ~ - (starting with a letter or digit)")


def check_item_ids(lst: ResourceList) -> None:
    """Raise InvalidList if two items (sections included, at any depth) share an id:
    diffs, merges and ``--item`` all find items by id."""
    seen: set[str] = set()
    stack = list(lst.items)
    while stack:
        item = stack.pop()
        if item.id in seen:
            raise InvalidList(f"list {lst.identifier!r}: item id {item.id!r} is used twice")
        seen.add(item.id)
        if isinstance(item.content, Section):
            stack.extend(item.content.items)
