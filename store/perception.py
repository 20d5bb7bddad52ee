"""Perception figures counted by the database from the raw rows: guesses against answers by
week, and the SLA and lost time of a period's answers (which /nps team reads from the roll-ups
when they hold them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    and_,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.lost_time import HOURS
from bot.scoring.gap import GapTally, SlaTally
from store import rollup_reads
from store.driver_sql import Params, fetch
from store.reports import Scope, _in_range, kept_weeks
from store.tables import AnswerRow, SurveyRow


async def gap_tallies(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Scope, *, agent: str | None = None
) -> list[GapTally]:
    """One GapTally per interval of `bounds`, over tickets with both a guess and an answer,
    put in the week of the answer (as the NPS of the same answers is): from the teams' days
    or weeks when they fit the bounds, else from the raw rows."""
    if teams is not None and agent is None:
        kept = await rollup_reads.counts(conn, bounds, teams, by_team=False)
        gaps = kept_weeks(kept, None, len(bounds) - 1).gaps() if kept is not None else None
        if gaps is not None:
            return gaps
    return await raw_gap_tallies(conn, bounds, teams, agent=agent)


async def raw_gap_tallies(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Scope, *, agent: str | None = None
) -> list[GapTally]:
    """gap_tallies counted from the guesses and answers themselves."""
    sql, p = _gap_sql(conn.dialect.name, bounds, teams, agent)
    found = {r[0]: [int(v or 0) for v in r[1:]] for r in await fetch(conn, sql, p)}
    empty = [0] * 9
    return [GapTally.of(found.get(i, empty)) for i in range(len(bounds) - 1)]


# In the driver's SQL (store/driver_sql.py), as `/nps team` runs it each time: SQLAlchemy's work
# around the statement cost as long as SQLite's reading the period's guesses.
GUESS_SUMS = ", ".join(
    f"sum(CASE WHEN {who}.score {test} THEN 1 ELSE 0 END)"
    for who in ("g", "a")
    for test in (">= 9", "BETWEEN 7 AND 8", "<= 6")
)


def _gap_sql(
    dialect: str, bounds: Sequence[datetime], teams: Scope, agent: str | None
) -> tuple[str, Params]:
    p = Params(dialect)
    sql = (
        f"SELECT {p.bucket('a.answered_at', bounds)} AS week, {GUESS_SUMS}, "
        "sum(abs(g.score - a.score)), sum(g.score), sum(a.score) "
        "FROM agent_guess AS g JOIN answer AS a ON a.survey_id = g.survey_id"
    )
    if agent is not None:
        sql += " JOIN survey AS s ON s.id = a.survey_id"
    sql += f" WHERE a.answered_at >= {p.one(bounds[0])} AND a.answered_at < {p.one(bounds[-1])}"
    sql += " AND g.score IS NOT NULL"
    if teams is not None:
        sql += f" AND {p.among('a.team_key', teams)}"
    if agent is not None:
        sql += f" AND s.agent_email = {p.one(agent)}"
    return sql + " GROUP BY 1", p


async def sla_by_team(
    conn: AsyncConnection, since: datetime, until: datetime, teams: Sequence[str]
) -> dict[str, SlaTally]:
    """Per team, the answers of the period and the SLA their tickets reported (NULL: none)."""
    team, sla_met = col(AnswerRow.team_key), col(SurveyRow.sla_met)
    met = sla_met.is_(True)
    stmt = (
        select(
            team,
            func.count(),
            func.count(sla_met),
            func.sum(case((met, 1), else_=0)),
            func.sum(case((and_(met, col(AnswerRow.score) <= 6), 1), else_=0)),
        )
        .select_from(AnswerRow)
        .join(SurveyRow, col(SurveyRow.id) == col(AnswerRow.survey_id))
        .where(_in_range(col(AnswerRow.answered_at), [since, until]), team.in_(teams))
        .group_by(team)
    )
    found = {r[0]: SlaTally(*(int(v or 0) for v in r[1:])) for r in await conn.execute(stmt)}
    return {team: found.get(team, SlaTally()) for team in teams}


async def lost_time(
    conn: AsyncConnection, since: datetime, until: datetime, team: str
) -> tuple[int, float]:
    """(answers saying how much time they lost, the hours those choices count for)."""
    choice = col(AnswerRow.lost_time)
    hours = case(*((choice == key, literal(h)) for key, h in HOURS.items()), else_=0.0)
    stmt = select(func.count(choice), func.sum(hours)).where(
        _in_range(col(AnswerRow.answered_at), [since, until]),
        col(AnswerRow.team_key) == team,
        choice.is_not(None),
    )
    row = (await conn.execute(stmt)).one()
    return int(row[0] or 0), float(row[1] or 0.0)
