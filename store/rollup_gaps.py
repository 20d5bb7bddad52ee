"""The perception gap in the teams' days counted again from the guesses and answers: at every
start-up (store.rollup_rebuild.reconcile), as a replica of a version before migration 0011,
still running during a rolling upgrade, stores answers and guesses without counting their gap.
The weeks follow from the days (rollup_rebuild.derive_coarse)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from store.rollups import GAP


def _categories(score: str) -> list[str]:
    return [
        f"sum(CASE WHEN {score} >= 9 THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {score} BETWEEN 7 AND 8 THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {score} <= 6 THEN 1 ELSE 0 END)",
    ]


# GAP, in order, of the pairs grouped by the day that holds their answer.
SUMS = [
    *_categories("g.score"),
    *_categories("a.score"),
    "sum(abs(g.score - a.score))",
    "sum(g.score)",
    "sum(a.score)",
]
# The latest day of the answer's team starting at or before it: the answer's own day, which
# counts the answer itself, so it is there for every team whose days are complete.
HOLDING_DAY = (
    "SELECT max(d.day_start) FROM tally_day d"
    " WHERE d.team_key = a.team_key AND d.day_start <= a.answered_at"
)
PAIRS = (
    "CREATE TEMPORARY TABLE npsbot_gap_days AS SELECT a.team_key AS team_key, "  # noqa: S608 - ours
    f"({HOLDING_DAY}) AS day_start, "
    + ", ".join(f"{sql} AS c{i}" for i, sql in enumerate(SUMS))
    + " FROM agent_guess g JOIN answer a ON a.survey_id = g.survey_id"
    " WHERE g.score IS NOT NULL AND a.team_key IS NOT NULL GROUP BY 1, 2"
)
MATCHING = "f.team_key = tally_day.team_key AND f.day_start = tally_day.day_start"
ZEROED = (
    f"UPDATE tally_day SET {', '.join(f'{c} = 0' for c in GAP)} "  # noqa: S608 - ours
    f"WHERE {' OR '.join(f'{c} <> 0' for c in GAP)}"
)
FILLED = (
    f"UPDATE tally_day SET ({', '.join(GAP)}) = "  # noqa: S608 - ours
    f"(SELECT {', '.join(f'f.c{i}' for i in range(len(GAP)))} "
    f"FROM npsbot_gap_days f WHERE {MATCHING}) "
    f"WHERE EXISTS (SELECT 1 FROM npsbot_gap_days f WHERE {MATCHING})"
)


async def recount(conn: AsyncConnection) -> None:
    """Every day's gap from the pairs stored, in the caller's transaction (reconcile's, with
    the roll-ups locked). Its cost follows the guesses: a join from each to its answer."""
    await conn.execute(text(ZEROED))
    await conn.execute(text(PAIRS))
    try:
        await conn.execute(text(FILLED))
    finally:
        await conn.execute(text("DROP TABLE npsbot_gap_days"))
