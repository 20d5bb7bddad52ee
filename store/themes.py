"""The comments behind comment themes: each one's score and when it was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.tables import AnswerRow


async def theme_comments(
    conn: AsyncConnection, since: datetime, until: datetime, team: str | None
) -> list[tuple[int, str, datetime]]:
    """(score, comment, answered_at) of every answer in the period with a comment, oldest first
    (ties by survey), so that the same rows always reach the clustering in the same order."""
    answered_at, comment = col(AnswerRow.answered_at), col(AnswerRow.comment)
    stmt = (
        select(col(AnswerRow.score), comment, answered_at)
        .where(answered_at >= since, answered_at < until, comment.is_not(None), comment != "")
        .order_by(answered_at, col(AnswerRow.survey_id))
    )
    if team is not None:
        stmt = stmt.where(col(AnswerRow.team_key) == team)
    return [(int(s), str(c), at) for s, c, at in await conn.execute(stmt)]
