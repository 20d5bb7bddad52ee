"""Puts agents' guesses beside seeded answers, for report tests of the perception gap."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from store import Store, rollup_rebuild
from store.tables import AgentGuessRow, AnswerRow, SurveyRow


async def seed_guesses(
    store: Store, survey_ids: list[str], scores: list[int], at: datetime, agent: str = "U0CAROL"
) -> None:
    rows = [
        {
            "survey_id": s,
            "agent_id": agent,
            "team_key": None,
            "asked_at": at,
            "score": g,
            "guessed_at": at,
        }
        for s, g in zip(survey_ids, scores, strict=True)
    ]
    async with store.write() as conn:
        await conn.execute(AgentGuessRow.__table__.insert(), rows)  # type: ignore[attr-defined]
        await rollup_rebuild.refresh(conn)  # written around the bot: its roll-ups counted again


async def set_sla(store: Store, survey_ids: list[str], met: list[bool | None]) -> None:
    """What each ticket's event said of its SLA (None: nothing)."""
    async with store.write() as conn:
        for survey_id, value in zip(survey_ids, met, strict=True):
            await conn.execute(
                update(SurveyRow.__table__)
                .where(SurveyRow.__table__.c.id == survey_id)  # type: ignore[attr-defined]
                .values(sla_met=value)
            )
        await rollup_rebuild.refresh(conn)  # written around the bot: its roll-ups counted again


async def set_lost_time(store: Store, survey_ids: list[str], choices: list[str | None]) -> None:
    answers = AnswerRow.__table__  # type: ignore[attr-defined]
    async with store.write() as conn:
        for survey_id, choice in zip(survey_ids, choices, strict=True):
            stmt = update(answers).where(answers.c.survey_id == survey_id)
            await conn.execute(stmt.values(lost_time=choice))
        await rollup_rebuild.refresh(conn)  # written around the bot: its roll-ups counted again
