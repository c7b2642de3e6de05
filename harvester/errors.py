"""The harvester's exceptions (errors the provider reports are protocol.OAIError instead).

Exception tree::

    HarvestError               anything a harvest refuses or cannot finish
    ├── SourceError            unknown/duplicate source, bad schedule or argument
    ├── TransportError         HTTP failure that retries did not cure (status, timeouts)
    │   └── WaitBudgetExceeded Retry-After waits would pass the total wait budget
    ├── BrokenPage             a page is not well-formed XML even after stripping;
    │                          ``saved`` is where the page was kept for study
    ├── RepeatedToken          the provider sent a resumptionToken it sent before
    └── UnexpectedResponse     well-formed XML that is not an OAI-PMH response
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


class BrokenPage(HarvestError):
    """A page that does not parse; ``saved`` is the file holding its bytes (if kept)."""

    def __init__(self, message: str, saved: Path | None = None) -> None:
        super().__init__(message if saved is None else f"{message} (page kept at {saved})")
        self.saved = saved


class RepeatedToken(HarvestError):
    pass


class UnexpectedResponse(HarvestError):
    pass
