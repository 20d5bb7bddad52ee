"""The weeks a report covers, added up, and what of them may be shown or quoted.

Shared by the on-demand reports (bot.reports) and the weekly digest (bot.digests).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import reduce
from operator import add

from bot.anonymity import hidden_in, trend_shown
from bot.report_messages import Chart
from bot.report_text import chart_title
from bot.scoring import Tally, boundaries, week_start
from store import Conn, report_comments

CHART_WEEKS = 12
Trend = tuple[tuple[date, int | None], ...]  # Chart.trend: each week's start and score shown


def total(tallies: Sequence[Tally]) -> Tally:
    return reduce(add, tallies, Tally())


def mondays(bounds: Sequence[datetime], tz: str) -> list[date]:
    return [week_start(b, tz) for b in bounds[:-1]]


def shown_trend(starts: Sequence[date], tallies: Sequence[Tally], hidden: set[int]) -> Trend:
    return trend_shown(starts, tallies, hidden)[-CHART_WEEKS:]


def _open(bounds: Sequence[datetime], now: datetime) -> bool:
    """Whether the trend's last week is still running, so its point is a score so far."""
    return bounds[-2] <= now < bounds[-1]


def hidden_weeks(tallies: Sequence[Tally], weeks: int, needed: int) -> set[int]:
    return hidden_in([t.answers for t in tallies], weeks, needed)


def spans(now: datetime, tz: str, weeks: int) -> tuple[list[datetime], tuple[datetime, datetime]]:
    """The chart's week bounds (twice `weeks`, to compare, and at least CHART_WEEKS), and the
    reported period: the last `weeks` of them."""
    span = max(2 * weeks, CHART_WEEKS)
    bounds = boundaries(now, tz, span)
    return bounds, (bounds[span - weeks], bounds[-1])


async def quotable(
    conn: Conn,
    tally: Tally,
    needed: int,
    period: tuple[datetime, datetime],
    *,
    team: str,
    shared_only: bool = False,
) -> tuple[str, ...]:
    """A team's comments of the period, never attributed; none unless enough people answered
    that no single one can be picked out."""
    if tally.answers < needed:
        return ()
    quoted = await report_comments.comments(conn, *period, team=team, shared_only=shared_only)
    return tuple(text for _score, text, _ticket, _at in quoted)


def trend_chart(
    name: str, weeks: int, nps: int | None, trend: Trend, bounds: Sequence[datetime], now: datetime
) -> Chart:
    return Chart(chart_title(name, weeks, CHART_WEEKS), nps, trend, _open(bounds, now))
