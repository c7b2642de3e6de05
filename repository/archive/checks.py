"""What a list must be to be archived: a usable identifier, item ids used once, sections
nested no deeper than a harvester's parser reads.

Both raise :class:`InvalidList`, whose message is one line for a person.
"""

from __future__ import annotations

import re

from crosswalks.rli import ResourceList, Section
from repository.archive.errors import InvalidList

# List ids travel in OAI identifiers and URL paths: keep them to unreserved characters.
_LIST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
# An XML parser refuses a document past 256 levels (libxml2, so lxml, Sickle, rli's
# harvester): a list is served inside an OAI-PMH envelope, and each section takes two or
# three levels in its renderings. 122 nested sections were archived, then failed every
# harvest of the page holding them.
MAX_SECTION_DEPTH = 50


def check_identifier(list_id: str) -> None:
    """Raise InvalidList unless ``list_id`` can name a list (see ``_LIST_ID``)."""
    if not _LIST_ID.fullmatch(list_id):
        raise InvalidList(f"list identifier {list_id!r} is not usable: 1-200 characters of"
                          " letters, digits and . _ ~ - (starting with a letter or digit)")


def check_item_ids(lst: ResourceList) -> None:
    """Raise InvalidList if two items (sections included, at any depth) share an id:
    diffs, merges and ``--item`` all find items by id; or if sections nest more than
    MAX_SECTION_DEPTH deep."""
    seen: set[str] = set()
    stack = [(item, 1) for item in lst.items]
    while stack:
        item, depth = stack.pop()
        if item.id in seen:
            raise InvalidList(f"list {lst.identifier!r}: item id {item.id!r} is used twice")
        seen.add(item.id)
        if isinstance(item.content, Section):
            if depth > MAX_SECTION_DEPTH:
                raise InvalidList(f"list {lst.identifier!r}: sections nest more than"
                                  f" {MAX_SECTION_DEPTH} deep (at item {item.id!r})")
            stack.extend((inner, depth + 1) for inner in item.content.items)
