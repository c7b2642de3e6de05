"""When to try an HTTP request again, and how long to wait first.

``Retry-After`` (503 and 429) is honoured in both forms, delta-seconds and
HTTP-date, capped per wait; all waits of one client share a total budget.
Timeouts, connection errors and other 5xx answers are retried with
exponential backoff. The policy is a value; the client does the sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetryPolicy:
    """Retry limits for one client.

    ``attempts``: tries per request (first try included) for timeouts,
    connection errors and 5xx; ``backoff``: first backoff wait in seconds,
    doubled each retry up to ``backoff_max``; ``retry_after_cap``: the longest
    single Retry-After wait; ``default_retry_after``: the wait when a 503/429
    carries no usable Retry-After; ``busy_attempts``: tries per request while
    the provider says busy; ``wait_budget``: total seconds a client may sleep.
    """

    attempts: int = 4
    backoff: float = 1.0
    backoff_max: float = 30.0
    retry_after_cap: float = 120.0
    default_retry_after: float = 10.0
    busy_attempts: int = 10
    wait_budget: float = 600.0

    def backoff_wait(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        return float(min(self.backoff * (2 ** (retry - 1)), self.backoff_max))

    def busy_wait(self, retry_after: str | None, now: datetime) -> float:
        """Seconds to wait for a 503/429 with this Retry-After header, capped."""
        seconds = parse_retry_after(retry_after, now)
        if seconds is None:
            seconds = self.default_retry_after
        return float(min(max(seconds, 0.0), self.retry_after_cap))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds meant by a Retry-After value (delta-seconds or HTTP-date), or None.

    A date in the past gives 0; an unreadable value gives None (so do digits that are
    not ASCII); one too large for a float gives infinity (the caller caps it).
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # float(): int() refuses past 4300 digits
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)
