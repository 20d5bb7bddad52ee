"""Reports people ask for: a team's weeks, all teams side by side, an agent's own.

The database counts (store.reports); this module picks the weeks, adds the counts up and decides
what may be quoted. Comments are never attributed, and are quoted only when enough people
answered that no single one can be picked out. The weekly digest is bot.digests.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import partial
from typing import Any

from bot import anonymity, perception
from bot.anonymity import shown, weeks_shown, withheld
from bot.deps import Deps
from bot.model import Team
from bot.report_messages import AgentComment, AgentReport, TeamLine, TeamReport, TeamsOverview
from bot.report_weeks import (
    hidden_weeks,
    mondays,
    quotable,
    shown_trend,
    spans,
    total,
    trend_chart,
)
from bot.scoring import Tally, boundaries, week_start
from store import Conn, report_comments
from store import reports as rows
from store.reports import Weeks

STAR_MARGIN = 10  # points above the organisation that make a team a star (below: needs help)
AGENT_COMMENTS = 5


async def team_report(deps: Deps, team: Team, weeks: int) -> TeamReport:
    now, tz = deps.clock.now(), team.timezone
    bounds, period_bounds = spans(now, tz, weeks)
    # Roll-ups and indexed ranges, a few ms; three lanes, at once on PostgreSQL.
    (kept, about_team), about_organisation, rank = await deps.store.read_apart(
        partial(_team_side, team, weeks, bounds, period_bounds),
        partial(_organisation_side, deps, team, period_bounds),
        partial(perception.team_rank, deps, team=team, weeks=weeks),
    )
    tallies, needed = kept.tallies, team.min_answers
    period = total(tallies[-weeks:])
    starts, hidden = mondays(bounds, tz), hidden_weeks(tallies, weeks, needed)
    trend = shown_trend(starts, tallies, hidden)
    return TeamReport(
        team_key=team.key,
        team_label=team.name,
        weeks=weeks_shown(starts, tallies, hidden, needed)[-weeks:],
        period=shown(period, needed),
        previous=shown(total(tallies[-2 * weeks : -weeks]), needed),
        benchmark=deps.directory.benchmark,
        chart=trend_chart(team.name, weeks, shown(period, needed).nps, trend, bounds, now),
        withheld=withheld(period, needed),
        rank=rank,
        **about_team,
        **about_organisation,
    )


async def _team_side(
    team: Team,
    weeks: int,
    bounds: list[datetime],
    period_bounds: tuple[datetime, datetime],
    conn: Conn,
) -> tuple[Weeks, dict[str, Any]]:
    """The team's weeks, and what they decide: its quotable comments and issue 15's figures
    (as TeamReport's keyword arguments)."""
    kept = await rows.team_weeks(conn, bounds, [team.key])
    period = total(kept.tallies[-weeks:])
    quoted = await quotable(conn, period, team.min_answers, period_bounds, team=team.key)
    extras = await perception.team_extras(conn, team, period_bounds, kept, weeks)
    return kept, {"comments": quoted, **extras}


async def _organisation_side(
    deps: Deps, team: Team, period_bounds: tuple[datetime, datetime], conn: Conn
) -> dict[str, Any]:
    organisation = total(await rows.weekly_tallies(conn, list(period_bounds), None))
    return {
        "organisation": shown(organisation, deps.directory.default_min_answers),
        "undeliverable": await rows.undeliverable(conn, *period_bounds, [team.key]),
    }


async def teams_overview(deps: Deps, weeks: int) -> TeamsOverview:
    now = deps.clock.now()
    org_bounds = boundaries(now, deps.directory.default_timezone, 2 * weeks)
    async with deps.store.read(brief=True) as conn:
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
        found = await rows.by_team(conn, [b[0], b[weeks], b[-1]], keys)
        slas = await perception.slas_by_team(deps, conn, (b[weeks], b[-1]), found)
        for key, kept in found.items():
            previous, period = kept.tallies
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
    bounds, period_bounds = spans(now, tz, weeks)
    agent, needed = email.casefold(), deps.directory.default_min_answers
    async with deps.store.read(brief=True) as conn:
        tallies = await rows.weekly_tallies(conn, bounds, None, agent=agent)
        quoted = await report_comments.comments(
            conn, *period_bounds, agent=agent, per_category=AGENT_COMMENTS
        )
        gap = await perception.agent_gap(conn, agent, *period_bounds, needed)
    period = total(tallies[-weeks:])
    if period.answers < needed:
        quoted = []  # each comment carries its score: a few of them would be the score
    trend = shown_trend(mondays(bounds, tz), tallies, hidden_weeks(tallies, weeks, needed))
    nps = shown(period, needed).nps
    drawn = nps is not None or any(score is not None for _, score in trend)
    return AgentReport(
        agent_label=label,
        weeks=weeks,
        period=shown(period, needed),
        previous=shown(total(tallies[-2 * weeks : -weeks]), needed),
        comments=tuple(AgentComment(t, s, c, at) for s, c, t, at in quoted[:AGENT_COMMENTS]),
        chart=trend_chart(label, weeks, nps, trend, bounds, now) if drawn else None,
        withheld=withheld(period, needed),
        gap=gap,
    )
