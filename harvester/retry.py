"""When to try an HTTP request again, and how long to wait first.

``Retry-After`` (503 and 429) is honoured in both forms, delta-seconds and
HTTP-date, waiting at least a second (a 0, or a date past, would make the
retries a burst); a wait longer than the cap is not made at all: the harvest
fails at once, saying how long the provider asks to wait (asking again sooner
than that, every few minutes, is what gets a harvester blocked; a run that
fails keeps its checkpoint). All waits of one client share a total budget.
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
    single Retry-After wait (a longer one is not waited); ``min_retry_after``: the
    shortest; ``default_retry_after``: the wait when a 503/429 carries no usable
    Retry-After; ``busy_attempts``: tries per request while the provider says busy;
    ``wait_budget``: total seconds a client may sleep.
    """

    attempts: int = 4
    backoff: float = 1.0
    backoff_max: float = 30.0
    retry_after_cap: float = 120.0
    min_retry_after: float = 1.0
    default_retry_after: float = 10.0
    busy_attempts: int = 10
    wait_budget: float = 600.0

    def backoff_wait(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        return float(min(self.backoff * (2 ** (retry - 1)), self.backoff_max))

    def busy_wait(self, retry_after: str | None, now: datetime) -> float:
        """Seconds a 503/429 with this Retry-After header asks to wait, at least
        ``min_retry_after``; not capped (see :meth:`too_long`)."""
        seconds = parse_retry_after(retry_after, now)
        if seconds is None:
            seconds = self.default_retry_after
        return float(max(seconds, self.min_retry_after))

    def too_long(self, seconds: float) -> bool:
        """Whether a Retry-After wait of ``seconds`` is past the cap: not to be waited."""
        return seconds > self.retry_after_cap


def duration(seconds: float) -> str:
    """``seconds`` for a person, in its two largest units: "1 day", "2 minutes 1 second",
    "1 hour 30 minutes", "more than a year" (the rest cut)."""
    if seconds >= 365 * 86400:  # infinity too
        return "more than a year"
    units = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1), ("", 1))
    left = round(seconds)
    n = next(n for n, (_, size) in enumerate(units) if left >= size or size == 1)
    (unit, size), (sub, sub_size) = units[n], units[n + 1]
    count, part = left // size, left % size // sub_size
    said = f"{count} {unit}{'s' * (count != 1)}"
    return f"{said} {part} {sub}{'s' * (part != 1)}" if part and sub else said


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds meant by a Retry-After value (delta-seconds or HTTP-date), or None.

    A date in the past gives 0; an unreadable value gives None (so do digits that are
    not ASCII); one too large for a float gives infinity (too long to wait).
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
