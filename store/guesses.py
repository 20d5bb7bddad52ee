"""The agent's guess of a requester's score: asked once per survey, recorded once, by that agent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.ports import MessageRef
from store.db import insert
from store.tables import AgentGuessRow

G = AgentGuessRow.__table__  # type: ignore[attr-defined]


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
    await conn.execute(insert(conn, G).values(**values).on_conflict_do_nothing())


async def get(conn: AsyncConnection, survey_id: str) -> Guess | None:
    row = (await conn.execute(select(G).where(G.c.survey_id == survey_id))).first()
    if row is None:
        return None
    ref = MessageRef(row.message_channel, row.message_ts) if row.message_channel else None
    return Guess(row.survey_id, row.agent_id, row.score, ref)


async def sent(conn: AsyncConnection, survey_id: str, ref: MessageRef) -> None:
    values = {"message_channel": ref.channel, "message_ts": ref.ts}
    await conn.execute(update(G).where(G.c.survey_id == survey_id).values(**values))


async def record(
    conn: AsyncConnection, survey_id: str, agent_id: str, score: int, now: datetime
) -> bool:
    """True for the one call that sets the guess: a compare-and-set, whatever the replicas."""
    stmt = (
        update(G)
        .where(G.c.survey_id == survey_id, G.c.agent_id == agent_id, G.c.score.is_(None))
        .values(score=score, guessed_at=now)
        .returning(G.c.survey_id)
    )
    return (await conn.execute(stmt)).scalar_one_or_none() is not None
