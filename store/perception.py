"""Perception figures counted by the database: guesses against answers by week, and each
team's tally over a period for the rank. Week buckets as in store/reports.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.lost_time import HOURS
from bot.scoring import Tally
from bot.scoring.gap import GapTally, SlaTally
from store.reports import Scope, _bucket, _in_range
from store.tables import AgentGuessRow, AnswerRow, SurveyRow


def _categories(score: Any) -> list[ColumnElement[int]]:
    return [
        func.sum(case((score >= 9, 1), else_=0)),
        func.sum(case((and_(score >= 7, score <= 8), 1), else_=0)),
        func.sum(case((score <= 6, 1), else_=0)),
    ]


async def gap_tallies(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Scope, *, agent: str | None = None
) -> list[GapTally]:
    """One GapTally per interval of `bounds`, over tickets with both a guess and an answer,
    put in the week of the answer (as the NPS of the same answers is)."""
    values: dict[str, Any] = {f"b{i}": b for i, b in enumerate(bounds)}
    values |= {"teams": list(teams)} if teams is not None else {}
    values |= {"agent": agent} if agent is not None else {}
    stmt = _gap_tallies(len(bounds) - 1, teams is not None, agent is not None)
    found = {r[0]: [int(v or 0) for v in r[1:]] for r in await conn.execute(stmt, values)}
    empty = [0] * 9
    return [_gap(found.get(i, empty)) for i in range(len(bounds) - 1)]


@cache
def _gap_tallies(weeks: int, by_teams: bool, by_agent: bool) -> Executable:
    """Built once per shape, the bounds, teams and agent bound: building it took longer than
    running it."""
    guess, score, answered = (
        col(AgentGuessRow.score),
        col(AnswerRow.score),
        col(AnswerRow.answered_at),
    )
    bounds: list[BindParameter[Any]] = [bindparam(f"b{i}") for i in range(weeks + 1)]
    week = _bucket(answered, bounds).label("week")
    sums = [func.sum(func.abs(guess - score)), func.sum(guess), func.sum(score)]
    stmt = (
        select(week, *_categories(guess), *_categories(score), *sums)
        .select_from(AgentGuessRow)
        .join(AnswerRow, col(AnswerRow.survey_id) == col(AgentGuessRow.survey_id))
        .where(answered >= bounds[0], answered < bounds[-1], guess.is_not(None))
    )
    if by_teams:
        stmt = stmt.where(col(AnswerRow.team_key).in_(bindparam("teams", expanding=True)))
    if by_agent:
        stmt = stmt.join(SurveyRow, col(SurveyRow.id) == col(AnswerRow.survey_id))
        stmt = stmt.where(col(SurveyRow.agent_email) == bindparam("agent"))
    return stmt.group_by(week)


def _gap(v: list[int]) -> GapTally:
    return GapTally(Tally(*v[0:3]), Tally(*v[3:6]), v[6], v[7], v[8])


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
