"""The crosswalk error: a foreign record rli cannot take or give in a given format.

Exception tree::

    CrosswalkError     wrong root element or namespace for the format, or a list
                       that cannot be written because a required field is empty
"""

from __future__ import annotations


class CrosswalkError(ValueError):
    """A record is not in the format a crosswalk reads, or lacks what a writer needs."""
