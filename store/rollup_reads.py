"""Report counts from the roll-ups (store.rollups), when they give exactly the raw rows' figures.

They do when every week boundary is a slot edge (the organisation) or a local midnight in the
zone the teams' days are kept in (a team). Otherwise, or for a team whose days are not complete,
these return None and store.reports counts the raw rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped
from sqlmodel import col

from store.rollups import COLUMNS, DAY_COLUMNS, day_of, slot_of
from store.tables import TallyDayRow, TallySlotRow, TallyZoneRow, table_of

Key = tuple[str | None, int]
# promoters, passives, detractors, delivered, answered; a team's days then the rest of DAY_COLUMNS
Counts = dict[Key, tuple[int, ...]]


def _bucket(column: Any, bounds: Sequence[datetime]) -> ColumnElement[int]:
    whens = [(column >= bounds[i], literal(i)) for i in range(len(bounds) - 2, 0, -1)]
    return case(*whens, else_=literal(0)) if whens else literal(0)


async def counts(
    conn: AsyncConnection,
    bounds: Sequence[datetime],
    teams: Sequence[str] | None,
    *,
    by_team: bool,
) -> Counts | None:
    """Per (team or None, week index): the five counts; None when the roll-ups cannot say."""
    if teams is None:
        if any(slot_of(b) != b for b in bounds):
            return None
        slots = _sum(TallySlotRow, col(TallySlotRow.slot_start), bounds, None, by_team=False)
        rows = await conn.execute(slots)
        return {(r[0], r[1]): tuple(int(x or 0) for x in r[2:]) for r in rows}
    wanted = sorted(set(teams))
    if not wanted:
        return None
    # One statement: the days, and beside them what says whether they are complete.
    marks = select(
        func.count().label("n"),
        func.min(col(TallyZoneRow.zone)).label("lo"),
        func.max(col(TallyZoneRow.zone)).label("hi"),
    ).where(col(TallyZoneRow.team_key).in_(wanted))
    at = col(TallyDayRow.day_start)
    days = _sum(TallyDayRow, at, bounds, wanted, by_team=by_team).subquery()
    m = marks.subquery()
    found = list(await conn.execute(select(m, days).select_from(m.outerjoin(days, true()))))
    n, zone, other = found[0][:3]
    if n != len(wanted) or zone != other or any(day_of(b, zone) != b for b in bounds):
        return None
    return {(r[3], r[4]): tuple(int(x or 0) for x in r[5:]) for r in found if r[4] is not None}


Period = tuple[Sequence[str], datetime, datetime]  # teams, since, until


async def periods(conn: AsyncConnection, wanted: Sequence[Period]) -> Counts | None:
    """Per (team, 0): the counts of the team's own period, every team's in one statement (the
    periods differ by time zone); None when some team's days cannot say."""
    keys = sorted({team for teams, _, _ in wanted for team in teams})
    if not keys:
        return None
    table, day = table_of(TallyDayRow), col(TallyDayRow.day_start)
    inside = [
        and_(table.c.team_key.in_(list(teams)), day >= since, day < until)
        for teams, since, until in wanted
    ]
    sums = [func.sum(table.c[c]) for c in DAY_COLUMNS]
    found: Any = await conn.execute(
        union_all(
            select(
                col(TallyZoneRow.team_key), col(TallyZoneRow.zone), *[literal(0) for _ in sums]
            ).where(col(TallyZoneRow.team_key).in_(keys)),
            select(table.c.team_key, null(), *sums).where(or_(*inside)).group_by(table.c.team_key),
        )
    )
    rows = list(found)
    zones = {r[0]: r[1] for r in rows if r[1] is not None}
    for teams, since, until in wanted:
        for team in teams:
            zone = zones.get(team)
            if zone is None or day_of(since, zone) != since or day_of(until, zone) != until:
                return None
    return {(r[0], 0): tuple(int(x or 0) for x in r[2:]) for r in rows if r[1] is None}


def _sum(
    model: type[TallySlotRow | TallyDayRow],
    at: Mapped[datetime],
    bounds: Sequence[datetime],
    teams: Sequence[str] | None,
    *,
    by_team: bool,
) -> Select[Any]:
    table = table_of(model)  # the counts by name; a team's key on tally_day only
    team = (table.c.team_key if by_team else literal(None)).label("team")
    week = _bucket(at, bounds).label("week")
    counted = DAY_COLUMNS if model is TallyDayRow else COLUMNS
    sums = [func.sum(table.c[c]).label(c) for c in counted]
    stmt = select(team, week, *sums).where(and_(at >= bounds[0], at < bounds[-1]))
    if teams is not None:
        stmt = stmt.where(table.c.team_key.in_(list(teams)))
    return stmt.group_by(*([table.c.team_key] if by_team else []), week)
