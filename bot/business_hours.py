"""Business-hours arithmetic in a team's time zone: weekends skipped. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_START = time(9, 0)
DAY_END = time(17, 0)


def add_business_hours(
    start: datetime, hours: float, tz: str, *, day_start: time = DAY_START, day_end: time = DAY_END
) -> datetime:
    """The UTC moment `hours` working hours after `start`: Mon–Fri, day_start to day_end."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    left = timedelta(hours=hours)
    while True:
        opens = datetime.combine(local.date(), day_start, zone)
        closes = datetime.combine(local.date(), day_end, zone)
        if local.weekday() >= 5 or local >= closes:
            local = _next_morning(local, zone, day_start)
            continue
        local = max(local, opens)
        if local + left <= closes:
            return (local + left).astimezone(UTC)
        left -= closes - local
        local = _next_morning(local, zone, day_start)


def _next_morning(moment: datetime, zone: ZoneInfo, day_start: time) -> datetime:
    return datetime.combine(moment.date() + timedelta(days=1), day_start, zone)
