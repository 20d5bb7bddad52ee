"""Weeks start on Monday 00:00 in the team's time zone; boundaries are computed here, in UTC,
so SQL only compares timestamps (SQLite has no time zones) and DST shifts land where they should.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def week_start(moment: datetime, tz: str) -> date:
    """The Monday (a local date) of the week `moment` falls in, in `tz`."""
    local = moment.astimezone(ZoneInfo(tz)).date()
    return local - timedelta(days=local.weekday())


@lru_cache(maxsize=4096)
def local_midnight_utc(day: date, tz: str) -> datetime:
    # Cached: every batch of answers asks it for the same few days (store.rollups.day_of).
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def boundaries(now: datetime, tz: str, weeks: int) -> list[datetime]:
    """weeks + 1 instants (UTC): the starts of the last `weeks` weeks, the current one included,
    oldest first, then the start of next week. Week i is [b[i], b[i+1])."""
    monday = week_start(now, tz)
    days = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks + 1)]
    return [local_midnight_utc(d, tz) for d in days]
