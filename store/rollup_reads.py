"""Report counts from the roll-ups (store.rollups), when they give exactly the raw rows' figures.

They do when every week boundary is a slot edge (the organisation) or a local midnight in the
zone the teams' days are kept in (a team). Otherwise, or for a team whose days are not complete,
these return None and store.reports counts the raw rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    null,
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


def _bucket(column: Any, bounds: Sequence[Any]) -> ColumnElement[int]:
    whens = [(column >= bounds[i], literal(i)) for i in range(len(bounds) - 2, 0, -1)]
    return case(*whens, else_=literal(0)) if whens else literal(0)


# The statements are built once per shape (how many bounds, teams or not), with the bounds and
# teams bound as parameters: building one anew took longer than running it on a report's rows.
def _bounds(weeks: int) -> list[BindParameter[Any]]:
    return [bindparam(f"b{i}") for i in range(weeks + 1)]


def _values(bounds: Sequence[datetime], teams: Sequence[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {f"b{i}": b for i, b in enumerate(bounds)}
    return found if teams is None else found | {"teams": list(teams)}


async def counts(
    conn: AsyncConnection,
    bounds: Sequence[datetime],
    teams: Sequence[str] | None,
    *,
    by_team: bool,
) -> Counts | None:
    """Per (team or None, week index): the five counts, or a team's days' DAY_COLUMNS; None
    when the roll-ups cannot say."""
    if teams is None:
        if any(slot_of(b) != b for b in bounds):
            return None
        rows = await conn.execute(_slots(len(bounds) - 1), _values(bounds))
        return {(r[0], r[1]): tuple(int(x or 0) for x in r[2:]) for r in rows}
    wanted = sorted(set(teams))
    if not wanted:
        return None
    found = list(await conn.execute(_days(len(bounds) - 1, by_team), _values(bounds, wanted)))
    n, zone, other = found[0][:3]
    if n != len(wanted) or zone != other or any(day_of(b, zone) != b for b in bounds):
        return None
    return {(r[3], r[4]): tuple(int(x or 0) for x in r[5:]) for r in found if r[4] is not None}


@cache
def _slots(weeks: int) -> Select[Any]:
    return _sum(TallySlotRow, col(TallySlotRow.slot_start), _bounds(weeks), by_team=False)


@cache
def _days(weeks: int, by_team: bool) -> Select[Any]:
    """One statement: the days, and beside them what says whether they are complete."""
    teams: BindParameter[Any] = bindparam("teams", expanding=True)
    marks = select(
        func.count().label("n"),
        func.min(col(TallyZoneRow.zone)).label("lo"),
        func.max(col(TallyZoneRow.zone)).label("hi"),
    ).where(col(TallyZoneRow.team_key).in_(teams))
    at = col(TallyDayRow.day_start)
    days = _sum(TallyDayRow, at, _bounds(weeks), by_team=by_team, teams=teams).subquery()
    m = marks.subquery()
    return select(m, days).select_from(m.outerjoin(days, true()))


Period = tuple[Sequence[str], datetime, datetime]  # teams, since, until


async def periods(conn: AsyncConnection, wanted: Sequence[Period]) -> Counts | None:
    """Per (team, 0): the five counts of the team's own period, every team's in one statement
    (the periods differ by time zone); None when some team's days cannot say."""
    if not any(teams for teams, _, _ in wanted):
        return None
    values: dict[str, Any] = {"teams": sorted({t for teams, _, _ in wanted for t in teams})}
    for i, (teams, since, until) in enumerate(wanted):
        values |= {f"t{i}": list(teams), f"s{i}": since, f"u{i}": until}
    rows = list(await conn.execute(_periods(len(wanted)), values))
    zones = {r[0]: r[1] for r in rows if r[1] is not None}
    for teams, since, until in wanted:
        for team in teams:
            zone = zones.get(team)
            if zone is None or day_of(since, zone) != since or day_of(until, zone) != until:
                return None
    return {(r[0], 0): tuple(int(x or 0) for x in r[2:]) for r in rows if r[1] is None}


@cache
def _periods(groups: int) -> CompoundSelect[Any]:
    """The teams' zones, then each group's sums: a range of tally_day's key per group."""
    table, day = table_of(TallyDayRow), col(TallyDayRow.day_start)
    sums = [func.sum(table.c[c]) for c in COLUMNS]
    zones = select(col(TallyZoneRow.team_key), col(TallyZoneRow.zone), *[literal(0)] * len(sums))
    each = [
        select(table.c.team_key, null(), *sums)
        .where(table.c.team_key.in_(bindparam(f"t{i}", expanding=True)))
        .where(day >= bindparam(f"s{i}"), day < bindparam(f"u{i}"))
        .group_by(table.c.team_key)
        for i in range(groups)
    ]
    teams: BindParameter[Any] = bindparam("teams", expanding=True)
    return union_all(zones.where(col(TallyZoneRow.team_key).in_(teams)), *each)


def _sum(
    model: type[TallySlotRow | TallyDayRow],
    at: Mapped[datetime],
    bounds: Sequence[Any],
    *,
    by_team: bool,
    teams: BindParameter[Any] | None = None,
) -> Select[Any]:
    table = table_of(model)  # the counts by name; a team's key on tally_day only
    team = (table.c.team_key if by_team else literal(None)).label("team")
    week = _bucket(at, bounds).label("week")
    counted = DAY_COLUMNS if model is TallyDayRow else COLUMNS
    sums = [func.sum(table.c[c]).label(c) for c in counted]
    stmt = select(team, week, *sums).where(and_(at >= bounds[0], at < bounds[-1]))
    if teams is not None:
        stmt = stmt.where(table.c.team_key.in_(teams))
    return stmt.group_by(*([table.c.team_key] if by_team else []), week)
