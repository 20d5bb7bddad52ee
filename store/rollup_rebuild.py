"""The roll-ups (store.rollups) counted again from the raw rows: the organisation's slots after
a bulk load, a team's days when nps.toml gives it another time zone (`reconcile`, at
start-up); and the coarser ones (the organisation's days, the teams' weeks) from those."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, and_, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel, col

from store import rollup_gaps
from store.db import Store, insert
from store.rollups import (
    COLUMNS,
    DAY_COLUMNS,
    GAP,
    LOST,
    SLOT_LENGTH,
    Zones,
    day_of,
    week_of_day,
)
from store.tables import (
    TallyDayRow,
    TallyOrgDayRow,
    TallySlotRow,
    TallyWeekRow,
    TallyZoneRow,
    table_of,
)
from store.types import UTCDateTime

TABLES = "tally_slot, tally_org_day, tally_day, tally_week"  # every roll-up that counts


def _slot_sql(conn: AsyncConnection, column: str) -> str:
    """The 15-minute slot of a timestamp column, in SQL (SQLite keeps UTC text)."""
    if conn.dialect.name == "postgresql":
        return f"date_bin('15 minutes', {column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')"
    return (
        f"substr({column}, 1, 14) || printf('%02d', CAST(substr({column}, 15, 2) AS INTEGER)"
        " / 15 * 15) || '\\:00.000000'"  # \\: a colon, not a bound parameter
    )


# Answers by answered_at (with their ticket's SLA, their lost-time choice and, when their agent
# guessed, the perception gap), deliveries (and which of them have an answer) by delivered_at:
# DAY_COLUMNS, in order.
RAW = """SELECT slot, sum(p), sum(pa), sum(d), sum(dl), sum(an), sum(ws), sum(sm), sum(smd),
  {lost_sums}, {gap_sums} FROM (
  SELECT {answered} AS slot, CASE WHEN a.score >= 9 THEN 1 ELSE 0 END AS p,
    CASE WHEN a.score BETWEEN 7 AND 8 THEN 1 ELSE 0 END AS pa,
    CASE WHEN a.score <= 6 THEN 1 ELSE 0 END AS d, 0 AS dl, 0 AS an,
    CASE WHEN s.sla_met IS NULL THEN 0 ELSE 1 END AS ws,
    CASE WHEN s.sla_met THEN 1 ELSE 0 END AS sm,
    CASE WHEN s.sla_met AND a.score <= 6 THEN 1 ELSE 0 END AS smd, {lost_cases}, {gap_cases}
  FROM answer a LEFT JOIN survey s ON s.id = a.survey_id
  LEFT JOIN agent_guess g ON g.survey_id = a.survey_id AND g.score IS NOT NULL
  WHERE {answer_team}
  UNION ALL
  SELECT {delivered}, 0, 0, 0, 1, CASE WHEN a.survey_id IS NULL THEN 0 ELSE 1 END, 0, 0, 0,
    {lost_zeros}, {gap_zeros}
  FROM survey s LEFT JOIN answer a ON a.survey_id = s.id
  WHERE s.delivered_at IS NOT NULL AND {survey_team}
) AS t GROUP BY slot"""
# The choices are bot.lost_time's keys, checked before they are stored: safe in the SQL text.
LOST_SQL = {
    "lost_sums": ", ".join(f"sum(l{i})" for i in range(len(LOST))),
    "lost_cases": ", ".join(
        f"CASE WHEN a.lost_time = '{key}' THEN 1 ELSE 0 END AS l{i}" for i, key in enumerate(LOST)
    ),
    "lost_zeros": ", ".join("0" for _ in LOST),
}
# rollups.GAP, in order; g.score is NULL where no guess was made (the CASEs then give 0).
GAP_CASES = [
    *(
        f"CASE WHEN {who}.score {test} AND g.score IS NOT NULL THEN 1 ELSE 0 END"
        for who in ("g", "a")
        for test in (">= 9", "BETWEEN 7 AND 8", "<= 6")
    ),
    "coalesce(abs(g.score - a.score), 0)",
    "coalesce(g.score, 0)",
    "CASE WHEN g.score IS NULL THEN 0 ELSE a.score END",
]
GAP_SQL = {
    "gap_sums": ", ".join(f"sum(g{i})" for i in range(len(GAP))),
    "gap_cases": ", ".join(f"{sql} AS g{i}" for i, sql in enumerate(GAP_CASES)),
    "gap_zeros": ", ".join("0" for _ in GAP),
}


async def _raw_slots(conn: AsyncConnection, team: str | None) -> list[tuple[datetime, list[int]]]:
    one = team is not None
    sql = RAW.format(
        answered=_slot_sql(conn, "a.answered_at"),
        delivered=_slot_sql(conn, "s.delivered_at"),
        answer_team="a.team_key = :team" if one else "1 = 1",
        survey_team="s.team_key = :team" if one else "1 = 1",
        **LOST_SQL,
        **GAP_SQL,
    )
    rows = await conn.execute(text(sql), {"team": team} if one else {})
    stamp = UTCDateTime()
    found = [
        (stamp.process_result_value(r[0], conn.dialect), [int(x) for x in r[1:]]) for r in rows
    ]
    # Never None: answered_at is NOT NULL, and deliveries count only where delivered_at is set.
    return [(slot, counts) for slot, counts in found if slot is not None]


@asynccontextmanager
async def _unbounded(conn: AsyncConnection) -> AsyncIterator[None]:
    """A rebuild reads a whole history in one statement, longer than the engine's 10-second
    client-side timeout on asyncpg (which stops hung requests): lifted here, then put back."""
    if conn.dialect.name != "postgresql":
        yield
        return
    driver: Any = (await conn.get_raw_connection()).driver_connection
    kept = driver._config
    driver._config = kept._replace(command_timeout=None)
    try:
        yield
    finally:
        driver._config = kept


async def rebuild_slots(conn: AsyncConnection) -> None:
    """The organisation's slots again from the raw rows (a bulk load that bypassed
    store.rollups.add)."""
    await conn.execute(delete(TallySlotRow))
    async with _unbounded(conn):
        found = await _raw_slots(conn, None)
    slots = [(slot, counts[: len(COLUMNS)]) for slot, counts in found]
    await _insert(conn, TallySlotRow, _rows(slots, "slot_start", COLUMNS))


async def derive_coarse(conn: AsyncConnection) -> None:
    """The organisation's days and the teams' weeks again from the slots and days they add up:
    at every start-up, as a replica of an earlier version, still running during a rolling
    upgrade, adds to the slots and days only. A few hundred thousand rows at most, whatever
    the history: two years of slots are 70,000."""
    await conn.execute(delete(TallyOrgDayRow))
    sums = ", ".join(f"sum({c})" for c in COLUMNS)
    await conn.execute(
        text(
            f"INSERT INTO tally_org_day (day_start, {', '.join(COLUMNS)}) "  # noqa: S608 - ours
            f"SELECT {_day_sql(conn, 'slot_start')} AS day, {sums} FROM tally_slot GROUP BY day"
        )
    )
    await _derive_weeks(conn)


# Each (time zone, local day) of tally_day and its week: the database adds the days up by it.
DAY_WEEK = Table(
    "npsbot_day_week",
    MetaData(),
    Column("zone", String(64), primary_key=True),
    Column("day_start", UTCDateTime(), primary_key=True),
    Column("week_start", UTCDateTime(), nullable=False),
    prefixes=["TEMPORARY"],
)


async def _derive_weeks(conn: AsyncConnection) -> None:
    """The weeks of the teams tally_zone marks complete, from their days. Python says which
    week each distinct day falls in (a few thousand: SQLite has no time zones), the database
    adds up the days: summed in Python, at a million answers, it took most of a second."""
    await conn.execute(delete(TallyWeekRow))
    day, zone = table_of(TallyDayRow), col(TallyZoneRow.zone)
    marked = day.join(table_of(TallyZoneRow), col(TallyZoneRow.team_key) == day.c.team_key)
    pairs = await conn.execute(select(zone, day.c.day_start).select_from(marked).distinct())
    mapping = [{"zone": z, "day_start": d, "week_start": week_of_day(d, z)} for z, d in pairs]
    if not mapping:
        return
    await conn.run_sync(lambda sync: DAY_WEEK.create(sync))
    try:
        await conn.execute(DAY_WEEK.insert(), mapping)
        at = and_(DAY_WEEK.c.zone == zone, DAY_WEEK.c.day_start == day.c.day_start)
        week = DAY_WEEK.c.week_start
        summed = (
            select(day.c.team_key, week, *[func.sum(day.c[c]) for c in DAY_COLUMNS])
            .select_from(marked.join(DAY_WEEK, at))
            .group_by(day.c.team_key, week)
        )
        columns = ["team_key", "week_start", *DAY_COLUMNS]
        await conn.execute(table_of(TallyWeekRow).insert().from_select(columns, summed))
    finally:
        await conn.run_sync(lambda sync: DAY_WEEK.drop(sync))


def _day_sql(conn: AsyncConnection, column: str) -> str:
    """The UTC day of a timestamp column, in SQL (SQLite keeps UTC text)."""
    if conn.dialect.name == "postgresql":
        return f"date_trunc('day', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    return f"substr({column}, 1, 10) || ' 00:00:00.000000'"


def _added(
    counts: Iterable[tuple[datetime, list[int]]], width: int = len(DAY_COLUMNS)
) -> dict[datetime, list[int]]:
    """The counts added up per instant (a day or a week start)."""
    found: dict[datetime, list[int]] = defaultdict(lambda: [0] * width)
    for at, values in counts:
        found[at] = [a + b for a, b in zip(found[at], values, strict=True)]
    return found


def _rows(
    counts: Iterable[tuple[datetime, list[int]]],
    key: str,
    columns: tuple[str, ...],
    **fixed: str,
) -> list[dict[str, Any]]:
    return [{**fixed, key: at, **dict(zip(columns, v, strict=True))} for at, v in counts]


async def _insert(conn: AsyncConnection, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        await conn.execute(insert(conn, model), rows[start : start + 5000])


async def rebuild_team(conn: AsyncConnection, team: str, zone: str) -> bool:
    """The team's days in `zone` from its raw rows, summed from 15-minute slots; False (and no
    days) in a zone whose midnights are not on slot edges, whose reports then count raw rows.
    Its weeks follow from its days (derive_coarse)."""
    await conn.execute(delete(TallyDayRow).where(col(TallyDayRow.team_key) == team))
    await conn.execute(delete(TallyZoneRow).where(col(TallyZoneRow.team_key) == team))
    async with _unbounded(conn):
        found = await _raw_slots(conn, team)
    if any(
        day_of(slot + SLOT_LENGTH - timedelta(microseconds=1), zone) != day_of(slot, zone)
        for slot, _ in found
    ):
        return False
    days = _added((day_of(slot, zone), counts) for slot, counts in found)
    await _insert(conn, TallyDayRow, _rows(days.items(), "day_start", DAY_COLUMNS, team_key=team))
    await conn.execute(insert(conn, TallyZoneRow).values(team_key=team, zone=zone))
    return True


async def _lock(conn: AsyncConnection) -> None:
    """PostgreSQL: answers and deliveries committing meanwhile wait, then add to the rebuilt
    rows (SQLite's write transaction already excludes every other writer)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text(f"LOCK TABLE {TABLES} IN SHARE ROW EXCLUSIVE MODE"))


async def _analyze(conn: AsyncConnection) -> None:
    """PostgreSQL: the rebuilt tables' statistics at once. Estimated from none, a report's few
    key ranges looked costly enough for a parallel plan, whose workers took 7 ms to start
    (bench.profile_reports) for under 1 ms of work; autovacuum may be off, or not there yet."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text(f"ANALYZE {TABLES}"))


async def reconcile(store: Store, zones: Zones) -> list[str]:
    """Makes every configured team's days match its zone; forgets teams nps.toml dropped (their
    days would miss what was answered meanwhile); counts the recent days' perception gap again
    (store.rollup_gaps); derives the weeks and the organisation's days. Returns the teams
    rebuilt."""
    async with store.write() as conn:
        await _lock(conn)
        marked = await _zones(conn)
        dropped = [t for t in marked if t not in zones]
        if dropped:
            await conn.execute(delete(TallyZoneRow).where(col(TallyZoneRow.team_key).in_(dropped)))
            await conn.execute(delete(TallyDayRow).where(col(TallyDayRow.team_key).in_(dropped)))
        rebuilt = [t for t, z in zones.items() if marked.get(t) != z]
        for team in rebuilt:
            await rebuild_team(conn, team, zones[team])
        await rollup_gaps.recount_recent(conn, await _zones(conn), datetime.now(UTC))
        await derive_coarse(conn)
        await _analyze(conn)
    return rebuilt


async def refresh(conn: AsyncConnection) -> None:
    """Everything again from the raw rows, each team in the zone it has: after a bulk load."""
    await _lock(conn)
    await rebuild_slots(conn)
    for team, zone in (await _zones(conn)).items():
        await rebuild_team(conn, team, zone)
    await derive_coarse(conn)
    await _analyze(conn)


async def _zones(conn: AsyncConnection) -> dict[str, str]:
    """The teams whose days and weeks are complete, and the time zone they are in."""
    query = select(col(TallyZoneRow.team_key), col(TallyZoneRow.zone))
    return dict((await conn.execute(query)).all())
