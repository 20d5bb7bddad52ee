"""The weekly digest: which team's is due, queued once across replicas, then built and posted."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import perception
from bot.anonymity import shown, withheld
from bot.deps import Deps
from bot.drivers import analyse, names_for
from bot.jobs import JobKind, complete_job, queue_job
from bot.model import DigestTime, Team
from bot.ports import Messenger
from bot.report_messages import Chart, Week, WeeklyDigest
from bot.report_text import digest_driver
from bot.report_weeks import CHART_WEEKS, hidden_weeks, quotable, shown_trend
from bot.scoring import Tally, local_midnight_utc, week_start
from bot.texts import long_day, say
from bot.themes import digest_line
from store import drivers as driver_rows
from store import reports as rows
from store.outbox import Job

# Named as before the digest left bot/reports.py: log lines carry the logger name, and a
# filter on "bot.reports digest_queued" must keep matching.
log = logging.getLogger("bot.reports")

POST_DIGEST = JobKind.POST_DIGEST
# A replica that starts (or a cron that fires) later than this after the digest was due skips
# that week rather than posting a stale digest.
DIGEST_CATCH_UP = timedelta(hours=24)


async def weekly_digest(deps: Deps, team: Team, posted_week: date) -> WeeklyDigest:
    """The digest posted in the week starting `posted_week`: it reports the week before."""
    starts = [posted_week - timedelta(weeks=CHART_WEEKS - i) for i in range(CHART_WEEKS + 1)]
    bounds = [local_midnight_utc(day, team.timezone) for day in starts]
    async with deps.store.read() as conn:
        tallies = await rows.weekly_tallies(conn, bounds, [team.key])
        week, needed = tallies[-1], team.min_answers
        # Posted in a channel, so only comments whose authors agreed to share them.
        quoted = await quotable(
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
        shown_trend(starts[:-1], tallies, hidden_weeks(tallies, 1, needed)),
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
