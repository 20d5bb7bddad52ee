"""Report roll-ups kept current with the answers and deliveries they count.

Reports add up at most a few thousand of these rows whatever the history holds: the
organisation's per 15 minutes UTC (tally_slot) and each team's per local day in its time zone
(tally_day). Every write path adds its counts in its own transaction (`add`); a team's days are
rebuilt from the raw rows when nps.toml gives it another time zone (`reconcile`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel, col

from bot.lost_time import HOURS
from bot.scoring import local_midnight_utc
from store.db import Store, dialect_insert, insert
from store.tables import TallyDayRow, TallySlotRow, TallyZoneRow, table_of
from store.types import UTCDateTime

COLUMNS = ("promoters", "passives", "detractors", "delivered", "answered")
# A team's days also keep, of the same answers, the SLA their tickets reported and each
# lost-time choice (its hours are bot.lost_time's to say, so a change there needs no rebuild).
SLA = ("with_sla", "sla_met", "sla_met_detractors")
LOST = {key: f"lost_{key}" for key in HOURS}
DAY_COLUMNS = (*COLUMNS, *SLA, *LOST.values())
SLOT_LENGTH = timedelta(minutes=15)
Zones = Mapping[str, str]  # team key → IANA time zone, as nps.toml configures it


@dataclass(frozen=True, slots=True)
class Count:
    team_key: str | None
    at: datetime
    column: str  # one of DAY_COLUMNS; the organisation's slots keep COLUMNS only
    by: int = 1


def category(score: int) -> str:
    return "promoters" if score >= 9 else "passives" if score >= 7 else "detractors"


def answer_counts(
    team_key: str | None,
    score: int,
    answered_at: datetime,
    delivered_at: datetime | None,
    sla_met: bool | None = None,
    lost_time: str | None = None,
) -> list[Count]:
    """An answer counts in its week (with its ticket's SLA and its lost time, if any), and as
    an answered delivery in its survey's week."""
    found = [Count(team_key, answered_at, category(score))]
    if delivered_at is not None:
        found.append(Count(team_key, delivered_at, "answered"))
    if sla_met is not None:
        found.append(Count(team_key, answered_at, "with_sla"))
    if sla_met:
        found.append(Count(team_key, answered_at, "sla_met"))
        if score <= 6:
            found.append(Count(team_key, answered_at, "sla_met_detractors"))
    if lost_time in LOST:
        found.append(Count(team_key, answered_at, LOST[lost_time]))
    return found


def lost_time_counts(
    team_key: str | None, answered_at: datetime, before: str | None, after: str | None
) -> list[Count]:
    """A comment that changes the answer's lost-time choice moves it in its answer's week."""
    if before == after:
        return []
    found = [Count(team_key, answered_at, LOST[after])] if after in LOST else []
    if before in LOST:
        found.append(Count(team_key, answered_at, LOST[before], -1))
    return found


def delivery_counts(team_key: str | None, delivered_at: datetime, answered: bool) -> list[Count]:
    found = [Count(team_key, delivered_at, "delivered")]
    if answered:
        found.append(Count(team_key, delivered_at, "answered"))
    return found


def slot_of(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def day_of(at: datetime, zone: str) -> datetime:
    """The start (UTC) of the local day holding the instant `at`: the day d with
    local_midnight_utc(d) <= at < local_midnight_utc(d + 1), so bounds that are local
    midnights (bot.scoring.boundaries) never cut a day, even where midnight is skipped."""
    day = at.astimezone(ZoneInfo(zone)).date()
    start = local_midnight_utc(day, zone)
    if at < start:
        return local_midnight_utc(day - timedelta(days=1), zone)
    following = local_midnight_utc(day + timedelta(days=1), zone)
    return following if at >= following else start


async def add(conn: AsyncConnection, zones: Zones, counts: Iterable[Count]) -> None:
    """Adds the counts to their slots and, for teams nps.toml knows, to their days. In key
    order, so concurrent batches on PostgreSQL lock these shared rows without a cycle."""
    slots: dict[datetime, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    days: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0] * len(DAY_COLUMNS))
    for c in counts:
        i = DAY_COLUMNS.index(c.column)
        if i < len(COLUMNS):
            slots[slot_of(c.at)][i] += c.by
        zone = zones.get(c.team_key) if c.team_key is not None else None
        if c.team_key is not None and zone is not None:
            days[c.team_key, day_of(c.at, zone)][i] += c.by
    slot_rows = [{"slot_start": k, **dict(zip(COLUMNS, v, strict=True))} for k, v in slots.items()]
    await _upsert(conn, TallySlotRow, sorted(slot_rows, key=lambda r: r["slot_start"]))
    await _upsert(
        conn,
        TallyDayRow,
        [
            {"team_key": t, "day_start": d, **dict(zip(DAY_COLUMNS, v, strict=True))}
            for (t, d), v in sorted(days.items())
        ],
    )


async def _upsert(conn: AsyncConnection, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(_adding(conn.dialect.name, model, tuple(rows[0])), rows)


@cache
def _adding(dialect: str, model: type[SQLModel], columns: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT DO UPDATE adding the counts, built once per shape: every click
    batch runs it, and building it took 4 % of the server's time (bench.profile_clicks)."""
    stmt, table = dialect_insert(dialect, model), table_of(model)
    keys = [c.name for c in table.primary_key.columns]
    added = {c: table.c[c] + stmt.excluded[c] for c in columns if c not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=added)


def _slot_sql(conn: AsyncConnection, column: str) -> str:
    """The 15-minute slot of a timestamp column, in SQL (SQLite keeps UTC text)."""
    if conn.dialect.name == "postgresql":
        return f"date_bin('15 minutes', {column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')"
    return (
        f"substr({column}, 1, 14) || printf('%02d', CAST(substr({column}, 15, 2) AS INTEGER)"
        " / 15 * 15) || '\\:00.000000'"  # \\: a colon, not a bound parameter
    )


# Answers by answered_at (with their ticket's SLA and their lost-time choice), deliveries (and
# which of them have an answer) by delivered_at: DAY_COLUMNS, in order.
RAW = """SELECT slot, sum(p), sum(pa), sum(d), sum(dl), sum(an), sum(ws), sum(sm), sum(smd),
  {lost_sums} FROM (
  SELECT {answered} AS slot, CASE WHEN a.score >= 9 THEN 1 ELSE 0 END AS p,
    CASE WHEN a.score BETWEEN 7 AND 8 THEN 1 ELSE 0 END AS pa,
    CASE WHEN a.score <= 6 THEN 1 ELSE 0 END AS d, 0 AS dl, 0 AS an,
    CASE WHEN s.sla_met IS NULL THEN 0 ELSE 1 END AS ws,
    CASE WHEN s.sla_met THEN 1 ELSE 0 END AS sm,
    CASE WHEN s.sla_met AND a.score <= 6 THEN 1 ELSE 0 END AS smd, {lost_cases}
  FROM answer a LEFT JOIN survey s ON s.id = a.survey_id WHERE {answer_team}
  UNION ALL
  SELECT {delivered}, 0, 0, 0, 1, CASE WHEN a.survey_id IS NULL THEN 0 ELSE 1 END, 0, 0, 0,
    {lost_zeros}
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


async def _raw_slots(conn: AsyncConnection, team: str | None) -> list[tuple[datetime, list[int]]]:
    one = team is not None
    sql = RAW.format(
        answered=_slot_sql(conn, "a.answered_at"),
        delivered=_slot_sql(conn, "s.delivered_at"),
        answer_team="a.team_key = :team" if one else "1 = 1",
        survey_team="s.team_key = :team" if one else "1 = 1",
        **LOST_SQL,
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
    """The organisation's slots again from the raw rows (a bulk load that bypassed `add`)."""
    await conn.execute(delete(TallySlotRow))
    async with _unbounded(conn):
        rows = await _raw_slots(conn, None)
    await _insert(
        conn,
        TallySlotRow,
        [{"slot_start": s, **dict(zip(COLUMNS, v[: len(COLUMNS)], strict=True))} for s, v in rows],
    )


async def _insert(conn: AsyncConnection, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        await conn.execute(insert(conn, model), rows[start : start + 5000])


async def rebuild_team(conn: AsyncConnection, team: str, zone: str) -> bool:
    """The team's days in `zone` from its raw rows, summed from 15-minute slots; False (and no
    days) in a zone whose midnights are not on slot edges, whose reports then count raw rows."""
    await conn.execute(delete(TallyDayRow).where(col(TallyDayRow.team_key) == team))
    await conn.execute(delete(TallyZoneRow).where(col(TallyZoneRow.team_key) == team))
    days: dict[datetime, list[int]] = defaultdict(lambda: [0] * len(DAY_COLUMNS))
    async with _unbounded(conn):
        found = await _raw_slots(conn, team)
    for slot, counts in found:
        day = day_of(slot, zone)
        if day_of(slot + SLOT_LENGTH - timedelta(microseconds=1), zone) != day:
            return False
        days[day] = [a + b for a, b in zip(days[day], counts, strict=True)]
    await _insert(
        conn,
        TallyDayRow,
        [
            {"team_key": team, "day_start": d, **dict(zip(DAY_COLUMNS, v, strict=True))}
            for d, v in days.items()
        ],
    )
    await conn.execute(insert(conn, TallyZoneRow).values(team_key=team, zone=zone))
    return True


async def _lock(conn: AsyncConnection) -> None:
    """PostgreSQL: answers and deliveries committing meanwhile wait, then add to the rebuilt
    rows (SQLite's write transaction already excludes every other writer)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("LOCK TABLE tally_day, tally_slot IN SHARE ROW EXCLUSIVE MODE"))


async def reconcile(store: Store, zones: Zones) -> list[str]:
    """Makes every configured team's days match its zone; forgets teams nps.toml dropped (their
    days would miss what was answered meanwhile). Returns the teams rebuilt."""
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
    return rebuilt


async def refresh(conn: AsyncConnection) -> None:
    """Everything again from the raw rows, each team in the zone it has: after a bulk load."""
    await _lock(conn)
    await rebuild_slots(conn)
    for team, zone in (await _zones(conn)).items():
        await rebuild_team(conn, team, zone)


async def _zones(conn: AsyncConnection) -> dict[str, str]:
    """The teams whose days are complete, and the time zone of those days."""
    query = select(col(TallyZoneRow.team_key), col(TallyZoneRow.zone))
    return dict((await conn.execute(query)).all())
