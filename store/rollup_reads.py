"""Report counts from the roll-ups (store.rollups), when they give exactly the raw rows' figures.

They do when every week boundary is a slot edge (the organisation: whole UTC days from
tally_org_day, the days a bound cuts from their slots) or a local midnight in the zone the
teams' days are kept in (a team: its weeks when every bound starts a week, else its days).
Otherwise, or for a team whose days are not complete, these return None and store.reports
counts the raw rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
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
from sqlmodel import col

from store.rollups import COLUMNS, DAY_COLUMNS, day_of, slot_of, utc_day_of, week_of
from store.tables import (
    TallyDayRow,
    TallyOrgDayRow,
    TallySlotRow,
    TallyWeekRow,
    TallyZoneRow,
    table_of,
)

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
    """Per (team or None, week index): the five counts, or a team's DAY_COLUMNS; None when
    the roll-ups cannot say."""
    if teams is None:
        if any(slot_of(b) != b for b in bounds):
            return None
        return await _organisation(conn, bounds)
    wanted = sorted(set(teams))
    if not wanted:
        return None
    for model, fits in ((TallyWeekRow, week_of), (TallyDayRow, day_of)):
        statement = _spans(model, len(bounds) - 1, by_team)
        found = list(await conn.execute(statement, _values(bounds, wanted)))
        n, zone, other = found[0][:3]
        if n != len(wanted) or zone != other:
            return None  # some team's days are not complete, or not in one zone
        if all(fits(b, zone) == b for b in bounds):
            return {
                (r[3], r[4]): tuple(int(x or 0) for x in r[5:]) for r in found if r[4] is not None
            }
    return None


async def _organisation(conn: AsyncConnection, bounds: Sequence[datetime]) -> Counts:
    """Each interval as three ranges: the slots before its first whole UTC day, its whole days,
    the slots after the last (all in slots when no whole day fits)."""
    values: dict[str, Any] = {}
    for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        first = utc_day_of(lo) if utc_day_of(lo) == lo else utc_day_of(lo) + timedelta(days=1)
        last = utc_day_of(hi)
        if first > last:
            first = last = hi
        values |= {f"a{i}": lo, f"b{i}": first, f"c{i}": last, f"d{i}": hi}
    found: dict[Key, list[int]] = {}
    for week, *sums in await conn.execute(_org_ranges(len(bounds) - 1), values):
        kept = found.setdefault((None, week), [0] * len(COLUMNS))
        found[None, week] = [k + int(x or 0) for k, x in zip(kept, sums, strict=True)]
    return {key: tuple(v) for key, v in found.items()}


@cache
def _org_ranges(weeks: int) -> CompoundSelect[Any]:
    slot, day = table_of(TallySlotRow), table_of(TallyOrgDayRow)
    ranges = []
    for i in range(weeks):
        for table, lo, hi in ((slot, "a", "b"), (day, "b", "c"), (slot, "c", "d")):
            at = table.c.slot_start if table is slot else table.c.day_start
            ranges.append(
                select(literal(i), *[func.sum(table.c[c]) for c in COLUMNS]).where(
                    at >= bindparam(f"{lo}{i}"), at < bindparam(f"{hi}{i}")
                )
            )
    return union_all(*ranges)


@cache
def _spans(model: type[TallyWeekRow | TallyDayRow], weeks: int, by_team: bool) -> Select[Any]:
    """One statement: the weeks (or days), and beside them what says whether they are
    complete."""
    teams: BindParameter[Any] = bindparam("teams", expanding=True)
    marks = select(
        func.count().label("n"),
        func.min(col(TallyZoneRow.zone)).label("lo"),
        func.max(col(TallyZoneRow.zone)).label("hi"),
    ).where(col(TallyZoneRow.team_key).in_(teams))
    spans = _sum(model, _bounds(weeks), by_team=by_team, teams=teams).subquery()
    m = marks.subquery()
    return select(m, spans).select_from(m.outerjoin(spans, true()))


Period = tuple[Sequence[str], datetime, datetime]  # teams, since, until


async def periods(conn: AsyncConnection, wanted: Sequence[Period]) -> Counts | None:
    """Per (team, 0): the five counts of the team's own period, every team's in one statement
    (the periods differ by time zone): their weeks when the periods are whole weeks, else their
    days; None when some team's days cannot say."""
    if not any(teams for teams, _, _ in wanted):
        return None
    values: dict[str, Any] = {"teams": sorted({t for teams, _, _ in wanted for t in teams})}
    for i, (teams, since, until) in enumerate(wanted):
        values |= {f"t{i}": list(teams), f"s{i}": since, f"u{i}": until}
    for model, fits in ((TallyWeekRow, week_of), (TallyDayRow, day_of)):
        rows = list(await conn.execute(_periods(model, len(wanted)), values))
        zones = {r[0]: r[1] for r in rows if r[1] is not None}
        if any(team not in zones for teams, _, _ in wanted for team in teams):
            return None
        spans = {(zones[team], since, until) for teams, since, until in wanted for team in teams}
        if all(
            fits(since, zone) == since and fits(until, zone) == until
            for zone, since, until in spans
        ):
            return {(r[0], 0): tuple(int(x or 0) for x in r[2:]) for r in rows if r[1] is None}
    return None


@cache
def _periods(model: type[TallyWeekRow | TallyDayRow], groups: int) -> CompoundSelect[Any]:
    """The teams' zones, then each group's sums: a range of the weeks' (or days') key per
    group."""
    table, at = table_of(model), _start(model)
    sums = [func.sum(table.c[c]) for c in COLUMNS]
    zones = select(col(TallyZoneRow.team_key), col(TallyZoneRow.zone), *[literal(0)] * len(sums))
    each = [
        select(table.c.team_key, null(), *sums)
        .where(table.c.team_key.in_(bindparam(f"t{i}", expanding=True)))
        .where(at >= bindparam(f"s{i}"), at < bindparam(f"u{i}"))
        .group_by(table.c.team_key)
        for i in range(groups)
    ]
    teams: BindParameter[Any] = bindparam("teams", expanding=True)
    return union_all(zones.where(col(TallyZoneRow.team_key).in_(teams)), *each)


def _start(model: type[TallyWeekRow | TallyDayRow]) -> Any:
    table = table_of(model)
    return table.c.week_start if model is TallyWeekRow else table.c.day_start


def _sum(
    model: type[TallyWeekRow | TallyDayRow],
    bounds: Sequence[Any],
    *,
    by_team: bool,
    teams: BindParameter[Any],
) -> Select[Any]:
    table, at = table_of(model), _start(model)
    team = (table.c.team_key if by_team else literal(None)).label("team")
    week = _bucket(at, bounds).label("week")
    sums = [func.sum(table.c[c]).label(c) for c in DAY_COLUMNS]
    stmt = select(team, week, *sums).where(and_(at >= bounds[0], at < bounds[-1]))
    stmt = stmt.where(table.c.team_key.in_(teams))
    return stmt.group_by(*([table.c.team_key] if by_team else []), week)
