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

from sqlalchemy.ext.asyncio import AsyncConnection

from store.driver_sql import Params, fetch
from store.rollups import COLUMNS, DAY_COLUMNS, day_of, slot_of, utc_day_of, week_of

Key = tuple[str | None, int]
# promoters, passives, detractors, delivered, answered; a team's days then the rest of DAY_COLUMNS
Counts = dict[Key, tuple[int, ...]]
# The team roll-ups: each table, its start column, and the instant it fits a bound to.
TEAM_TABLES = (("tally_week", "week_start", week_of), ("tally_day", "day_start", day_of))

# In the driver's SQL (store/driver_sql.py), as every report reads these: SQLAlchemy's work
# around a statement (its 50-team IN lists expanded anew each time) cost as long as the
# database's, 0.2 ms of the team ranking's 0.5 on SQLite and 0.4 of 0.9 on PostgreSQL.


def _sums(columns: Sequence[str]) -> str:
    return ", ".join(f"sum({c})" for c in columns)


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
    for table, at, fits in TEAM_TABLES:
        found = await fetch(conn, *_spans(conn, table, at, bounds, wanted, by_team))
        n, zone, other = found[0][:3]
        if n != len(wanted) or zone != other:
            return None  # some team's days are not complete, or not in one zone
        if all(fits(b, zone) == b for b in bounds):
            return {
                (r[3], r[4]): tuple(int(x or 0) for x in r[5:]) for r in found if r[4] is not None
            }
    return None


def _spans(
    conn: AsyncConnection,
    table: str,
    at: str,
    bounds: Sequence[datetime],
    teams: Sequence[str],
    by_team: bool,
) -> tuple[str, Params]:
    """One statement: the weeks (or days), and beside them what says whether they are
    complete (how many of the teams are, and their zones' least and greatest)."""
    p = Params(conn.dialect.name)
    marks = (
        f"SELECT count(*), min(zone), max(zone) FROM tally_zone WHERE {p.among('team_key', teams)}"
    )
    team = "team_key" if by_team else "NULL"
    week = p.bucket(at, bounds)
    spans = (
        f"SELECT {team} AS team, {week} AS week, {_sums(DAY_COLUMNS)} FROM {table} "
        f"WHERE {at} >= {p.one(bounds[0])} AND {at} < {p.one(bounds[-1])} "
        f"AND {p.among('team_key', teams)} GROUP BY {'1, 2' if by_team else '2'}"
    )
    return f"SELECT * FROM ({marks}) AS m LEFT OUTER JOIN ({spans}) AS s ON 1 = 1", p


async def _organisation(conn: AsyncConnection, bounds: Sequence[datetime]) -> Counts:
    """Each interval as three ranges: the slots before its first whole UTC day, its whole days,
    the slots after the last (all in slots when no whole day fits)."""
    p = Params(conn.dialect.name)
    ranges = []
    for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        first = utc_day_of(lo) if utc_day_of(lo) == lo else utc_day_of(lo) + timedelta(days=1)
        last = utc_day_of(hi)
        if first > last:
            first = last = hi
        for table, at, since, until in (
            ("tally_slot", "slot_start", lo, first),
            ("tally_org_day", "day_start", first, last),
            ("tally_slot", "slot_start", last, hi),
        ):
            ranges.append(
                f"SELECT {i}, {_sums(COLUMNS)} FROM {table} "
                f"WHERE {at} >= {p.one(since)} AND {at} < {p.one(until)}"
            )
    found: dict[Key, list[int]] = {}
    for week, *sums in await fetch(conn, " UNION ALL ".join(ranges), p):
        kept = found.setdefault((None, week), [0] * len(COLUMNS))
        found[None, week] = [k + int(x or 0) for k, x in zip(kept, sums, strict=True)]
    return {key: tuple(v) for key, v in found.items()}


Period = tuple[Sequence[str], datetime, datetime]  # teams, since, until


async def periods(conn: AsyncConnection, wanted: Sequence[Period]) -> Counts | None:
    """Per (team, 0): the five counts of the team's own period, every team's in one statement
    (the periods differ by time zone): their weeks when the periods are whole weeks, else their
    days; None when some team's days cannot say."""
    if not any(teams for teams, _, _ in wanted):
        return None
    for table, at, fits in TEAM_TABLES:
        rows = await fetch(conn, *_periods(conn, table, at, wanted))
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


def _periods(
    conn: AsyncConnection, table: str, at: str, wanted: Sequence[Period]
) -> tuple[str, Params]:
    """The teams' zones, then each group's sums: a range of the weeks' (or days') key per
    group."""
    p = Params(conn.dialect.name)
    everyone = sorted({t for teams, _, _ in wanted for t in teams})
    zeros = ", ".join("0" for _ in COLUMNS)
    parts = [
        f"SELECT team_key, zone, {zeros} FROM tally_zone WHERE {p.among('team_key', everyone)}"
    ]
    parts += [
        f"SELECT team_key, NULL, {_sums(COLUMNS)} FROM {table} "
        f"WHERE {p.among('team_key', teams)} AND {at} >= {p.one(since)} AND {at} < {p.one(until)} "
        "GROUP BY team_key"
        for teams, since, until in wanted
        if teams
    ]
    return " UNION ALL ".join(parts), p
