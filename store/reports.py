"""Report figures, counted by the database: answers by week and category, deliveries, comments.

Week boundaries arrive as UTC instants computed by bot.scoring (SQLite has no time zones), and
each row is put in its week by a CASE over those instants, so one indexed range scan per figure
serves every week of a report. Answers and deliveries are summed from the roll-ups
(store.rollups) whenever they hold exactly these figures, so the cost stays that of a few
thousand rows whatever the history; the raw rows are counted otherwise (an agent's report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.callbacks_model import CallbackStatus
from bot.lost_time import HOURS
from bot.model import SurveyState
from bot.scoring import Tally
from bot.scoring.gap import GapTally, SlaTally
from store import rollup_reads
from store.db import insert as upsert_insert
from store.driver_sql import Params, fetch
from store.rollups import COLUMNS, DAY_COLUMNS, GAP, LOST, SLA
from store.tables import AnswerRow, CallbackRow, DigestRunRow, SurveyRow

Scope = Sequence[str] | None  # team keys; None: the whole organisation
GAP_AT = len(SLA) + len(LOST)  # where the gap's counts start in a week's extras


def _bucket(column: Any, bounds: Sequence[Any]) -> ColumnElement[int]:
    """Index i of the interval [bounds[i], bounds[i + 1]) the column is in (newest tested first)."""
    whens = [(column >= bounds[i], literal(i)) for i in range(len(bounds) - 2, 0, -1)]
    return case(*whens, else_=literal(0)) if whens else literal(0)


def _in_range(column: Any, bounds: Sequence[datetime]) -> ColumnElement[bool]:
    return and_(column >= bounds[0], column < bounds[-1])


def _category_sums() -> list[ColumnElement[int]]:
    score = col(AnswerRow.score)
    return [
        func.sum(case((score >= 9, 1), else_=0)),
        func.sum(case((and_(score >= 7, score <= 8), 1), else_=0)),
        func.sum(case((score <= 6, 1), else_=0)),
    ]


@dataclass(frozen=True, slots=True)
class Weeks:
    """A team's tallies per interval of the bounds and, when its days could say (`extras` is
    None otherwise), the SLA, lost-time and perception-gap counts of the same answers,
    rollups.DAY_COLUMNS' tail: the figures store.perception counts from the raw rows, without
    reading them."""

    tallies: list[Tally]
    extras: list[tuple[int, ...]] | None = None

    def sla(self, last: int) -> SlaTally | None:
        """Over the last `last` weeks, as store.perception.sla_by_team counts them."""
        if self.extras is None:
            return None
        answered = sum(t.answers for t in self.tallies[len(self.tallies) - last :])
        return SlaTally(answered, *self._sums(last, range(len(SLA))))

    def lost(self, last: int) -> tuple[int, float] | None:
        """Over the last `last` weeks, as store.perception.lost_time counts them."""
        if self.extras is None:
            return None
        picked = self._sums(last, range(len(SLA), len(SLA) + len(LOST)))
        return sum(picked), float(sum(n * HOURS[k] for n, k in zip(picked, LOST, strict=True)))

    def gap(self, last: int) -> GapTally | None:
        """Over the last `last` weeks, as store.perception.gap_tallies counts the raw rows."""
        if self.extras is None:
            return None
        return GapTally.of(self._sums(last, range(GAP_AT, GAP_AT + len(GAP))))

    def gaps(self) -> list[GapTally] | None:
        """Week by week, as store.perception.gap_tallies counts the raw rows."""
        if self.extras is None:
            return None
        return [GapTally.of(week[GAP_AT : GAP_AT + len(GAP)]) for week in self.extras]

    def _sums(self, last: int, columns: range) -> list[int]:
        weeks = (self.extras or [])[len(self.tallies) - last :]
        return [sum(week[i] for week in weeks) for i in columns]


async def team_weeks(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Sequence[str]
) -> Weeks:
    """weekly_tallies of teams, with the extras of their days."""
    kept = await rollup_reads.counts(conn, bounds, teams, by_team=False)
    if kept is None:
        return Weeks(await weekly_tallies(conn, bounds, teams))
    return kept_weeks(kept, None, len(bounds) - 1)


async def weekly_tallies(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Scope, *, agent: str | None = None
) -> list[Tally]:
    """One Tally per interval of `bounds`: answers by answered_at, deliveries by delivered_at."""
    if agent is None:
        kept = await rollup_reads.counts(conn, bounds, teams, by_team=False)
        if kept is not None:
            return _kept(kept, None, len(bounds) - 1)
    answers = await _answer_counts(conn, bounds, teams, agent, by_team=False)
    delivered = await _delivery_counts(conn, bounds, teams, agent, by_team=False)
    return _tallies(answers, delivered, None, len(bounds) - 1)


async def tallies_by_team(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Sequence[str]
) -> dict[str, list[Tally]]:
    """Like weekly_tallies for many teams that share week boundaries, in one or two queries."""
    return {team: weeks.tallies for team, weeks in (await by_team(conn, bounds, teams)).items()}


async def by_team(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Sequence[str]
) -> dict[str, Weeks]:
    """team_weeks of many teams that share week boundaries."""
    kept = await rollup_reads.counts(conn, bounds, teams, by_team=True)
    if kept is not None:
        return {team: kept_weeks(kept, team, len(bounds) - 1) for team in teams}
    answers = await _answer_counts(conn, bounds, teams, None, by_team=True)
    delivered = await _delivery_counts(conn, bounds, teams, None, by_team=True)
    return {team: Weeks(_tallies(answers, delivered, team, len(bounds) - 1)) for team in teams}


async def period_tallies(
    conn: AsyncConnection, wanted: Sequence[rollup_reads.Period]
) -> dict[str, Tally]:
    """Each team's tally over its own period: from the roll-ups in one statement, else by
    tallies_by_team for each period."""
    kept = await rollup_reads.periods(conn, wanted)
    if kept is not None:
        return {team: _kept(kept, team, 1)[0] for teams, _, _ in wanted for team in teams}
    found: dict[str, Tally] = {}
    for teams, since, until in wanted:
        by = await tallies_by_team(conn, [since, until], teams)
        found |= {team: tallies[0] for team, tallies in by.items()}
    return found


Key = tuple[str | None, int]  # (team key, or None when not grouped by team; week index)
NONE_KEPT = (0,) * len(DAY_COLUMNS)


def _kept(counts: rollup_reads.Counts, team: str | None, weeks: int) -> list[Tally]:
    return [Tally(*counts.get((team, i), NONE_KEPT)[: len(COLUMNS)]) for i in range(weeks)]


def kept_weeks(counts: rollup_reads.Counts, team: str | None, weeks: int) -> Weeks:
    """From a team's days: every column of DAY_COLUMNS per week."""
    found = [counts.get((team, i), NONE_KEPT) for i in range(weeks)]
    return Weeks([Tally(*c[: len(COLUMNS)]) for c in found], [c[len(COLUMNS) :] for c in found])


def _tallies(
    answers: dict[Key, tuple[int, int, int]],
    delivered: dict[Key, tuple[int, int]],
    team: str | None,
    weeks: int,
) -> list[Tally]:
    return [
        Tally(*answers.get((team, i), (0, 0, 0)), *delivered.get((team, i), (0, 0)))
        for i in range(weeks)
    ]


async def _answer_counts(
    conn: AsyncConnection,
    bounds: Sequence[datetime],
    teams: Scope,
    agent: str | None,
    *,
    by_team: bool,
) -> dict[Key, tuple[int, int, int]]:
    answered_at, team_key = col(AnswerRow.answered_at), col(AnswerRow.team_key)
    team = team_key if by_team else literal(None)
    week = _bucket(answered_at, bounds).label("week")
    stmt = select(team, week, *_category_sums()).where(_in_range(answered_at, bounds))
    if teams is not None:
        stmt = stmt.where(team_key.in_(teams))
    if agent is not None:
        stmt = stmt.join(SurveyRow, col(SurveyRow.id) == col(AnswerRow.survey_id))
        stmt = stmt.where(col(SurveyRow.agent_email) == agent)
    rows = await conn.execute(stmt.group_by(*([team_key] if by_team else []), week))
    return {(r[0], r[1]): (int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows}


async def _delivery_counts(
    conn: AsyncConnection,
    bounds: Sequence[datetime],
    teams: Scope,
    agent: str | None,
    *,
    by_team: bool,
) -> dict[Key, tuple[int, int]]:
    delivered_at, team_key = col(SurveyRow.delivered_at), col(SurveyRow.team_key)
    team = team_key if by_team else literal(None)
    week = _bucket(delivered_at, bounds).label("week")
    answer = col(AnswerRow.survey_id)
    stmt = (
        select(team, week, func.count(), func.count(answer))
        .select_from(SurveyRow)
        .outerjoin(AnswerRow, answer == col(SurveyRow.id))
        .where(_in_range(delivered_at, bounds))
    )
    if teams is not None:
        stmt = stmt.where(team_key.in_(teams))
    if agent is not None:
        stmt = stmt.where(col(SurveyRow.agent_email) == agent)
    rows = await conn.execute(stmt.group_by(*([team_key] if by_team else []), week))
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}


async def undeliverable(
    conn: AsyncConnection, since: datetime, until: datetime, teams: Scope
) -> int:
    """Surveys of the period that could not be delivered. In the driver's SQL, as each
    `/nps team` counts them: SQLAlchemy's work took three times as long as SQLite's counting."""
    p = Params(conn.dialect.name)
    sql = (
        f"SELECT count(*) FROM survey WHERE status = {p.one(SurveyState.FAILED.value)} "
        f"AND created_at >= {p.one(since)} AND created_at < {p.one(until)}"
    )
    if teams is not None:
        sql += f" AND {p.among('team_key', teams)}"
    return int((await fetch(conn, sql, p))[0][0])


async def open_callbacks(conn: AsyncConnection, team_key: str) -> int:
    stmt = select(func.count()).where(
        col(CallbackRow.team_key) == team_key,
        col(CallbackRow.status) != CallbackStatus.CLOSED.value,
    )
    return int((await conn.execute(stmt)).scalar_one())


async def start_digest(conn: AsyncConnection, team_key: str, week: date, now: datetime) -> bool:
    """True for exactly one caller per (team, week), whichever replica or restart it is."""
    values = {"team_key": team_key, "week_start": week, "created_at": now}
    stmt = upsert_insert(conn, DigestRunRow).values(**values).on_conflict_do_nothing()
    return (await conn.execute(stmt.returning(col(DigestRunRow.team_key)))).first() is not None
