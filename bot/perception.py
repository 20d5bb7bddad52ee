"""IT's view beside the customer's (issue 15): the perception gap, week by week and per agent,
and a team's rank among the teams with enough answers. The database counts (store.perception,
store.reports); this module picks the weeks and decides what may be shown."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import reduce
from operator import add
from typing import Any

from bot.anonymity import hidden_in
from bot.deps import Deps
from bot.gap_messages import (
    GapFigure,
    GapReport,
    GapWeek,
    LineChart,
    LostTime,
    Rank,
    SlaFigure,
)
from bot.gap_text import gap_too_few, lost_too_few, sla_too_few
from bot.model import Team
from bot.scoring import Tally, boundaries, week_start
from bot.scoring.gap import GapTally, SlaTally
from bot.texts import say
from store import Conn
from store import perception as rows
from store import reports as report_rows
from store.reports import Weeks

GAP_WEEKS = 12


def gap_figure(tally: GapTally, needed: int) -> GapFigure | None:
    """None without guesses; withheld below `needed` tickets with both (a guess beside a few
    answers would tell an agent what their requesters gave)."""
    if not tally.pairs:
        return None
    if tally.pairs < needed:
        return GapFigure(GapTally(), gap_too_few(tally.pairs, needed))
    return GapFigure(tally)


async def team_gap(
    conn: Conn, team: Team, since: datetime, until: datetime, kept: GapTally | None = None
) -> GapFigure | None:
    """`kept`: the same tally from the team's roll-ups, when they hold it."""
    if kept is None:
        (kept,) = await rows.gap_tallies(conn, [since, until], [team.key])
    return gap_figure(kept, team.min_answers)


async def agent_gap(
    conn: Conn, agent: str, since: datetime, until: datetime, needed: int
) -> GapFigure | None:
    (tally,) = await rows.gap_tallies(conn, [since, until], None, agent=agent)
    return gap_figure(tally, needed)


def sla_figure(tally: SlaTally, needed: int) -> SlaFigure | None:
    """None without SLA data; withheld when fewer than `needed` answered tickets carry it."""
    if not tally.with_sla:
        return None
    if tally.with_sla < needed:
        return SlaFigure(SlaTally(), sla_too_few(tally.with_sla, needed))
    return SlaFigure(tally)


async def team_sla(
    conn: Conn, team: Team, since: datetime, until: datetime, kept: SlaTally | None = None
) -> SlaFigure | None:
    """`kept`: the same tally from the team's roll-ups, when they hold it."""
    if kept is None:
        kept = (await rows.sla_by_team(conn, since, until, [team.key]))[team.key]
    return sla_figure(kept, team.min_answers)


async def team_lost_time(
    conn: Conn,
    team: Team,
    since: datetime,
    until: datetime,
    kept: tuple[int, float] | None = None,
) -> LostTime | None:
    """`kept`: the same figures from the team's roll-ups, when they hold them."""
    answers, hours = kept or await rows.lost_time(conn, since, until, team.key)
    if not answers:
        return None
    if answers < team.min_answers:
        return LostTime(0, 0.0, lost_too_few(answers, team.min_answers))
    return LostTime(answers, hours)


async def slas_by_team(
    deps: Deps, conn: Conn, period: tuple[datetime, datetime], kept: dict[str, Weeks]
) -> dict[str, SlaFigure | None]:
    """`/nps teams`' 🍉 column, each team against its own min_answers: over the last week of
    `kept`, which is `period`, from the roll-ups when they hold it."""
    found = {key: weeks.sla(1) for key, weeks in kept.items()}
    if any(tally is None for tally in found.values()):
        found = dict(await rows.sla_by_team(conn, *period, list(kept)))
    return {
        key: sla_figure(tally or SlaTally(), _needed(deps, key)) for key, tally in found.items()
    }


def _needed(deps: Deps, key: str) -> int:
    team = deps.directory.by_key(key)
    return team.min_answers if team else deps.directory.default_min_answers


async def team_extras(
    conn: Conn, team: Team, period: tuple[datetime, datetime], kept: Weeks, weeks: int
) -> dict[str, Any]:
    """`/nps team`'s issue-15 figures but its rank (team_rank), as TeamReport's keyword
    arguments; `kept`: the team's weeks, whose last `weeks` are `period`."""
    since, until = period
    return {
        "gap": await team_gap(conn, team, since, until, kept.gap(weeks)),
        "sla": await team_sla(conn, team, since, until, kept.sla(weeks)),
        "lost_time": await team_lost_time(conn, team, since, until, kept.lost(weeks)),
    }


async def week_extras(conn: Conn, team: Team, since: datetime, until: datetime) -> dict[str, Any]:
    """The digest's gap and watermelon lines, as WeeklyDigest's keyword arguments."""
    return {
        "gap": await team_gap(conn, team, since, until),
        "sla": await team_sla(conn, team, since, until),
    }


async def team_rank(deps: Deps, conn: Conn, team: Team, weeks: int) -> Rank | None:
    """Over the last `weeks` weeks in each team's own time zone, among the teams with at least
    their min_answers; None when this team is not one of them or is the only one."""
    now, by_zone = deps.clock.now(), defaultdict(list)
    for known in deps.directory.teams:
        by_zone[known.timezone].append(known.key)
    wanted = []
    for tz, keys in by_zone.items():
        b = boundaries(now, tz, weeks)
        wanted.append((keys, b[0], b[-1]))
    found = await report_rows.period_tallies(conn, wanted)
    # Each score once: it is worked out from the counts every time it is asked for.
    scores = {t.key: found[t.key].nps for t in deps.directory.teams if _enough(found[t.key], t)}
    own = scores.get(team.key)
    if own is None or len(scores) < 2:
        return None
    return Rank(1 + sum(1 for nps in scores.values() if nps is not None and nps > own), len(scores))


def _enough(tally: Tally, team: Team) -> bool:
    return tally.answers >= team.min_answers


async def gap_report(deps: Deps, team: Team, weeks: int) -> GapReport:
    bounds = boundaries(deps.clock.now(), team.timezone, weeks)
    async with deps.store.read() as conn:
        tallies = await rows.gap_tallies(conn, bounds, [team.key])
    needed = team.min_answers
    hidden = hidden_in([t.pairs for t in tallies], weeks, needed)
    days = tuple(week_start(b, team.timezone) for b in bounds[:-1])
    shown = [GapTally() if i in hidden else t for i, t in enumerate(tallies)]
    rows_ = tuple(
        GapWeek(
            day,
            GapFigure(GapTally(), gap_too_few(t.pairs, needed)) if i in hidden else GapFigure(t),
        )
        for i, (day, t) in enumerate(zip(days, tallies, strict=True))
    )
    period = reduce(add, tallies, GapTally())
    chart = LineChart(
        say("gap.chart", team=team.name, weeks=weeks),
        days,
        (
            (say("gap.it_view"), tuple(t.guessed.nps for t in shown)),
            (say("gap.customers"), tuple(t.answered.nps for t in shown)),
        ),
    )
    figure = gap_figure(period, needed) or GapFigure(GapTally())
    return GapReport(team.key, team.name, rows_, figure, chart)
