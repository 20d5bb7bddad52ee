"""The answers behind the key-driver analysis: each answer's score and the drivers it named."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.tables import AnswerRow


async def driver_answers(
    conn: AsyncConnection, since: datetime, until: datetime, team: str | None
) -> list[tuple[int, tuple[str, ...]]]:
    """(score, driver keys as stored) of every answer in the period that names a driver."""
    answered_at, drivers = col(AnswerRow.answered_at), col(AnswerRow.drivers)
    stmt = select(col(AnswerRow.score), drivers).where(
        answered_at >= since, answered_at < until, drivers.is_not(None)
    )
    if team is not None:
        stmt = stmt.where(col(AnswerRow.team_key) == team)
    found = []
    for score, raw in await conn.execute(stmt):
        named = tuple(str(d) for d in json.loads(raw)) if raw else ()
        if named:
            found.append((int(score), named))
    return found
