"""Report counts from the roll-ups (store.rollups), when they give exactly the raw rows' figures.

They do when every week boundary is a slot edge (the organisation) or a local midnight in the
zone the teams' days are kept in (a team). Otherwise, or for a team whose days are not complete,
these return None and store.reports counts the raw rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped
from sqlmodel import col

from store.rollups import COLUMNS, day_of, slot_of
from store.tables import TallyDayRow, TallySlotRow, TallyZoneRow, table_of

Key = tuple[str | None, int]
Counts = dict[Key, tuple[int, ...]]  # promoters, passives, detractors, delivered, answered


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
    sums = [func.sum(table.c[c]).label(c) for c in COLUMNS]
    stmt = select(team, week, *sums).where(and_(at >= bounds[0], at < bounds[-1]))
    if teams is not None:
        stmt = stmt.where(table.c.team_key.in_(list(teams)))
    return stmt.group_by(*([table.c.team_key] if by_team else []), week)
