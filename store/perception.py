"""Perception figures counted by the database: guesses against answers by week, and each
team's tally over a period for the rank. Week buckets as in store/reports.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.lost_time import HOURS
from bot.scoring import Tally
from bot.scoring.gap import GapTally, SlaTally
from store.reports import A, S, Scope, _bucket, _in_range
from store.tables import AgentGuessRow

G = AgentGuessRow.__table__  # type: ignore[attr-defined]


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
    week = _bucket(A.c.answered_at, bounds).label("week")
    sums = [func.sum(func.abs(G.c.score - A.c.score)), func.sum(G.c.score), func.sum(A.c.score)]
    stmt = (
        select(week, *_categories(G.c.score), *_categories(A.c.score), *sums)
        .select_from(G.join(A, A.c.survey_id == G.c.survey_id))
        .where(_in_range(A.c.answered_at, bounds), G.c.score.is_not(None))
    )
    if teams is not None:
        stmt = stmt.where(A.c.team_key.in_(teams))
    if agent is not None:
        stmt = stmt.join(S, S.c.id == A.c.survey_id).where(S.c.agent_email == agent)
    found = {r[0]: [int(v or 0) for v in r[1:]] for r in await conn.execute(stmt.group_by(week))}
    empty = [0] * 9
    return [_gap(found.get(i, empty)) for i in range(len(bounds) - 1)]


def _gap(v: list[int]) -> GapTally:
    return GapTally(Tally(*v[0:3]), Tally(*v[3:6]), v[6], v[7], v[8])


async def sla_by_team(
    conn: AsyncConnection, since: datetime, until: datetime, teams: Sequence[str]
) -> dict[str, SlaTally]:
    """Per team, the answers of the period and the SLA their tickets reported (NULL: none)."""
    met = S.c.sla_met.is_(True)
    stmt = (
        select(
            A.c.team_key,
            func.count(),
            func.count(S.c.sla_met),
            func.sum(case((met, 1), else_=0)),
            func.sum(case((and_(met, A.c.score <= 6), 1), else_=0)),
        )
        .select_from(A.join(S, S.c.id == A.c.survey_id))
        .where(_in_range(A.c.answered_at, [since, until]), A.c.team_key.in_(teams))
        .group_by(A.c.team_key)
    )
    found = {r[0]: SlaTally(*(int(v or 0) for v in r[1:])) for r in await conn.execute(stmt)}
    return {team: found.get(team, SlaTally()) for team in teams}


async def lost_time(
    conn: AsyncConnection, since: datetime, until: datetime, team: str
) -> tuple[int, float]:
    """(answers saying how much time they lost, the hours those choices count for)."""
    hours = case(*((A.c.lost_time == key, literal(h)) for key, h in HOURS.items()), else_=0.0)
    stmt = select(func.count(A.c.lost_time), func.sum(hours)).where(
        _in_range(A.c.answered_at, [since, until]),
        A.c.team_key == team,
        A.c.lost_time.is_not(None),
    )
    row = (await conn.execute(stmt)).one()
    return int(row[0] or 0), float(row[1] or 0.0)
