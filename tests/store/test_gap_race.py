"""PostgreSQL: an answer and its agent's guess stored at once, by two replicas, meet on the guess's
row, so exactly one of the two transactions sees the other and counts the pair's gap (SQLite's
write transactions never overlap)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest

from store import Store, guesses
from store.tables import AgentGuessRow, AnswerRow, SurveyRow
from tests.store.test_rollups import Row, history

S = SurveyRow.__table__  # type: ignore[attr-defined]
A = AnswerRow.__table__  # type: ignore[attr-defined]
G = AgentGuessRow.__table__  # type: ignore[attr-defined]
NOW = datetime(2026, 3, 1, tzinfo=UTC)
BLOCKED = 0.3  # long enough for a statement that does not wait to have finished


async def _asked(store: Store) -> list[Row]:
    """Two answered tickets, stored without their answers, whose agent was asked to guess."""
    made = [(s, a) for s, a in history(random.Random(2), 40) if a is not None][:2]
    async with store.write() as conn:
        await conn.execute(S.insert(), [s for s, _ in made])
        asked = [{"survey_id": s["id"], "agent_id": "U0AGENT", "asked_at": NOW} for s, _ in made]
        await conn.execute(G.insert(), asked)
    return [a for _, a in made if a is not None]


async def _answer(store: Store, answer: Row) -> dict[str, int]:
    """The click path's order: the answer, then the guesses it reads (and locks)."""
    async with store.write() as conn:
        await conn.execute(A.insert(), answer)
        return await guesses.scores_for_answers(conn, [answer["survey_id"]])


async def _guess(store: Store, survey_id: str, score: int) -> guesses.GuessedAnswer | None:
    """The guess path's order: the guess set, then the answer it reads."""
    async with store.write() as conn:
        assert await guesses.record(conn, survey_id, "U0AGENT", score, NOW)
        return await guesses.answer_of(conn, survey_id)


async def test_a_guess_set_while_the_answer_commits_waits_and_then_sees_it(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    first, second = await _asked(store)

    async with store.write() as conn:  # the answer first: it sees no guess
        await conn.execute(A.insert(), first)
        assert await guesses.scores_for_answers(conn, [first["survey_id"]]) == {}
        guessing = asyncio.create_task(_guess(store, first["survey_id"], 8))
        await asyncio.sleep(BLOCKED)
        assert not guessing.done()  # held by the answer's lock on the guess's row
    seen = await guessing
    assert seen is not None  # so the guess counts the pair
    assert seen.score == first["score"]

    async with store.write() as conn:  # the guess first: it sees no answer
        assert await guesses.record(conn, second["survey_id"], "U0AGENT", 3, NOW)
        assert await guesses.answer_of(conn, second["survey_id"]) is None
        answering = asyncio.create_task(_answer(store, second))
        await asyncio.sleep(BLOCKED)
        assert not answering.done()
    assert await answering == {second["survey_id"]: 3}  # so the answer counts the pair
