"""Escalation deadlines count working hours in the team's zone, skipping nights and weekends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.business_hours import add_business_hours


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "hours", "tz", "expected"),
    [
        # Monday 10:00 Paris (09:00 UTC) + 4 h → 14:00 Paris
        (utc(2026, 11, 23, 9, 0), 4, "Europe/Paris", utc(2026, 11, 23, 13, 0)),
        # Monday 15:00 Paris + 4 h → 2 h today, 2 h from Tuesday 09:00 → Tuesday 11:00 Paris
        (utc(2026, 11, 23, 14, 0), 4, "Europe/Paris", utc(2026, 11, 24, 10, 0)),
        # Friday 16:00 Paris + 4 h → Monday 12:00 Paris (weekend skipped)
        (utc(2026, 11, 27, 15, 0), 4, "Europe/Paris", utc(2026, 11, 30, 11, 0)),
        # Saturday → counts from Monday 09:00
        (utc(2026, 11, 28, 12, 0), 1, "Europe/Paris", utc(2026, 11, 30, 9, 0)),
        # before opening: counts from 09:00 the same day (New York, UTC-5 in November)
        (utc(2026, 11, 23, 11, 0), 2, "America/New_York", utc(2026, 11, 23, 16, 0)),
        # two business days from Thursday 12:00 Paris → Monday 12:00 Paris
        (utc(2026, 11, 26, 11, 0), 16, "Europe/Paris", utc(2026, 11, 30, 11, 0)),
    ],
)
def test_business_hours(start: datetime, hours: float, tz: str, expected: datetime) -> None:
    assert add_business_hours(start, hours, tz) == expected


def test_daylight_saving_change_keeps_local_opening_hours() -> None:
    # Friday 27 March 2026 16:00 Paris (UTC+1); DST starts Sunday; Monday 09:00 is UTC+2.
    start = utc(2026, 3, 27, 15, 0)
    assert add_business_hours(start, 2, "Europe/Paris") == utc(2026, 3, 30, 8, 0)
