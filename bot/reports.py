"""Reports people read: a team's weeks, all teams side by side, an agent's own, the weekly digest.

The database counts (store.reports); this module picks the weeks, adds the counts up and decides
what may be quoted. Comments are never attributed, and are quoted only when enough people
answered that no single one can be picked out.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import add
from zoneinfo import ZoneInfo

from bot import anonymity, perception
from bot.anonymity import hidden_in, shown, trend_shown, weeks_shown, withheld
from bot.deps import Deps
from bot.drivers import analyse, names_for
from bot.jobs import JobKind, complete_job, queue_job
from bot.model import DigestTime, Team
from bot.ports import Messenger
from bot.report_messages import (
    AgentComment,
    AgentReport,
    Chart,
    TeamLine,
    TeamReport,
    TeamsOverview,
    Week,
    WeeklyDigest,
)
from bot.report_text import chart_title, digest_driver
from bot.scoring import (
    Tally,
    boundaries,
    local_midnight_utc,
    week_start,
)
from bot.texts import long_day, say
from bot.themes import digest_line
from store import Conn
from store import drivers as driver_rows
from store import reports as rows
from store.outbox import Job

log = logging.getLogger(__name__)

CHART_WEEKS = 12
POST_DIGEST = JobKind.POST_DIGEST
# A replica that starts (or a cron that fires) later than this after the digest was due skips
# that week rather than posting a stale digest.
DIGEST_CATCH_UP = timedelta(hours=24)
STAR_MARGIN = 10  # points above the organisation that make a team a star (below: needs help)
AGENT_COMMENTS = 5
Trend = tuple[tuple[date, int | None], ...]  # Chart.trend: each week's start and score shown


def _total(tallies: Sequence[Tally]) -> Tally:
    return reduce(add, tallies, Tally())


def _mondays(bounds: Sequence[datetime], tz: str) -> list[date]:
    return [week_start(b, tz) for b in bounds[:-1]]


def _trend(starts: Sequence[date], tallies: Sequence[Tally], hidden: set[int]) -> Trend:
    return trend_shown(starts, tallies, hidden)[-CHART_WEEKS:]


def _open(bounds: Sequence[datetime], now: datetime) -> bool:
    """Whether the trend's last week is still running, so its point is a score so far."""
    return bounds[-2] <= now < bounds[-1]


def _hidden(tallies: Sequence[Tally], weeks: int, needed: int) -> set[int]:
    return hidden_in([t.answers for t in tallies], weeks, needed)


def _spans(now: datetime, tz: str, weeks: int) -> tuple[list[datetime], tuple[datetime, datetime]]:
    """The chart's week bounds (twice `weeks`, to compare, and at least CHART_WEEKS), and the
    reported period: the last `weeks` of them."""
    span = max(2 * weeks, CHART_WEEKS)
    bounds = boundaries(now, tz, span)
    return bounds, (bounds[span - weeks], bounds[-1])


async def _quotable(
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
    quoted = await rows.comments(conn, *period, team=team, shared_only=shared_only)
    return tuple(text for _score, text, _ticket, _at in quoted)


def _trend_chart(
    name: str, weeks: int, nps: int | None, trend: Trend, bounds: Sequence[datetime], now: datetime
) -> Chart:
    return Chart(chart_title(name, weeks, CHART_WEEKS), nps, trend, _open(bounds, now))


async def team_report(deps: Deps, team: Team, weeks: int) -> TeamReport:
    now, tz = deps.clock.now(), team.timezone
    bounds, period_bounds = _spans(now, tz, weeks)
    async with deps.store.read() as conn:
        tallies = await rows.weekly_tallies(conn, bounds, [team.key])
        organisation = _total(await rows.weekly_tallies(conn, list(period_bounds), None))
        period, needed = _total(tallies[-weeks:]), team.min_answers
        quoted = await _quotable(conn, period, needed, period_bounds, team=team.key)
        failed = await rows.undeliverable(conn, *period_bounds, [team.key])
        extras = await perception.team_extras(deps, conn, team, period_bounds, weeks)
    starts, hidden = _mondays(bounds, tz), _hidden(tallies, weeks, needed)
    trend = _trend(starts, tallies, hidden)
    return TeamReport(
        team_key=team.key,
        team_label=team.name,
        weeks=weeks_shown(starts, tallies, hidden, needed)[-weeks:],
        period=shown(period, needed),
        previous=shown(_total(tallies[-2 * weeks : -weeks]), needed),
        organisation=shown(organisation, deps.directory.default_min_answers),
        comments=quoted,
        undeliverable=failed,
        benchmark=deps.directory.benchmark,
        chart=_trend_chart(team.name, weeks, shown(period, needed).nps, trend, bounds, now),
        withheld=withheld(period, needed),
        **extras,
    )


async def teams_overview(deps: Deps, weeks: int) -> TeamsOverview:
    now = deps.clock.now()
    org_bounds = boundaries(now, deps.directory.default_timezone, 2 * weeks)
    async with deps.store.read() as conn:
        org = await rows.weekly_tallies(
            conn, [org_bounds[0], org_bounds[weeks], org_bounds[-1]], None
        )
        lines = await _team_lines(deps, conn, now, weeks)
    needed = deps.directory.default_min_answers
    organisation = shown(org[1], needed)
    masked = _mask_lines(deps, lines, org[1])
    ranked = sorted(masked, key=lambda line: (line.period.nps is None, -(line.period.nps or 0)))
    return TeamsOverview(
        weeks=weeks,
        since=week_start(org_bounds[weeks], deps.directory.default_timezone),
        lines=tuple(_with_standing(line, organisation) for line in ranked),
        organisation=organisation,
        previous_organisation=shown(org[0], needed),
        benchmark=deps.directory.benchmark,
        organisation_withheld=withheld(org[1], needed),
    )


async def _team_lines(deps: Deps, conn: Conn, now: datetime, weeks: int) -> list[TeamLine]:
    """Each team's last `weeks` and the `weeks` before, unmasked, in its own time zone."""
    by_zone: dict[str, list[str]] = defaultdict(list)
    for team in deps.directory.teams:
        by_zone[team.timezone].append(team.key)
    lines: list[TeamLine] = []
    # Teams in one time zone share week boundaries, so one query serves them all.
    for tz, keys in by_zone.items():
        b = boundaries(now, tz, 2 * weeks)
        found = await rows.tallies_by_team(conn, [b[0], b[weeks], b[-1]], keys)
        slas = await perception.slas_by_team(deps, conn, b[weeks], b[-1], keys)
        for key, (previous, period) in found.items():
            known = deps.directory.by_key(key)
            label = known.name if known else key
            lines.append(TeamLine(key, label, period, previous, None, sla=slas[key]))
    return lines


def _mask_lines(deps: Deps, lines: list[TeamLine], org: Tally) -> list[TeamLine]:
    """A team under its min_answers shows no score; and as the organisation's total minus the
    shown teams would give small ones away, bigger teams are hidden with them if need be."""
    needs = [_needed(deps, line.team_key) for line in lines]
    small = {i for i, line in enumerate(lines) if line.period.answers < needs[i]}
    cells = [line.period.answers for line in lines]
    rest = max(0, org.answers - sum(cells))  # answers of no configured team: never a line
    hidden = small | anonymity.withheld_weeks([*cells, rest], deps.directory.default_min_answers)
    return [
        TeamLine(
            line.team_key,
            line.team_label,
            Tally(),
            shown(line.previous, needs[i]),
            None,
            anonymity.why_hidden(line.period, needs[i]),
        )
        if i in hidden
        else TeamLine(
            line.team_key,
            line.team_label,
            line.period,
            shown(line.previous, needs[i]),
            None,
            sla=line.sla,
        )
        for i, line in enumerate(lines)
    ]


def _needed(deps: Deps, team_key: str) -> int:
    team = deps.directory.by_key(team_key)
    return team.min_answers if team else deps.directory.default_min_answers


def _with_standing(line: TeamLine, organisation: Tally) -> TeamLine:
    nps, org = line.period.nps, organisation.nps
    if nps is None or org is None or line.period.too_few:
        return line  # too little to call a team a star or a worry
    standing = None
    if nps >= org + STAR_MARGIN:
        standing = "star"
    elif nps < 0 or nps <= org - STAR_MARGIN:
        standing = "needs help"
    return TeamLine(
        line.team_key,
        line.team_label,
        line.period,
        line.previous,
        standing,
        line.withheld,
        line.sla,
    )


async def agent_report(deps: Deps, email: str, label: str, weeks: int) -> AgentReport:
    now, tz = deps.clock.now(), deps.directory.default_timezone
    bounds, period_bounds = _spans(now, tz, weeks)
    agent, needed = email.casefold(), deps.directory.default_min_answers
    async with deps.store.read() as conn:
        tallies = await rows.weekly_tallies(conn, bounds, None, agent=agent)
        quoted = await rows.comments(conn, *period_bounds, agent=agent, per_category=AGENT_COMMENTS)
        gap = await perception.agent_gap(conn, agent, *period_bounds, needed)
    period = _total(tallies[-weeks:])
    if period.answers < needed:
        quoted = []  # each comment carries its score: a few of them would be the score
    trend = _trend(_mondays(bounds, tz), tallies, _hidden(tallies, weeks, needed))
    nps = shown(period, needed).nps
    drawn = nps is not None or any(score is not None for _, score in trend)
    return AgentReport(
        agent_label=label,
        weeks=weeks,
        period=shown(period, needed),
        previous=shown(_total(tallies[-2 * weeks : -weeks]), needed),
        comments=tuple(AgentComment(t, s, c, at) for s, c, t, at in quoted[:AGENT_COMMENTS]),
        chart=_trend_chart(label, weeks, nps, trend, bounds, now) if drawn else None,
        withheld=withheld(period, needed),
        gap=gap,
    )


async def weekly_digest(deps: Deps, team: Team, posted_week: date) -> WeeklyDigest:
    """The digest posted in the week starting `posted_week`: it reports the week before."""
    starts = [posted_week - timedelta(weeks=CHART_WEEKS - i) for i in range(CHART_WEEKS + 1)]
    bounds = [local_midnight_utc(day, team.timezone) for day in starts]
    async with deps.store.read() as conn:
        tallies = await rows.weekly_tallies(conn, bounds, [team.key])
        week, needed = tallies[-1], team.min_answers
        # Posted in a channel, so only comments whose authors agreed to share them.
        quoted = await _quotable(
            conn, week, needed, (bounds[-2], bounds[-1]), team=team.key, shared_only=True
        )
        waiting = await rows.open_callbacks(conn, team.key)
        named = await driver_rows.driver_answers(conn, bounds[0], bounds[-1], team.key)
        extras = await perception.week_extras(conn, team, bounds[-2], bounds[-1])
    drivers = analyse(named, names_for(team.drivers, named), team.key, team.name, CHART_WEEKS)
    return WeeklyDigest(
        team_key=team.key,
        team_label=team.name,
        week=Week(starts[-2], shown(week, needed), withheld(week, needed)),
        previous=shown(tallies[-2], needed),
        open_callbacks=waiting,
        comments=quoted,
        chart=_digest_chart(team, starts, tallies, needed),
        top_driver=digest_driver(drivers),
        top_theme=await digest_line(deps.store, team, posted_week),
        **extras,
    )


def _digest_chart(team: Team, starts: list[date], tallies: list[Tally], needed: int) -> Chart:
    """The reported week's score, and the weeks before it up to CHART_WEEKS."""
    return Chart(
        say("digest.chart", team=team.name, day=long_day(starts[-2])),
        shown(tallies[-1], needed).nps,
        _trend(starts[:-1], tallies, _hidden(tallies, 1, needed)),
    )


def last_due(now: datetime, tz: str, when: DigestTime) -> datetime:
    """The latest digest time at or before `now`, as a UTC instant (DST-aware)."""
    zone = ZoneInfo(tz)
    local_day = now.astimezone(zone).date()
    day = local_day - timedelta(days=(local_day.weekday() - when.weekday) % 7)
    due = datetime.combine(day, time(when.hour, when.minute), tzinfo=zone)
    if due > now:
        due = datetime.combine(day - timedelta(weeks=1), time(when.hour, when.minute), tzinfo=zone)
    return due


async def send_digests(deps: Deps) -> int:
    """Queues every digest that is due and not yet started; safe on every replica at once.

    The (team, week) row is the once-only guarantee: the replica whose INSERT creates it queues
    the post, in the same transaction. A lock would only stop two runs overlapping."""
    now, queued = deps.clock.now(), 0
    for team in deps.directory.teams:
        if team.digest is None or deps.directory.digest_channel(team) is None:
            continue
        due = last_due(now, team.timezone, team.digest)
        if now - due > DIGEST_CATCH_UP:
            continue
        posted_week = week_start(due, team.timezone)
        async with deps.store.write() as conn:
            if not await rows.start_digest(conn, team.key, posted_week, now):
                continue
            ref = f"{team.key}:{posted_week.isoformat()}"
            await queue_job(deps, conn, POST_DIGEST, ref, team.platform.value)
        log.info("digest_queued", extra={"team": team.key, "week": posted_week.isoformat()})
        queued += 1
    if queued:
        deps.wake_delivery()
    return queued


async def post_digest(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    key, _, week = job.ref.partition(":")
    team = deps.directory.by_key(key)
    channel = deps.directory.digest_channel(team) if team else None
    if team is not None and channel is not None:
        digest = await weekly_digest(deps, team, date.fromisoformat(week))
        await messenger.post(channel, digest)
    await complete_job(deps, job, owner)
