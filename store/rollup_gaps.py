"""The perception gap of the teams' recent days counted again from the guesses and answers: at
every start-up (store.rollup_rebuild.reconcile), as a replica of a version before migration
0011, still running during a rolling upgrade, stores answers and guesses without counting their
gap. The weeks follow from the days (rollup_rebuild.derive_coarse).

Only the days holding a pair completed (answered or guessed) within RECENT: a rolling upgrade
overlaps old and new replicas for minutes, and counting every pair again took 2 s at a million
answers a third of them guessed, with every writer waiting; the last two days' take 0.06 to
0.17 s there (bench data with a guess on every third answer, both stores)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from store.driver_sql import Params, fetch, read_datetime
from store.perception import raw_gap_tallies
from store.rollups import GAP, Zones, day_of

RECENT = timedelta(days=2)
# A local day lasts 23 to 25 hours: an instant this long after its start is in the next one.
INTO_NEXT_DAY = timedelta(hours=25)


async def recount_recent(conn: AsyncConnection, zones: Zones, now: datetime) -> int:
    """The gap of each day of a team in `zones` (those whose days are complete) that holds a
    pair completed since now - RECENT, from all its pairs; returns how many days."""
    days: defaultdict[str, set[datetime]] = defaultdict(set)
    for team, at in await _recent_pairs(conn, now - RECENT):
        if team in zones:
            days[team].add(day_of(at, zones[team]))
    for team, starts in sorted(days.items()):
        # One statement a team: its days' bounds, with any gap between them as an interval.
        ends = {day_of(day + INTO_NEXT_DAY, zones[team]) for day in starts}
        bounds = sorted(starts | ends)
        tallies = await raw_gap_tallies(conn, bounds, [team])
        for day, tally in zip(bounds, tallies, strict=False):
            if day in starts:
                await _set_day(conn, team, day, tally.counts())
    return sum(len(starts) for starts in days.values())


async def _recent_pairs(conn: AsyncConnection, since: datetime) -> list[tuple[str, datetime]]:
    """(team, answered_at) of the pairs answered, or guessed, since `since`: each by its index."""
    p = Params(conn.dialect.name)
    both = "agent_guess g JOIN answer a ON a.survey_id = g.survey_id"
    kept = "g.score IS NOT NULL AND a.team_key IS NOT NULL"
    sql = (
        f"SELECT a.team_key, a.answered_at FROM {both} WHERE a.answered_at >= {p.one(since)} "
        f"AND {kept} UNION SELECT a.team_key, a.answered_at FROM {both} "
        f"WHERE g.guessed_at >= {p.one(since)} AND {kept}"
    )
    return [(team, read_datetime(at)) for team, at in await fetch(conn, sql, p)]


async def _set_day(conn: AsyncConnection, team: str, day: datetime, counts: list[int]) -> None:
    p = Params(conn.dialect.name)
    values = ", ".join(f"{c} = {p.one(v)}" for c, v in zip(GAP, counts, strict=True))
    where = f"team_key = {p.one(team)} AND day_start = {p.one(day)}"
    await conn.exec_driver_sql(f"UPDATE tally_day SET {values} WHERE {where}", tuple(p.values))
