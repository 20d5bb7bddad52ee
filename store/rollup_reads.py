"""Report counts from the roll-ups (store.rollups), when they give exactly the raw rows' figures.

They do when every week boundary is a slot edge (the organisation) or a local midnight in the
zone the teams' days are kept in (a team). Otherwise, or for a team whose days are not complete,
these return None and store.reports counts the raw rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.rollups import COLUMNS, DAY, SLOT, ZONE, day_of, slot_of

Key = tuple[str | None, int]
Counts = dict[Key, tuple[int, ...]]  # promoters, passives, detractors, delivered, answered


def _bucket(column: Any, bounds: Sequence[datetime]) -> ColumnElement[int]:
    whens = [(column >= bounds[i], literal(i)) for i in range(len(bounds) - 2, 0, -1)]
    return case(*whens, else_=literal(0)) if whens else literal(0)


async def counts(
    conn: AsyncConnection, bounds: Sequence[datetime], teams: Sequence[str] | None,
    *, by_team: bool,
) -> Counts | None:  # fmt: skip
    """Per (team or None, week index): the five counts; None when the roll-ups cannot say."""
    if teams is None:
        if any(slot_of(b) != b for b in bounds):
            return None
        return await _sum(conn, SLOT, SLOT.c.slot_start, bounds, None, by_team=False)
    if not await _complete(conn, bounds, teams):
        return None
    return await _sum(conn, DAY, DAY.c.day_start, bounds, teams, by_team=by_team)


async def _complete(conn: AsyncConnection, bounds: Sequence[datetime], teams: Sequence[str]) -> bool:
    """Every team's days are kept, in one zone, and every bound starts one of its days."""
    wanted = set(teams)
    if not wanted:
        return False
    query = select(ZONE.c.team_key, ZONE.c.zone).where(ZONE.c.team_key.in_(wanted))
    rows = list(await conn.execute(query))
    zones = {r.zone for r in rows}
    if len(rows) != len(wanted) or len(zones) != 1:
        return False
    zone = zones.pop()
    return all(day_of(b, zone) == b for b in bounds)


async def _sum(
    conn: AsyncConnection, table: Any, at: Any, bounds: Sequence[datetime],
    teams: Sequence[str] | None, *, by_team: bool,
) -> Counts:  # fmt: skip
    team = table.c.team_key if by_team else literal(None)
    week = _bucket(at, bounds).label("week")
    sums = [func.sum(table.c[c]) for c in COLUMNS]
    stmt = select(team, week, *sums).where(and_(at >= bounds[0], at < bounds[-1]))
    if teams is not None:
        stmt = stmt.where(table.c.team_key.in_(list(teams)))
    rows = await conn.execute(stmt.group_by(*([table.c.team_key] if by_team else []), week))
    return {(r[0], r[1]): tuple(int(x or 0) for x in r[2:]) for r in rows}
