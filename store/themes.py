"""The comments behind comment themes: each one's score and when it was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.tables import AnswerRow

A = AnswerRow.__table__  # type: ignore[attr-defined]


async def theme_comments(
    conn: AsyncConnection, since: datetime, until: datetime, team: str | None
) -> list[tuple[int, str, datetime]]:
    """(score, comment, answered_at) of every answer in the period with a comment, oldest first
    (ties by survey), so that the same rows always reach the clustering in the same order."""
    stmt = (
        select(A.c.score, A.c.comment, A.c.answered_at)
        .where(
            A.c.answered_at >= since,
            A.c.answered_at < until,
            A.c.comment.is_not(None),
            A.c.comment != "",
        )
        .order_by(A.c.answered_at, A.c.survey_id)
    )
    if team is not None:
        stmt = stmt.where(A.c.team_key == team)
    return [(int(s), str(c), at) for s, c, at in await conn.execute(stmt)]
