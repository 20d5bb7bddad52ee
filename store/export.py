"""`npsbot export`'s rows: every answer with its survey, streamed oldest first."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from store.tables import AgentGuessRow, AnswerRow, SurveyRow


@dataclass(frozen=True, slots=True)
class ExportRow:
    survey_id: str
    source: str
    ticket_id: str
    title: str
    url: str | None
    team_key: str | None
    team_name: str | None
    agent_name: str | None
    agent_email: str | None
    closed_at: datetime
    score: int
    comment: str | None
    drivers: tuple[str, ...]
    answered_at: datetime
    agent_guess: int | None = None
    sla_met: bool | None = None
    lost_time: str | None = None


_EXPORTED: tuple[Any, ...] = (  # the columns of an export row, in its order
    col(SurveyRow.id),
    col(SurveyRow.source),
    col(SurveyRow.ticket_id),
    col(SurveyRow.title),
    col(SurveyRow.url),
    col(SurveyRow.team_key),
    col(SurveyRow.team_name),
    col(SurveyRow.agent_name),
    col(SurveyRow.agent_email),
    col(SurveyRow.closed_at),
    col(AnswerRow.score),
    col(AnswerRow.comment),
    col(AnswerRow.drivers),
    col(AnswerRow.answered_at),
    col(AgentGuessRow.score).label("agent_guess"),
    col(SurveyRow.sla_met),
    col(AnswerRow.lost_time),
)


async def export_rows(
    conn: AsyncConnection, since: datetime, team: str | None, batch: int = 1000
) -> AsyncIterator[ExportRow]:
    """Every answer since `since`, oldest first, streamed so a big export stays small in memory."""
    stmt = (
        select(*_EXPORTED)
        .select_from(AnswerRow)
        .join(SurveyRow, col(SurveyRow.id) == col(AnswerRow.survey_id))
        .outerjoin(AgentGuessRow, col(AgentGuessRow.survey_id) == col(AnswerRow.survey_id))
        .where(col(AnswerRow.answered_at) >= since)
        .order_by(col(AnswerRow.answered_at), col(SurveyRow.id))
        .execution_options(yield_per=batch)
    )
    if team is not None:
        stmt = stmt.where(col(AnswerRow.team_key) == team)
    result = await conn.stream(stmt)
    async for m in result.mappings():
        yield _export_row(m)


def _export_row(m: RowMapping) -> ExportRow:
    return ExportRow(
        survey_id=m["id"],
        source=m["source"],
        ticket_id=m["ticket_id"],
        title=m["title"],
        url=m["url"],
        team_key=m["team_key"],
        team_name=m["team_name"],
        agent_name=m["agent_name"],
        agent_email=m["agent_email"],
        closed_at=m["closed_at"],
        score=m["score"],
        comment=m["comment"],
        answered_at=m["answered_at"],
        drivers=tuple(json.loads(m["drivers"])) if m["drivers"] else (),
        agent_guess=m["agent_guess"],
        sla_met=m["sla_met"],
        lost_time=m["lost_time"],
    )
