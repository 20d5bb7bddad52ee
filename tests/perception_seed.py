"""Puts agents' guesses beside seeded answers, for report tests of the perception gap."""

from __future__ import annotations

from datetime import datetime

from store import Store
from store.tables import AgentGuessRow


async def seed_guesses(
    store: Store, survey_ids: list[str], scores: list[int], at: datetime, agent: str = "U0CAROL"
) -> None:
    rows = [
        {"survey_id": s, "agent_id": agent, "team_key": None, "asked_at": at, "score": g,
         "guessed_at": at}
        for s, g in zip(survey_ids, scores, strict=True)
    ]  # fmt: skip
    async with store.write() as conn:
        await conn.execute(AgentGuessRow.__table__.insert(), rows)  # type: ignore[attr-defined]
