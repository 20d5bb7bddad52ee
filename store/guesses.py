"""The agent's guess of a requester's score: asked once per survey, recorded once, by that agent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bot.ports import MessageRef
from store.db import insert
from store.driver_sql import Params, fetch
from store.tables import AgentGuessRow, AnswerRow, table_of


@dataclass(frozen=True, slots=True)
class Guess:
    survey_id: str
    agent_id: str
    score: int | None
    message: MessageRef | None


async def ask(
    conn: AsyncConnection, survey_id: str, agent_id: str, team_key: str | None, now: datetime
) -> None:
    """Stored before the question is sent, so a quick click finds who may answer it."""
    values = {"survey_id": survey_id, "agent_id": agent_id, "team_key": team_key, "asked_at": now}
    await conn.execute(insert(conn, AgentGuessRow).values(**values).on_conflict_do_nothing())


def _of(survey_id: str) -> ColumnElement[bool]:
    return col(AgentGuessRow.survey_id) == survey_id


async def get(conn: AsyncConnection, survey_id: str) -> Guess | None:
    row = (await conn.execute(select(AgentGuessRow).where(_of(survey_id)))).first()
    if row is None:
        return None
    ref = MessageRef(row.message_channel, row.message_ts) if row.message_channel else None
    return Guess(row.survey_id, row.agent_id, row.score, ref)


async def sent(conn: AsyncConnection, survey_id: str, ref: MessageRef) -> None:
    values = {"message_channel": ref.channel, "message_ts": ref.ts}
    await conn.execute(update(AgentGuessRow).where(_of(survey_id)).values(**values))


async def scores_for_answers(conn: AsyncConnection, survey_ids: Sequence[str]) -> dict[str, int]:
    """The guessed scores of these surveys, whose answers this transaction is storing; on
    PostgreSQL their rows locked for share. A guess and an answer stored at once by two
    transactions then meet on the guess's row: a guess set first makes this wait and read it,
    one set after waits for the answer's commit and reads the answer (`answer_of`), so the
    pair is counted once in the roll-ups, by whichever comes last. In the driver's SQL: this
    runs on every batch of clicks."""
    if not survey_ids:
        return {}
    p = Params(conn.dialect.name)
    sql = f"SELECT survey_id, score FROM agent_guess WHERE {p.among('survey_id', survey_ids)}"
    found = await fetch(conn, sql + (" FOR SHARE" if p.postgresql else ""), p)
    return {survey_id: score for survey_id, score in found if score is not None}


@dataclass(frozen=True, slots=True)
class GuessedAnswer:
    team_key: str | None
    score: int
    answered_at: datetime


async def answer_of(conn: AsyncConnection, survey_id: str) -> GuessedAnswer | None:
    """The survey's answer, read after its guess was set (see scores_for_answers)."""
    answer = table_of(AnswerRow)
    stmt = select(answer.c.team_key, answer.c.score, answer.c.answered_at).where(
        answer.c.survey_id == survey_id
    )
    row = (await conn.execute(stmt)).first()
    return GuessedAnswer(row[0], row[1], row[2]) if row is not None else None


async def record(
    conn: AsyncConnection, survey_id: str, agent_id: str, score: int, now: datetime
) -> bool:
    """True for the one call that sets the guess: a compare-and-set, whatever the replicas."""
    stmt = (
        update(AgentGuessRow)
        .where(
            _of(survey_id),
            col(AgentGuessRow.agent_id) == agent_id,
            col(AgentGuessRow.score).is_(None),
        )
        .values(score=score, guessed_at=now)
        .returning(col(AgentGuessRow.survey_id))
    )
    return (await conn.execute(stmt)).scalar_one_or_none() is not None
