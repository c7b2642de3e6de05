"""The harvester's exceptions (errors the provider reports are protocol.OAIError instead).

Exception tree::

    HarvestError               anything a harvest refuses or cannot finish
    ├── SourceError            unknown/duplicate source, bad schedule or argument
    ├── SourceBusy             another run of the same source holds its lock
    ├── TransportError         HTTP failure that retries did not cure (status, timeouts)
    │   ├── WaitBudgetExceeded Retry-After waits would pass the total wait budget
    │   ├── WaitTooLong        the provider asks (Retry-After) to wait longer than the cap
    │   ├── PageTooSlow        one page took longer than the per-page deadline
    │   └── RedirectRefused    a redirect to another host the source does not allow
    ├── RunTimeExceeded        the run passed its time limit (``--max-time``)
    ├── Interrupted            the user stopped the run (Ctrl-C)
    ├── BrokenPage             a page is not well-formed XML even after stripping, or is
    │                          larger than the cap; ``saved`` is a bounded prefix of it
    ├── RepeatedToken          the provider sent a resumptionToken it sent before
    ├── EndlessList            page after page with no item, or earlier pages again,
    │                          each with a new token
    ├── UnexpectedResponse     well-formed XML that is not an OAI-PMH response
    └── OutputError            an output file (``-o``) cannot be written, or is the database
"""

from __future__ import annotations

from pathlib import Path


class HarvestError(Exception):
    """A harvest could not be done; the message is one clear line."""


class SourceError(HarvestError):
    pass


class TransportError(HarvestError):
    pass


class WaitBudgetExceeded(TransportError):
    pass


class WaitTooLong(TransportError):
    pass


class PageTooSlow(TransportError):
    pass


class RedirectRefused(TransportError):
    pass


class SourceBusy(HarvestError):
    pass


class RunTimeExceeded(HarvestError):
    pass


class Interrupted(HarvestError):
    pass


class BrokenPage(HarvestError):
    """A page that does not parse; ``saved`` is the file holding its bytes (if kept)."""

    def __init__(self, message: str, saved: Path | None = None) -> None:
        super().__init__(message if saved is None else f"{message} (page kept at {saved})")
        self.saved = saved


class RepeatedToken(HarvestError):
    pass


class EndlessList(HarvestError):
    pass


class UnexpectedResponse(HarvestError):
    pass


class OutputError(HarvestError):
    """An output file cannot be written or would overwrite the database; names the file."""
