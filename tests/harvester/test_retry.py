"""Retry-After parsing and backoff (harvester/retry.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from harvester.retry import RetryPolicy, parse_retry_after

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        (format_datetime(NOW + timedelta(minutes=2), usegmt=True), 120.0),
        ("Sun, 01 Mar 2026 12:00:30 GMT", 30.0),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_busy_wait_has_a_floor_and_defaults_and_a_wait_past_the_cap_is_too_long() -> None:
    """A wait past the cap is not shortened to the cap (the client waits it not at all:
    harvester.client, WaitTooLong); 0 or a date past is a second, not a burst of retries."""
    policy = RetryPolicy(retry_after_cap=50, default_retry_after=4)
    assert policy.busy_wait("3600", NOW) == 3600
    assert policy.too_long(3600) and not policy.too_long(50)
    assert policy.busy_wait("0", NOW) == 1
    assert policy.busy_wait(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 1
    assert policy.busy_wait(None, NOW) == 4
    assert policy.busy_wait("garbage", NOW) == 4


def test_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RetryPolicy(backoff=1.5, backoff_max=10)
    assert [policy.backoff_wait(n) for n in range(1, 6)] == [1.5, 3.0, 6.0, 10.0, 10.0]
