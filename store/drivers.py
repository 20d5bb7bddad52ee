"""The answers behind the key-driver analysis: each answer's score and the drivers it named."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.tables import AnswerRow

A = AnswerRow.__table__  # type: ignore[attr-defined]


async def driver_answers(
    conn: AsyncConnection, since: datetime, until: datetime, team: str | None
) -> list[tuple[int, tuple[str, ...]]]:
    """(score, driver keys as stored) of every answer in the period that names a driver."""
    stmt = select(A.c.score, A.c.drivers).where(
        A.c.answered_at >= since, A.c.answered_at < until, A.c.drivers.is_not(None)
    )
    if team is not None:
        stmt = stmt.where(A.c.team_key == team)
    found = []
    for score, raw in await conn.execute(stmt):
        named = tuple(str(d) for d in json.loads(raw)) if raw else ()
        if named:
            found.append((int(score), named))
    return found
