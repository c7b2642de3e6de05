"""The archive's exceptions: one base, each message one clear line for a person.

ArchiveError
  ListNotFound      (also LookupError) no list with that identifier
  VersionNotFound   (also LookupError) the list has no such version
  DuplicateList     a new list's identifier is taken
  ListDeleted       the list is deleted (``rli restore`` brings it back)
  InvalidList       the list cannot be archived (e.g. an unusable identifier)
"""

from __future__ import annotations


class ArchiveError(Exception):
    """The archive refused an operation; the message is one clear line."""


class ListNotFound(ArchiveError, LookupError):
    pass


class VersionNotFound(ArchiveError, LookupError):
    pass


class DuplicateList(ArchiveError):
    pass


class ListDeleted(ArchiveError):
    pass


class InvalidList(ArchiveError):
    pass
