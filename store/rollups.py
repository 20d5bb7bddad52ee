"""Report roll-ups kept current with the answers and deliveries they count.

Reports add up a few hundred of these rows whatever the history holds: the organisation's
per 15 minutes UTC (tally_slot) and per UTC day (tally_org_day), and each team's per local day
(tally_day) and local week (tally_week) in its time zone. Every write path adds its counts in
its own transaction (`add`); a team's days and weeks are rebuilt from the raw rows when nps.toml
gives it another time zone (store.rollup_rebuild).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.lost_time import HOURS
from bot.scoring import local_midnight_utc
from store.db import dialect_insert
from store.tables import TallyDayRow, TallyOrgDayRow, TallySlotRow, TallyWeekRow, table_of

COLUMNS = ("promoters", "passives", "detractors", "delivered", "answered")
# A team's days also keep, of the same answers, the SLA their tickets reported and each
# lost-time choice (its hours are bot.lost_time's to say, so a change there needs no rebuild).
SLA = ("with_sla", "sla_met", "sla_met_detractors")
LOST = {key: f"lost_{key}" for key in HOURS}
# And the perception gap of those of its answers whose agent guessed the score: the guesses and
# the answers by category, then the sums of |guess - score|, of the guesses, of the scores
# (bot.scoring.gap.GapTally, in order).
GAP = (
    "guess_promoters",
    "guess_passives",
    "guess_detractors",
    "paired_promoters",
    "paired_passives",
    "paired_detractors",
    "gap_abs_sum",
    "guess_sum",
    "paired_score_sum",
)
DAY_COLUMNS = (*COLUMNS, *SLA, *LOST.values(), *GAP)
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


def gap_counts(team_key: str | None, answered_at: datetime, guess: int, score: int) -> list[Count]:
    """A ticket with both a guess and an answer counts in its answer's week, whichever of the
    two came last."""
    return [
        Count(team_key, answered_at, f"guess_{category(guess)}"),
        Count(team_key, answered_at, f"paired_{category(score)}"),
        Count(team_key, answered_at, "gap_abs_sum", abs(guess - score)),
        Count(team_key, answered_at, "guess_sum", guess),
        Count(team_key, answered_at, "paired_score_sum", score),
    ]


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


def utc_day_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@lru_cache(maxsize=4096)
def week_of_day(day: datetime, zone: str) -> datetime:
    """The start (UTC) of the local week, from Monday, holding the local day that starts at
    `day` (a day_of): the instant bot.scoring.boundaries gives that Monday."""
    local = day.astimezone(ZoneInfo(zone)).date()
    return local_midnight_utc(local - timedelta(days=local.weekday()), zone)


def week_of(at: datetime, zone: str) -> datetime:
    return week_of_day(day_of(at, zone), zone)


def _sums(width: int) -> defaultdict[Any, list[int]]:
    return defaultdict(lambda: [0] * width)


@dataclass
class _Added:
    """The counts of one transaction, per row of each roll-up."""

    slots: defaultdict[Any, list[int]] = field(default_factory=lambda: _sums(len(COLUMNS)))
    org_days: defaultdict[Any, list[int]] = field(default_factory=lambda: _sums(len(COLUMNS)))
    days: defaultdict[Any, list[int]] = field(default_factory=lambda: _sums(len(DAY_COLUMNS)))
    weeks: defaultdict[Any, list[int]] = field(default_factory=lambda: _sums(len(DAY_COLUMNS)))

    def count(self, c: Count, zones: Zones) -> None:
        i = DAY_COLUMNS.index(c.column)
        if i < len(COLUMNS):
            self.slots[slot_of(c.at)][i] += c.by
            self.org_days[utc_day_of(c.at)][i] += c.by
        zone = zones.get(c.team_key) if c.team_key is not None else None
        if c.team_key is not None and zone is not None:
            day = day_of(c.at, zone)
            self.days[c.team_key, day][i] += c.by
            self.weeks[c.team_key, week_of_day(day, zone)][i] += c.by


async def add(conn: AsyncConnection, zones: Zones, counts: Iterable[Count]) -> None:
    """Adds the counts to the organisation's slots and days and, for teams nps.toml knows, to
    their days and weeks. Tables in one order and rows in key order, so concurrent batches on
    PostgreSQL lock these shared rows without a cycle."""
    added = _Added()
    for c in counts:
        added.count(c, zones)
    await _upsert(conn, TallySlotRow, _rows(added.slots, ("slot_start",), COLUMNS))
    await _upsert(conn, TallyOrgDayRow, _rows(added.org_days, ("day_start",), COLUMNS))
    await _upsert(conn, TallyDayRow, _rows(added.days, ("team_key", "day_start"), DAY_COLUMNS))
    await _upsert(conn, TallyWeekRow, _rows(added.weeks, ("team_key", "week_start"), DAY_COLUMNS))


def _rows(
    sums: Mapping[Any, list[int]], keys: tuple[str, ...], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One row per key, in key order, with its counts by column name."""
    return [
        {
            **dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)),
            **dict(zip(columns, counts, strict=True)),
        }
        for key, counts in sorted(sums.items())
    ]


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
