"""The floor for reports: ONE indexed hand-written SQL query over the raw answers, the fastest
simple way to get a report's counts on this machine; and the bench's nps.toml.

`python -m bench.reports_floor URL [TEAM]` runs the two queries once and prints their rows and
times, so anyone can rerun the comparison by hand.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import TextClause, bindparam, text

from bot.directory import TeamDirectory
from bot.scoring import boundaries
from store import Store, open_store
from store.types import UTCDateTime

WEEKS = 12
ZONE = "Europe/Paris"  # the bench directory's default time zone
CATEGORIES = """sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END),
  sum(CASE WHEN score BETWEEN 7 AND 8 THEN 1 ELSE 0 END),
  sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END)"""
WEEK = (
    "CASE "
    + " ".join(f"WHEN answered_at >= :b{i} THEN {i}" for i in range(WEEKS - 1, 0, -1))
    + " ELSE 0 END"
)
# Both built from the constants above only (S608).
# One team, 12 weekly counts: a range of ix_answer_team_week (team_key, answered_at, score).
ONE_TEAM = f"""SELECT {WEEK} AS week, {CATEGORIES}
FROM answer WHERE team_key = :team AND answered_at >= :b0 AND answered_at < :b{WEEKS}
GROUP BY 1"""  # noqa: S608
# Every team, 12 weekly counts: a range of ix_answer_answered_at.
EVERY_TEAM = f"""SELECT team_key, {WEEK} AS week, {CATEGORIES}
FROM answer WHERE answered_at >= :b0 AND answered_at < :b{WEEKS}
GROUP BY 1, 2"""  # noqa: S608


def _sql(sql: str) -> TextClause:
    """Timestamps bound through the store's UTCDateTime, so SQLite compares its own format."""
    stamps = [bindparam(f"b{i}", type_=UTCDateTime()) for i in range(WEEKS + 1)]
    return text(sql).bindparams(*stamps)


QUERIES = {"one team": _sql(ONE_TEAM), "every team": _sql(EVERY_TEAM)}


def params(now: datetime, team: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {f"b{i}": b for i, b in enumerate(boundaries(now, ZONE, WEEKS))}
    return found | ({"team": team} if team is not None else {})


async def floor(store: Store, now: datetime, team: str | None) -> tuple[list[Any], float]:
    """The query's rows and its time in ms (one statement on a pooled connection)."""
    query = QUERIES["one team" if team is not None else "every team"]
    async with store.read() as conn:
        began = time.perf_counter()
        found = list(await conn.execute(query, params(now, team)))
        return found, (time.perf_counter() - began) * 1000


def toml(directory: TeamDirectory) -> str:
    """The bench directory as nps.toml, for `npsbot serve`."""
    lines = [f'[defaults]\ntimezone = "{directory.default_timezone}"\n']
    if directory.benchmark is not None:
        b = directory.benchmark
        lines.append(f'[benchmark]\nname = "{b.name}"\nnps = {b.nps}\n')
    for t in directory.teams:
        aliases = ", ".join(f'"{a}"' for a in t.aliases)
        lines.append(
            f'[[team]]\nkey = "{t.key}"\nname = "{t.name}"\naliases = [{aliases}]\n'
            f'timezone = "{t.timezone}"\n'
        )
    return "\n".join(lines)


async def _main(url: str, team: str | None) -> None:
    store = open_store(url)
    try:
        for _ in range(3):
            found, ms = await floor(store, datetime.now(UTC), team)
        print(f"{len(found)} rows in {ms:.1f} ms")
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
